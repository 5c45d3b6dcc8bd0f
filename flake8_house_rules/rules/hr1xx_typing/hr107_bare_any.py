"""HR107 bare-any."""

from __future__ import annotations

import ast

from flake8_house_rules.context.text import explains
from flake8_house_rules.rules.hr1xx_typing.base import TypingRule

MAX_COMMENT_LINES = 5


class BareAny(TypingRule):
    """## What it does
    Checks for `typing.Any` standing for a type in a parameter, return or variable annotation (also inside
    a string annotation, `x: "Any"`, reported at the string) when no comment explains it: neither on the
    annotation's line nor in the comment-only lines just above it.

    An explanation says why in words: at least two words besides tool markers (`# noqa: ...`,
    `# type: ignore[...]`, `# pragma: ...`), bare codes (`# ANN401`) and acknowledgements (`# OK`,
    `# fine`, `# TODO`). `Any` as a value inside an annotation (in a call's arguments, the metadata of
    `Annotated`) is not a type and is not checked.

    ## Why is this bad?
    `Any` switches type checking off. Sometimes that is the honest type (a JSON blob, a third-party object
    without stubs), and then the reason belongs next to it. Style guide 003: "NEVER: Bare `Any` without
    comment".

    Reading the comment lines just above (up to five) as an explanation is this pack's choice: it keeps
    long signatures readable and avoids reporting code that does explain itself.

    ## Example
    ```python
    from typing import Any

    def handle(payload: dict[str, Any]) -> None: ...
    ```

    Use instead:
    ```python
    def handle(payload: dict[str, Any]) -> None:  # Any: webhook JSON, validated downstream
        ...
    ```
    or a precise type (`TypedDict`, a pydantic model, `object`).
    """

    code = "HR107"
    name = "bare-any"
    message = "explain this `Any` in a comment on its line, or use a precise type"
    source = "003 Type Hints (NEVER list)"
    valid = (
        "from typing import Any\n\ndef f(payload: dict[str, Any]) -> None: ...  # Any: raw webhook JSON",
        "from typing import Any\n\n# Any: third-party object without stubs\nclient: Any = None",
        "from typing import Any\n\nx = cast(Any, y)",
        "from app import Any\n\ndef f(x: Any) -> None: ...",
        "def f(x: object) -> None: ...",
        "from typing import Any\n\ndef f(x: dict[str, Any]) -> None: ...  # noqa: ANN401 - vendor payload, untyped",
        "from typing import Annotated, Any\nfrom pydantic import Field\n\n"
        "x: Annotated[int, Field(json_schema_extra={'type': Any})] = 0",
        "from typing import Any\n\nx: 'Any' = None  # Any: plugin object, no stubs",
        "from typing import Any\n\nx = {'a': Any}",
        "from typing import Any\n\n# We type it as Any, because processors can return more than an\n# EventDict.\n"
        "event_dict: Any = {}",
    )
    invalid = (
        "from typing import Any\n\ndef f(payload: dict[str, Any]) -> None: ...  # error: HR107",
        "import typing\n\nx: typing.Any = None  # noqa: E501  # error: HR107",
        "from typing import Any\n\ndef f(*args: Any) -> Any: ...  # error: HR107, HR107",
        "from typing import Any\n\nx: 'Any' = None  # error: HR107",
        "from __future__ import annotations\n\nfrom typing import Any\n\n"
        "def f(x: 'dict[str, Any]') -> None: ...  # error: HR107",
        "from typing import Any\n\nx: Any = None  # OK  # error: HR107",
        "from typing import Any\n\nx: Any = None  # noqa: ANN401  # error: HR107",
        "from typing import Any\n\n# OK\nx: Any = None  # error: HR107",
        "from typing import Annotated, Any\n\nx: Annotated[Any, 'meta'] = None  # error: HR107",
    )

    references = frozenset({"typing.Any"})
    string_annotations = True

    def start(self) -> None:
        """Per module: the string annotations already checked (one report per string)."""
        self._strings: set[ast.AST] = set()

    def visit_reference(self, node: ast.Name | ast.Attribute, name: str) -> None:
        """`Any` imported from typing, `typing.Any`, `t.Any`, where it stands for a type in an annotation;
        inside a string annotation (`x: "Any"`), reported once, at the string.
        """
        positions = self.ctx.type_positions
        if not positions.in_type_position(node):
            return
        anchor = positions.anchor(node)
        if anchor is not node:
            if anchor in self._strings:
                return
            self._strings.add(anchor)
        self._check(anchor)

    def _check(self, node: ast.AST) -> None:
        line = getattr(node, "lineno", 0)
        if self.ctx.has_explaining_comment(line) or explains(self._comment_block_above(line)):
            return
        self.report(node)

    def _comment_block_above(self, line: int) -> str:
        """The text of the comment-only lines just above a line (a few at most), joined."""
        texts: list[str] = []
        above = line - 1
        while len(texts) < MAX_COMMENT_LINES and self.ctx.is_comment_only_line(above):
            texts.extend(text for _, text in self.ctx.comments_on(above))
            above -= 1
        return " ".join(reversed(texts))
