"""HR005 magic-number."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from flake8_house_rules.rule import Example, Rule

if TYPE_CHECKING:
    from flake8_house_rules.context import ModuleContext

NUMBER_TYPES = (int, float, complex)
#: Where a number is named or self-explanatory by its position.
NAMED_HOLDERS = (ast.Assign, ast.AnnAssign)
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

    def start(self) -> None:
        """Per module: the allowed numbers."""
        self._allowed = self.ctx.config.allowed_numbers

    def visit_Constant(self, node: ast.Constant) -> None:
        """Report a number that is neither allowed nor in a place that names or explains it."""
        value = node.value
        if type(value) not in NUMBER_TYPES:  # bool is not a number here: type(True) is bool
            return
        parent = self.ctx.parent(node)
        reported: ast.AST = node
        if isinstance(parent, ast.UnaryOp) and isinstance(parent.op, ast.USub):
            value = -value
            reported, parent = parent, self.ctx.parent(parent)
        if value in self._allowed or is_table(parent) or self._named_or_explained(reported, parent):
            return
        self.report(reported)

    def _named_or_explained(self, node: ast.AST, parent: ast.AST | None) -> bool:
        """Whether a number is an index, a default, an annotation, or in a module or class level assignment."""
        child = node
        while parent is not None:
            if isinstance(parent, ast.Slice) or (isinstance(parent, ast.Subscript) and child is parent.slice):
                return True
            if isinstance(parent, ast.arguments):
                return True  # a default (annotations are handled below)
            if isinstance(parent, ast.arg):
                return child is parent.annotation
            if isinstance(parent, NAMED_HOLDERS):
                if isinstance(parent, ast.AnnAssign) and child is parent.annotation:
                    return True
                holder = self.ctx.parent(parent)
                while isinstance(holder, ast.If | ast.Try | ast.TryStar | ast.With):
                    holder = self.ctx.parent(holder)
                return isinstance(holder, ast.Module | ast.ClassDef) and child is parent.value
            if isinstance(parent, ast.stmt):
                return isinstance(parent, ast.FunctionDef | ast.AsyncFunctionDef) and child is parent.returns
            child, parent = parent, self.ctx.parent(parent)
        return False
