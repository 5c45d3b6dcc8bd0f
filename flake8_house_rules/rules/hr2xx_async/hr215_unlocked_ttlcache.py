"""HR215 unlocked-ttlcache."""

from __future__ import annotations

import ast

from flake8_house_rules.rule import Rule
from flake8_house_rules.rules.hr2xx_async.common import is_cache_construction, under_lock


class UnlockedTtlcache(Rule):
    """## What it does
    Checks for a module-level `cachetools` cache (`TTLCache`, `LRUCache`, `Cache`, ...: a name bound at
    module level to one) that is read or written inside an `async def` outside an `async with <lock>:`
    block. Reported once per line at the cache's name.

    ## Why is this bad?
    `cachetools` caches are not safe for concurrent use: an expiry sweep during another task's read can
    raise or return stale data. Style guide 001 (Caching): "`TTLCache` is **not** thread-safe—always wrap
    read AND write with `asyncio.Lock`".

    ## Example
    ```python
    _cache: TTLCache[str, Progress] = TTLCache(maxsize=100, ttl=300)

    async def get_progress(key: str) -> Progress | None:
        return _cache.get(key)
    ```

    Use instead:
    ```python
    _cache: TTLCache[str, Progress] = TTLCache(maxsize=100, ttl=300)
    _cache_lock = asyncio.Lock()

    async def get_progress(key: str) -> Progress | None:
        async with _cache_lock:
            return _cache.get(key)
    ```
    """

    code = "HR215"
    name = "unlocked-ttlcache"
    message = "read and write the cache inside `async with <asyncio.Lock>:`"
    source = "001 Caching"
    valid = (
        "import asyncio\nfrom cachetools import TTLCache\n\n_cache = TTLCache(maxsize=10, ttl=60)\n"
        "_lock = asyncio.Lock()\n\nasync def get(k):\n    async with _lock:\n        return _cache.get(k)",
        "from cachetools import TTLCache\n\n_cache = TTLCache(maxsize=10, ttl=60)\n\ndef get(k):\n"
        "    return _cache.get(k)",
        "from cachetools import TTLCache\n\nasync def get(k):\n    cache = TTLCache(maxsize=1, ttl=1)\n"
        "    return cache.get(k)",
        "from app import TTLCache\n\n_cache = TTLCache()\n\nasync def get(k):\n    return _cache.get(k)",
    )
    invalid = (
        "from cachetools import TTLCache\n\n_cache = TTLCache(maxsize=10, ttl=60)\n\nasync def get(k):\n"
        "    return _cache.get(k)  # error: HR215",
        "import cachetools\n\n_cache: cachetools.LRUCache = cachetools.LRUCache(maxsize=10)\n\n"
        "async def put(k, v):\n    _cache[k] = v  # error: HR215",
    )

    def start(self) -> None:
        """Per module: the module-level cache names (found on first use), and lines already reported."""
        self._lines: set[int] = set()
        self._caches: frozenset[str] | None = None

    def visit_Name(self, node: ast.Name) -> None:
        """A use of a name: is it a module-level cache used unguarded in async code?"""
        if self._caches is None:
            self._caches = frozenset(
                name
                for name, bindings in self.ctx.module_scope.names.items()
                if any(b.scope is self.ctx.module_scope and is_cache_construction(self.ctx, b.value) for b in bindings)
            )
        if node.id not in self._caches or node.lineno in self._lines:
            return
        if self.ctx.lookup(node) is not self.ctx.module_scope.names.get(node.id):
            return
        if self.ctx.in_async_function(node) and not under_lock(self.ctx, node):
            self._lines.add(node.lineno)
            self.report(node)
