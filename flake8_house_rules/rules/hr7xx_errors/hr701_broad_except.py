"""HR701 broad-except."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from flake8_house_rules.context.summary import never_returns
from flake8_house_rules.rule import Example, Rule
from flake8_house_rules.rules.hr0xx_hygiene.common import is_generated_or_vendored, is_main_guard, waived
from flake8_house_rules.rules.hr7xx_errors.common import (
    BROAD_EXCEPTIONS,
    caught_types,
    exception_name,
    handler_nodes,
)

if TYPE_CHECKING:
    from flake8_house_rules.context import ModuleContext

LOOPS = (ast.For, ast.AsyncFor, ast.While)
#: Other linters' codes for the same check (ruff's and flake8-blind-except's `BLE001`, bugbear's `B902`,
#: pycodestyle's `E722` and bugbear's `B001` for a bare `except:`, pylint's): waived there, the handler stays.
#: bandit's and ruff's codes for a silent handler (`except Exception: pass` / `continue`), which they report
#: for broad handlers by default: waived on a handler whose body is only that, they waive this check too.
SILENT_WAIVERS = ("S110", "S112", "B110", "B112")
WAIVERS = (
    "BLE001",
    "BLE",
    "B902",
    "E722",
    "B001",
    "W0702",
    "W0703",
    "W0718",
    "broad-except",
    "bare-except",
    "broad-exception-caught",
)
#: Calls that hand the traceback on: it is logged or printed, not lost.
TRACEBACK_CALLS = frozenset(
    {
        "traceback.print_exc",
        "traceback.format_exc",
        "traceback.print_exception",
        "traceback.format_exception",
        "traceback.TracebackException.from_exception",
        "sys.exc_info",
        "sys.exception",
    }
)
#: Calls that end the program: the failure is not swallowed.
EXIT_CALLS = frozenset(
    {"sys.exit", "os._exit", "builtins.exit", "builtins.quit", "os.abort"}
    | {"pytest.fail", "pytest.exit"}  # they raise pytest's own outcome: the error fails the test
)
#: Method names of log calls (any logging library) and writes to a stream: the failure is reported.
REPORT_METHODS = frozenset(
    {"debug", "info", "warning", "warn", "error", "exception", "critical", "fatal", "log", "msg", "write"}
)
REPORT_CALLS = frozenset({"builtins.print", "warnings.warn"})
#: The standard library's module-level log function that records the traceback (`from logging import exception`).
TRACEBACK_LOG_CALLS = frozenset({"logging.exception"})
#: Return annotations of a function that never returns: calling it raises (or exits) in effect.
#: Where a call's result is kept: a call that receives the exception there keeps it (`return Failed(exc=e)`).
KEEPING_STATEMENTS = (ast.Assign, ast.AnnAssign, ast.Return, ast.Yield)
#: Methods that hand an exception object on to be raised or inspected later, or record it with its traceback
#: (OpenTelemetry's `span.record_exception(e)`, Sentry's `capture_exception(e)`).
HAND_ON_METHODS = frozenset(
    {"append", "put", "put_nowait", "set_exception", "send", "throw", "record_exception", "capture_exception"}
)
CLI_ENTRY_NAMES = frozenset({"main"})
SELF_NAMES = frozenset({"self", "cls"})
#: Builtins that read an exception rather than keep it: `str(e)`, `repr(e)`, `type(e)`.
READING_BUILTINS = frozenset(
    {"str", "repr", "type", "format", "print", "len", "bool", "hash", "id", "vars", "getattr", "hasattr", "isinstance"}
)
RESOLVED_LAST_NAMES = frozenset(
    name.rpartition(".")[2] for name in TRACEBACK_CALLS | EXIT_CALLS | REPORT_CALLS | TRACEBACK_LOG_CALLS
)
BROAD_NAMES = frozenset(name.removeprefix("builtins.") for name in BROAD_EXCEPTIONS)


class BroadExcept(Rule):
    """## What it does
    Checks for a bare `except:` and for `except Exception` / `except BaseException` (also inside a tuple,
    `except (ValueError, Exception)`) whose handler neither re-raises nor records the traceback. `Exception`
    counts only when it is the builtin (not a class of that name bound in the module).

    The handler is fine, and not reported, when its body (outside functions defined there):

    - has a `raise` statement, in any form and under any condition (bare `raise`, `raise ... from err`,
      `raise NewError(...)`: HR702 checks the chaining), ends the program (`sys.exit(...)`, `os._exit`) or
      the test (`pytest.fail(...)`, `pytest.exit(...)`: the error fails the run; not `pytest.skip(...)`,
      which would turn every bug into a skipped test), or
      calls a function annotated `-> NoReturn` or `-> Never` (`fail_credentials("creds")`,
      `self._fail(...)`), of the module or imported from another module of the project (prefect's
      `exit_with_error(...)`, or zenml's `cli_utils.error(...)` through the imported module, found through
      the project model's summaries), which raises in effect;
    - logs the traceback: `<logger>.exception(...)`, `logging.exception(...)` however it is imported
      (`from logging import exception`), a log call with `exc_info=...` (not `False`/`None`),
      loguru's `logger.opt(exception=...)`, or `traceback.print_exc()` / `format_exc()` /
      `print_exception(...)` / `format_exception(...)`, `sys.exc_info()`, `sys.exception()`, or hands the
      exception to a tracer or error tracker that records its traceback (`span.record_exception(e)`,
      `sentry_sdk.capture_exception(e)`);
    - keeps the caught exception object for later (a deferred re-raise): assigns it (`self._error = exc`),
      returns or yields it, hands it to `.append(...)`, `.put(...)`, `.put_nowait(...)`,
      `.set_exception(...)`, `.send(...)` or `.throw(...)` (`exc.with_traceback(...)` counts as `exc`), or
      passes it to a call whose result is returned, yielded or assigned (`return Decrypted(None, exc=e)`);
    - is the top-level guard of a worker loop that reports and continues: the `try` is a statement directly
      in the body of a `for`/`while` loop, the handler reports the failure (a log call of any level,
      `print(...)`, `warnings.warn(...)`, a `.write(...)`, or any use of the caught exception's name, such
      as handing it to `self.report(exc)`), and it has no `return` or `break`, so the loop goes on with the
      next item;
    - is the top-level guard of a command line: the handler is in a function named `main`, or in module
      code under `if __name__ == "__main__":`, and reports the failure (as above).

    Not reported either: a handler whose `except` line waives another linter's code for the same check
    (`# noqa: BLE001`, `B902`, `E722`, `# pylint: disable=broad-exception-caught`; on a handler that only
    passes or continues, bandit's `S110`/`S112` too): the project has decided.

    A handler that only logs the message (`logger.error(f"failed: {e}")`) outside those guards is reported:
    the traceback is lost and unexpected errors are hidden together with the expected ones.

    Vendored modules (under a `_vendor/`, `_vendored/` or `vendor/` folder) and generated ones are not
    checked: nobody edits them by hand.

    ## Why is this bad?
    A broad handler catches programming errors (`AttributeError`, `TypeError`, `KeyError` from a typo)
    together with the failure the code meant to handle, and hides them. Style guide 004's review checklist:
    "Error handling with specific exceptions"; 001: "For external API calls, catch specific exceptions and
    wrap with context".

    ## Example
    ```python
    try:
        payload = json.loads(body)
    except Exception:
        payload = {}
    ```

    Use instead:
    ```python
    try:
        payload = json.loads(body)
    except json.JSONDecodeError:
        payload = {}
    ```
    """

    code = "HR701"
    name = "broad-except"
    message = "catch the specific exceptions you expect instead of a broad `except`, or re-raise"
    source = "004 Code Review Checklist (specific exceptions); 001 Error Handling"
    valid = (
        # a vendored copy of another project (prefect's `_vendor/croniter`) keeps upstream's code
        Example("try:\n    f()\nexcept Exception:\n    value = None", path="app/_vendor/croniter/croniter.py"),
        # the traceback recorded on a tracing span, or sent to Sentry
        "try:\n    f()\nexcept Exception as e:\n    log.error('failed: %s', e)\n    span.record_exception(e)",
        "import sentry_sdk\n\ntry:\n    f()\nexcept Exception as e:\n    sentry_sdk.capture_exception(e)",
        "import pytest\n\ndef test_parse() -> None:\n    try:\n        parse()\n    except Exception as e:\n"
        "        pytest.fail(f'parse failed: {e}')",
        "try:\n    f()\nexcept (KeyError, ValueError):\n    pass",
        "try:\n    f()\nexcept Exception:\n    cleanup()\n    raise",
        "try:\n    f()\nexcept Exception as e:\n    raise ServiceError('failed') from e",
        "try:\n    f()\nexcept BaseException:\n    if strict:\n        raise\n    log.warning('ignored')",
        "import logging\n\nlog = logging.getLogger(__name__)\ntry:\n    f()\nexcept Exception:\n"
        "    log.exception('f.failed')",
        "try:\n    f()\nexcept Exception as exc:\n    logger.warning('f failed', exc_info=exc)",
        "import traceback\n\ntry:\n    f()\nexcept Exception:\n    traceback.print_exc()",
        "from loguru import logger\n\ntry:\n    f()\nexcept Exception:\n    logger.opt(exception=True).error('failed')",
        # the guard of a worker loop that reports and goes on
        "import logging\n\nlog = logging.getLogger()\n\nasync def worker(queue) -> None:\n    while True:\n"
        "        job = await queue.get()\n        try:\n            await job.run()\n"
        "        except Exception as exc:\n            log.warning('job failed: %s', exc)",
        "def lint(files) -> None:\n    for name in files:\n        try:\n            check(name)\n"
        "        except Exception as exc:\n            failures.append((name, exc))\n            continue",
        # the guard of a command line
        "import sys\n\ndef main() -> int:\n    try:\n        run()\n    except Exception as exc:\n"
        "        print(f'error: {exc}', file=sys.stderr)\n        return 1\n    return 0",
        "if __name__ == '__main__':\n    try:\n        run()\n    except Exception as e:\n        print(e)",
        "import sys\n\ntry:\n    run()\nexcept Exception:\n    sys.exit(1)",
        # a class of the same name is not the builtin
        "class Exception(Base): ...\n\ntry:\n    f()\nexcept Exception:\n    pass",
        "try:\n    f()\nexcept errors:\n    pass",
        # the exception is kept, to be raised or inspected later
        "try:\n    await app(scope)\nexcept Exception as exc:\n    app_exc = exc",
        "try:\n    result = f()\nexcept BaseException as exc:\n    future.set_exception(exc)",
        "def attempt(f):\n    try:\n        return f()\n    except Exception as e:\n        return e",
        "try:\n    f()\nexcept Exception as e:\n    errors.append(e.with_traceback(None))",
        # a raise in a function defined in the handler does not re-raise; but here the handler also logs
        "try:\n    f()\nexcept Exception:\n    log.exception('failed')\n    def later():\n        raise",
        "import sys\n\ntry:\n    f()\nexcept Exception:\n    record(sys.exception())",
        "try:\n    f()\nexcept Exception:  # noqa: BLE001 - a failed probe is no failure\n    value = None",
        "try:\n    f()\nexcept Exception:  # noqa: S110\n    pass",
        "try:\n    f()\nexcept:  # noqa: E722\n    value = None",
        "try:\n    f()\nexcept Exception:  # pylint: disable=broad-exception-caught\n    value = None",
        # a helper that never returns raises in effect
        "from typing import NoReturn\n\n\ndef fail_credentials(field: str) -> NoReturn:\n"
        "    raise ValueError(f'invalid {field}')\n\n\ndef validate(creds: object) -> None:\n    try:\n"
        "        authenticate(creds)\n    except Exception:\n        fail_credentials('creds')",
        "import typing\n\n\nclass Api:\n    def _fail(self, message: str) -> typing.Never:\n"
        "        raise ApiError(message)\n\n    def call(self) -> None:\n        try:\n            send()\n"
        "        except Exception as exc:\n            self._fail(str(exc))",
        # the exception is kept in a returned or stored object
        "class Decrypted:\n    def __init__(self, plaintext, exc=None) -> None:\n"
        "        self.plaintext, self.exc = plaintext, exc\n\n\ndef decrypt_value(value: str) -> Decrypted:\n"
        "    try:\n        return Decrypted(_decrypt(value))\n    except Exception as e:\n"
        "        return Decrypted(None, exc=e)",
        "try:\n    f()\nexcept Exception as e:\n    result = Failure(e)",
        # logging's module-level `exception` records the traceback however it is imported
        "from logging import exception\n\n\ndef load(parse, body):\n    try:\n        return parse(body)\n"
        "    except Exception:\n        exception('load failed')\n        return None",
    )
    invalid = (
        "import pytest\n\ndef test_backend() -> None:\n    try:\n        connect()\n"
        "    except Exception:  # error: HR701\n        pytest.skip('backend down')",
        "try:\n    f()\nexcept:  # error: HR701\n    value = None",
        "import json\n\ntry:\n    data = json.loads(body)\nexcept Exception:  # error: HR701\n    data = {}",
        "try:\n    f()\nexcept (ValueError, BaseException) as e:  # error: HR701\n    log.error(f'failed: {e}')",
        "import builtins\n\ntry:\n    f()\nexcept builtins.Exception:  # error: HR701\n    return_code = 1",
        # a loop guard that stops the loop is not a guard that goes on
        "for item in items:\n    try:\n        handle(item)\n    except Exception as e:  # error: HR701\n"
        "        log.warning('stopped: %s', e)\n        break",
        # not the top level of a loop or a command line
        "async def fetch(client):\n    try:\n        return await client.get('/')\n"
        "    except Exception as e:  # error: HR701\n        return {'error': str(e)}",
        "try:\n    f()\nexcept Exception:  # error: HR701\n    def later():\n        raise",
        "try:\n    f()\nexcept Exception as e:  # error: HR701\n    message = str(e)",
        "try:\n    f()\nexcept* Exception:  # error: HR701\n    log.error('failed')",
        # a helper that returns is no re-raise; nor is a call that only reads the exception
        "def fail(field: str) -> None:\n    print(field)\n\n\ntry:\n    f()\n"
        "except Exception:  # error: HR701\n    fail('x')",
        "from app.errors import fail\n\ntry:\n    f()\nexcept Exception:  # error: HR701\n    fail('x')",
        "try:\n    f()\nexcept Exception as e:  # error: HR701\n    notify(e)",
        "try:\n    f()\nexcept Exception:  # noqa: S110  # error: HR701\n    value = None",
        "try:\n    f()\nexcept Exception as e:  # error: HR701\n    message = str(e)",
        "def exception(message: str) -> None:\n    pass\n\n\ntry:\n    f()\n"
        "except Exception:  # error: HR701\n    exception('x')",
    )

    @classmethod
    def applies_to(cls, ctx: ModuleContext) -> bool:
        """Vendored and generated modules are not checked: nobody edits them by hand."""
        return not is_generated_or_vendored(ctx)

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        """Report a broad handler that does not re-raise, log the traceback, or guard a loop or a CLI."""
        if node.type is not None and not any(self._broad(expr) for expr in caught_types(node)):
            return
        if self._handled(node) or waived(self.ctx, node.lineno, WAIVERS):
            return
        if all(isinstance(statement, ast.Pass | ast.Continue) for statement in node.body) and waived(
            self.ctx, node.lineno, SILENT_WAIVERS
        ):
            return  # bandit's try-except-pass/-continue (`S110`, `S112`) flags broad handlers: the same check
        self.report(node)

    def _broad(self, expr: ast.expr) -> bool:
        """Whether a caught class is the builtin `Exception` or `BaseException` (spelling checked first)."""
        spelled = expr.id if isinstance(expr, ast.Name) else getattr(expr, "attr", None)
        return spelled in BROAD_NAMES and exception_name(self.ctx, expr) in BROAD_EXCEPTIONS

    def _handled(self, handler: ast.ExceptHandler) -> bool:
        """Whether the handler re-raises, keeps the traceback, or is a reporting top-level guard."""
        if any(type(statement) is ast.Raise for statement in handler.body):
            return True
        reports = stops = False
        caught = handler.name
        for node in handler_nodes(handler):
            kind = type(node)
            if kind is ast.Raise:
                return True
            if kind is ast.Call:
                verdict = self._call(node)
                if verdict == "handled":
                    return True
                reports |= verdict == "reports"
            elif kind is ast.Name and caught is not None and node.id == caught:
                if self._hands_on(node):
                    return True
                reports = True
            elif kind is ast.Return or kind is ast.Break:
                stops = True
        if reports and ((not stops and self._guards_loop(handler)) or self._guards_cli(handler)):
            return True
        return any(
            type(node) is ast.Call and self._never_returns(node, imported=True) for node in handler_nodes(handler)
        )

    def _hands_on(self, name: ast.Name) -> bool:
        """Whether the caught exception object is kept for later: stored, returned, queued or sent on.

        Kept too: the exception passed to a call (as an argument or a keyword's value) whose result is
        returned, yielded or assigned, such as `return Decrypted(None, exc=e)`. `str(e)` is no keeping.
        """
        value: ast.AST = name
        parent = self.ctx.parent(name)
        if isinstance(parent, ast.Attribute) and parent.attr == "with_traceback":
            value = self.ctx.parent(parent) or parent
            parent = self.ctx.parent(value)
        if isinstance(parent, ast.Assign | ast.AnnAssign | ast.Return | ast.Yield):
            return parent.value is value
        if isinstance(parent, ast.keyword):
            value, parent = parent, self.ctx.parent(parent)
        if not isinstance(parent, ast.Call) or not any(arg is value for arg in (*parent.args, *parent.keywords)):
            return False
        if isinstance(parent.func, ast.Attribute) and parent.func.attr in HAND_ON_METHODS:
            return True
        func = parent.func
        if isinstance(func, ast.Name) and func.id in READING_BUILTINS and self.ctx.is_builtin(func):
            return False  # `str(e)`, `repr(e)`, `type(e)`: read, not kept
        holder = self.ctx.parent(parent)
        return isinstance(holder, KEEPING_STATEMENTS) and holder.value is parent

    def _never_returns(self, call: ast.Call, *, imported: bool = False) -> bool:
        """Whether a call calls a function annotated `-> NoReturn`/`-> Never`.

        A plain name bound once to a `def`, `self.name(...)` in a method of a class that defines `name`, or
        a name imported from another module of the project that defines it so, also called through the
        imported module (`cli_utils.error(...)`; its summary says; asked only
        with `imported`, for a handler that would otherwise be reported, so that other modules are read
        only when their answer matters).
        """
        func = call.func
        definition: ast.AST | None = None
        if isinstance(func, ast.Name):
            bindings = self.ctx.lookup(func)
            if bindings and len(bindings) == 1 and bindings[0].kind == "def":
                definition = bindings[0].node
            elif bindings and len(bindings) == 1 and bindings[0].kind == "import" and imported:
                return self.ctx.in_project.never_returns(bindings[0].origin)
        elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in SELF_NAMES:
            cls = self.ctx.enclosing_class(call)
            if cls is not None:
                methods = [
                    item
                    for item in cls.body
                    if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef) and item.name == func.attr
                ]
                definition = methods[0] if len(methods) == 1 else None
        elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and imported:
            bindings = self.ctx.lookup(func.value)  # `cli_utils.error(...)` of `from app.cli import utils as cli_utils`
            if bindings and len(bindings) == 1 and bindings[0].kind == "import":
                return self.ctx.in_project.never_returns(f"{bindings[0].origin}.{func.attr}")
        return definition is not None and never_returns(definition, self.ctx.qualname)

    def _call(self, node: ast.Call) -> str:
        """`handled` for a call that keeps the traceback or exits, `reports` for a report, else `other`."""
        func = node.func
        if isinstance(func, ast.Attribute):
            if func.attr == "exception" and (node.args or node.keywords):
                return "handled"
            if func.attr == "opt" and any(keyword.arg == "exception" for keyword in node.keywords):
                return "handled"
        if self._never_returns(node):
            return "handled"
        for keyword in node.keywords:
            if keyword.arg == "exc_info" and not (
                isinstance(keyword.value, ast.Constant) and keyword.value.value in {False, None}
            ):
                return "handled"
        spelled = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        if spelled in RESOLVED_LAST_NAMES:  # resolve only what could be a call of interest
            name = self.ctx.call_name(node)
            if name in TRACEBACK_CALLS or name in EXIT_CALLS or name in TRACEBACK_LOG_CALLS:
                return "handled"
            if name in REPORT_CALLS:
                return "reports"
        return "reports" if spelled in REPORT_METHODS else "other"

    def _guards_loop(self, handler: ast.ExceptHandler) -> bool:
        """Whether the handler's `try` is a statement directly in a loop's body."""
        statement = self.ctx.parent(handler)
        loop = self.ctx.parent(statement) if statement is not None else None
        return isinstance(loop, LOOPS) and any(child is statement for child in loop.body)

    def _guards_cli(self, handler: ast.ExceptHandler) -> bool:
        """Whether the handler is in `main()` or in module code under `if __name__ == "__main__":`."""
        function = self.ctx.enclosing_function(handler)
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            return function.name in CLI_ENTRY_NAMES
        if function is not None:
            return False
        return any(is_main_guard(node) for node in self.ctx.ancestors(handler))
