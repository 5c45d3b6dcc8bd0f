"""HR301 foreign-logging-library."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from flake8_house_rules.context import imported_modules
from flake8_house_rules.rule import Example, Rule

if TYPE_CHECKING:
    from flake8_house_rules.context import ModuleContext

MODULES = {"structlog": "structlog", "loguru": "loguru", "logging": "stdlib"}


class ForeignLoggingLibrary(Rule):
    """## What it does
    Once `hr-logging-library` names the project's logging library (`structlog`, `loguru` or `stdlib`),
    checks for imports of the other two: `structlog`, `loguru`, or the standard `logging`. Reported at the
    import statement. Without the option the rule is silent: the style guides disagree, so the project
    has to say which one it follows.

    `import logging` is reported only when the module builds a standard-library logger with it
    (`logging.getLogger(...)`): structlog and loguru set-ups import `logging` for its level constants and
    for routing the standard library's own records, which is not using it as the logging library.

    ## Why is this bad?
    Two logging libraries mean two output formats, two ways to attach context, and log lines that do
    not join up. Style guide 001: "Use **structlog** via `core.logger`"; 003: "Use `loguru` instead of
    stdlib logging"; 004 uses `logging.getLogger(__name__)`. One project, one library.

    ## Example
    With `hr-logging-library = structlog`:
    ```python
    from loguru import logger
    ```

    Use instead:
    ```python
    from core.logger import get_logger

    logger = get_logger()
    ```
    """

    code = "HR301"
    name = "foreign-logging-library"
    message = "use the project's logging library instead"
    source = "001 Logging (structlog); 003 Logging (loguru); 004 Logging (stdlib)"
    options = ("hr-logging-library",)
    valid = (
        "from loguru import logger",
        Example("import structlog\n\nlog = structlog.get_logger()", options={"hr-logging-library": "structlog"}),
        Example(
            "import logging\nimport structlog\n\nstructlog.make_filtering_bound_logger(logging.INFO)",
            options={"hr-logging-library": "structlog"},
        ),
        Example("import logging\n\nlog = logging.getLogger(__name__)", options={"hr-logging-library": "stdlib"}),
        Example(
            "import logging\n\nclass Handler(logging.Handler):\n"
            "    def emit(self, record: logging.LogRecord) -> None: ...",
            options={"hr-logging-library": "structlog"},
        ),
    )
    invalid = (
        Example("from loguru import logger  # error: HR301", options={"hr-logging-library": "structlog"}),
        Example(
            "import logging  # error: HR301\n\nlog = logging.getLogger(__name__)",
            options={"hr-logging-library": "loguru"},
        ),
        Example("import structlog.stdlib  # error: HR301", options={"hr-logging-library": "stdlib"}),
    )

    @classmethod
    def applies_to(cls, ctx: ModuleContext) -> bool:
        """Only once the project has named its logging library."""
        return bool(ctx.config.logging_library)

    def start(self) -> None:
        """Per module: the `import logging` statements, judged once the module is read."""
        self._stdlib_imports: list[ast.AST] = []
        self._builds_stdlib_logger = False

    def visit_Import(self, node: ast.Import | ast.ImportFrom) -> None:
        """`import loguru`, `import structlog.stdlib`, `from logging import getLogger`, ..."""
        for module in imported_modules(node):
            self._check(node, module)

    visit_ImportFrom = visit_Import

    calls = frozenset({"logging.getLogger"})

    def visit_call(self, node: ast.Call, name: str) -> None:
        """`logging.getLogger(...)`: the module uses the standard library as its logger."""
        self._builds_stdlib_logger = True

    def finish(self) -> None:
        """Report `import logging` when the module uses it to build loggers."""
        if self._builds_stdlib_logger:
            for node in self._stdlib_imports:
                self._report(node, "stdlib")

    def _check(self, node: ast.AST, module: str) -> None:
        library = MODULES.get(module.partition(".")[0])
        if library is None or library == self.ctx.config.logging_library:
            return
        if library == "stdlib":
            if node not in self._stdlib_imports:
                self._stdlib_imports.append(node)
            return
        self._report(node, library)

    def _report(self, node: ast.AST, library: str) -> None:
        chosen = self.ctx.config.logging_library
        self.report(node, f"use {chosen}, the project's logging library (`hr-logging-library`), not {library}")
