"""HR304 error-log-in-except."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from flake8_house_rules.context.surroundings import argument_nodes
from flake8_house_rules.fixes import Edit, Fix
from flake8_house_rules.rule import FixExample, Rule
from flake8_house_rules.rules.hr0xx_hygiene.common import waived
from flake8_house_rules.rules.hr3xx_logging.loggers import LOG_METHODS, STDLIB_FUNCTIONS, log_call, records_traceback

if TYPE_CHECKING:
    from flake8_house_rules.context import ModuleContext

TRACEBACK_TEXT = frozenset(
    {"traceback.format_exc", "traceback.format_exception", "traceback.format_tb", "traceback.format_stack"}
)
MAX_ARGUMENT_NODES = 200


#: ruff's code for the same check (`error` instead of `exception` in a handler): a noqa naming it is a decision.
WAIVERS = ("TRY400",)


class ErrorLogInExcept(Rule):
    """## What it does
    Checks for `logger.error(...)` on a resolved logger (structlog, loguru or the standard library), and
    the standard library's module-level `logging.error(...)` (also `from logging import error`), inside an
    `except` handler of the same function.

    Not reported: a call that records the traceback itself (`exc_info=` anything but a false constant,
    loguru's `logger.opt(exception=...)`), and a call in a handler that logs the traceback anyway, with
    `<logger>.exception(...)` (`logging.exception(...)`, any receiver) or a log call with `exc_info=`, in
    the same block as the `error()` call or a block around it. The catalogue names the handler that has
    already logged it; one that logs it just after the `error()` line (`logger.error("setup failed");
    logger.exception(e)`) keeps the traceback too, so it is not reported either. A traceback logged in
    another branch (`if ...: logger.error(...)` / `else: logger.error(..., exc_info=True)`) does not
    count. Nor is a message that carries the traceback as text
    (`logger.error(f"failed: {traceback.format_exc()}")`, also through a local bound once to such a
    message first). Nor a call whose noqa comment names ruff's
    `TRY400`, the same check: the traceback is left out on purpose (langflow's: the provider's answer may
    hold secrets).

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
        # langflow: ruff's TRY400 waived, the traceback left out on purpose
        "import logging\n\nlogger = logging.getLogger(__name__)\n\ndef verify(api) -> None:\n    try:\n"
        "        api.verify()\n    except ValueError as exc:\n"
        "        logger.error('verification failed: %s', type(exc).__name__)  # noqa: TRY400\n",
        "import structlog\n\nlog = structlog.get_logger()\ntry:\n    f()\nexcept E:\n    log.exception('x.failed')",
        "import logging\n\nlog = logging.getLogger()\ntry:\n    f()\nexcept E:\n    log.error('failed', exc_info=True)",
        "from loguru import logger\n\ntry:\n    f()\nexcept E:\n    logger.opt(exception=True).error('failed')",
        "import logging\n\nlog = logging.getLogger()\nlog.error('no exception here')",
        "import logging\n\nlog = logging.getLogger()\ntry:\n    f()\nexcept E:\n    def later():\n"
        "        log.error('not in the handler')",
        "from app import log\n\ntry:\n    f()\nexcept E:\n    log.error('unknown logger')",
        "import logging\n\nlog = logging.getLogger()\ntry:\n    f()\nexcept E as e:\n"
        "    log.exception('sync.failed')\n    log.error('giving up on %s', e.item)",
        "import logging\nimport sys\n\ntry:\n    pass\nexcept:\n"
        "    logging.error('Hello World', exc_info=sys.exc_info())",
        "from logging import error\n\ntry:\n    pass\nexcept:\n    error('Hello World', exc_info=True)",
        "import logging\n\nlogging.error('Hello World')",
        "import structlog\n\nlog = structlog.get_logger()\ntry:\n    f()\nexcept E:\n"
        "    log.warning('x.failed', exc_info=True)\n    log.error('x.gave_up')",
        "import logging\n\nlog = logging.getLogger()\ntry:\n    f()\nexcept E as e:\n"
        "    log.error('Error initializing backend store')\n    log.exception(e)",
        "import logging\nimport traceback\n\nlog = logging.getLogger()\ntry:\n    f()\nexcept E:\n"
        "    log.error(f'job failed with error:\\n{traceback.format_exc()}')",
        # phoenix: the message with its traceback is put together first
        "import logging\nimport traceback\n\nlog = logging.getLogger(__name__)\n\ndef run() -> None:\n    try:\n"
        "        go()\n    except ValueError:\n        message = f'failed: {traceback.format_exc()}'\n"
        "        log.error(message)",
        "import logging\n\nlog = logging.getLogger()\ntry:\n    f()\nexcept E as e:\n    log.exception('x')\n"
        "    if e.retry:\n        log.error('will retry')",
    )
    invalid = (
        "import structlog\n\nlog = structlog.get_logger()\ntry:\n    f()\nexcept E:\n"
        "    log.error('x.failed')  # error: HR304",
        "from loguru import logger\n\ntry:\n    f()\nexcept (A, B) as e:\n    if e:\n"
        "        logger.error('failed')  # error: HR304",
        "import logging\n\ntry:\n    f()\nexcept OSError:\n    logging.error('failed')  # error: HR304",
        "import logging as log\n\ntry:\n    f()\nexcept OSError:\n    log.error('failed')  # error: HR304",
        "from logging import error\n\ntry:\n    f()\nexcept OSError:\n    error('failed')  # error: HR304",
        "import logging\n\ntry:\n    pass\nexcept:\n    logging.error('Hello World', exc_info=False)  # error: HR304",
        "import logging\n\nlog = logging.getLogger()\ntry:\n    f()\nexcept E:\n    log.exception('x')\n"
        "try:\n    g()\nexcept E:\n    log.error('another handler')  # error: HR304",
        "import logging\n\nlog = logging.getLogger()\ntry:\n    f()\nexcept E as e:\n"
        "    if 'policy' in e.message:\n        log.error(f'blocked: {e}')  # error: HR304\n"
        "    else:\n        log.error(f'failed {e}', exc_info=True)",
    )

    methods = LOG_METHODS
    calls = STDLIB_FUNCTIONS

    def start(self) -> None:
        """Per module: `error()` calls in handlers, and the handlers that log a traceback."""
        self._candidates: list[tuple[ast.Call, ast.ExceptHandler, str]] = []
        self._traceback_logged: dict[ast.ExceptHandler, list[tuple[ast.AST, str]]] = {}

    def visit_method_call(self, node: ast.Call, method: str) -> None:
        """`<logger>.error(...)` in a handler, or a call that logs the traceback there."""
        if method == "exception" or records_traceback(node):
            self._note_traceback(node)
            return
        if method != "error" or log_call(self.ctx, node) is None:
            return
        receiver = node.func.value if isinstance(node.func, ast.Attribute) else None
        if not _records_exception(receiver):
            self._candidate(node, "use `logger.exception(...)` inside an `except` block, so the traceback is logged")

    def visit_call(self, node: ast.Call, name: str) -> None:
        """The standard library's module-level `logging.error(...)`, or a call that logs the traceback."""
        if name == "logging.exception" or records_traceback(node):
            if not isinstance(node.func, ast.Attribute):  # `logging.exception(...)` also arrives as a method
                self._note_traceback(node)
        elif name == "logging.error":
            self._candidate(node, "use `logging.exception(...)` inside an `except` block, so the traceback is logged")

    def finish(self) -> None:
        """Report each `error()` call on a path of its handler that does not log the traceback."""
        for node, handler, message in self._candidates:
            blocks = self._traceback_logged.get(handler)
            if blocks and any(block in blocks for block in self._blocks_around(node, handler)):
                continue
            if waived(self.ctx, node.lineno, WAIVERS) or waived(self.ctx, node.end_lineno or node.lineno, WAIVERS):
                continue  # ruff's `TRY400` (same check) waived on the call: the traceback is left out on purpose
            self.report(node, message, lambda node=node: self._fix(node))

    def _fix(self, node: ast.Call) -> Fix | None:
        """`.error(` becomes `.exception(`: only the attribute's name changes (a bare `error(...)` imported from
        logging, and a call that sets `exc_info` itself, are left alone).
        """
        func = node.func
        if not isinstance(func, ast.Attribute) or func.attr != "error" or func.end_lineno is None:
            return None
        if any(keyword.arg in {"exc_info", None} for keyword in node.keywords):
            return None
        line = self.ctx.lines[func.end_lineno - 1]
        end = func.end_col_offset or 0
        if not line.isascii() or line[end - len("error") : end] != "error":
            return None
        edit = Edit("exception", (func.end_lineno, end - len("error")), (func.end_lineno, end))
        return Fix.safe("Replace with `exception`", edit)

    fixes = (
        FixExample(
            "import structlog\n\nlog = structlog.get_logger()\ntry:\n    f()\nexcept E:\n"
            "    log.error('x.failed', order=1)  # error: HR304",
            "import structlog\n\nlog = structlog.get_logger()\ntry:\n    f()\nexcept E:\n"
            "    log.exception('x.failed', order=1)",
        ),
        FixExample(
            "import logging\n\ntry:\n    f()\nexcept OSError:\n    logging.error('failed %s', 1)  # error: HR304",
            "import logging\n\ntry:\n    f()\nexcept OSError:\n    logging.exception('failed %s', 1)",
        ),
    )

    def _blocks_around(self, node: ast.AST, handler: ast.ExceptHandler) -> list[tuple[ast.AST, str]]:
        """The statement blocks (owner, field) that hold the node, from the innermost up to the handler's body."""
        found: list[tuple[ast.AST, str]] = []
        child = node
        for ancestor in self.ctx.ancestors_in_function(node):
            if isinstance(child, ast.stmt):
                found.append((ancestor, _field_holding(ancestor, child)))
            if ancestor is handler:
                break
            child = ancestor
        return found

    def _handler(self, node: ast.Call) -> ast.ExceptHandler | None:
        """The `except` handler whose body holds the call, within its function."""
        child: ast.AST = node
        for ancestor in self.ctx.ancestors_in_function(node):
            if isinstance(ancestor, ast.ExceptHandler):
                return ancestor if child is not ancestor.type else None
            child = ancestor
        return None

    def _candidate(self, node: ast.Call, message: str) -> None:
        handler = self._handler(node)
        if handler is not None and not _formats_traceback(self.ctx, node):
            self._candidates.append((node, handler, message))

    def _note_traceback(self, node: ast.Call) -> None:
        """Record the block whose every later path has logged the traceback: the statement list of the call."""
        handler = self._handler(node)
        if handler is not None:
            blocks = self._blocks_around(node, handler)
            if blocks:
                self._traceback_logged.setdefault(handler, []).append(blocks[0])


def _records_exception(receiver: ast.expr | None) -> bool:
    """Loguru's `logger.opt(exception=...)` already logs the traceback."""
    return (
        isinstance(receiver, ast.Call)
        and isinstance(receiver.func, ast.Attribute)
        and receiver.func.attr == "opt"
        and any(keyword.arg == "exception" for keyword in receiver.keywords)
    )


def _formats_traceback(ctx: ModuleContext, node: ast.Call) -> bool:
    """Whether the call's arguments put the traceback in the message (`traceback.format_exc()`), also through
    a local bound once to it first (`message = f"failed: {traceback.format_exc()}"`, then `log.error(message)`).
    """
    for part in argument_nodes(node, MAX_ARGUMENT_NODES):
        if isinstance(part, ast.Call) and ctx.call_name(part) in TRACEBACK_TEXT:
            return True
        if isinstance(part, ast.Name) and type(part.ctx) is ast.Load:
            bindings = ctx.lookup(part) or ()
            value = bindings[0].value if len(bindings) == 1 and bindings[0].kind == "assign" else None
            if value is not None and _holds_traceback_text(ctx, value):
                return True
    return False


def _holds_traceback_text(ctx: ModuleContext, value: ast.expr) -> bool:
    """Whether an expression (a local's value) calls `traceback.format_exc()` or the like; a bounded look."""
    for seen, part in enumerate(ast.walk(value)):
        if seen > MAX_ARGUMENT_NODES:
            return False
        if isinstance(part, ast.Call) and ctx.call_name(part) in TRACEBACK_TEXT:
            return True
    return False


def _field_holding(owner: ast.AST, child: ast.AST) -> str:
    """The name of the statement list of `owner` that holds `child` (`body`, `orelse`, `finalbody`, ...)."""
    for name in getattr(owner, "_fields", ()):
        value = getattr(owner, name, None)
        if isinstance(value, list) and any(item is child for item in value):
            return name
    return ""
