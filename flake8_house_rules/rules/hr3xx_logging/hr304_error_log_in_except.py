"""HR304 error-log-in-except."""

from __future__ import annotations

import ast

from flake8_house_rules.rule import Rule
from flake8_house_rules.rules.hr3xx_logging.loggers import LOG_METHODS, log_call


class ErrorLogInExcept(Rule):
    """## What it does
    Checks for `logger.error(...)` on a resolved logger (structlog, loguru or the standard library)
    inside an `except` handler of the same function. A call that already records the traceback
    (`exc_info=...` given, or loguru's `logger.opt(exception=...)`) is not reported.

    ## Why is this bad?
    `error()` drops the traceback, which is the most useful part of the record; `exception()` logs at
    error level and keeps it. Style guide 001: "Use `logger.exception()` inside except blocks to include
    stack trace".

    ## Example
    ```python
    try:
        charge(order)
    except PaymentError:
        logger.error("payment.failed", order_id=order.id)
        raise
    ```

    Use instead:
    ```python
    try:
        charge(order)
    except PaymentError:
        logger.exception("payment.failed", order_id=order.id)
        raise
    ```
    """

    code = "HR304"
    name = "error-log-in-except"
    message = "use `logger.exception(...)` inside an `except` block, so the traceback is logged"
    fix = "safe"
    source = "001 Logging"
    valid = (
        "import structlog\n\nlog = structlog.get_logger()\ntry:\n    f()\nexcept E:\n    log.exception('x.failed')",
        "import logging\n\nlog = logging.getLogger()\ntry:\n    f()\nexcept E:\n    log.error('failed', exc_info=True)",
        "from loguru import logger\n\ntry:\n    f()\nexcept E:\n    logger.opt(exception=True).error('failed')",
        "import logging\n\nlog = logging.getLogger()\nlog.error('no exception here')",
        "import logging\n\nlog = logging.getLogger()\ntry:\n    f()\nexcept E:\n    def later():\n"
        "        log.error('not in the handler')",
        "from app import log\n\ntry:\n    f()\nexcept E:\n    log.error('unknown logger')",
    )
    invalid = (
        "import structlog\n\nlog = structlog.get_logger()\ntry:\n    f()\nexcept E:\n"
        "    log.error('x.failed')  # error: HR304",
        "from loguru import logger\n\ntry:\n    f()\nexcept (A, B) as e:\n    if e:\n"
        "        logger.error('failed')  # error: HR304",
    )

    methods = LOG_METHODS

    def visit_method_call(self, node: ast.Call, method: str) -> None:
        """Report `error()` in an `except` handler."""
        found = log_call(self.ctx, node)
        if found is None or found[1] != "error" or any(k.arg == "exc_info" for k in node.keywords):
            return
        receiver = node.func.value if isinstance(node.func, ast.Attribute) else None
        if _records_exception(receiver):
            return
        child: ast.AST = node
        for ancestor in self.ctx.ancestors_in_function(node):
            if isinstance(ancestor, ast.ExceptHandler):
                if child is not ancestor.type:
                    self.report(node)
                return
            child = ancestor


def _records_exception(receiver: ast.expr | None) -> bool:
    """Loguru's `logger.opt(exception=...)` already logs the traceback."""
    return (
        isinstance(receiver, ast.Call)
        and isinstance(receiver.func, ast.Attribute)
        and receiver.func.attr == "opt"
        and any(keyword.arg == "exception" for keyword in receiver.keywords)
    )
