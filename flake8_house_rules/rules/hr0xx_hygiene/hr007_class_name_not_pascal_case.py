"""HR007 class-name-not-pascal-case."""

from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING

from flake8_house_rules.rule import Example, Rule
from flake8_house_rules.rules.hr0xx_hygiene.common import is_generated_or_vendored, waived

if TYPE_CHECKING:
    from flake8_house_rules.context import ModuleContext

#: Classes whose name is the SQL function SQLAlchemy emits (`class date_diff(GenericFunction)` renders
#: `date_diff(...)`): renaming one changes the SQL.
SQL_FUNCTION_BASES = (
    "sqlalchemy.sql.functions.GenericFunction",
    "sqlalchemy.sql.functions.ReturnTypeFromArgs",
    "sqlalchemy.sql.functions.FunctionElement",
    "sqlalchemy.sql.functions.AnsiFunction",
    "sqlalchemy.sql.expression.FunctionElement",
    "sqlalchemy.sql.functions.Function",
    "sqlalchemy.GenericFunction",
    "sqlalchemy.FunctionElement",
)
#: Methods that make a class a callable or a descriptor: PEP 8 lets it be named like a function.
CALLABLE_METHODS = frozenset({"__call__", "__get__", "__enter__", "__aenter__"})
#: A version suffix after an underscore: `_v2`, `_v10`.
VERSION_RE = re.compile(r"^v[0-9]+$")
#: Builtin descriptors and decorators: a lower-case subclass is used like them (`@orderable_attribute`).
DESCRIPTOR_BASES = ("builtins.property", "builtins.classmethod", "builtins.staticmethod", "functools.cached_property")
#: pep8-naming's code for the same check: a noqa comment naming it is the project's decision.
WAIVERS = ("N801",)


def is_pascal_case(name: str) -> bool:
    """Whether a name is PascalCase, read by Unicode case: after any leading underscores, a first letter
    that is not lower case (`Ça` passes; a letter without case, as in Chinese, too), and no underscore.

    Runs of capitals (`HTTPClient`, `URL`) are allowed.
    """
    stripped = name.lstrip("_")
    return bool(stripped) and "_" not in stripped and not stripped[0].islower()


def is_segmented(name: str) -> bool:
    """Whether a name is capitalised words joined by underscores, not all in capitals.

    `LiteLLM_UserTable`, `_PROXY_RateLimiter`, `AWS_SESDetails` (a prefix or namespace a code base chose); not
    `WEBHOOK_EVENTS`.
    """
    stripped = name.lstrip("_")
    parts = stripped.split("_")
    if len(parts) > 1 and VERSION_RE.match(parts[-1]):
        parts.pop()  # a version suffix: `LowestTPMLoggingHandler_v2`
        if len(parts) == 1:
            return not stripped.isupper() and is_pascal_case(parts[0])
    return len(parts) > 1 and not stripped.isupper() and all(part and not part[0].islower() for part in parts)


def pascal_case(name: str) -> str:
    """The PascalCase spelling of a name: `usage_tracker` and `usageTracker` give `UsageTracker`.

    A name in capitals is read as words (`WEBHOOK_EVENTS` gives `WebhookEvents`, not `WEBHOOKEVENTS`).
    """
    stripped = name.lstrip("_")
    parts = [part for part in stripped.split("_") if part]
    if stripped.isupper():
        parts = [part.capitalize() for part in parts]
    return name[: len(name) - len(stripped)] + "".join(part[0].upper() + part[1:] for part in parts)


class ClassNameNotPascalCase(Rule):
    """## What it does
    Checks for class names that are not PascalCase: a name must start with a capital letter (after any
    leading underscores) and hold only letters and digits, so `user_service`, `userService` and
    `USER_SERVICE` are reported. Acronyms may stay capitalised (`HTTPClient`, `URLPattern`). Case is read
    by Unicode category, so `Ça` is PascalCase. Reported on the `class` line, with the name to use
    (`WEBHOOK_EVENTS` gives `WebhookEvents`).

    Names something else dictates are left alone: a subclass of SQLAlchemy's `GenericFunction`,
    `ReturnTypeFromArgs` or `FunctionElement` (its name is the SQL function it emits, so renaming it changes
    the SQL), and a lower-case class that defines `__call__` or `__get__` (a decorator or descriptor used as
    a function, such as `classproperty`, which PEP 8 lets be named like one), or `__enter__`/`__aenter__`
    (a context manager used as `with request_scope():`, like the standard library's `contextlib.suppress`),
    or that subclasses `property`, `classmethod`, `staticmethod` or `functools.cached_property` (a
    decorator named like the builtin it extends: `@orderable_attribute`).
    Also left alone: capitalised words joined by underscores (`LiteLLM_UserTable`, `_PROXY_RateLimiter`,
    `MessagingDetailsAWS_SES`; not an all-capitals `WEBHOOK_EVENTS`). Such an underscore is a code base's
    deliberate separator: litellm's pydantic models carry the names of the Prisma tables they mirror
    (`model LiteLLM_UserTable` in `schema.prisma`), and tags such as `_PROXY_` or `_OPTIONAL_` mark a
    class's role; a version suffix (`LowestTPMLoggingHandler_v2`) counts as a word. On real applications
    these were nearly all of this rule's hits and none was an accident; the case errors the rule is for (a
    lower-case, camelCase or all-capitals class name) stay reported.
    Not checked: a class whose line says `# noqa: N801` (pep8-naming's code for the same check: the project
    has decided), generated modules (`*_pb2.py`, `*_pb2_grpc.py`, or a `# Generated by ...`/`DO NOT
    EDIT` header in the first lines), and vendored modules (under a `_vendor/`, `_vendored/` or `vendor/`
    folder: prefect's `_vendor/croniter` keeps the library's `class croniter`, its public name).

    ## Why is this bad?
    Readers tell classes from functions and variables by their case. 001 Naming: "Classes: `PascalCase`";
    003 Naming: "Classes: PascalCase UsageTracker".

    ## Example
    ```python
    class usage_tracker:
        ...
    ```

    Use instead:
    ```python
    class UsageTracker:
        ...
    ```
    """

    code = "HR007"
    name = "class-name-not-pascal-case"
    message = "name the class in PascalCase"
    source = "001 Naming; 003 Naming"
    valid = (
        "import datetime\n\nfrom sqlalchemy.sql import functions\n\n\n"
        "class date_diff(functions.GenericFunction[datetime.timedelta]):\n    inherit_cache = True",
        "from sqlalchemy.sql.functions import ReturnTypeFromArgs\n\nclass coalesce_all(ReturnTypeFromArgs):\n    pass",
        "class classproperty:\n    def __init__(self, fget):\n        self.fget = fget\n\n"
        "    def __get__(self, obj, owner):\n        return self.fget(owner)",
        "class cached:\n    def __call__(self, func):\n        return func",
        "class request_scope:\n    def __enter__(self) -> None:\n        pass\n\n"
        "    def __exit__(self, *exc) -> None:\n        pass",
        "class LiteLLM_UserTable:  # noqa: N801\n    pass",
        "class LiteLLM_UserTable(LiteLLMPydanticObjectBase):\n    pass",
        "class _PROXY_DynamicRateLimitHandler(CustomLogger):\n    pass",
        "class Usage_Tracker:\n    pass",
        "class LowestTPMLoggingHandler_v2(BaseRoutingStrategy):\n    pass",
        "class _PROXY_MaxParallelRequestsHandler_v3(CustomLogger):\n    pass",
        "class classproperty(property):\n    pass",
        "class orderable_attribute(property):\n    pass",
        Example("class foo_bar:\n    pass", path="app/protos/service_pb2.py"),
        "# Generated by the protocol compiler.  DO NOT EDIT!\nclass foo_bar:\n    pass",
        # prefect: a vendored copy of croniter keeps the library's public class name
        Example("class croniter(object):\n    MONTHS_IN_YEAR = 12", path="prefect/_vendor/croniter/croniter.py"),
        "class \u00c7a:\n    pass",
        "class \u7528\u6237:\n    pass",
        "class UsageTracker:\n    pass",
        "class _PrivateHelper:\n    pass",
        "class HTTPClient:\n    pass",
        "class URL:\n    pass",
        "class OAuth2Token:\n    pass",
        "def usage_tracker() -> None:\n    pass",
    )
    invalid = (
        "class usage_tracker:  # error: HR007\n    pass",
        Example("class croniter:  # error: HR007\n    pass", path="prefect/vendors/croniter.py"),
        "class usageTracker:  # error: HR007\n    pass",
        "class USAGE_TRACKER:  # error: HR007\n    pass",
        "class usage_Tracker:  # error: HR007\n    pass",
        "class usage_tracker_v2:  # error: HR007\n    pass",
        "class usageTracker(property):  # error: HR007\n    pass",
        "def build() -> None:\n    class _helper:  # error: HR007\n        pass",
        "from app.sql import functions\n\nclass date_diff(functions.Base):  # error: HR007\n    pass",
        "class \u00e7a:  # error: HR007\n    pass",
    )

    @classmethod
    def applies_to(cls, ctx: ModuleContext) -> bool:
        """Generated and vendored modules are not checked."""
        return not is_generated_or_vendored(ctx)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        """Report a class whose name is not PascalCase and is not dictated by what the class is."""
        name = node.name
        if is_pascal_case(name) or is_segmented(name) or self._name_dictated(node):
            return
        if waived(self.ctx, node.lineno, WAIVERS):
            return
        self.report(node, f"name the class in PascalCase: `{pascal_case(node.name)}`")

    def _name_dictated(self, node: ast.ClassDef) -> bool:
        """Whether the class is an SQL function, or a callable or descriptor named like a function."""
        if node.bases and self.ctx.classes.inherits(node, *SQL_FUNCTION_BASES):
            return True
        if node.name.islower() and node.bases and self.ctx.classes.inherits(node, *DESCRIPTOR_BASES):
            return True
        return node.name.islower() and any(
            isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef) and item.name in CALLABLE_METHODS
            for item in node.body
        )
