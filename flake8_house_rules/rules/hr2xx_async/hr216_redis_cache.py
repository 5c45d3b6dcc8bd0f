"""HR216 redis-cache."""

from __future__ import annotations

import ast

from flake8_house_rules.context import imported_modules
from flake8_house_rules.rule import Rule

REDIS_MODULES = frozenset({"redis", "aioredis"})


class RedisCache(Rule):
    """## What it does
    Checks for imports of `redis`, `redis.asyncio` and `aioredis`.

    ## Why is this bad?
    The house cache is in-process: style guide 001 (Caching): "Use `cachetools.TTLCache` for in-memory
    caching—**no Redis**". A Redis client brings a network hop, a server to run, and serialisation, for
    data that tolerates per-worker staleness. Teams that do run Redis leave this opt-in rule off.

    ## Example
    ```python
    import redis.asyncio as redis

    cache = redis.from_url(settings.redis_url)
    ```

    Use instead:
    ```python
    from cachetools import TTLCache

    _cache: TTLCache[str, Progress] = TTLCache(maxsize=1000, ttl=60)
    ```
    """

    code = "HR216"
    name = "redis-cache"
    message = "use the in-process `cachetools.TTLCache` instead of Redis"
    tier = "opt-in"
    source = "001 Caching"
    valid = (
        "from cachetools import TTLCache",
        "from app import redis",
        "import redislite_like_name",
        "from pydantic import Field\n\nbackend: str = Field(description='import redis')",
    )
    invalid = (
        "import redis  # error: HR216",
        "import redis.asyncio as aredis  # error: HR216",
        "from aioredis import Redis  # error: HR216",
        "from redis.asyncio import from_url  # error: HR216",
    )

    def visit_Import(self, node: ast.Import | ast.ImportFrom) -> None:
        """`import redis`, `import redis.asyncio`, `import aioredis`, `from redis... import ...`."""
        if any(module.partition(".")[0] in REDIS_MODULES for module in imported_modules(node)):
            self.report(node)

    visit_ImportFrom = visit_Import
