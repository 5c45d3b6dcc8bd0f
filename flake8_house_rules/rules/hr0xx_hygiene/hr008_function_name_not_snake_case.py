"""HR008 function-name-not-snake-case."""

from __future__ import annotations

import ast
import re

from flake8_house_rules.rule import Rule
from flake8_house_rules.rules.hr0xx_hygiene.common import DOCUMENTED_ELSEWHERE, functions

#: snake_case: lower-case letters, digits and underscores (leading underscores mark a private function); a
#: bare `_` is the placeholder of `@f.register` implementations.
SNAKE_RE = re.compile(r"^_*(?:[a-z0-9][a-z0-9_]*)?$")
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
        "formatTime",
        "formatException",
        "formatStack",
        "usesTime",
        "handleError",
        "createLock",
    }
)
HTTP_HANDLER_RE = re.compile(r"^do_[A-Z]+$")  # http.server's `do_GET`, `do_POST`
CAMEL_BOUNDARY_RE = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def snake_case(name: str) -> str:
    """The snake_case spelling of a name: `getUser` gives `get_user`, `parseHTTPResponse` `parse_http_response`."""
    return CAMEL_BOUNDARY_RE.sub("_", name).lower()


class FunctionNameNotSnakeCase(Rule):
    """## What it does
    Checks for function and method names that are not snake_case (lower-case letters, digits and
    underscores; leading underscores allowed). Reported on the `def` line.

    Names that something else dictates are allowed: dunder methods (`__init__`), visitor methods named
    after a node class (`visit_ClassDef`, libcst's `leave_ClassDef`, docutils' `depart_X`), the camelCase
    hooks of standard-library base classes (`setUp`, `tearDown`, `setUpClass`, `asyncSetUp`, http.server's
    `do_GET`, xml.sax's `startElement`, logging's `formatTime`, ...), and any method marked `@override`
    (`typing.override`): its name is the base class's, not the author's choice.

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
    )
    invalid = (
        "def fetchUsage() -> None:  # error: HR008\n    pass",
        "class A:\n    async def GetUser(self) -> None:  # error: HR008\n        pass",
        "def parse_HTTP_response() -> None:  # error: HR008\n    pass",
        "def outer() -> None:\n    def innerHelper() -> None:  # error: HR008\n        pass",
    )

    def visit_Module(self, node: ast.Module) -> None:
        """Report each function whose name is not snake_case and is not dictated by a base class or protocol."""
        match = SNAKE_RE.match
        for function in [item for item in functions(self.ctx) if not match(item.name)]:
            name = function.name
            if name in DICTATED or VISITOR_RE.match(name) or HTTP_HANDLER_RE.match(name):
                continue
            if name.startswith("__") and name.endswith("__"):
                continue
            if any(self.ctx.qualname(decorator) in DOCUMENTED_ELSEWHERE for decorator in function.decorator_list):
                continue
            self.report(function, f"name the function in snake_case: `{snake_case(name)}`")
