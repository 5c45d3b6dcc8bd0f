"""HR705 silent-except."""

from __future__ import annotations

import ast

from flake8_house_rules.rule import Rule


class SilentExcept(Rule):
    """## What it does
    Checks for an `except` handler (of any exception type, `except*` too) whose body is nothing but `pass`,
    `...` or `continue`. It is reported at the `except` line, so a `# noqa: HR705` there documents a
    deliberate exception. A handler that does anything else (assigns a fallback, logs, counts) is not
    silent; HR701 judges broad handlers on their own.

    ## Why is this bad?
    The exception vanishes without a trace: nobody learns that the code failed, or why. Style guide 004's
    review checklist asks for "Error handling with specific exceptions"; 002 (Error Handling) has services
    "transform these into domain-specific exceptions" rather than drop them. When ignoring an exception
    really is the intent, `contextlib.suppress(...)` says so in one line.

    ## Example
    ```python
    try:
        os.remove(path)
    except OSError:
        pass
    ```

    Use instead:
    ```python
    with contextlib.suppress(FileNotFoundError):
        os.remove(path)
    ```
    """

    code = "HR705"
    name = "silent-except"
    message = "do not swallow the exception silently: handle or log it, or use `contextlib.suppress(...)`"
    source = "004 Code Review Checklist (specific exceptions); 002 Error Handling"
    valid = (
        "import contextlib\n\nwith contextlib.suppress(FileNotFoundError):\n    os.remove(path)",
        "try:\n    value = int(text)\nexcept ValueError:\n    value = 0",
        "try:\n    f()\nexcept KeyError:\n    log.debug('missing key')\n    pass",
        "try:\n    f()\nexcept KeyError:\n    raise",
        "for item in items:\n    try:\n        f(item)\n    except KeyError:\n        skipped += 1\n        continue",
        "def first(items: list[int]) -> int | None:\n    try:\n        return items[0]\n    except IndexError:\n"
        "        return None",
    )
    invalid = (
        "try:\n    os.remove(path)\nexcept OSError:  # error: HR705\n    pass",
        "try:\n    f()\nexcept:  # error: HR705\n    ...",
        "for item in items:\n    try:\n        f(item)\n    except (KeyError, IndexError):  # error: HR705\n"
        "        continue",
        "try:\n    f()\nexcept ValueError:  # error: HR705\n    # the value may be missing\n    pass",
        "try:\n    f()\nexcept* OSError:  # error: HR705\n    pass",
    )

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        """Report a handler whose body only passes, is `...`, or continues."""
        if all(_is_silent(statement) for statement in node.body):
            self.report(node)


def _is_silent(statement: ast.stmt) -> bool:
    if isinstance(statement, ast.Pass | ast.Continue):
        return True
    return (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Constant)
        and statement.value.value is Ellipsis
    )
