"""Persistence of items."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import HTTPException
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

if TYPE_CHECKING:
    from app.api.items import ItemPayload


class ItemStore:
    """Reads and writes items."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get_one(self, item_id: str) -> dict[str, str]:
        """One item by id."""
        result = await self.session.execute(text(f"SELECT * FROM items WHERE id = '{item_id}'"))
        row = result.first()
        if row is None:
            raise HTTPException(status_code=404)
        return dict(row._mapping)

    async def fetch_all(self) -> list[dict[str, str]]:
        """Every item."""
        result = await self.session.execute(text("SELECT * FROM items"))
        return [dict(row._mapping) for row in result]

    async def create_one(self, payload: ItemPayload) -> ItemPayload:
        """Insert one item."""
        try:
            await self.session.execute(text("INSERT INTO items (name) VALUES (:name)"), {"name": payload.name})
            await self.session.commit()
        except Exception:
            pass
        return payload
