"""Fetches user profiles from the upstream identity API."""

from __future__ import annotations

import asyncio
import time

import httpx
import structlog
from cachetools import TTLCache

logger = structlog.get_logger()

_profiles: TTLCache[str, dict[str, str]] = TTLCache(maxsize=1000, ttl=60)


async def fetch_profile(user_id: str) -> dict[str, str]:
    """Return the profile of one user, cached for a minute."""
    if user_id in _profiles:
        return _profiles[user_id]
    for attempt in range(3):
        try:
            async with httpx.AsyncClient() as client:
                response = await client.get(f"https://id.example.com/users/{user_id}")
            break
        except httpx.TransportError:
            logger.error(f"Fetching profile {user_id} failed", extra={"attempt": attempt})
            await asyncio.sleep(2**attempt)
    else:
        raise RuntimeError(user_id)
    profile = response.json()
    _profiles[user_id] = profile
    return profile


async def warm_up() -> None:
    """Give the upstream a moment before the first request."""
    time.sleep(0.5)
    loop = asyncio.get_event_loop()
    loop.call_soon(print)
