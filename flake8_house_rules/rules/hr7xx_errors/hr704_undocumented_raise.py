"""HR704 undocumented-raise."""

from __future__ import annotations

import ast
import builtins
import re
from typing import TYPE_CHECKING

from flake8_house_rules.context.fastapi import FastAPIRoutes
from flake8_house_rules.rule import Example, Rule
from flake8_house_rules.rules.hr7xx_errors.common import BUILTIN_EXCEPTIONS, exception_name

if TYPE_CHECKING:
    from flake8_house_rules.context import ModuleContext

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef
#: Raised to mark an abstract method, not a failure a caller handles.
EXEMPT = frozenset({"builtins.NotImplementedError"})
ANY_EXCEPTION = frozenset({"Exception", "BaseException"})
NAME_RE = re.compile(r"[A-Za-z_][\w.]*")
REST_RE = re.compile(r":raises?\s+([^:]+):")
DASHES_RE = re.compile(r"^\s*-{3,}\s*$")
GOOGLE_HEADERS = frozenset({"Raises:", "Raise:"})


def documented_raises(doc: str) -> set[str]:
    """The exception names a docstring documents, by their last dotted segment.

    Google style (`Raises:` then one `Name: why` entry per line, deeper lines continue an entry), numpy
    style (`Raises` underlined with dashes, one name per line) and reST fields (`:raises Name:`).
    """
    found: set[str] = set()
    if "aise" not in doc:  # no `Raises`, `Raise:` or `:raises` anywhere
        return found
    for match in REST_RE.finditer(doc):
        found.update(_names(match.group(1)))
    lines = doc.splitlines()
    for index, line in enumerate(lines):
        stripped = line.strip()
        indent = len(line) - len(line.lstrip())
        head, colon, rest = stripped.partition(":")
        if colon and f"{head}:" in GOOGLE_HEADERS:
            if rest.strip():
                found.update(_entry(rest.strip()))
            found.update(_google_entries(lines[index + 1 :], indent))
        elif stripped == "Raises" and index + 1 < len(lines) and DASHES_RE.match(lines[index + 1]):
            found.update(_numpy_entries(lines[index + 2 :], indent))
    return found


def _names(text: str) -> list[str]:
    return [name.rpartition(".")[2] for name in NAME_RE.findall(text.replace("`", " "))]


def _entry(text: str) -> list[str]:
    """The names an entry line starts with: `ValueError: why`, `A, B: why`, `ValueError if ...`."""
    head, colon, _ = text.partition(":")
    names = _names(head)
    return names if colon else names[:1]


def _google_entries(lines: list[str], header_indent: int) -> set[str]:
    found: set[str] = set()
    entry_indent: int | None = None
    for line in lines:
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip())
        if indent <= header_indent:
            break
        if entry_indent is None:
            entry_indent = indent
        if indent == entry_indent:
            found.update(_entry(line.strip()))
    return found


def _numpy_entries(lines: list[str], header_indent: int) -> set[str]:
    found: set[str] = set()
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip())
        if indent < header_indent or (index + 1 < len(lines) and DASHES_RE.match(lines[index + 1])):
            break
        if indent == header_indent:
            found.update(_names(line.split(":", 1)[0]))
    return found


#: A route's HTTP answers: raised to FastAPI, which turns them into responses; no caller catches them.
HTTP_EXCEPTIONS = frozenset(
    {"fastapi.HTTPException", "fastapi.exceptions.HTTPException", "starlette.exceptions.HTTPException"}
)


class UndocumentedRaise(Rule):
    """## What it does
    Checks for a public function or method whose docstring does not name, in its `Raises:` section, an
    exception the function itself raises. Reported at the `def` line, once, naming what is missing.

    What counts as raised: `raise X(...)` and `raise X` in the function's own body (not in functions
    defined inside it) where `X` is provably an exception class: a builtin exception, a class of the
    module, or an imported PascalCase name. Not counted: bare `raise` and re-raising a caught name, a raise
    inside the body of a `try` of the same function that has handlers (it may be caught there),
    `NotImplementedError` (the abstract-method marker), and raising a variable or a call of a function.

    How names are matched: by the last dotted segment (`errors.NotFound` in the code matches `NotFound`
    in the docstring, and the other way round). A documented base class covers its subclasses when the
    module shows the relation: a class of the module whose ancestors include the documented name, or a
    builtin exception whose MRO does (`FileNotFoundError` under `OSError`). `Exception` documented covers
    everything. Sections are read in Google style (`Raises:`, then one `Name: why` entry per line; several
    names as `A, B: why`), numpy style (`Raises` underlined with dashes) and reST (`:raises Name:`).

    Public: the name does not start with `_` (dunder methods included), the function is at module level or
    a method of a class whose name does not start with `_`, and the module is not a test module. A function
    without a docstring is HR001's (missing-docstring), not reported here. A FastAPI route's
    `HTTPException` is left out: it is the route's HTTP answer, which no caller catches, and the route's
    docstring is the endpoint's OpenAPI description (a helper that raises it is still checked).

    ## Why is this bad?
    Callers learn what to catch from the docstring; an exception missing there is one they will not handle.
    Style guide 001 (Error Handling): "Document which exceptions a function can raise in docstrings"; 000
    (Docstrings) lists them under `Raises:` ("ValueError: If user_id is empty.").

    ## Example
    ```python
    def create_thread(user_id: str) -> str:
        \"\"\"Create a chat thread for the user.\"\"\"
        if not user_id:
            raise ValueError("user_id is empty")
        ...
    ```

    Use instead:
    ```python
    def create_thread(user_id: str) -> str:
        \"\"\"Create a chat thread for the user.

        Raises:
            ValueError: If user_id is empty.
        \"\"\"
        if not user_id:
            raise ValueError("user_id is empty")
        ...
    ```
    """  # noqa: D214, D413 - the example shows a docstring with its own `Raises:` section

    code = "HR704"
    name = "undocumented-raise"
    message = "name each exception the function raises in its docstring's `Raises:` section"
    tier = "opt-in"
    source = "001 Error Handling; 000 Docstrings"
    options = ("hr-test-modules",)
    valid = (
        'def f(x: str) -> None:\n    """Check x.\n\n    Raises:\n        ValueError: If x is empty.\n    """\n'
        "    if not x:\n        raise ValueError('empty')",
        'def f() -> None:\n    """Run.\n\n    Raises:\n        errors.NotFound: When missing.\n'
        '        KeyError, IndexError: On bad input.\n    """\n    from app import errors\n\n'
        "    raise errors.NotFound()\n    raise KeyError\n    raise IndexError",
        'def f() -> None:\n    """Run.\n\n    Raises\n    ------\n    ValueError\n        If bad.\n    """\n'
        "    raise ValueError",
        'def f() -> None:\n    """Run.\n\n    :raises ValueError: If bad.\n    """\n    raise ValueError',
        'def f() -> None:\n    """Run.\n\n    Raises:\n        OSError: If the file is unreadable.\n    """\n'
        "    raise FileNotFoundError(path)",
        'class AppError(Exception): ...\n\nclass NotFound(AppError): ...\n\ndef f() -> None:\n    """Run.\n\n'
        '    Raises:\n        AppError: On failure.\n    """\n    raise NotFound()',
        'def f() -> None:\n    """Run."""\n    try:\n        raise ValueError\n    except ValueError:\n        pass',
        'def _private() -> None:\n    """Run."""\n    raise ValueError',
        'class Base:\n    def run(self) -> None:\n        """Run."""\n        raise NotImplementedError',
        'def f() -> None:\n    """Run."""\n    try:\n        g()\n    except KeyError as err:\n        raise err',
        'def f() -> None:\n    """Run."""\n    raise make_error()',
        'def f() -> None:\n    """Run."""\n    def inner() -> None:\n        raise ValueError\n    return inner',
        "def f() -> None:\n    raise ValueError",
        Example('def test_f() -> None:\n    """Run."""\n    raise ValueError', path="tests/test_f.py"),
        "from fastapi import APIRouter, HTTPException\n\nrouter = APIRouter()\nTASKS: dict[str, str] = {}\n\n\n"
        "@router.delete('/{task_id}', status_code=204)\nasync def delete_task(task_id: str) -> None:\n"
        '    """Delete a task by id."""\n    if TASKS.pop(task_id, None) is None:\n'
        "        raise HTTPException(status_code=404)",
    )
    invalid = (
        'def create(user_id: str) -> str:  # error: HR704\n    """Create a thread."""\n    if not user_id:\n'
        "        raise ValueError('empty')\n    return user_id",
        'async def f() -> None:  # error: HR704\n    """Run.\n\n    Raises:\n        KeyError: If missing.\n'
        '    """\n    raise KeyError\n    raise ValueError',
        "from app.errors import NotFound\n\nclass Store:\n    def get(self) -> None:  # error: HR704\n"
        '        """Get."""\n'
        "        try:\n            g()\n        except KeyError as err:\n            raise NotFound() from err",
        'from app.errors import QuotaError\n\ndef f() -> None:  # error: HR704\n    """Run.\n\n    Returns:\n'
        '        Nothing.\n    """\n    raise QuotaError',
        "from fastapi import APIRouter, HTTPException\n\nrouter = APIRouter()\n\n\n"
        "def find_task(task_id: str) -> str:  # error: HR704\n"
        '    """Find a task."""\n    raise HTTPException(status_code=404)\n\n\n'
        "@router.get('/{task_id}')\nasync def get_task(task_id: str) -> str:  # error: HR704\n"
        '    """Get a task."""\n    if not task_id:\n        raise ValueError(task_id)\n'
        "    raise HTTPException(status_code=404)",
    )

    def start(self) -> None:
        """Per module: the exception names each function raises."""
        self._raised: dict[FunctionNode, list[tuple[str, ast.ClassDef | None]]] = {}

    @classmethod
    def applies_to(cls, ctx: ModuleContext) -> bool:
        """Not in test modules."""
        return not ctx.is_test_module()

    def visit_Raise(self, node: ast.Raise) -> None:
        """Record what a raise raises, by the function it escapes from."""
        exc = node.exc
        if exc is None:
            return
        target = exc.func if isinstance(exc, ast.Call) else exc
        if not isinstance(target, ast.Name | ast.Attribute):
            return
        raised = self._exception_class(target)
        if raised is None or raised[0] in EXEMPT:
            return
        function = self._escapes_from(node)
        if function is not None:
            self._raised.setdefault(function, []).append(raised)

    def finish(self) -> None:
        """Report each public function whose docstring misses a raised exception.

        A route's `HTTPException` is its HTTP answer, not an exception a caller catches, and its docstring
        is the endpoint's OpenAPI description: it is left out.
        """
        routes = None
        for function, all_raised in self._raised.items():
            if not self._public(function):
                continue
            raised = all_raised
            if any(name in HTTP_EXCEPTIONS for name, _ in raised):
                if routes is None:
                    routes = self.ctx.fact(FastAPIRoutes).by_function
                if function in routes:
                    raised = [item for item in raised if item[0] not in HTTP_EXCEPTIONS]
                    if not raised:
                        continue
            doc = ast.get_docstring(function)
            if doc is None:
                continue
            documented = documented_raises(doc)
            if documented & ANY_EXCEPTION:
                continue
            missing: list[str] = []
            for name, local in raised:
                short = name.rpartition(".")[2]
                if short not in missing and not self._covered(name, local, documented):
                    missing.append(short)
            if missing:
                names = ", ".join(f"`{name}`" for name in missing)
                self.report(function, f"add {names} to the docstring's `Raises:` section")

    def _escapes_from(self, node: ast.Raise) -> FunctionNode | None:
        """The function a raise leaves, or `None`: at module level, in a lambda, or in the body of a `try`
        with handlers in the same function (it may be caught there).
        """
        child: ast.AST = node
        parent = self.ctx.parent(node)
        while parent is not None:
            if isinstance(parent, FunctionNode):
                return parent
            if isinstance(parent, ast.Lambda):
                return None
            if (
                isinstance(parent, ast.Try | ast.TryStar)
                and parent.handlers
                and any(statement is child for statement in parent.body)
            ):
                return None
            child, parent = parent, self.ctx.parent(parent)
        return None

    def _exception_class(self, expr: ast.Name | ast.Attribute) -> tuple[str, ast.ClassDef | None] | None:
        """The dotted name of a raised class (and the class, when it is the module's), or `None`."""
        name = exception_name(self.ctx, expr)
        if name is not None:
            if name in BUILTIN_EXCEPTIONS:
                return name, None
            last = name.rpartition(".")[2]
            if name.startswith("builtins.") or not last[:1].isupper() or last.isupper():
                return None
            return name, None
        if isinstance(expr, ast.Name):
            bindings = self.ctx.lookup(expr)
            if bindings and len(bindings) == 1 and isinstance(bindings[0].node, ast.ClassDef):
                return expr.id, bindings[0].node
        return None

    def _covered(self, name: str, local: ast.ClassDef | None, documented: set[str]) -> bool:
        """Whether the docstring names the class, or a base of it that the module shows."""
        if name.rpartition(".")[2] in documented:
            return True
        if name in BUILTIN_EXCEPTIONS:
            value = getattr(builtins, name.removeprefix("builtins."), None)
            return isinstance(value, type) and any(base.__name__ in documented for base in value.__mro__)
        if local is not None:
            ancestry = self.ctx.classes.ancestry(local)
            return any(base.rpartition(".")[2] in documented for base in ancestry.names)
        return False

    def _public(self, function: FunctionNode) -> bool:
        """A public function not nested in another, or a public method of a public class."""
        if function.name.startswith("_") or self.ctx.enclosing_function(function) is not None:
            return False
        cls = self.ctx.enclosing_class(function)
        return cls is None or not cls.name.startswith("_")
