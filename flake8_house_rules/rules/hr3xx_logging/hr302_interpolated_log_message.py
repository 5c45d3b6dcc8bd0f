"""HR302 interpolated-log-message."""

from __future__ import annotations

import ast

from flake8_house_rules.rule import Rule
from flake8_house_rules.rules.hr3xx_logging.interpolation import interpolation_kind
from flake8_house_rules.rules.hr3xx_logging.loggers import (
    LOG_METHODS,
    STDLIB_FUNCTIONS,
    function_log_call,
    log_call,
    message_argument,
)


class InterpolatedLogMessage(Rule):
    """## What it does
    Checks for a log call (`debug`, `info`, `warning`, `warn`, `error`, `exception`, `critical`,
    `fatal`, `log`, `msg`) on a logger resolved to structlog, loguru or the standard library, or a call of
    the standard library's module-level functions (`logging.info(...)`, `from logging import info`,
    `import logging as log; log.warning(...)`: the root logger), whose message or event is built by
    formatting: an f-string with placeholders, `%` applied to a string,
    `"...".format(...)`, or `+` concatenation. Reported at the call.

    The standard library's own deferred formatting, `logger.info("saved %s", key)`, is not interpolation
    and is not reported. Calls on names whose origin the module does not show are not checked. A
    project's own logger factory counts when every `return` of it gives a logger (`def get_logger(name):
    return structlog.get_logger(name)`, in the same module or imported from another project module).
    An f-string whose every placeholder is a module constant bound once to a string literal
    (`f"{HOST_INFO_FILE} hasn't been removed: %s"`) is a constant message and is not reported.

    ## Why is this bad?
    A message with values baked in cannot be searched or grouped, and the values cannot be filtered as
    fields. Style guide 001: "Never interpolate variables into event names—use keyword args for all
    context"; 004 passes context in `extra={}`.

    ## Example
    ```python
    logger.info(f"user {user.id} created")
    ```

    Use instead:
    ```python
    logger.info("user.created", user_id=user.id)  # structlog
    logger.info("user created", extra={"user_id": user.id})  # standard library
    ```
    """

    code = "HR302"
    name = "interpolated-log-message"
    message = "pass values as fields, not formatted into the log message"
    source = "001 Logging; 004 Logging"
    options = ("hr-structlog-factories",)
    valid = (
        # dstack: the placeholder is a module constant, the message never changes
        "import logging\n\nlogger = logging.getLogger(__name__)\nHOST_INFO_FILE = 'host_info.json'\n\n"
        'def clean(err: Exception) -> None:\n    logger.debug(f"{HOST_INFO_FILE} hasn\'t been removed: %s", err)\n',
        "import structlog\n\nlog = structlog.get_logger()\nlog.info('user.created', user_id=uid)",
        "import logging\n\nlog = logging.getLogger(__name__)\nlog.info('saved %s', key)",
        "import logging\n\nlog = logging.getLogger(__name__)\nlog.info(f'static text')",
        "from app import logger\n\nlogger.info(f'user {uid}')",
        "import structlog\n\nlog = structlog.get_logger()\nprint(f'user {uid}')\nlog.bind(x=f'{uid}')",
        "import logging\n\nlogging.info('saved %s', key)\nlogging.info(f'static text')",
        "from app import logging\n\nlogging.info(f'user {uid}')",
        "import logging\n\ndef f(info) -> None:\n    info(f'user {uid}')",
        "import warnings\n\nwarnings.warn(f'deprecated {name}')",
    )
    invalid = (
        "import logging\n\nlogger = logging.getLogger(__name__)\nHOST = 'h'\n\ndef f(port: int) -> None:\n"
        "    logger.info(f'{HOST}:{port}')  # error: HR302\n",
        "import structlog\n\nlog = structlog.get_logger()\nlog.info(f'user {uid} created')  # error: HR302",
        "import logging\n\nlog = logging.getLogger(__name__)\nlog.error('failed: %s' % err)  # error: HR302",
        "from loguru import logger\n\nlogger.warning('took {}s'.format(t))  # error: HR302",
        "from core.logger import get_logger\n\nlog = get_logger().bind(a=1)\nlog.debug('id ' + str(i))  # error: HR302",
        "import logging\n\nlogging.getLogger().log(logging.INFO, f'n={n}')  # error: HR302",
        "import structlog\n\nclass S:\n    def __init__(self) -> None:\n        self.log = structlog.get_logger()\n\n"
        "    def run(self) -> None:\n        self.log.info(f'run {self}')  # error: HR302",
        "import logging\n\nlogging.info(f'Hello {name}')  # error: HR302\n"
        "logging.log(logging.INFO, f'Hello {name}')  # error: HR302",
        "import logging as log\n\nlog.warning('%s' % x)  # error: HR302",
        "from logging import info\n\ninfo(f'{name}')  # error: HR302",
        "import logging\n\nlogging.log(level=logging.INFO, msg='Hello {}'.format(w))  # error: HR302",
        "from flask import current_app\n\ncurrent_app.logger.info('Hello {}'.format(w))  # error: HR302",
    )

    methods = LOG_METHODS
    calls = STDLIB_FUNCTIONS

    def visit_call(self, node: ast.Call, name: str) -> None:
        """A module-level log function of the standard library (`logging.info(...)`)."""
        self._check(node, function_log_call(name)[1])

    def visit_method_call(self, node: ast.Call, method: str) -> None:
        """Report a log call whose message is formatted."""
        found = log_call(self.ctx, node)
        if found is not None:
            self._check(node, found[1])

    def _check(self, node: ast.Call, method: str) -> None:
        message = message_argument(node, method)
        kind = interpolation_kind(message) if message is not None else None
        if kind is None or (kind == "f-string" and self._constant_placeholders(message)):
            return
        self.report(node, f"pass values as fields, not formatted into the log message ({kind})")

    def _constant_placeholders(self, message: ast.expr | None) -> bool:
        """Whether every placeholder of an f-string is a module constant bound once to a string literal
        (`f"{HOST_INFO_FILE} hasn't been removed: %s"`): the message never changes, nothing is formatted in.
        """
        if not isinstance(message, ast.JoinedStr):
            return False
        for part in message.values:
            if not isinstance(part, ast.FormattedValue):
                continue
            if not isinstance(part.value, ast.Name) or part.format_spec is not None or part.conversion != -1:
                return False
            bindings = self.ctx.lookup(part.value)
            if not bindings or len(bindings) != 1 or bindings[0].kind != "assign":
                return False
            value = bindings[0].value
            if bindings[0].scope.kind != "module" or not (
                isinstance(value, ast.Constant) and isinstance(value.value, str)
            ):
                return False
        return True
