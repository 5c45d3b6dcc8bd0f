"""HR005 magic-number."""

from __future__ import annotations

import ast
from itertools import compress
from operator import attrgetter
from typing import TYPE_CHECKING

from flake8_house_rules.rule import Example, Rule

if TYPE_CHECKING:
    from flake8_house_rules.context import ModuleContext

NUMBER_TYPES = frozenset({int, float, complex})
VALUE = attrgetter("value")
#: Where a number is named or self-explanatory by its position.
#: Statements a module or class level assignment may sit in, and the kinds of parents the search stops at.
BLOCK_STATEMENTS = frozenset({ast.If, ast.Try, ast.TryStar, ast.With})
FUNCTIONS = frozenset({ast.FunctionDef, ast.AsyncFunctionDef})
STOPS = frozenset({ast.Slice, ast.Subscript, ast.arguments, ast.arg}) | frozenset(ast.stmt.__subclasses__())
TABLE_SIZE = 3


def _is_entry(node: ast.expr | None) -> bool:
    """Whether a table entry is a number (or `None`, a gap in the table)."""
    if isinstance(node, ast.UnaryOp):
        node = node.operand
    return isinstance(node, ast.Constant) and (node.value is None or type(node.value) in NUMBER_TYPES)


def is_table(node: ast.AST | None) -> bool:
    """Whether a display holds a table of numbers: at least `TABLE_SIZE` entries, each a number or `None`.

    `{0x00e3: 0x0443, 0x00e4: 0x0444, ...}` or `[3, 5, 7, 11]` is data; naming each entry would not help.
    """
    if isinstance(node, ast.Dict):
        items: list[ast.expr | None] = [*node.keys, *node.values]
        return len(node.values) >= TABLE_SIZE and all(_is_entry(item) for item in items)
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        return len(node.elts) >= TABLE_SIZE and all(_is_entry(item) for item in node.elts)
    return False


class MagicNumber(Rule):
    """## What it does
    Checks for numeric literals in code outside the places where a number is named or explains itself:
    - the value of an assignment at module or class level (`TIMEOUT_SECONDS = 30`, a class attribute, an
      enum member, a pydantic `Field(default=30)`), anywhere inside that value;
    - a parameter default (`def fetch(retries: int = 3)`);
    - an index or slice (`parts[3]`, `text[:80]`);
    - an annotation (`Literal[3]`);
    - a table of numbers: a dict, list, tuple or set display of at least three entries, all numbers (or `None`)
      (`decoding_map.update({0x00e3: 0x0443, ...})`, `primes = [3, 5, 7, 11]` inside a function);
    - the numbers in `hr-allowed-numbers` (default `-1, 0, 1, 2, 100, 1000`; `1.0` counts as `1`).
    A negative number is judged as a whole (`-5` is reported at the minus sign). Booleans are not numbers
    here. Test modules (`hr-test-modules`) are not checked: expected values are the point of a test.

    ## Why is this bad?
    A bare number says nothing about what it means or where else it must change. 004's checklist: "No
    magic numbers (extract to constants)"; its pre-check greps for them (`grep -n
    "[^a-zA-Z0-9_][3-9][0-9]*[^a-zA-Z0-9_]"`).

    ## Example
    ```python
    async def fetch(client: httpx.AsyncClient, url: str) -> bytes:
        response = await client.get(url, timeout=30)
        return response.content[:65536]
    ```

    Use instead:
    ```python
    REQUEST_TIMEOUT_SECONDS = 30

    async def fetch(client: httpx.AsyncClient, url: str) -> bytes:
        response = await client.get(url, timeout=REQUEST_TIMEOUT_SECONDS)
        return response.content[:65536]
    ```
    """

    code = "HR005"
    name = "magic-number"
    message = "name the number: assign it to an UPPER_SNAKE constant"
    tier = "opt-in"
    source = "004 Pre-Check Commands; 004 Code Review Checklist"
    options = ("hr-allowed-numbers", "hr-test-modules")
    valid = (
        "TIMEOUT_SECONDS = 30\nLIMITS = {'free': 10, 'pro': 500}",
        "class Settings:\n    timeout: float = 2.5\n    port = Field(default=8080)",
        "def fetch(retries: int = 3, *, backoff: float = 0.5) -> None:\n    pass",
        "def head(text: str) -> str:\n    return text[:80] + text[-3] + text[5:10:2]",
        "from typing import Literal\n\ndef f(mode: Literal[3, 4]) -> None:\n    pass",
        "def f(x: int) -> int:\n    return x * 2 + 1 - 0 + 100 + 1000 + 1.0 - 1",
        "def f(flag: bool = True) -> bool:\n    return flag is False",
        Example("def test_total() -> None:\n    assert total([3, 4]) == 7", path="tests/test_total.py"),
        Example("def f(x: int) -> int:\n    return x * 60", options={"hr-allowed-numbers": "0,1,60"}),
        "if True:\n    RETRIES = 5",
        "PAIRS = dict(zip(range(5), range(5)))[0]",
        "decoding_map = {}\ndecoding_map.update({0x00e3: 0x0443, 0x00e4: 0x0444, 0x00e5: None})",
    )
    invalid = (
        "async def fetch(client, url: str) -> None:\n    await client.get(url, timeout=30)  # error: HR005",
        "def f(x: int) -> bool:\n    return x > 42  # error: HR005",
        "def f(x: float) -> float:\n    return x * 0.75  # error: HR005",
        "def f(x: int) -> int:\n    return x - -5  # error: HR005",
        "for attempt in range(5):  # error: HR005\n    pass",
        "def f(port: int) -> bool:\n    return port in (80, 443)  # error: HR005, HR005",
        "class A:\n    def f(self) -> None:\n        self.size = 64  # error: HR005",
    )

    @classmethod
    def applies_to(cls, ctx: ModuleContext) -> bool:
        """Test modules are not checked."""
        return not ctx.is_test_module()

    def visit_Module(self, node: ast.Module) -> None:
        """Read the module's constants once; numbers are a small share of them, so check the type first."""
        allowed = self.ctx.config.allowed_numbers
        parents = self.ctx.parents
        constants = self.ctx.nodes_of(ast.Constant)
        # bool is not a number here (type(True) is bool); the mask is computed without a Python-level loop
        is_number = map(NUMBER_TYPES.__contains__, map(type, map(VALUE, constants)))
        for constant in compress(constants, is_number):
            value = constant.value
            parent = parents.get(constant)
            reported: ast.AST = constant
            if type(parent) is ast.UnaryOp and type(parent.op) is ast.USub:
                value = -value
                reported, parent = parent, parents.get(parent)
            if value in allowed or is_table(parent) or self._named_or_explained(reported, parent):
                continue
            self.report(reported)

    def _named_or_explained(self, node: ast.AST, parent: ast.AST | None) -> bool:
        """Whether a number is an index, a default, an annotation, or in a module or class level assignment."""
        parents = self.ctx.parents
        child = node
        while parent is not None:
            kind = type(parent)
            if kind not in STOPS:
                child, parent = parent, parents.get(parent)
                continue
            if kind is ast.Slice or kind is ast.arguments:
                return True  # a slice bound, or a default (annotations are handled below)
            if kind is ast.Subscript:
                if child is parent.slice:  # type: ignore[attr-defined] - a Subscript
                    return True
                child, parent = parent, parents.get(parent)
                continue
            if kind is ast.arg:
                return child is parent.annotation  # type: ignore[attr-defined] - an arg
            if kind is ast.Assign or kind is ast.AnnAssign:
                if kind is ast.AnnAssign and child is parent.annotation:  # type: ignore[attr-defined]
                    return True
                holder = parents.get(parent)
                while type(holder) in BLOCK_STATEMENTS:
                    holder = parents.get(holder)
                return type(holder) in {ast.Module, ast.ClassDef} and child is parent.value  # type: ignore[attr-defined]
            return kind in FUNCTIONS and child is parent.returns  # type: ignore[attr-defined] - a def
        return False
