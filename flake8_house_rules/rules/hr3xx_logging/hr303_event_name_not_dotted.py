"""HR303 event-name-not-dotted."""

from __future__ import annotations

import ast
import re

from flake8_house_rules.rule import Rule
from flake8_house_rules.rules.hr3xx_logging.loggers import LOG_METHODS, log_call, message_argument

EVENT_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$")


class EventNameNotDotted(Rule):
    """## What it does
    Checks for a structlog log call whose event is a string literal that is not an event name: lowercase
    words joined by dots or underscores (`user.created`, `payment.failed`, `cache_miss`), with no spaces,
    capitals or punctuation. Only loggers resolved to structlog are checked: loguru and the standard
    library take human messages.

    A single lowercase word (`startup`) is accepted: it is a name, and reporting it would add noise
    without catching the human-sentence events the rule is for.

    ## Why is this bad?
    Events are keys for queries and dashboards: `user.created` groups and filters; "User created
    successfully!" does not. Style guide 001: "First argument is the **event name** (dot-notation), not a
    human message".

    ## Example
    ```python
    logger.info("User created", user_id=user.id)
    ```

    Use instead:
    ```python
    logger.info("user.created", user_id=user.id)
    ```
    """

    code = "HR303"
    name = "event-name-not-dotted"
    message = "name the event in dot notation (`user.created`), not as a sentence"
    source = "001 Logging"
    options = ("hr-structlog-factories",)
    valid = (
        "import structlog\n\nlog = structlog.get_logger()\nlog.info('user.created', user_id=1)",
        "import structlog\n\nlog = structlog.get_logger()\nlog.info('startup')",
        "import logging\n\nlog = logging.getLogger()\nlog.info('User created')",
        "from loguru import logger\n\nlogger.info('Processing request')",
        "import structlog\n\nlog = structlog.get_logger()\nlog.info(EVENT)",
        "import structlog\n\nclass Api:\n    def __init__(self) -> None:\n        self.log = structlog.get_logger()\n\n"
        "    def run(self) -> None:\n        self.log.info('api.started')",
        "from pydantic import Field\n\nevent: str = Field(description='User created')",
    )
    invalid = (
        "import structlog\n\nlog = structlog.get_logger()\nlog.info('User created', user_id=1)  # error: HR303",
        "from core.logger import get_logger\n\nlogger = get_logger()\nlogger.error('payment failed!')  # error: HR303",
        "import structlog\n\nstructlog.get_logger().bind(a=1).warning('Cache-Miss')  # error: HR303",
    )

    methods = LOG_METHODS

    def visit_method_call(self, node: ast.Call, method: str) -> None:
        """Report a structlog event literal that is not a dotted name."""
        found = log_call(self.ctx, node)
        if found is None or found[0] != "structlog":
            return
        event = message_argument(node, found[1])
        if isinstance(event, ast.Constant) and isinstance(event.value, str) and not EVENT_RE.match(event.value):
            self.report(node)
