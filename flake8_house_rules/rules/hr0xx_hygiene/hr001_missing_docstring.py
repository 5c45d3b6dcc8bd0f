"""HR001 missing-docstring."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from flake8_house_rules.context.overrides import Overrides
from flake8_house_rules.rule import Example, Rule
from flake8_house_rules.rules.hr0xx_hygiene.common import (
    docstring_node,
    documented_elsewhere,
    functions,
    has_docstring,
    is_generated_or_vendored,
    is_migration,
    is_private_module,
    is_public,
    is_test_name,
)

if TYPE_CHECKING:
    from flake8_house_rules.context import ModuleContext


#: Names of the configuration classes nested in a class: pydantic v1, marshmallow, Django, factory_boy.
CONFIGURATION_CLASSES = frozenset({"Config", "Meta"})
CONFIGURATION_STATEMENTS = (ast.Assign, ast.AnnAssign, ast.Pass)


def enclosing_class(ctx: ModuleContext, node: ast.FunctionDef | ast.AsyncFunctionDef) -> ast.ClassDef | None:
    """The class a function is a method of (defined in its body, or under an `if`/`try`/`with` there)."""
    parent = ctx.parent(node)
    while isinstance(parent, ast.If | ast.Try | ast.TryStar | ast.With):
        parent = ctx.parent(parent)
    return parent if isinstance(parent, ast.ClassDef) else None


def is_nested_configuration(ctx: ModuleContext, node: ast.ClassDef) -> bool:
    """Whether a class is a `class Config`/`class Meta` nested in a class and holding only assignments."""
    if node.name not in CONFIGURATION_CLASSES or not isinstance(ctx.parent(node), ast.ClassDef):
        return False
    return all(isinstance(statement, CONFIGURATION_STATEMENTS) for statement in node.body)


def _stands_in_for_import(ctx: ModuleContext, node: ast.AST) -> bool:
    """Whether a `class`/`def` is the fallback, in an `except ImportError:` (or `ModuleNotFoundError`), for
    a name the `try` imports: `try: from lib import Base` / `except ImportError: class Base: ...`.
    """
    handler = ctx.parent(node)
    statement = ctx.parent(handler) if isinstance(handler, ast.ExceptHandler) else None
    if not isinstance(statement, ast.Try | ast.TryStar):
        return False
    caught = handler.type
    spelled = caught.id if isinstance(caught, ast.Name) else getattr(caught, "attr", None)
    if spelled not in {"ImportError", "ModuleNotFoundError"}:
        return False
    name = getattr(node, "name", None)
    return any(
        (alias.asname or alias.name.partition(".")[0]) == name
        for item in statement.body
        if isinstance(item, ast.Import | ast.ImportFrom)
        for alias in item.names
    )


class MissingDocstring(Rule):
    """## What it does
    Checks for public modules, classes, functions and methods without a docstring. A module is reported on
    line 1, a class or function on its `class`/`def` line.

    Public means: the name does not start with `_`; it is not defined inside a function; every class around
    it is public; the module is not private (its file or a folder on its path starts with `_`, such as
    `_compat.py` or `_internal/`; `__init__.py` and `__main__.py` are public, as pydocstyle and ruff's D100 count
    them); and when the module declares `__all__` as a
    literal list, a top-level name is public only if `__all__` lists it. Exempt, because the documentation
    lives elsewhere: a fallback defined in the `except ImportError:` of a `try` that imports the same name
    (prefect's build hook: `try: from hatchling... import BuildHookInterface` / `except ModuleNotFoundError:
    class BuildHookInterface: ...`), which the imported one's docs describe; dunder methods (`__init__`,
    `__eq__`), `@overload` signatures and `@override` methods
    (from `typing` or `typing_extensions`), and a property's `@x.setter` and `@x.deleter`. A module without
    any statement (an empty `__init__.py`) has nothing to document. Test modules (`hr-test-modules`) are
    not checked, and neither are tests elsewhere (a function named `test_*`, a class named `Test*`, as pytest
    and unittest collect them, e.g. in CPython's `test/` folder): a test's name is its documentation.

    Also left alone: a configuration class nested in another class, named `Config` or `Meta` and holding
    only assignments (pydantic v1's `class Config`, marshmallow's, Django's and factory_boy's `class Meta`):
    it configures the class around it, which carries the docstring (HR406 covers pydantic's); and migration
    scripts (the `migration` role: alembic's `versions/` folders, or a module importing `alembic.op`; and
    Django migrations, a module importing `django.db.migrations` that defines a class `Migration`), whose
    functions alembic generates and whose docstring is the revision's message. And a method that provably
    overrides a method of a base, which documents it: a base class of the same module or a project class
    of another module defining that method (read from the project model), or a known library class
    (`logging.Handler.emit`, `json.JSONEncoder.default`, `ast.NodeVisitor.visit`, `threading.Thread.run`,
    SQLAlchemy's `TypeDecorator.process_bind_param`, ...; see `context/overrides.py`). A method of a class
    whose base is some other library class is still reported: nothing shows that the base has it.

    A route function whose decorator carries a `description=` text (`@router.post("/run", summary="...",
    description="Download a file from a website")`) is documented there: FastAPI shows that text, not the
    docstring, so it is not reported either.

    ## Why is this bad?
    A public name without a docstring leaves every reader to reverse-engineer its contract. "Every public
    function, class, and module must have a docstring" (000); "Required on all public functions" (001);
    "Write docstrings for all public methods and functions using Google or NumPy style" (002).

    ## Example
    ```python
    class ChatService:
        async def create_thread(self, user_id: str) -> str:
            ...
    ```

    Use instead:
    ```python
    class ChatService:
        \"\"\"Chat threads and their messages.\"\"\"

        async def create_thread(self, user_id: str) -> str:
            \"\"\"Create a new chat thread for the user and return its id.\"\"\"
            ...
    ```
    """

    code = "HR001"
    name = "missing-docstring"
    message = "add a docstring to this public definition"
    source = "000 Docstrings; 001 Docstrings; 002 Code Style"
    options = ("hr-test-modules",)
    valid = (
        # skyvern: the route's documentation is its decorator's description
        '"""Routes."""\n\n\n@router.post("/run/tasks/download", summary="Download", description="Download a file")\n'
        "async def download_files(request: object) -> object: ...\n",
        # prefect's build hook: a stand-in for a class the `try` imports, when the library is missing
        '"""Build."""\n\ntry:\n    from hatchling.builders.hooks.plugin.interface import BuildHookInterface\n'
        "except ModuleNotFoundError:\n\n    class BuildHookInterface:  # type: ignore[no-redef]\n        root: str\n",
        '"""Users."""\n\n\ndef find(key: str) -> int:\n    """Find a user id."""\n    return 1',
        '"""Users."""\n\n\ndef _helper() -> None:\n    pass',
        '"""Users."""\n\n\nclass _Private:\n    def method(self) -> None:\n        pass',
        '"""Users."""\n\n\ndef outer() -> None:\n    """Outer."""\n\n    def inner() -> None:\n        pass',
        '"""Users."""\n\n\nclass User:\n    """A user."""\n\n    def __init__(self) -> None:\n        pass\n\n'
        "    def __eq__(self, other: object) -> bool:\n        return True",
        '"""Overloads."""\nfrom typing import overload\n\n\n@overload\ndef f(x: int) -> int: ...\n'
        '@overload\ndef f(x: str) -> str: ...\ndef f(x):\n    """Identity."""\n    return x',
        '"""Override."""\nfrom typing_extensions import override\n\n\nclass A(Base):\n    """A."""\n\n'
        "    @override\n    def run(self) -> None:\n        pass",
        '"""Properties."""\n\n\nclass A:\n    """A."""\n\n    @property\n    def size(self) -> int:\n'
        '        """The size."""\n        return 1\n\n    @size.setter\n    def size(self, value: int) -> None:\n'
        "        pass",
        '"""Exports."""\n__all__ = ["public"]\n\n\ndef public() -> None:\n    """Listed."""\n\n\n'
        "def not_exported() -> None:\n    pass",
        Example("def test_find() -> None:\n    assert True\n", path="tests/test_users.py"),
        Example("def fixture() -> None:\n    pass\n", path="conftest.py"),
        '"""Tests."""\nimport unittest\n\n\nclass TestUsers(unittest.TestCase):\n    def test_find(self) -> None:\n'
        "        pass",
        Example("def helper() -> None:\n    pass\n", path="app/_compat.py"),
        Example("class Thing:\n    pass\n", path="app/_internal/things.py"),
        Example("", path="app/__init__.py"),
        Example("# only a comment\n", path="app/__init__.py"),
        '"""Schemas."""\nfrom marshmallow import Schema\nfrom pydantic import BaseModel\n\n\n'
        'class UserSchema(Schema):\n    """Export row."""\n\n    class Meta:\n        ordered = True\n\n\n'
        'class User(BaseModel):\n    """A user."""\n\n    class Config:\n        frozen: bool = True\n'
        '        extra = "forbid"',
        Example(
            '"""Add users table."""\nfrom alembic import op\n\nrevision = "0001"\ndown_revision = None\n\n\n'
            'def upgrade() -> None:\n    op.drop_column("users", "legacy")',
            path="app/db/revisions/0001_add_users.py",
        ),
        Example("def upgrade() -> None:\n    pass\n", path="migrations/versions/0001_add_users.py"),
        '"""Configs."""\n\n\nclass BaseConfig:\n    """A provider\'s configuration."""\n\n'
        '    def transform_request(self, data: dict) -> dict:\n        """The provider\'s request body."""\n'
        '        return data\n\n\nclass HuggingFaceConfig(BaseConfig):\n    """Hugging Face."""\n\n'
        "    def transform_request(self, data: dict) -> dict:\n        return data",
        '"""Logs."""\nimport json\nimport logging\n\n\nclass Shipper(logging.StreamHandler):\n'
        '    """Ships records."""\n\n'
        "    def emit(self, record: logging.LogRecord) -> None:\n        pass\n\n\n"
        'class Encoder(json.JSONEncoder):\n    """Dates too."""\n\n    def default(self, o: object) -> object:\n'
        "        return str(o)",
    )
    invalid = (
        # a class under `except ImportError:` that stands in for nothing the `try` imports
        '"""Compat."""\n\ntry:\n    import ujson as json\nexcept ImportError:\n    import json\n\n'
        "    class Encoder(json.JSONEncoder):  # error: HR001\n        pass\n",
        "def find(key: str) -> int:  # error: HR001, HR001\n    return 1",
        '"""Users."""\n\n\nclass User:  # error: HR001\n    async def save(self) -> None:  # error: HR001\n'
        "        pass",
        '"""Users."""\nimport typing\n\nif typing.TYPE_CHECKING:\n    pass\nelse:\n'
        "    def fallback() -> None:  # error: HR001\n        pass",
        '"""Users."""\n\n\nclass User:\n    """A user."""\n\n    class Options:  # error: HR001\n'
        "        ordered = True",
        '"""Users."""\n\n\nclass User:\n    """A user."""\n\n    class Meta:  # error: HR001\n'
        "        def build(self) -> None:  # error: HR001\n            pass",
        "class Config:  # error: HR001, HR001\n    frozen = True",
        Example("from .users import User  # error: HR001\n", path="app/__init__.py"),
        Example('"""Exports."""\n__all__ = ["public"]\n\n\ndef public() -> None:  # error: HR001\n    pass'),
        '"""Configs."""\nfrom vendor import BaseConfig\n\n\nclass HuggingFaceConfig(BaseConfig):\n'
        '    """Hugging Face."""\n\n'
        "    def transform_request(self, data: dict) -> dict:  # error: HR001\n        return data\n\n"
        "    def emit(self) -> None:  # error: HR001\n        pass",
    )

    @classmethod
    def applies_to(cls, ctx: ModuleContext) -> bool:
        """Test modules, migration scripts, generated and vendored modules are not checked."""
        return not ctx.is_test_module() and not is_migration(ctx) and not is_generated_or_vendored(ctx)

    def visit_Module(self, node: ast.Module) -> None:
        """Report the module (on line 1), then its public classes and functions, that lack a docstring.

        One loop per node type here costs less than a callback per node; a name starting with `_` is skipped
        first, being either private or a dunder.
        """
        ctx = self.ctx
        if node.body and docstring_node(node) is None and not is_private_module(ctx.path):
            self.report((1, 0), "add a docstring to the public module")
        for cls in ctx.nodes_of(ast.ClassDef):
            if has_docstring(cls) or is_test_name(cls.name) or is_nested_configuration(ctx, cls):
                continue
            if _stands_in_for_import(ctx, cls):
                continue
            if is_public(ctx, cls):
                self.report(cls, f"add a docstring to the public class `{cls.name}`")
        for function in functions(ctx):
            name = function.name
            if name[0] == "_" or has_docstring(function) or is_test_name(name):
                continue
            if (
                not is_public(ctx, function)
                or documented_elsewhere(ctx, function)
                or _stands_in_for_import(ctx, function)
                or _described_by_route(function)
            ):
                continue
            cls = enclosing_class(ctx, function)
            if cls is not None and cls.bases and ctx.fact(Overrides).base_defining(cls, name) is not None:
                continue  # an override: the base documents the method
            kind = "method" if cls is not None else "function"
            self.report(function, f"add a docstring to the public {kind} `{name}`")


#: The decorator methods that register a FastAPI route, whose `description=` is the route's documentation.
ROUTE_METHODS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "trace", "api_route"})


def _described_by_route(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Whether a route decorator documents the function: `@router.post(..., description="...")` (FastAPI
    shows that text instead of the docstring, so the documentation lives in the decorator).
    """
    for decorator in function.decorator_list:
        if not isinstance(decorator, ast.Call) or not isinstance(decorator.func, ast.Attribute):
            continue
        if decorator.func.attr not in ROUTE_METHODS:
            continue
        for keyword in decorator.keywords:
            value = keyword.value
            if keyword.arg == "description" and isinstance(value, ast.Constant) and isinstance(value.value, str):
                return bool(value.value.strip())
    return False
