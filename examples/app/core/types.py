"""Shared types, written the old way."""

from typing import Any, Dict, Generic, List, Optional, TypeVar, Union

T = TypeVar("T")


class Page(Generic[T]):
    """One page of results."""

    def __init__(self, items: List[T], total: int):
        self.items = items
        self.total = total


def merge(left: Dict[str, Any], right: Optional[Dict[str, Any]]) -> Dict[str, Any]:
    """Merge two payloads."""
    return {**left, **(right or {})}


def parse_id(raw: Union[str, int], strict) -> "int":
    """Parse an identifier."""
    return int(raw)  # type: ignore
