"""HR305 structlog-extra-kwarg."""

from __future__ import annotations

import ast
from keyword import iskeyword

from flake8_house_rules.fixes import Fix, edits
from flake8_house_rules.rule import FixExample, Rule
from flake8_house_rules.rules.hr3xx_logging.loggers import LOG_METHODS, log_call


class StructlogExtraKwarg(Rule):
    """## What it does
    Checks for `extra=...` passed to a log method of a logger resolved to structlog (through
    `structlog.get_logger()`, a house factory in `hr-structlog-factories` (also under a package prefix,
    `app.core.logger.get_logger`), a project function whose every `return` gives one (in the same module
    or imported from another project module; no setting needed), or `.bind()`/`.new()` on one).
    An `async def`, a generator or a function under a decorator other than `functools.cache`/`lru_cache`
    is no factory.
    A logger whose origin the module does not show is not checked: `extra=` is right for the standard
    library.

    ## Why is this bad?
    structlog takes context as keyword arguments; `extra=` becomes one field called `extra` holding a
    dict, and the JSON output does not have the fields where queries expect them. Style guide 001
    (CRITICAL): "structlog uses **keyword arguments**, NOT stdlib's `extra={}` dict".

    The fix (when `extra` is a dict literal whose keys are all strings that are valid identifiers) turns
    `extra={"user_id": uid}` into `user_id=uid`.

    ## Example
    ```python
    logger.info("user.created", extra={"user_id": user.id})
    ```

    Use instead:
    ```python
    logger.info("user.created", user_id=user.id)
    ```
    """

    code = "HR305"
    name = "structlog-extra-kwarg"
    message = "pass fields to structlog as keyword arguments, not `extra={...}`"
    fix = "safe"
    source = "001 Logging (CRITICAL)"
    options = ("hr-structlog-factories",)
    valid = (
        "import structlog\n\nlog = structlog.get_logger()\nlog.info('user.created', user_id=1)",
        "import logging\n\nlog = logging.getLogger()\nlog.info('user created', extra={'user_id': 1})",
        "from app.logging import logger\n\nlogger.info('x', extra={'a': 1})",
        "from app.mycore.logger import get_logger\n\nlog = get_logger()\nlog.info('x', extra={'a': 1})",
        "import logging\n\nclass Api:\n    def __init__(self) -> None:\n"
        "        self.log = logging.getLogger(__name__)\n\n"
        "    def run(self) -> None:\n        self.log.info('started', extra={'a': 1})",
        "from pydantic import Field\n\nx: dict = Field(json_schema_extra={'extra': 1})",
    )
    invalid = (
        "import structlog\n\nlog = structlog.get_logger()\n"
        "log.info('user.created', extra={'user_id': 1})  # error: HR305",
        "from core.logger import get_logger\n\nlogger = get_logger(__name__)\n"
        "logger.error('payment.failed', extra=context)  # error: HR305",
        "from app.core.logger import get_logger\n\nlog = get_logger()\nlog.info('x', extra={'a': 1})  # error: HR305",
    )

    methods = LOG_METHODS

    def visit_method_call(self, node: ast.Call, method: str) -> None:
        """Report `extra=` on a structlog log call."""
        found = log_call(self.ctx, node)
        if found is not None and found[0] == "structlog" and any(k.arg == "extra" for k in node.keywords):
            keyword = next(k for k in node.keywords if k.arg == "extra")
            fields = _as_keywords(keyword.value)
            if fields:
                message = f"pass fields to structlog as keyword arguments ({fields}), not `extra={{...}}`"
                self.report(node, message, lambda: self._fix(node, keyword))
            else:
                self.report(node)

    def _fix(self, node: ast.Call, keyword: ast.keyword) -> Fix | None:
        """`extra={"user_id": uid}` becomes `user_id=uid`, each value's text kept; only when every key is a
        plain identifier that is no keyword, no other argument of the call and not structlog's `event`.
        """
        value = keyword.value
        if not isinstance(value, ast.Dict):
            return None
        taken = {other.arg for other in node.keywords if other is not keyword} | {"event"}
        names: list[str] = []
        for key in value.keys:
            if not isinstance(key, ast.Constant) or not isinstance(key.value, str):
                return None
            name = key.value
            if not name.isidentifier() or iskeyword(name) or name in taken or name in names:
                return None
            names.append(name)
        texts = [edits.text_of(self.ctx, item) for item in value.values]
        whole = edits.text_of(self.ctx, value)
        if whole is None or any(text is None for text in texts):
            return None
        if "#" in whole and whole.count("#") != sum(text.count("#") for text in texts if text):
            return None
        arguments = ", ".join(f"{name}={text}" for name, text in zip(names, texts, strict=True))
        edit = edits.replace(self.ctx, keyword, arguments)
        return None if edit is None else Fix.safe("Pass the fields as keyword arguments", edit)

    fixes = (
        FixExample(
            "import structlog\n\nlog = structlog.get_logger()\n"
            "log.info('user.created', extra={'user_id': user.id, \"plan\": 'pro'})  # error: HR305",
            "import structlog\n\nlog = structlog.get_logger()\nlog.info('user.created', user_id=user.id, plan='pro')",
        ),
    )


def _as_keywords(value: ast.expr) -> str | None:
    """`user_id=...` for `extra={"user_id": ...}` when every key is an identifier string."""
    if not isinstance(value, ast.Dict) or not value.keys:
        return None
    names = []
    for key in value.keys:
        if not (isinstance(key, ast.Constant) and isinstance(key.value, str) and key.value.isidentifier()):
            return None
        names.append(f"{key.value}=...")
    return ", ".join(names) if len(names) <= 3 else ", ".join(names[:3]) + ", ..."
