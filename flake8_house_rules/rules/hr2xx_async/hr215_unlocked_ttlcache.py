"""HR215 unlocked-ttlcache."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from flake8_house_rules.rule import Rule
from flake8_house_rules.rules.hr2xx_async.common import is_cache_construction, under_lock

if TYPE_CHECKING:
    from flake8_house_rules.context import ModuleContext


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
        "from cachetools import TTLCache\n\nclass Store:\n    def __init__(self) -> None:\n"
        "        self._cache = TTLCache(maxsize=10, ttl=60)\n\n    async def get(self, k):\n"
        "        return self._cache.get(k)",
    )
    invalid = (
        "from cachetools import TTLCache\n\n_cache = TTLCache(maxsize=10, ttl=60)\n\nasync def get(k):\n"
        "    return _cache.get(k)  # error: HR215",
        "import cachetools\n\n_cache: cachetools.LRUCache = cachetools.LRUCache(maxsize=10)\n\n"
        "async def put(k, v):\n    _cache[k] = v  # error: HR215",
    )

    @classmethod
    def applies_to(cls, ctx: ModuleContext) -> bool:
        """Only in modules that hold a cache in a module-level name."""
        return bool(_module_caches(ctx))

    def start(self) -> None:
        """Per module: the module-level cache names, and lines already reported."""
        self._lines: set[int] = set()
        self._caches = _module_caches(self.ctx)

    def visit_Name(self, node: ast.Name) -> None:
        """A use of a name: is it a module-level cache used unguarded in async code?"""
        if node.id not in self._caches or node.lineno in self._lines:
            return
        if self.ctx.lookup(node) is not self.ctx.module_scope.names.get(node.id):
            return
        if self.ctx.in_async_function(node) and not under_lock(self.ctx, node):
            self._lines.add(node.lineno)
            self.report(node)


def _module_caches(ctx: ModuleContext) -> frozenset[str]:
    """The module-level names bound to a `cachetools` cache, found once per module."""
    return ctx.derived("async.module_caches", lambda: _find_module_caches(ctx))


def _find_module_caches(ctx: ModuleContext) -> frozenset[str]:
    scope = ctx.module_scope
    return frozenset(
        name
        for name, bindings in scope.names.items()
        if any(b.scope is scope and b.value is not None and is_cache_construction(ctx, b.value) for b in bindings)
    )
