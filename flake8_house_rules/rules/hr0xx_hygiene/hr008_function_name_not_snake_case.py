"""HR008 function-name-not-snake-case."""

from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING

from flake8_house_rules.context.overrides import Overrides
from flake8_house_rules.rule import Example, Rule
from flake8_house_rules.rules.hr0xx_hygiene.common import (
    DOCUMENTED_ELSEWHERE,
    functions,
    is_generated_or_vendored,
    waived,
)

if TYPE_CHECKING:
    from flake8_house_rules.context import ModuleContext

#: snake_case: lower-case letters, digits and underscores (leading underscores mark a private function); a
#: bare `_` is the placeholder of `@f.register` implementations.
#: Visitor methods named after the node class they handle: `ast.NodeVisitor.visit_ClassDef`, libcst's
#: `leave_ClassDef`, docutils' `depart_paragraph`.
VISITOR_RE = re.compile(r"^(?:visit|leave|depart)_[A-Za-z0-9_]+$")
#: Names a base class outside the project dictates (unittest, http.server, xml.sax, logging handlers).
DICTATED = frozenset(
    {
        "setUp",
        "tearDown",
        "setUpClass",
        "tearDownClass",
        "setUpModule",
        "tearDownModule",
        "asyncSetUp",
        "asyncTearDown",
        "setUpTestData",
        "addCleanup",
        "shortDescription",
        "runTest",
        "startElement",
        "endElement",
        "startElementNS",
        "endElementNS",
        "startDocument",
        "endDocument",
        "startPrefixMapping",
        "endPrefixMapping",
        "processingInstruction",
        "ignorableWhitespace",
        "setDocumentLocator",
        "skippedEntity",
        "resolveEntity",
        "fatalError",
        # logging: Logger, Handler, Formatter, Filter and their subclasses, and what mirrors them (a
        # `Protocol` of `logging.Logger`, an adapter)
        "getMessage",
        "formatMessage",
        "formatTime",
        "formatException",
        "formatStack",
        "formatHeader",
        "formatFooter",
        "usesTime",
        "handleError",
        "createLock",
        "setFormatter",
        "setLevel",
        "addFilter",
        "removeFilter",
        "isEnabledFor",
        "getEffectiveLevel",
        "getChild",
        "getChildren",
        "findCaller",
        "makeRecord",
        "addHandler",
        "removeHandler",
        "hasHandlers",
        "callHandlers",
        "getLogger",
        "shouldRollover",
        "doRollover",
        "shouldFlush",
        "setTarget",
        "mapLogRecord",
        "mapPriority",
        "encodePriority",
        "makeSocket",
        "makePickle",
        "createSocket",
        "getEventCategory",
        "getEventType",
        "getMessageID",
        # unittest: TestCase, TestResult, TestLoader, TestSuite hooks
        "countTestCases",
        "defaultTestResult",
        "subTest",
        "doCleanups",
        "doClassCleanups",
        "addClassCleanup",
        "addModuleCleanup",
        "enterContext",
        "enterClassContext",
        "addTypeEqualityFunc",
        "startTest",
        "stopTest",
        "startTestRun",
        "stopTestRun",
        "addError",
        "addFailure",
        "addSuccess",
        "addSkip",
        "addExpectedFailure",
        "addUnexpectedSuccess",
        "addSubTest",
        "addDuration",
        "wasSuccessful",
        "printErrors",
        "printErrorList",
        "getDescription",
        "loadTestsFromTestCase",
        "loadTestsFromModule",
        "loadTestsFromName",
        "loadTestsFromNames",
        "getTestCaseNames",
        "addTest",
        "addTests",
        # threading's old spellings, kept by subclasses and fakes
        "getName",
        "setName",
        "isDaemon",
        "setDaemon",
        "isAlive",
        "notifyAll",
    }
)
#: unittest's assertion helpers: a `TestCase` (or a mixin for one) adds its own in unittest's spelling.
ASSERT_RE = re.compile(r"^(?:assert|fail)[A-Z]")
#: Bases that add no methods of their own to override: a method of a `Protocol` subclass is the author's.
#: pep8-naming's codes for the same check: a noqa comment naming one is the project's decision.
WAIVERS = ("N802", "N803")
PROTOCOL = "typing.Protocol"
NEUTRAL_BASES = frozenset({"typing.Protocol", "typing.Generic", "abc.ABC", "typing.NamedTuple", "typing.TypedDict"})
HTTP_HANDLER_RE = re.compile(r"^do_[A-Z]+$")  # http.server's `do_GET`, `do_POST`
CAMEL_BOUNDARY_RE = re.compile(r"(?<=[^\W_A-Z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def is_snake_case(name: str) -> bool:
    """Whether a name is snake_case, read by Unicode case: no upper-case letter (`fé` passes; letters without
    case, as in Chinese, too). Leading underscores mark a private function; a bare `_` is the placeholder
    of `@f.register` implementations.
    """
    return name == name.lower()


def snake_case(name: str) -> str:
    """The snake_case spelling of a name: `getUser` gives `get_user`, `parseHTTPResponse` `parse_http_response`.

    Underscores do not double (`parse_HTTP_Response` gives `parse_http_response`).
    """
    spaced = CAMEL_BOUNDARY_RE.sub("_", name).lower()
    stripped = spaced.lstrip("_")
    return spaced[: len(spaced) - len(stripped)] + "_".join(part for part in stripped.split("_") if part)


class FunctionNameNotSnakeCase(Rule):
    """## What it does
    Checks for function and method names that are not snake_case (lower-case letters, digits and
    underscores; leading underscores allowed). Reported on the `def` line.

    Names that something else dictates are allowed: dunder methods (`__init__`), visitor methods named
    after a node class (`visit_ClassDef`, libcst's `leave_ClassDef`, docutils' `depart_X`), the camelCase
    hooks of standard-library base classes (`setUp`, `tearDown`, `setUpClass`, `asyncSetUp`, http.server's
    `do_GET`, xml.sax's `startElement`, logging's `formatMessage`, `isEnabledFor`, ..., wherever they are
    defined, so a `Protocol` mirroring `logging.Logger` passes too), unittest-style assertion helpers of a
    class (`assertValidUser`, `failUnlessFoo`), and any method marked `@override` (`typing.override`): its
    name is the base class's, not the author's choice. Also dictated: the members of a `typing.Protocol`
    (it describes an object from elsewhere: `class _DynamoResource(Protocol): def Table(self, name)`), and
    the methods of a py4j callback class (one with a nested `class Java:`, whose names the Java interface it
    `implements` gives). Case is read by Unicode category (`fé` is snake_case). Not checked: a `def` whose
    line says `# noqa: N802` (pep8-naming's code for the same check: the project has decided, as FastAPI
    does for `def Header(...)`), generated modules (`*_pb2_grpc.py`, or a `# Generated by ...`/`DO NOT
    EDIT` header in the first lines), and vendored modules (under a `_vendor/`, `_vendored/` or `vendor/`
    folder: upstream's names).

    An override is left alone where the base is seen: a method whose name a base class of the same module
    or a project class of another module (read from the project model) defines is reported there, once,
    not in every subclass; so is one of a known library class (see `context/overrides.py`).
    A method of a class with any other base from another module (`class Templates(Jinja2Templates)`) may override
    a method of that base, which this module cannot see: the message then says to mark it `@override`
    if it does (renaming would break the override), and names the snake_case spelling otherwise.

    Opt-in (issue 20): on real applications most non-snake_case function names were dictated by something
    the module cannot see (a library base's method, a public API named after a metric such as `rougeL`,
    the `X`/`y` of machine-learning code, factory functions named like the class they stand for), so
    fewer than 95% of the hits were worth a change; enable it (`hr-enable = HR008`) where the project's
    own names are the question.

    ## Why is this bad?
    Mixed naming styles make every name a guess. 001 Naming: "Functions/variables: `snake_case`"; 003
    Naming: "Functions: snake_case fetch_usage()".

    ## Example
    ```python
    def fetchUsage(user_id: str) -> Usage:
        ...
    ```

    Use instead:
    ```python
    def fetch_usage(user_id: str) -> Usage:
        ...
    ```
    """

    code = "HR008"
    name = "function-name-not-snake-case"
    message = "name the function in snake_case"
    tier = "opt-in"
    source = "001 Naming; 003 Naming"
    valid = (
        "def fetch_usage() -> None:\n    pass",
        "def _private_helper2() -> None:\n    pass",
        "class A:\n    def __init__(self) -> None:\n        pass",
        "import ast\n\nclass V(ast.NodeVisitor):\n    def visit_ClassDef(self, node) -> None:\n        pass",
        "import unittest\n\nclass T(unittest.TestCase):\n    def setUp(self) -> None:\n        pass\n"
        "    def tearDownClass(cls) -> None:\n        pass",
        "from http.server import BaseHTTPRequestHandler\n\nclass H(BaseHTTPRequestHandler):\n"
        "    def do_GET(self) -> None:\n        pass",
        "from typing import override\n\nclass W(QWidget):\n    @override\n    def paintEvent(self, event) -> None:\n"
        "        pass",
        "def sha256() -> None:\n    pass",
        "from functools import singledispatch\n\n@singledispatch\ndef f(x) -> None:\n    pass\n\n"
        "@f.register\ndef _(x: int) -> None:\n    pass",
        "import logging\nfrom typing import Protocol\n\n\nclass PrefixFormatter(logging.Formatter):\n"
        "    def formatMessage(self, record: logging.LogRecord) -> str:\n"
        "        return '[app] ' + super().formatMessage(record)\n\n\n"
        "class LoggerLike(Protocol):\n    def isEnabledFor(self, level: int) -> bool: ...",
        "import unittest\n\nclass T(unittest.TestCase):\n    def assertValidUser(self, user) -> None:\n"
        "        self.assertTrue(user)",
        "def f\u00e9() -> None:\n    pass",
        "from typing import Protocol\n\nclass _Dynamo(Protocol):\n    def Table(self, name: str) -> object: ...",
        "def Header(alias: str) -> object:  # noqa: N802\n    return alias",
        "class ReplIdListener:\n    def replId(self) -> str:\n        return 'x'\n\n"
        "    class Java:\n        implements = ['org.mlflow.spark.autologging.ReplIdAwareListener']",
        Example(
            "class Servicer:\n    def GetPrompt(self, request, context):\n        pass", path="app/prompt_pb2_grpc.py"
        ),
        "# Generated by the gRPC Python protocol compiler plugin. DO NOT EDIT!\n"
        "class Servicer:\n    def GetPrompt(self, request, context):\n        pass",
        "def \u83b7\u53d6() -> None:\n    pass",
    )
    invalid = (
        "def fetchUsage() -> None:  # error: HR008\n    pass",
        "class A:\n    async def GetUser(self) -> None:  # error: HR008\n        pass",
        "def parse_HTTP_response() -> None:  # error: HR008\n    pass",
        "def outer() -> None:\n    def innerHelper() -> None:  # error: HR008\n        pass",
        "def assertValid(user) -> None:  # error: HR008\n    pass",
        "def f\u00c9() -> None:  # error: HR008\n    pass",
        "class Store:\n    def getUser(self) -> None: ...  # error: HR008",
        "class Listener:\n    def replId(self) -> str:  # error: HR008\n        return 'x'\n\n    class Java:\n"
        "        package = 'x'",
        "def Header(alias: str) -> object:  # noqa: E501  # error: HR008\n    return alias",
        "from starlette.templating import Jinja2Templates\n\n\nclass Templates(Jinja2Templates):\n"
        "    def TemplateResponse(self, *args, **kwargs):  # error: HR008\n"
        "        return super().TemplateResponse(*args, **kwargs)",
        "class Store:\n    def getUser(self) -> None: ...  # error: HR008\n\n\nclass SqlStore(Store):\n"
        "    def getUser(self) -> None:\n        pass",
    )

    @classmethod
    def applies_to(cls, ctx: ModuleContext) -> bool:
        """Generated and vendored modules are not checked."""
        return not is_generated_or_vendored(ctx)

    def visit_Module(self, node: ast.Module) -> None:
        """Report each function whose name is not snake_case and is not dictated by a base class or protocol."""
        for function in [item for item in functions(self.ctx) if not is_snake_case(item.name)]:
            name = function.name
            if name in DICTATED or VISITOR_RE.match(name) or HTTP_HANDLER_RE.match(name):
                continue
            if name.startswith("__") and name.endswith("__"):
                continue
            if any(self.ctx.qualname(decorator) in DOCUMENTED_ELSEWHERE for decorator in function.decorator_list):
                continue
            cls = self.ctx.parent(function)
            if isinstance(cls, ast.ClassDef) and (ASSERT_RE.match(name) or self._class_dictates(cls)):
                continue
            if isinstance(cls, ast.ClassDef) and cls.bases and self.ctx.fact(Overrides).base_defining(cls, name):
                continue  # an override: the base's name, reported (or dictated) where the base defines it
            if waived(self.ctx, function.lineno, WAIVERS):
                continue
            base = self._outside_base(cls) if isinstance(cls, ast.ClassDef) else None
            if base is not None:
                message = (
                    f"if `{name}` overrides a method of `{base}`, mark it `@typing.override`; "
                    f"else name it in snake_case: `{snake_case(name)}`"
                )
            else:
                message = f"name the function in snake_case: `{snake_case(name)}`"
            self.report(function, message)

    def _class_dictates(self, cls: ast.ClassDef) -> bool:
        """Whether a class's method names come from elsewhere: a `Protocol`, or a py4j callback class."""
        if cls.bases and self.ctx.classes.inherits(cls, PROTOCOL):
            return True
        return any(
            isinstance(item, ast.ClassDef)
            and item.name == "Java"
            and any(
                isinstance(statement, ast.Assign)
                and any(isinstance(target, ast.Name) and target.id == "implements" for target in statement.targets)
                for statement in item.body
            )
            for item in cls.body
        )

    def _outside_base(self, cls: ast.ClassDef) -> str | None:
        """The first base of a class (or of its local bases) that comes from another module, as written."""
        hierarchy = self.ctx.classes
        for node in (cls, *hierarchy.ancestry(cls).classes):
            for base in node.bases:
                resolved = hierarchy.base_name(base)
                if isinstance(resolved, ast.ClassDef) or (
                    isinstance(resolved, str) and (resolved.startswith("builtins.") or resolved in NEUTRAL_BASES)
                ):
                    continue
                return self.ctx.segment(base.value if isinstance(base, ast.Subscript) else base) or "its base"
        return None
