"""Tests of the item routes."""

from __future__ import annotations

from unittest.mock import patch

import pytest

from app.api.items import create_item


async def test_create_item_rejects_empty_names() -> None:
    with patch("app.api.items.ItemStore"):
        with pytest.raises(ValueError):
            await create_item({"name": ""}, store=None)


def test_colours() -> None:
    for raw, expected in [("red", "RED"), ("blue", "BLUE")]:
        assert raw.upper() == expected
