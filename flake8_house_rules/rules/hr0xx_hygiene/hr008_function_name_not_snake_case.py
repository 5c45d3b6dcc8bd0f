"""HR008 function-name-not-snake-case."""

from __future__ import annotations

import ast
import re

from flake8_house_rules.rule import Rule
from flake8_house_rules.rules.hr0xx_hygiene.common import DOCUMENTED_ELSEWHERE, functions

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
    name is the base class's, not the author's choice. Case is read by Unicode category (`fé` is
    snake_case).

    A method of a class with a base from another module (`class Templates(Jinja2Templates)`) may override
    a method of that base, which this module cannot see: the message then says to mark it `@override`
    if it does (renaming would break the override), and names the snake_case spelling otherwise.

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
        "def \u83b7\u53d6() -> None:\n    pass",
    )
    invalid = (
        "def fetchUsage() -> None:  # error: HR008\n    pass",
        "class A:\n    async def GetUser(self) -> None:  # error: HR008\n        pass",
        "def parse_HTTP_response() -> None:  # error: HR008\n    pass",
        "def outer() -> None:\n    def innerHelper() -> None:  # error: HR008\n        pass",
        "def assertValid(user) -> None:  # error: HR008\n    pass",
        "def f\u00c9() -> None:  # error: HR008\n    pass",
        "from typing import Protocol\n\nclass Store(Protocol):\n    def getUser(self) -> None: ...  # error: HR008",
        "from starlette.templating import Jinja2Templates\n\n\nclass Templates(Jinja2Templates):\n"
        "    def TemplateResponse(self, *args, **kwargs):  # error: HR008\n"
        "        return super().TemplateResponse(*args, **kwargs)",
    )

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
            if isinstance(cls, ast.ClassDef) and ASSERT_RE.match(name):
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
