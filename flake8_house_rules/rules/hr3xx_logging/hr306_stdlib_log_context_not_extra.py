"""HR306 stdlib-log-context-not-extra."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from flake8_house_rules.rule import Example, Rule
from flake8_house_rules.rules.hr3xx_logging.interpolation import interpolation_kind
from flake8_house_rules.rules.hr3xx_logging.loggers import (
    LOG_METHODS,
    STDLIB_FUNCTIONS,
    function_log_call,
    log_call,
    message_argument,
)

if TYPE_CHECKING:
    from flake8_house_rules.context import ModuleContext

STDLIB = {"hr-logging-library": "stdlib", "hr-enable": "HR306"}


class StdlibLogContextNotExtra(Rule):
    """## What it does
    When `hr-logging-library = stdlib`, checks for a standard-library log call (on a logger, or a
    module-level `logging.info(...)`) that carries context in
    its message instead of in `extra={...}`: a formatted message (f-string, `%`, `.format()`, `+`) or
    deferred `%`-arguments (`logger.info("saved %s", key)`).

    ## Why is this bad?
    With a JSON formatter, `extra` becomes fields that can be queried; text in the message does not.
    Style guide 004 (Logging): `logger.info("Session started", extra={"session_id": session_id})`.

    ## Example
    ```python
    logger.warning("rate limit at %s", usage)
    ```

    Use instead:
    ```python
    logger.warning("rate limit approaching", extra={"usage": usage})
    ```
    """

    code = "HR306"
    name = "stdlib-log-context-not-extra"
    message = "pass context as `extra={...}`, not in the message"
    tier = "opt-in"
    source = "004 Logging"
    options = ("hr-logging-library",)
    valid = (
        Example("import logging\n\nlog = logging.getLogger()\nlog.info('started', extra={'id': i})", options=STDLIB),
        Example("import logging\n\nlog = logging.getLogger()\nlog.info('saved %s', key)"),
        Example("import structlog\n\nlog = structlog.get_logger()\nlog.info('x %s', key)", options=STDLIB),
        Example(
            "import logging\n\nclass Api:\n    def __init__(self) -> None:\n        self.log = logging.getLogger()\n\n"
            "    def run(self) -> None:\n        self.log.info('started', extra={'id': 1})",
            options=STDLIB,
        ),
    )
    invalid = (
        Example(
            "import logging\n\nlog = logging.getLogger()\nlog.info('saved %s', key)  # error: HR306", options=STDLIB
        ),
        Example(
            "import logging\n\nlog = logging.getLogger()\nlog.error(f'failed {err}')  # error: HR306", options=STDLIB
        ),
        Example("import logging\n\nlogging.info('saved %s', key)  # error: HR306", options=STDLIB),
        Example("from logging import warning\n\nwarning(f'slow {ms}')  # error: HR306", options=STDLIB),
    )

    @classmethod
    def applies_to(cls, ctx: ModuleContext) -> bool:
        """Only for projects that log with the standard library."""
        return ctx.config.logging_library == "stdlib"

    methods = LOG_METHODS
    calls = STDLIB_FUNCTIONS

    def visit_method_call(self, node: ast.Call, method: str) -> None:
        """Report a stdlib log call with formatted context."""
        found = log_call(self.ctx, node)
        if found is not None and found[0] == "stdlib":
            self._check(node, found[1])

    def visit_call(self, node: ast.Call, name: str) -> None:
        """A module-level log function of the standard library (`logging.info(...)`)."""
        self._check(node, function_log_call(name)[1])

    def _check(self, node: ast.Call, method: str) -> None:
        message = message_argument(node, method)
        if message is None:
            return
        first_extra = 2 if method == "log" else 1
        if interpolation_kind(message) is not None or len(node.args) > first_extra:
            self.report(node)
