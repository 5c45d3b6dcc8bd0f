"""HR702 raise-without-from."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from flake8_house_rules.context.surroundings import always_raises
from flake8_house_rules.fixes import Fix, edits
from flake8_house_rules.rule import Example, FixExample, Rule
from flake8_house_rules.rules.hr0xx_hygiene.common import is_generated_or_vendored
from flake8_house_rules.rules.hr7xx_errors.common import BUILTIN_EXCEPTIONS, enclosing_handlers, exception_name

if TYPE_CHECKING:
    from flake8_house_rules.context import ModuleContext

#: Exceptions that steer control flow rather than report an error: no traceback shows their cause.
#: Methods that hand back an exception stored earlier, with no argument (`asyncio.Future.result()`,
#: `concurrent.futures.Future.exception()`): what they raise already exists.
STORED_EXCEPTION_METHODS = frozenset({"result", "exception"})
CONTROL_FLOW = frozenset(
    {
        "builtins.SystemExit",
        "builtins.KeyboardInterrupt",
        "builtins.GeneratorExit",
        "builtins.StopIteration",
        "builtins.StopAsyncIteration",
        # click's (and typer's re-exported) ways to end a command: click prints "Aborted!" or nothing, and
        # exits with the status, never a traceback.
        "click.Abort",
        "click.exceptions.Abort",
        "click.exceptions.Exit",
        "typer.Abort",
        "typer.Exit",
    }
)


class RaiseWithoutFrom(Rule):
    """## What it does
    Checks for `raise NewError(...)` (or `raise NewError`, a class) in the body of an `except` handler of
    the same function, named (`except E as err`) or not, without `from`. Not reported:

    - re-raising the caught exception itself: bare `raise`, `raise err` where `err` is the name an enclosing
      handler bound, and `raise err.with_traceback(tb)`;
    - any `raise ... from <cause>`, `from None` included (it states that the cause is hidden on purpose);
    - a `raise` in a function or class defined inside the handler (it runs later, outside the handler);
    - raising a variable (`raise error`), which may hold the caught exception or one built earlier; only a
      call, a builtin exception class, a class of the module, or an imported PascalCase name is "new";
      nor is an exception stored earlier and handed back by a future (`raise stream_error.result()`,
      `raise future.exception()`, no argument: litellm's MCP client re-raises the transport failure that
      caused the error it caught, so `from` the caught one would state the cause backwards);
    - raising what a helper function (not a class) gives back, when the helper is handed the caught
      exception (`raise self._handle_error(e=e)`, `raise exception_type(original_exception=e)`: it may
      return that very exception, or chain its own) or always raises itself (a `def` of the module, or a
      method of the enclosing class, whose body ends in `raise` and returns nothing): the chaining is the
      helper's business, and `from err` there would be dead code. A function is a `def` the name is bound
      to, or a name spelled in lower case (`snake_case`), as classes are not; a factory that builds a new
      exception without being handed the caught one (`raise make_error("failed")`) is still reported;
    - control-flow exceptions that print no traceback: `SystemExit`, `KeyboardInterrupt`, `GeneratorExit`,
      `StopIteration`, `StopAsyncIteration` (the builtins, also when an `import *` leaves them unproven), and
      the command-line exits of click and typer (`click.Abort`, `click.exceptions.Exit`, `typer.Exit`,
      `typer.Abort`), which end the command with a status and no traceback.

    Vendored modules (under a `_vendor/`, `_vendored/` or `vendor/` folder) and generated ones are not
    checked: nobody edits them by hand.

    ## Why is this bad?
    Without `from`, Python reports the new exception as raised "during handling of" the old one, as if the
    handler itself had crashed; with `from err` the traceback says the new error was caused by the old one,
    and `err` stays reachable as `__cause__`. Style guide 000 (Error Handling) writes
    `raise ServiceError(f"API call failed: {e}") from e`; 002 (Error Handling) has services "catch
    implementation-specific exceptions" and "transform these into domain-specific exceptions".

    ## Example
    ```python
    try:
        row = await session.scalar(query)
    except NoResultFound:
        raise ResourceNotFoundError(identifier=payload.uuid)
    ```

    Use instead:
    ```python
    try:
        row = await session.scalar(query)
    except NoResultFound as err:
        raise ResourceNotFoundError(identifier=payload.uuid) from err
    ```
    """

    code = "HR702"
    name = "raise-without-from"
    message = "chain the new exception with `raise ... from err` (or `from None`) inside an `except` handler"
    fix = "safe"
    source = "000 Error Handling; 002 Error Handling (service layer)"
    valid = (
        # a vendored copy of another project (prefect's `_vendor/croniter`) keeps upstream's code
        Example("try:\n    f()\nexcept KeyError:\n    raise ValueError('x')", path="app/_vendor/croniter/croniter.py"),
        "try:\n    f()\nexcept KeyError as err:\n    raise LookupFailed('x') from err",
        "try:\n    f()\nexcept KeyError:\n    raise AttributeError(name) from None",
        "try:\n    f()\nexcept KeyError:\n    cleanup()\n    raise",
        "try:\n    f()\nexcept KeyError as err:\n    log(err)\n    raise err",
        "import sys\n\ntry:\n    f()\nexcept KeyError as err:\n    raise err.with_traceback(sys.exc_info()[2])",
        "try:\n    f()\nexcept KeyError:\n    def later() -> None:\n        raise ValueError('not in the handler')",
        "try:\n    f()\nexcept KeyError:\n    error = None\nif error:\n    raise ValueError('after the handler')",
        "try:\n    f()\nexcept OSError:\n    raise saved_error",
        "try:\n    f()\nexcept KeyboardInterrupt:\n    raise SystemExit(130)",
        # litellm's CLI: click prints "Aborted!" and exits 1, no traceback
        "import click\n\ntry:\n    f()\nexcept OSError as e:\n    click.echo(str(e), err=True)\n"
        "    raise click.Abort()",
        "import typer\n\ntry:\n    f()\nexcept KeyError:\n    raise typer.Exit(code=2)",
        "from tkinter import *\n\ntry:\n    f()\nexcept ImportError:\n    raise SystemExit(1)",
        "class It:\n    def __next__(self) -> int:\n        try:\n            return self.items.pop()\n"
        "        except IndexError:\n            raise StopIteration",
        "raise ValueError('not in a handler')",
        # litellm: helpers that map the caught exception, or always raise
        "try:\n    f()\nexcept Exception as e:\n    raise exception_type(original_exception=e, model=m)",
        "class Handler:\n    def _handle_error(self, e: Exception) -> None:\n        raise ProviderError(str(e))\n\n"
        "    def call(self) -> None:\n        try:\n            f()\n        except Exception as e:\n"
        "            raise self._handle_error(e=e)",
        "def fail() -> None:\n    raise RuntimeError('no')\n\ntry:\n    f()\nexcept KeyError:\n    raise fail()",
        # litellm's MCP client: the failure stored in a future caused the error caught
        "async def call(stream_error) -> None:\n    try:\n        await g()\n    except BaseException as error:\n"
        "        if stream_error.done():\n            raise stream_error.result()\n        raise\n",
    )
    invalid = (
        "try:\n    f()\nexcept NoResultFound:\n    raise ResourceNotFoundError(identifier=uid)  # error: HR702",
        "try:\n    f()\nexcept KeyError as err:\n    if strict:\n        raise ValueError(str(err))  # error: HR702",
        "try:\n    f()\nexcept KeyError:\n    raise ValueError  # error: HR702",
        "from app import errors\n\ntry:\n    f()\nexcept KeyError:\n    raise errors.NotFound('x')  # error: HR702",
        "class NotFound(Exception): ...\n\ntry:\n    f()\nexcept KeyError:\n    raise NotFound  # error: HR702",
        "try:\n    f()\nexcept KeyError as err:\n    try:\n        g()\n    finally:\n"
        "        raise RuntimeError('cleanup failed')  # error: HR702",
        "try:\n    f()\nexcept* OSError:\n    raise RuntimeError('failed')  # error: HR702",
        "try:\n    f()\nexcept KeyError as err:\n    raise make_error(str(err))  # error: HR702",
        "try:\n    f()\nexcept KeyError as err:\n    raise LookupFailed(err)  # error: HR702",
    )

    @classmethod
    def applies_to(cls, ctx: ModuleContext) -> bool:
        """Vendored and generated modules are not checked: nobody edits them by hand."""
        return not is_generated_or_vendored(ctx)

    def visit_Raise(self, node: ast.Raise) -> None:
        """Report a new exception raised in an `except` handler without `from`."""
        exc = node.exc
        if exc is None or node.cause is not None:
            return
        handlers = enclosing_handlers(self.ctx, node)
        if not handlers:
            return
        caught = {handler.name for handler in handlers if handler.name}
        if isinstance(exc, ast.Call):
            func = exc.func
            if (
                isinstance(func, ast.Attribute)
                and func.attr == "with_traceback"
                and isinstance(func.value, ast.Name)
                and func.value.id in caught
            ):
                return
            if self._helper_call(exc, caught):
                return
            if isinstance(func, ast.Attribute) and func.attr in STORED_EXCEPTION_METHODS and not exc.args:
                return  # `raise failure.result()`: an exception stored earlier (a future's), not a new one
            target: ast.expr = func
        elif isinstance(exc, ast.Name | ast.Attribute):
            if not self._is_class(exc):
                return
            target = exc
        else:
            return
        if exception_name(self.ctx, target) in CONTROL_FLOW or self._unbound_control_flow(target):
            return
        self.report(node)

    def _helper_call(self, call: ast.Call, caught: set[str]) -> bool:
        """A helper function handed the caught exception, or one that always raises itself."""
        if not self._is_function(call.func):
            return False
        values = [*call.args, *(keyword.value for keyword in call.keywords)]
        if any(isinstance(value, ast.Name) and value.id in caught for value in values):
            return True
        definition = self._definition(call.func)
        return (
            definition is not None
            and not self.ctx.scope_of_node[definition].returns_value
            and always_raises(definition.body)
        )

    def _is_function(self, func: ast.expr) -> bool:
        """Whether a callee is a function: a `def` it is bound to, or a name spelled in lower case."""
        if self._definition(func) is not None:
            return True
        name = exception_name(self.ctx, func)
        if name is not None and name in BUILTIN_EXCEPTIONS:
            return False
        if isinstance(func, ast.Name):
            bindings = self.ctx.lookup(func)
            if bindings and any(binding.kind == "class" for binding in bindings):
                return False
            last = func.id
        elif isinstance(func, ast.Attribute):
            last = func.attr
        else:
            return False
        return last.lstrip("_")[:1].islower()

    def _definition(self, func: ast.expr) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
        """The `def` a callee is: a function of the module every binding of the name is, or `self.method`."""
        ctx = self.ctx
        if isinstance(func, ast.Name):
            bindings = ctx.lookup(func)
            if bindings and len(bindings) == 1 and bindings[0].kind == "def":
                node = bindings[0].node
                return node if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) else None
            return None
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in {"self", "cls"}:
            cls = ctx.enclosing_class(func)
            if cls is None:
                return None
            found = [
                statement
                for statement in cls.body
                if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef) and statement.name == func.attr
            ]
            return found[0] if len(found) == 1 else None
        return None

    def _unbound_control_flow(self, target: ast.expr) -> bool:
        """`SystemExit` unbound in a module with `import *`: the builtin, unless the star import shadows it."""
        return (
            isinstance(target, ast.Name) and f"builtins.{target.id}" in CONTROL_FLOW and self.ctx.lookup(target) is None
        )

    def _is_class(self, expr: ast.Name | ast.Attribute) -> bool:
        """Whether a raised name is provably a class: a builtin exception, a local class, an imported PascalCase."""
        name = exception_name(self.ctx, expr)
        if name is not None:
            if name in BUILTIN_EXCEPTIONS:
                return True
            last = name.rpartition(".")[2]
            return last[:1].isupper() and not last.isupper() and not name.startswith("builtins.")
        if isinstance(expr, ast.Name):
            bindings = self.ctx.lookup(expr)
            return bool(bindings) and all(binding.kind == "class" for binding in bindings)
        return False

    def fix_for(self, node: ast.AST | tuple[int, int]) -> Fix | None:
        """` from <name>` after the raised exception, naming the innermost handler's exception; a handler without
        a name gets ` as exc` when `exc` is spelled nowhere in the module (a bare `except:` is left alone).
        """
        if not isinstance(node, ast.Raise) or node.exc is None:
            return None
        handlers = enclosing_handlers(self.ctx, node)
        if not handlers:
            return None
        handler = handlers[0]
        added = []
        name = handler.name
        if name is None:
            if handler.type is None or "exc" in edits.names_in_use(self.ctx):
                return None
            name = "exc"
            added.append(edits.insert_at(edits.end_of(self.ctx, handler.type), " as exc"))
        cause = edits.insert_at(edits.end_of(self.ctx, node.exc), f" from {name}")
        return Fix.safe(f"Add `from {name}`", *added, cause)

    fixes = (
        FixExample(
            "try:\n    f()\nexcept KeyError as err:\n    if strict:\n"
            "        raise ValueError(str(err))  # error: HR702",
            "try:\n    f()\nexcept KeyError as err:\n    if strict:\n        raise ValueError(str(err)) from err",
        ),
        FixExample(
            "try:\n    f()\nexcept (KeyError, IndexError):\n    raise LookupError(  # error: HR702\n        'missing'\n"
            "    )",
            "try:\n    f()\nexcept (KeyError, IndexError) as exc:\n    raise LookupError(\n        'missing'\n"
            "    ) from exc",
        ),
    )
