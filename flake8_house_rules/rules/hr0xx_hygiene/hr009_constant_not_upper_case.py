"""HR009 constant-not-upper-case."""

from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING

from flake8_house_rules.rule import Example, Rule
from flake8_house_rules.rules.hr0xx_hygiene.common import (
    is_dunder,
    is_generated_or_vendored,
    is_migration,
    is_tool_configuration,
)

if TYPE_CHECKING:
    from flake8_house_rules.context import ModuleContext

UPPER_RE = re.compile(r"^_*[A-Z][A-Z0-9_]*$")
#: A lone lower-case letter between a capital and a digit: the version in an acronym (`IPv6`, `HTTPv2`).
VERSION_LETTER_RE = re.compile(r"(?<=[A-Z])[a-z](?=[0-9])")
#: Module-level names a framework reads by their lower-case spelling: Alembic migrations, Django apps and
#: URL modules, pytest plugins, PEP 249 database modules. Renaming them would break the framework, so they
#: are not constants here.
PROTOCOL_NAMES = frozenset(
    {
        "revision",
        "down_revision",
        "branch_labels",
        "depends_on",
        "default_app_config",
        "app_name",
        "pytest_plugins",
        "apilevel",
        "threadsafety",
        "paramstyle",
    }
)
FINAL = frozenset({"typing.Final"})
#: Foreign-function libraries: a module binding a C library spells the C header's constants as it does.
C_LIBRARIES = frozenset({"ctypes", "cffi"})
MAX_TUPLE_DEPTH = 4
#: Blocks whose module-level names are no constants: bound again on every pass, or a script's work inside
#: an open resource (aiohttp's `with open(...) as outfile: header = "..."`).
LOOPS_AND_WITH = frozenset({ast.For, ast.AsyncFor, ast.While, ast.With, ast.AsyncWith})


def is_literal(node: ast.expr | None, depth: int = 0) -> bool:
    """Whether a value is a number, string or bytes literal (`-1` included), or a tuple of such literals.

    `True`, `False`, `None` and f-strings are not: a flag or a placeholder is not a constant by its value.
    """
    if isinstance(node, ast.Constant):
        return type(node.value) in {int, float, complex, str, bytes}
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        return isinstance(node.operand, ast.Constant) and type(node.operand.value) in {int, float, complex}
    if isinstance(node, ast.Tuple) and depth < MAX_TUPLE_DEPTH:
        return bool(node.elts) and all(is_literal(item, depth + 1) for item in node.elts)
    return False


def upper_case(name: str) -> str:
    """The UPPER_SNAKE spelling of a name: `defaultTimeout` and `default_timeout` give `DEFAULT_TIMEOUT`."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).upper()


class ConstantNotUpperCase(Rule):
    """## What it does
    Checks for module-level constants not spelled in UPPER_SNAKE_CASE. A name is a constant when it is
    bound exactly once in the module (no second assignment, augmented assignment, `global` rebinding in a
    function, import, `def` or loop binding it again), by a plain assignment, to a literal: a number, a
    string, bytes, or a tuple of those. An annotated assignment counts only when the annotation is
    `Final` (`timeout: Final = 30`): `timeout: float = 30` declares a module variable that other code sets
    (`litellm.request_timeout = 60`), and `X: TypeAlias = ...` an alias. Reported at the assigned name.

    A name in UPPER_SNAKE_CASE but for the version letter of an acronym (`_TRUSTED_IPv6_NETWORKS`) is
    already spelled as a constant.

    Not constants here: dunders (`__all__`, `__version__`, `__author__`); values that are `True`, `False` or `None`
    (flags and placeholders that other modules or tests often set); f-strings and every computed value (`logger =
    structlog.get_logger()`, `router = APIRouter()`); type aliases (an alias such as `UserId = int | str` is not a
    literal anyway, and a string that names a class, used in an annotation of the module, is one too: letta's
    `MCPManagerType = "MCPServerManager"`, then `manager: MCPManagerType`); names a framework reads by their
    lower-case spelling (Alembic's `revision`, `down_revision`, `branch_labels`, `depends_on`, Django's
    `default_app_config` and `app_name`, `pytest_plugins`, PEP 249's `apilevel`, `threadsafety`, `paramstyle`); and
    every name in a tool's configuration file (Sphinx's `conf.py`, gunicorn's config, Celery's
    `celeryconfig.py`, alembic's `env.py`), whose names the tool
    dictates.
    Names bound inside a module-level loop (again on every pass) or `with` block (a script's work while a
    resource is open) are not constants either; those under an `if` or `try` still are.
    Migration scripts (Django's, and the `migration` role: alembic's `versions/` folders, or a module importing
    `alembic.op`) are not checked: their module-level names (`revision`, a project's own `app_version`) are
    read by the migration tooling under the spelling it generated. Nor is a test module that holds nothing
    but plain assignments of literals (letta's `tests/data/1_to_100.py`, `x1 = 1` to `x100 = 100`): it is a
    test's input data, read back as text, not code with constants.

    In a module that imports `ctypes` or `cffi`, a CapWords name without underscores (`ZPixmap = 2`,
    `AllPlanes = 0xFFFFFFFF`: skyvern's Xlib bindings) is the C header's own spelling of a macro, kept so
    it can be looked up there, and is not reported.

    ## Why is this bad?
    A constant spelled like a variable invites reassignment and hides that the value is fixed. 001 Naming:
    "Constants: `UPPER_SNAKE_CASE`"; 003 Naming: "Constants: UPPER_SNAKE CACHE_DURATION_MS".

    ## Example
    ```python
    cache_duration_ms = 60_000
    ```

    Use instead:
    ```python
    CACHE_DURATION_MS = 60_000
    ```
    """

    code = "HR009"
    name = "constant-not-upper-case"
    message = "name the module-level constant in UPPER_SNAKE_CASE"
    source = "001 Naming; 003 Naming"
    valid = (
        "CACHE_DURATION_MS = 60_000\n_PRIVATE_LIMIT = 5",
        # uvicorn's tests: an acronym with its version, as it is written
        '_TRUSTED_IPv6_NETWORKS = "2001:db8:abcd:0012::0/64"\nHTTPv2_PORT = 8443',
        '__all__ = ["x"]\n__version__ = "1.0"\n__author__ = "me"',
        "debug = False\nhandler = None",
        "import structlog\n\nlogger = structlog.get_logger()",
        "counter = 0\n\ndef bump() -> None:\n    global counter\n    counter += 1",
        "retries = 3\nretries = 5",
        "total = 0\ntotal += 1",
        "from typing import TypeAlias\n\nUserId: TypeAlias = 'int'",
        'from typing import Literal\n\nllm_guard_mode: Literal["all", "key"] = "all"\nrequest_timeout: float = 6000',
        'apilevel = "2.0"\nparamstyle = "qmark"',
        "UserId = int | str",
        # letta: a string type alias, to avoid a circular import
        'ManagerType = "MCPServerManager"\n\ndef connect(manager: ManagerType) -> None: ...',
        "def f() -> None:\n    timeout = 30",
        "class Config:\n    timeout = 30",
        'revision = "a1b2c3"\ndown_revision = "z9y8x7"',
        'name = f"{prefix}-service"',
        Example('project = "example"\nhtml_theme = "alabaster"', path="docs/conf.py"),
        "import ctypes\n\nZPixmap = 2\nAllPlanes = 0xFFFFFFFF\nlib = ctypes.CDLL('libX11.so.6')\n",
        Example('task_serializer = "json"\nresult_serializer = "json"', path="app/core/celeryconfig.py"),
        Example("from alembic import context\n\nversion_table = 'alembic_version'", path="app/alembic/env.py"),
        'try:\n    mode = "fast"\nexcept ImportError:\n    mode = "slow"',
        # aiohttp's requirements script: work done while a file is open, and a loop's names
        'with open("deps.in", "w") as outfile:\n    header = "# Extracted\\n"\n    outfile.write(header)\n'
        'for name in names:\n    prefix = "x"\n',
        Example(
            '"""Add users table."""\nfrom alembic import op\n\nrevision = "0001"\ndown_revision = None\n'
            'app_version = "3.0.0"\n\n\ndef upgrade() -> None:\n    op.drop_column("users", "legacy")',
            path="app/db/revisions/0001_add_users.py",
        ),
        Example('app_version = "3.0.0"', path="migrations/versions/0001_add_users.py"),
        # letta: a file the tests upload and read back as text
        Example("x1 = 1\nx2 = 2\nx3 = 3", path="tests/data/1_to_100.py"),
    )
    invalid = (
        "cache_duration_ms = 60_000  # error: HR009",
        "from typing import Final\n\ndefaultTimeout: Final = 2.5  # error: HR009",
        "import typing\n\nretries: typing.Final[int] = 3  # error: HR009",
        'supported = ("json", "yaml")  # error: HR009',
        'default_name = "main"  # error: HR009\n\ndef connect(name: str = default_name) -> None: ...',
        "offset = -1  # error: HR009",
        "_default_page_size = 20  # error: HR009",
        'if sys.platform == "win32":\n    separator = "\\\\"  # error: HR009',
        # the same data outside a test module, or a test module that is also code
        Example("x1 = 1  # error: HR009\nx2 = 2  # error: HR009", path="app/data.py"),
        Example(
            "base_url = 'http://x'  # error: HR009\n\ndef test_a() -> None:\n    assert base_url",
            path="tests/test_a.py",
        ),
    )

    @classmethod
    def applies_to(cls, ctx: ModuleContext) -> bool:
        """Migration scripts, generated and vendored modules are not checked."""
        return not is_migration(ctx) and not is_generated_or_vendored(ctx)

    def visit_Module(self, node: ast.Module) -> None:
        """Read the module scope's bindings once."""
        if is_tool_configuration(self.ctx):
            return
        if self.ctx.is_test_module() and _only_literal_assignments(node):
            return  # a test's input data (`x1 = 1` ... read back as text), not code with constants
        annotated: set[str] | None = None
        for name, bindings in self.ctx.module_scope.names.items():
            if len(bindings) != 1:
                continue
            binding = bindings[0]
            target = binding.node
            if binding.kind != "assign" or type(target) is not ast.Name or not is_literal(binding.value):
                continue
            if UPPER_RE.match(VERSION_LETTER_RE.sub("", name)) or is_dunder(name) or name in PROTOCOL_NAMES:
                continue
            statement = self.ctx.parent(target)
            if isinstance(statement, ast.AnnAssign):
                annotation = statement.annotation
                if isinstance(annotation, ast.Subscript):
                    annotation = annotation.value
                if self.ctx.qualname(annotation) not in FINAL:
                    continue  # `timeout: float = 2.5` declares a variable (and `X: TypeAlias = ...` an alias)
            elif not isinstance(statement, ast.Assign):
                continue
            if binding.scope is not self.ctx.module_scope or self._in_loop_or_with(statement):
                continue
            if name[:1].isupper() and "_" not in name and self._binds_c_library():
                continue  # `ZPixmap = 2` beside ctypes calls: the C header's own spelling of its macro
            if isinstance(binding.value, ast.Constant) and isinstance(binding.value.value, str):
                if annotated is None:
                    annotated = self._names_in_annotations()
                if name in annotated:
                    continue  # `MCPManagerType = "MCPServerManager"`, then `manager: MCPManagerType`: an alias
            self.report(target, f"name the module-level constant in UPPER_SNAKE_CASE: `{upper_case(name)}`")

    def _binds_c_library(self) -> bool:
        """Whether the module imports `ctypes` or `cffi`: its CapWords constants copy a C header's names."""
        return self.ctx.derived(
            "hr009.c_library",
            lambda: any(
                origin.partition(".")[0] in C_LIBRARIES
                for origins in self.ctx.import_names.values()
                for origin in origins
            ),
        )

    def _names_in_annotations(self) -> set[str]:
        """The names the module uses in type positions (annotations), found when first needed."""
        ctx = self.ctx
        return {node.id for node in ctx.nodes_of(ast.Name) if ctx.in_type_position(node)}

    def _in_loop_or_with(self, statement: ast.AST) -> bool:
        """Whether a module-level statement is inside a loop (bound again each pass) or a `with` block."""
        return any(type(node) in LOOPS_AND_WITH for node in self.ctx.ancestors(statement))


def _only_literal_assignments(module: ast.Module) -> bool:
    """Whether a module is nothing but plain assignments of literals (after its docstring, if any)."""
    body = module.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]
    return bool(body) and all(
        isinstance(statement, ast.Assign)
        and all(isinstance(target, ast.Name) for target in statement.targets)
        and is_literal(statement.value)
        for statement in body
    )
