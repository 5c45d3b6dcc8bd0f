"""HR005 magic-number."""

from __future__ import annotations

import ast
from itertools import compress
from operator import attrgetter
from typing import TYPE_CHECKING

from flake8_house_rules.rule import Example, Rule
from flake8_house_rules.rules.hr0xx_hygiene.common import is_generated_or_vendored, is_migration

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
#: HTTP status codes: named by the protocol, and what HR504 asks a route to write (`status_code=201`).
STATUS_CODES = range(100, 600)
#: Calls whose first argument is an HTTP status code.
STATUS_CALLS = frozenset({"HTTPException", "HTTPError", "Response", "JSONResponse", "abort"})
STATUS_KEYWORDS = frozenset({"status_code", "status"})
VERSION_INFO = frozenset({"sys.version_info"})


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


def _status_call(call: ast.Call) -> bool:
    """Whether a call's first argument is a status code by its callee's name: `HTTPException(404, ...)`."""
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    return name in STATUS_CALLS


def _compares_status(compare: ast.Compare) -> bool:
    """Whether a comparison reads a status code: `response.status_code == 404`, `resp.status in (200, 201)`."""
    return any(
        isinstance(side, ast.Attribute) and side.attr in STATUS_KEYWORDS
        for side in (compare.left, *compare.comparators)
    )


FINAL = frozenset({"typing.Final", "typing_extensions.Final"})


class MagicNumber(Rule):
    """## What it does
    Checks for numeric literals in code outside the places where a number is named or explains itself:
    - the value of an assignment at module or class level (`TIMEOUT_SECONDS = 30`, a class attribute, an
      enum member, a pydantic `Field(default=30)`), anywhere inside that value;
    - the value of an assignment annotated `Final`, at any level (`max_length: Final = 10_000` in a
      function names the number as a constant does);
    - a parameter default (`def fetch(retries: int = 3)`);
    - an index or slice (`parts[3]`, `text[:80]`);
    - an annotation (`Literal[3]`);
    - a table of numbers: a dict, list, tuple or set display of at least three entries, all numbers (or `None`)
      (`decoding_map.update({0x00e3: 0x0443, ...})`, `primes = [3, 5, 7, 11]` inside a function);
    - the numbers in `hr-allowed-numbers` (default `-1, 0, 1, 2, 100, 1000`; `1.0` counts as `1`);
    - an HTTP status code (an integer from 100 to 599) where it stands as one: a `status_code=` or `status=`
      argument (the `status_code=201` HR504 asks for), the first argument of `HTTPException(404, ...)` (or
      `HTTPError`, `Response`, `JSONResponse`, `abort`), or compared with a `.status_code`/`.status`
      attribute (`response.status_code == 404`, `resp.status in (200, 204)`);
    - a version tuple compared with `sys.version_info` (`sys.version_info >= (3, 12)`).
    A negative number is judged as a whole (`-5` is reported at the minus sign). Booleans are not numbers
    here. Test modules (`hr-test-modules`) are not checked: expected values are the point of a test; nor
    are migration scripts (the `migration` role, and Django migrations), frozen generated history whose column sizes
    (`sa.String(length=255)`) must stay as they were written.

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
        "from typing import Final\n\n\ndef clip(text: str) -> str:\n    max_length: Final = 10_000\n"
        "    return text[:max_length]",
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
        "from fastapi import APIRouter, HTTPException\n\nrouter = APIRouter()\n\n\n"
        "@router.post('/', status_code=201)\nasync def create_item(name: str) -> dict:\n    if not name:\n"
        "        raise HTTPException(400, detail='name is empty')\n    return {'name': name}\n\n\n"
        "def is_missing(response) -> bool:\n    return response.status_code == 404",
        "def ok(resp) -> bool:\n    return resp.status in (200, 204) or 500 <= resp.status_code",
        "from starlette.responses import JSONResponse\n\ndef gone() -> JSONResponse:\n"
        "    return JSONResponse({'error': 'gone'}, status_code=410)",
        "import sys\n\n\ndef has_new_generics() -> bool:\n    return sys.version_info >= (3, 12)",
        "import sys\n\nif sys.version_info[:2] < (3, 11):\n    import tomli as tomllib",
        Example(
            '"""Add users."""\nimport sqlalchemy as sa\nfrom alembic import op\n\nrevision = "0001"\n'
            "down_revision = None\n\n\ndef upgrade() -> None:\n"
            '    op.create_table("users", sa.Column("name", sa.String(length=255), nullable=False))',
            path="migrations/versions/0001_users.py",
        ),
    )
    invalid = (
        "async def fetch(client, url: str) -> None:\n    await client.get(url, timeout=30)  # error: HR005",
        "def f(x: int) -> bool:\n    return x > 42  # error: HR005",
        "def clip(text: str) -> str:\n    max_length: int = 10_000  # error: HR005\n    return text[:max_length]",
        "def f(x: float) -> float:\n    return x * 0.75  # error: HR005",
        "def f(x: int) -> int:\n    return x - -5  # error: HR005",
        "for attempt in range(5):  # error: HR005\n    pass",
        "def f(port: int) -> bool:\n    return port in (80, 443)  # error: HR005, HR005",
        "class A:\n    def f(self) -> None:\n        self.size = 64  # error: HR005",
        "def f(response) -> None:\n    response.retry_after = 404  # error: HR005",
        "def f(size: int) -> bool:\n    return size == 404  # error: HR005",
        "def f(response) -> bool:\n    return response.status_code == 4040  # error: HR005",
        "import sys\n\ndef f(version: tuple) -> bool:\n    return version >= (3, 12)  # error: HR005, HR005",
        "import sys\n\ndef f() -> bool:\n    return sys.maxsize > 4096  # error: HR005",
    )

    @classmethod
    def applies_to(cls, ctx: ModuleContext) -> bool:
        """Test modules, migration scripts, generated and vendored modules are not checked."""
        return not ctx.is_test_module() and not is_migration(ctx) and not is_generated_or_vendored(ctx)

    def visit_Module(self, node: ast.Module) -> None:
        """Read the module's constants once; numbers are a small share of them, so check the type first.

        Whether a display is a table, and what the climb from a node up to its statement finds, are decided
        once per node (`self._tables`, `self._verdicts`), so a list of 10,000 numbers or a sum of 10,000
        terms costs linear time.
        """
        allowed = self.ctx.config.allowed_numbers
        parents = self.ctx.parents
        constants = self.ctx.nodes_of(ast.Constant)
        self._tables: dict[ast.AST, bool] = {}
        self._verdicts: dict[ast.AST, bool] = {}
        # bool is not a number here (type(True) is bool); the mask is computed without a Python-level loop
        is_number = map(NUMBER_TYPES.__contains__, map(type, map(VALUE, constants)))
        for constant in compress(constants, is_number):
            value = constant.value
            parent = parents.get(constant)
            reported: ast.AST = constant
            if type(parent) is ast.UnaryOp and type(parent.op) is ast.USub:
                value = -value
                reported, parent = parent, parents.get(parent)
            if value in allowed or self._is_table(parent) or self._is_status_or_version(reported, value, parent):
                continue
            if self._named_or_explained(reported, parent):
                continue
            self.report(
                reported,
                f"name the number `{self.ctx.segment(reported) or value}`: assign it to an UPPER_SNAKE constant",
            )

    def _is_table(self, node: ast.AST | None) -> bool:
        """`is_table`, decided once per display."""
        if node is None:
            return False
        found = self._tables.get(node)
        if found is None:
            found = self._tables[node] = is_table(node)
        return found

    def _is_status_or_version(self, node: ast.AST, value: object, parent: ast.AST | None) -> bool:
        """Whether a number is an HTTP status code where one belongs, or part of a `sys.version_info` tuple."""
        parents = self.ctx.parents
        if type(value) is int and value in STATUS_CODES:
            holder = parent
            if type(holder) in {ast.Tuple, ast.List, ast.Set}:
                holder = parents.get(holder)
            if type(parent) is ast.keyword:
                return parent.arg in STATUS_KEYWORDS
            if type(parent) is ast.Call:
                return bool(parent.args) and parent.args[0] is node and _status_call(parent)
            if type(holder) is ast.Compare:
                return _compares_status(holder)
            return False
        if type(parent) is ast.Tuple:
            compare = parents.get(parent)
            if type(compare) is ast.Compare:
                sides = (compare.left, *compare.comparators)
                return any(self._is_version_info(side) for side in sides)
        return False

    def _final(self, annotation: ast.expr) -> bool:
        """Whether an annotation is `typing.Final` (or `Final[int]`): the assignment names a constant."""
        target = annotation.value if isinstance(annotation, ast.Subscript) else annotation
        return self.ctx.qualname(target) in FINAL

    def _is_version_info(self, node: ast.expr) -> bool:
        """`sys.version_info`, or a subscript of it (`sys.version_info[:2]`)."""
        if isinstance(node, ast.Subscript):
            node = node.value
        return (
            isinstance(node, ast.Attribute) and node.attr == "version_info" and self.ctx.qualname(node) in VERSION_INFO
        )

    def _named_or_explained(self, node: ast.AST, parent: ast.AST | None) -> bool:
        """Whether a number is an index, a default, an annotation, or in a module or class level assignment.

        The nodes passed on the way up share the answer of the node the climb ends at; each is remembered,
        so no node is climbed through twice.
        """
        parents = self.ctx.parents
        verdicts = self._verdicts
        passed: list[ast.AST] = []
        child = node
        verdict = False
        while parent is not None:
            known = verdicts.get(parent)
            if known is not None and type(parent) not in STOPS:
                verdict = known
                break
            kind = type(parent)
            if kind not in STOPS:
                passed.append(parent)
                child, parent = parent, parents.get(parent)
                continue
            if kind is ast.Slice or kind is ast.arguments:
                verdict = True  # a slice bound, or a default (annotations are handled below)
            elif kind is ast.Subscript:
                if child is parent.slice:  # type: ignore[attr-defined] - a Subscript
                    verdict = True
                else:
                    passed.append(parent)
                    child, parent = parent, parents.get(parent)
                    continue
            elif kind is ast.arg:
                verdict = child is parent.annotation  # type: ignore[attr-defined] - an arg
            elif kind is ast.Assign or kind is ast.AnnAssign:
                if kind is ast.AnnAssign and child is parent.annotation:  # type: ignore[attr-defined]
                    verdict = True
                elif kind is ast.AnnAssign and self._final(parent.annotation):  # type: ignore[attr-defined]
                    verdict = child is parent.value  # type: ignore[attr-defined] - `limit: Final = 10_000` names it
                else:
                    holder = parents.get(parent)
                    while type(holder) in BLOCK_STATEMENTS:
                        holder = parents.get(holder)
                    verdict = type(holder) in {ast.Module, ast.ClassDef} and child is parent.value  # type: ignore[attr-defined]
            else:
                verdict = kind in FUNCTIONS and child is parent.returns  # type: ignore[attr-defined] - a def
            break
        for item in passed:
            verdicts[item] = verdict
        return verdict
