"""HR002 docstring-missing-sections."""

from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING

from flake8_house_rules.rule import Example, Rule
from flake8_house_rules.rules.hr0xx_hygiene.common import (
    documented_elsewhere,
    functions,
    has_docstring,
    is_method,
    is_public,
    is_test_name,
)

if TYPE_CHECKING:
    from flake8_house_rules.context import ModuleContext

#: A section header in Google style (`Args:`), NumPy style (`Parameters` over a dashed line), or a Sphinx
#: field (`:param x:`), each for the parameters, the returned or yielded value, and the raised exceptions.
SECTION_RES = {
    "Args": re.compile(
        r"^\s*(?:Args|Arguments|Parameters|Params|Keyword Args|Keyword Arguments|Other Parameters)\s*:"
        r"|^\s*(?:Parameters|Other Parameters)\s*\n\s*-{3,}|:param\b|:key(?:word)?\b",
        re.MULTILINE,
    ),
    "Returns": re.compile(
        r"^\s*(?:Returns?|Yields?)\s*:|^\s*(?:Returns|Yields)\s*\n\s*-{3,}|:returns?:|:rtype:|:yields?:",
        re.MULTILINE,
    ),
    "Raises": re.compile(r"^\s*(?:Raises?|Exceptions?)\s*:|^\s*Raises\s*\n\s*-{3,}|:raises?\b|:except\b", re.MULTILINE),
}
#: Words each section's header holds: a docstring without any of them lacks the section, with no regex run.
SECTION_WORDS = {
    "Args": ("Arg", "Param", "Keyword", ":param", ":key"),
    "Returns": ("Return", "Yield", ":return", ":rtype", ":yield"),
    "Raises": ("Raise", "Exception", ":raise", ":except"),
}
PROPERTIES = frozenset({"functools.cached_property", "abc.abstractproperty"})
NOT_DOCUMENTED_RAISES = frozenset({"NotImplementedError"})


def _has_help(annotation: ast.expr | None) -> bool:
    """Whether a parameter documents itself in its `Annotated` metadata: a call with `help=` in it.

    `Annotated[str, cyclopts.Parameter(help="...")]`, `Annotated[int, typer.Option(help="...")]`: a command
    line's `--help` shows that text, and an `Args:` section would repeat it.
    """
    if not isinstance(annotation, ast.Subscript) or not isinstance(annotation.slice, ast.Tuple):
        return False
    func = annotation.value
    spelled = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    if spelled != "Annotated":
        return False
    return any(
        isinstance(item, ast.Call) and any(keyword.arg == "help" for keyword in item.keywords)
        for item in annotation.slice.elts[1:]
    )


def has_section(text: str, section: str) -> bool:
    """Whether a docstring has a section (`Args`, `Returns`, `Raises`) in Google, NumPy or Sphinx spelling."""
    return any(word in text for word in SECTION_WORDS[section]) and SECTION_RES[section].search(text) is not None


def _raised_name(node: ast.Raise) -> str | None:
    """The name of the exception a `raise` raises: `ValueError` for `raise ValueError("x")`."""
    exc = node.exc
    if isinstance(exc, ast.Call):
        exc = exc.func
    if isinstance(exc, ast.Attribute):
        return exc.attr
    return exc.id if isinstance(exc, ast.Name) else None


def raising_functions(ctx: ModuleContext) -> set[ast.AST]:
    """The functions whose own body raises an exception to the caller, once per module.

    Not counted: a bare re-raise (`raise`), `NotImplementedError` (an abstract method's placeholder), and a
    `raise` inside the body of a `try` in the same function (it may be caught there).
    """

    def build() -> set[ast.AST]:
        found: set[ast.AST] = set()
        for node in ctx.nodes_of(ast.Raise):
            if node.exc is None or _raised_name(node) in NOT_DOCUMENTED_RAISES:
                continue
            child: ast.AST = node
            caught = False
            for ancestor in ctx.ancestors_in_function(node):
                if isinstance(ancestor, ast.Try | ast.TryStar) and ancestor.handlers and child in ancestor.body:
                    caught = True
                    break
                child = ancestor
            function = ctx.enclosing_function(node)
            if not caught and function is not None:
                found.add(function)
        return found

    return ctx.derived("hr002.raising_functions", build)


def _type_name(annotation: ast.expr | None) -> str | None:
    """The class name an annotation names.

    `AsyncSession` for `AsyncSession`, `sa.orm.Session`, `"Session"` or `Annotated[AsyncSession, Depends(get_db)]`.
    """
    if isinstance(annotation, ast.Subscript) and isinstance(annotation.slice, ast.Tuple) and annotation.slice.elts:
        annotation = annotation.slice.elts[0]  # Annotated[T, ...]
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        return annotation.value.rpartition(".")[2].strip() or None
    if isinstance(annotation, ast.Attribute):
        return annotation.attr
    return annotation.id if isinstance(annotation, ast.Name) else None


class DocstringMissingSections(Rule):
    """## What it does
    Checks the docstrings of public functions and methods (as HR001 defines public) for the sections
    their signature and body call for, in Google style:
    - `Args:` when the function takes parameters (not `self` or `cls`);
    - `Returns:` (or `Yields:`) when it returns a value or yields, unless it is annotated `-> None`;
    - `Raises:` when its own body raises an exception: not a bare re-raise, not `NotImplementedError` (an
      abstract placeholder), and not a `raise` inside a `try` of the same function that may catch it.
    The NumPy (`Parameters` over a dashed line) and Sphinx (`:param x:`) spellings of a section count.
    Reported at the docstring. Functions without a docstring are HR001's; properties (`@property`,
    `@cached_property`) are documented as attributes, and overloads, overrides, setters and dunder methods
    are exempt as in HR001. Test modules are not checked.

    Self-documenting parameters: 001 lets a docstring "Skip Args that are self-documenting from type hints
    (e.g., `db: AsyncSession`)". List those classes in `hr-self-documenting-types` (for example
    `AsyncSession,Session,Request,BackgroundTasks`): a parameter annotated with one of them (also as
    `Annotated[AsyncSession, Depends(...)]` or a dotted or quoted name) needs no `Args:` entry, and a
    function whose parameters are all such needs no `Args:` section. By default the option is empty, as 000
    asks for every argument. A command-line parameter with its own help text in its `Annotated` metadata
    (`Annotated[str, cyclopts.Parameter(help="...")]`, `typer.Option(help=...)`) is documented there: `--help`
    shows it, and an `Args:` entry would repeat it.

    ## Why is this bad?
    A docstring that names neither the arguments, the result nor the failures leaves the caller to read
    the body. 000 Docstrings documents each with `Args:`, `Returns:` and `Raises:` sections; 001: "Document
    which exceptions a function can raise in docstrings"; 002: "using Google or NumPy style".

    ## Example
    ```python
    async def create_thread(self, user_id: str) -> str:
        \"\"\"Create a new chat thread for the user.\"\"\"
        if not user_id:
            raise ValueError("user_id is empty")
        ...
    ```

    Use instead:
    ```python
    async def create_thread(self, user_id: str) -> str:
        \"\"\"Create a new chat thread for the user.

        Args:
            user_id: The unique user identifier.

        Returns:
            The thread ID of the newly created thread.

        Raises:
            ValueError: If user_id is empty.
        \"\"\"
    ```
    """  # noqa: D214, D413 - the example shows the sections of another docstring

    code = "HR002"
    name = "docstring-missing-sections"
    message = "add the Google-style sections the signature calls for (`Args:`, `Returns:`, `Raises:`)"
    tier = "opt-in"
    source = "000 Docstrings; 001 Docstrings; 002 Code Style"
    options = ("hr-self-documenting-types", "hr-test-modules")
    valid = (
        "from typing import Annotated\n\nimport cyclopts\n\napp = cyclopts.App()\n\n\n@app.command\n"
        'def resume(name: Annotated[str, cyclopts.Parameter(help="The rule\'s name")]) -> None:\n'
        '    """Resume a rule."""',
        'def find(key: str) -> int:\n    """Find.\n\n    Args:\n        key: The key.\n\n    Returns:\n'
        '        The id.\n    """\n    return 1',
        'def ping() -> None:\n    """Ping."""',
        'class A:\n    """A."""\n\n    def close(self) -> None:\n        """Close."""',
        'def find(key):\n    """Find.\n\n    Parameters\n    ----------\n    key : str\n\n    Returns\n'
        '    -------\n    int\n    """\n    return 1',
        'def find(key):\n    """Find.\n\n    :param key: The key.\n    :returns: The id.\n    """\n    return 1',
        'def _private(key: str) -> int:\n    """Private."""\n    return 1',
        'class A:\n    """A."""\n\n    @property\n    def size(self) -> int:\n'
        '        """The size."""\n        return 1',
        'def run() -> None:\n    """Run."""\n    try:\n        raise ValueError("x")\n    except ValueError:\n'
        "        pass",
        'def abstract() -> None:\n    """Abstract."""\n    raise NotImplementedError',
        'def wrap() -> None:\n    """Wrap."""\n    try:\n        go()\n    except OSError:\n        cleanup()\n'
        "        raise",
        Example(
            'async def list_users(db: AsyncSession) -> None:\n    """List users."""',
            options={"hr-self-documenting-types": "AsyncSession"},
        ),
        Example(
            "from typing import Annotated\n\n"
            'async def list_users(db: Annotated["AsyncSession", Depends(get_db)]) -> None:\n    """List users."""',
            options={"hr-self-documenting-types": "AsyncSession"},
        ),
        Example('def test_find(key: str) -> None:\n    """Finds."""', path="tests/test_find.py"),
        "def find(key: str) -> int:\n    return 1",
    )
    invalid = (
        'def find(key: str) -> int:\n    """Find a user id."""  # error: HR002\n    return 1',
        "from typing import Annotated\n\nimport typer\n\n\n"
        "def resume(name: Annotated[str, typer.Option(help='The name')], force: bool) -> None:\n"
        '    """Resume a rule."""  # error: HR002',
        'class A:\n    """A."""\n\n    def save(self, user: User) -> None:\n        """Save.  # error: HR002\n\n'
        '        Returns:\n            Nothing.\n        """',
        'def check(x: int) -> None:\n    """Check.  # error: HR002\n\n    Args:\n        x: The value.\n    """\n'
        "    if x < 0:\n        raise ValueError(x)",
        'def numbers():\n    """Count up."""  # error: HR002\n    yield 1',
        Example(
            'async def list_users(db: AsyncSession, limit: int) -> None:\n    """List users."""  # error: HR002',
            options={"hr-self-documenting-types": "AsyncSession"},
        ),
    )

    @classmethod
    def applies_to(cls, ctx: ModuleContext) -> bool:
        """Test modules are not checked."""
        return not ctx.is_test_module()

    def visit_Module(self, node: ast.Module) -> None:
        """Check each documented public function; a name starting with `_` (private or dunder) is skipped first."""
        for function in functions(self.ctx):
            if function.name[0] != "_" and has_docstring(function) and not is_test_name(function.name):
                self._check(function)

    def _check(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        """Report a public function's docstring that lacks a section its signature or body calls for."""
        docstring = node.body[0].value  # type: ignore[attr-defined] - has_docstring checked the Expr
        text = docstring.value
        missing = [section for section in self._needed(node) if not has_section(text, section)]
        if not has_section(text, "Raises") and node in raising_functions(self.ctx):
            missing.append("Raises")  # asked last: the module's raises are only collected when it matters
        if not missing or not is_public(self.ctx, node) or documented_elsewhere(self.ctx, node):
            return
        if any(self._is_property(decorator) for decorator in node.decorator_list):
            return
        sections = ", ".join(f"`{section}:`" for section in missing)
        plural = "s" if len(missing) > 1 else ""
        self.report(docstring, f"add the Google-style {sections} section{plural} to the docstring")

    def _needed(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> list[str]:
        """The `Args` and `Returns` sections this function's signature and body call for (`Raises` is `_check`'s)."""
        needed = []
        args = node.args
        params = [*args.posonlyargs, *args.args]
        if params and is_method(self.ctx, node) and not self.ctx.is_staticmethod(node):
            params = params[1:]
        params.extend(args.kwonlyargs)
        if args.vararg is not None:
            params.append(args.vararg)
        if args.kwarg is not None:
            params.append(args.kwarg)
        params = [param for param in params if not _has_help(param.annotation)]
        if params:
            skipped = self.ctx.config.self_documenting_types
            if not skipped or any(_type_name(param.annotation) not in skipped for param in params):
                needed.append("Args")
        scope = self.ctx.scope_of_node.get(node)
        if scope is not None and (scope.returns_value or scope.yields):
            returns = node.returns
            if not (isinstance(returns, ast.Constant) and returns.value is None):
                needed.append("Returns")
        return needed

    def _is_property(self, decorator: ast.expr) -> bool:
        """Whether a decorator is `property`, `functools.cached_property` or `abc.abstractproperty`."""
        if isinstance(decorator, ast.Name) and decorator.id == "property":
            return self.ctx.is_builtin(decorator)
        return self.ctx.qualname(decorator) in PROPERTIES
