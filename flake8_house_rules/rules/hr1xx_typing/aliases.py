"""What the typing rules know about `typing`: the deprecated aliases and what replaces each."""

from __future__ import annotations

PEP_604 = (3, 10)
PEP_585 = (3, 9)
PEP_695 = (3, 12)

OPTIONAL_UNION = {"typing.Optional": "X | None", "typing.Union": "X | Y"}

BUILTIN_ALIASES = {
    "List": "list",
    "Dict": "dict",
    "Set": "set",
    "FrozenSet": "frozenset",
    "Tuple": "tuple",
    "Type": "type",
}
COLLECTIONS_ALIASES = {
    "Deque": "collections.deque",
    "DefaultDict": "collections.defaultdict",
    "OrderedDict": "collections.OrderedDict",
    "Counter": "collections.Counter",
    "ChainMap": "collections.ChainMap",
}
ABC_NAMES = [
    "AsyncGenerator",
    "AsyncIterable",
    "AsyncIterator",
    "Awaitable",
    "Callable",
    "Collection",
    "Container",
    "Coroutine",
    "Generator",
    "Hashable",
    "ItemsView",
    "Iterable",
    "Iterator",
    "KeysView",
    "Mapping",
    "MappingView",
    "MutableMapping",
    "MutableSequence",
    "MutableSet",
    "Reversible",
    "Sequence",
    "Sized",
    "ValuesView",
]
OTHER_ALIASES = {
    "AbstractSet": "collections.abc.Set",
    "ContextManager": "contextlib.AbstractContextManager",
    "AsyncContextManager": "contextlib.AbstractAsyncContextManager",
    "Pattern": "re.Pattern",
    "Match": "re.Match",
}

#: `typing.List` -> `list`, `typing.Callable` -> `collections.abc.Callable`, ...
GENERIC_ALIASES: dict[str, str] = {
    f"typing.{name}": replacement
    for name, replacement in {
        **BUILTIN_ALIASES,
        **COLLECTIONS_ALIASES,
        **{name: f"collections.abc.{name}" for name in ABC_NAMES},
        **OTHER_ALIASES,
    }.items()
}

#: Every name HR104 reports in `from typing import ...`, with the version from which its replacement works.
DEPRECATED_IMPORTS: dict[str, tuple[int, int]] = {
    **dict.fromkeys((name.removeprefix("typing.") for name in OPTIONAL_UNION), PEP_604),
    **dict.fromkeys((name.removeprefix("typing.") for name in GENERIC_ALIASES), PEP_585),
}
TYPING_MODULES = frozenset({"typing", "typing_extensions"})
