"""HR705 silent-except."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from flake8_house_rules.rule import Example, Rule
from flake8_house_rules.rules.hr0xx_hygiene.common import is_generated_or_vendored, waived
from flake8_house_rules.rules.hr7xx_errors.common import caught_types, exception_name

if TYPE_CHECKING:
    from flake8_house_rules.context import ModuleContext

LOOPS = (ast.For, ast.AsyncFor, ast.While)
#: Other linters' codes for the same check: bandit's and ruff's `S110`/`S112` (try-except-pass/-continue),
#: ruff's `SIM105` (use `suppress`): waived on the `except` line (or, `SIM105`, the `try` line, where ruff
#: reports it), the handler is the project's decision.
WAIVERS = ("S110", "S112", "B110", "B112", "SIM105")
TRY_LINE_WAIVERS = ("SIM105",)
IMPORT_ERRORS = frozenset({"builtins.ImportError", "builtins.ModuleNotFoundError"})


class SilentExcept(Rule):
    """## What it does
    Checks for an `except` handler (of any exception type, `except*` too) whose body is nothing but `pass`,
    `...` or `continue`. It is reported at the `except` line, so a `# noqa: HR705` there documents a
    deliberate exception. A handler that does anything else (assigns a fallback, logs, counts) is not
    silent; HR701 judges broad handlers on their own.

    Reported only where `contextlib.suppress(...)` would say the same in one line, as ruff's SIM105 does: the
    `try` has this one handler, and no `else:` or `finally:` (beside other handlers, or before an `else:`
    that must run only on success, `suppress` does not fit, and the empty handler is the plain way to write
    it). A `continue` counts only when the `try` is the last statement of its loop's body (there it is a
    `pass`); elsewhere it skips the rest of the loop for an invalid item, which is control flow. Not
    reported either: an optional import, a `try` holding only imports (and what adds their names to
    `__all__`: fastapi-users' `__all__.append("SQLAlchemyUserDatabase")` after an optional backend's import,
    or registers what it imported: dstack's `_CONFIGURATOR_CLASSES.append(DataCrunchConfigurator)`, or an
    assignment built from it: airflow's `suppress = (*suppress, httpcore)` and
    `pymysql.converters.conversions[Pendulum] = ...`)
    whose handler catches `ImportError` or `ModuleNotFoundError` (`try: import ujson as json`), the usual
    guard for an optional speed-up or plugin; and a
    handler whose `except` line waives another linter's code for the same check (`# noqa: S110`, `S112`,
    `SIM105`), or whose `try` line waives `SIM105`, where ruff reports it: the project has decided.

    Vendored modules (under a `_vendor/`, `_vendored/` or `vendor/` folder) and generated ones are not
    checked: nobody edits them by hand.

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
        # dstack: an optional backend registered once imported
        "try:\n    from app.backends.datacrunch import DataCrunchConfigurator\n\n"
        "    CONFIGURATORS.append(DataCrunchConfigurator)\nexcept ImportError:\n    pass\n",
        # airflow: an optional module added to a tuple, an optional driver's adapter stored in its table
        "def processors(suppress: tuple) -> tuple:\n    try:\n        import httpcore\n\n"
        "        suppress = (*suppress, httpcore)\n    except ImportError:\n        pass\n    return suppress\n",
        "try:\n    import pymysql.converters\n\n"
        "    pymysql.converters.conversions[Pendulum] = pymysql.converters.escape_datetime\nexcept ImportError:\n"
        "    pass\n",
        # langflow: ruff's SIM105 waived where ruff reports it
        "import asyncio\n\nasync def cleanup(client) -> None:\n    try:  # noqa: SIM105\n"
        "        await client.delete('/tmp')\n    except asyncio.TimeoutError:\n        pass\n",
        # a vendored copy of another project (prefect's `_vendor/croniter`) keeps upstream's code
        Example("try:\n    f()\nexcept KeyError:\n    pass", path="app/_vendor/croniter/croniter.py"),
        "import contextlib\n\nwith contextlib.suppress(FileNotFoundError):\n    os.remove(path)",
        "try:\n    value = int(text)\nexcept ValueError:\n    value = 0",
        "try:\n    f()\nexcept KeyError:\n    log.debug('missing key')\n    pass",
        "try:\n    f()\nexcept KeyError:\n    raise",
        "for item in items:\n    try:\n        f(item)\n    except KeyError:\n        skipped += 1\n        continue",
        "def first(items: list[int]) -> int | None:\n    try:\n        return items[0]\n    except IndexError:\n"
        "        return None",
        "try:\n    import ujson as json  # optional speed-up\nexcept ImportError:\n    pass",
        "try:\n    f()\nexcept Exception:  # noqa: BLE001, S110 # Safe catch-all for cleanup logic\n    pass",
        "try:\n    from rich import print\n    import rich.console\nexcept ModuleNotFoundError:\n    pass",
        # fastapi-users: an optional database backend, re-exported when it is installed
        '__all__ = ["BaseUserDatabase"]\n\ntry:\n    from fastapi_users_db_sqlalchemy import SQLAlchemyUserDatabase\n'
        '    __all__.append("SQLAlchemyUserDatabase")\nexcept ImportError:\n    pass',
        "import logging\n\n\ndef read_optional(path: str) -> str | None:\n    try:\n        f = open(path)\n"
        "    except FileNotFoundError:\n        pass\n    except OSError:\n"
        "        logging.exception('cannot read %s', path)\n    else:\n        return f.read()\n    return None",
        "try:\n    value = int(text)\nexcept ValueError:\n    pass\nelse:\n    save(value)",
        "try:\n    os.remove(path)\nexcept OSError:\n    pass\nfinally:\n    release()",
        "from ipaddress import AddressValueError, IPv4Address\n\n\ndef valid(values: list[str]) -> list[IPv4Address]:\n"
        "    result = []\n    for value in values:\n        try:\n            address = IPv4Address(value)\n"
        "        except AddressValueError:\n            continue\n        result.append(address)\n    return result",
    )
    invalid = (
        "try:\n    from app.backends import datacrunch\n    connect()\nexcept ImportError:  # error: HR705\n    pass\n",
        "try:\n    import httpcore\n\n    ready = True\nexcept ImportError:  # error: HR705\n    pass\n",
        "try:\n    os.remove(path)\nexcept OSError:  # error: HR705\n    pass",
        "try:\n    f()\nexcept:  # error: HR705\n    ...",
        "for item in items:\n    try:\n        f(item)\n    except (KeyError, IndexError):  # error: HR705\n"
        "        continue",
        "try:\n    f()\nexcept ValueError:  # error: HR705\n    # the value may be missing\n    pass",
        "try:\n    f()\nexcept* OSError:  # error: HR705\n    pass",
        "try:\n    import ujson as json\n    json.configure()\nexcept ImportError:  # error: HR705\n    pass",
        'try:\n    from plugin import Thing\n    names.append("Thing")\nexcept ImportError:  # error: HR705\n    pass',
        "try:\n    import ujson as json\nexcept Exception:  # error: HR705\n    pass",
        "from ipaddress import AddressValueError, IPv4Address\n\n\ndef valid(values: list[str]) -> list[IPv4Address]:\n"
        "    result = []\n    for value in values:\n        result.append(value)\n        try:\n"
        "            check(value)\n        except AddressValueError:  # error: HR705\n            continue\n"
        "    return result",
    )

    @classmethod
    def applies_to(cls, ctx: ModuleContext) -> bool:
        """Vendored and generated modules are not checked: nobody edits them by hand."""
        return not is_generated_or_vendored(ctx)

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        """Report a handler whose body only passes, is `...`, or continues, where `suppress` would fit."""
        if not all(_is_silent(statement) for statement in node.body):
            return
        statement = self.ctx.parent(node)
        if not isinstance(statement, ast.Try | ast.TryStar) or len(statement.handlers) != 1:
            return
        if statement.orelse or statement.finalbody:
            return
        if any(isinstance(item, ast.Continue) for item in node.body) and not self._last_in_loop(statement):
            return
        if self._optional_import(statement, node) or waived(self.ctx, node.lineno, WAIVERS):
            return
        if waived(self.ctx, statement.lineno, TRY_LINE_WAIVERS):
            return  # ruff reports `SIM105` on the `try` line, where its noqa comment then sits
        self.report(node)

    def _last_in_loop(self, statement: ast.stmt) -> bool:
        """Whether a statement ends its loop's body, so that a `continue` in it does what `pass` would."""
        loop = self.ctx.parent(statement)
        return isinstance(loop, LOOPS) and bool(loop.body) and loop.body[-1] is statement

    def _optional_import(self, statement: ast.Try | ast.TryStar, handler: ast.ExceptHandler) -> bool:
        """Whether a `try` holds only imports and what registers them, and its handler catches only
        `ImportError`/`ModuleNotFoundError`.

        What registers them: a call that hands a name the `try` imported over as an argument
        (`_CONFIGURATORS.append(DataCrunchConfigurator)`), an assignment that names it, or an addition to
        `__all__`; a call on the
        imported name (`json.configure()`) does something, and is no registration.
        """
        caught = caught_types(handler)
        if not caught or not all(exception_name(self.ctx, item) in IMPORT_ERRORS for item in caught):
            return False
        imported: set[str] = set()
        for item in statement.body:
            if isinstance(item, ast.Import | ast.ImportFrom):
                imported.update(alias.asname or alias.name.partition(".")[0] for alias in item.names)
            elif not _exports(item) and not self._registers(item, imported):
                return False
        return bool(imported)

    def _registers(self, statement: ast.stmt, names: set[str]) -> bool:
        """Whether a statement registers one of `names`: a call handing it over as an argument
        (`REGISTRY.append(Plugin)`), or an assignment that binds or stores something built from it
        (`suppress = (*suppress, httpcore)`, `pymysql.converters.conversions[Pendulum] = ...`).

        A use as a call's receiver (`json.configure()`) is an action, not a registration. Read off the walk's
        names (indexed by line once per module) and parents, not by walking the statement again.
        """
        if not names:
            return False
        if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
            call: ast.Call | None = statement.value
        elif isinstance(statement, ast.Assign | ast.AugAssign | ast.AnnAssign):
            call = None
        else:
            return False
        by_line = self.ctx.derived("hr705.names", self._names_by_line)
        parents = self.ctx.parents
        for line in range(statement.lineno, (statement.end_lineno or statement.lineno) + 1):
            for node in by_line.get(line, ()):
                if node.id not in names:
                    continue
                child: ast.AST = node
                parent = parents.get(node)
                while parent is not None and parent is not call and parent is not statement:
                    child, parent = parent, parents.get(parent)
                if call is None and parent is statement:
                    return True  # an assignment that names what the `try` imported
                if call is not None and parent is call and child is not call.func:
                    return True  # reached the call through an argument, not through its callee
        return False

    def _names_by_line(self) -> dict[int, list[ast.Name]]:
        """The module's names by the line they start on, from the walk's records (once per module): a
        statement's names are then found by its lines, so reading all the statements stays linear.
        """
        found: dict[int, list[ast.Name]] = {}
        for node in self.ctx.nodes_of(ast.Name):
            found.setdefault(node.lineno, []).append(node)
        return found


def _exports(statement: ast.stmt) -> bool:
    """`__all__.append(...)`, `__all__.extend(...)`, `__all__ += [...]`: a module re-exporting what it imported."""
    if isinstance(statement, ast.AugAssign):
        return isinstance(statement.target, ast.Name) and statement.target.id == "__all__"
    if not isinstance(statement, ast.Expr) or not isinstance(statement.value, ast.Call):
        return False
    func = statement.value.func
    return (
        isinstance(func, ast.Attribute)
        and func.attr in {"append", "extend"}
        and isinstance(func.value, ast.Name)
        and func.value.id == "__all__"
    )


def _is_silent(statement: ast.stmt) -> bool:
    if isinstance(statement, ast.Pass | ast.Continue):
        return True
    return (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Constant)
        and statement.value.value is Ellipsis
    )
