"""HR501 depends-in-default."""

from __future__ import annotations

import ast

from flake8_house_rules.context.fastapi import MARKER_NAMES
from flake8_house_rules.fixes import Edit, Fix, edits
from flake8_house_rules.rule import FixExample
from flake8_house_rules.rules.hr5xx_fastapi.common import RouteRule


class DependsInDefault(RouteRule):
    """## What it does
    Checks for a FastAPI parameter marker used as a parameter's default value: `Depends(...)`,
    `Security(...)`, `Query(...)`, `Path(...)`, `Header(...)`, `Cookie(...)`, `Body(...)`, `Form(...)` or
    `File(...)`, resolved to `fastapi` (also `fastapi.params`/`fastapi.param_functions`). Any function is
    checked, not only routes: dependencies take their own dependencies the same way. Reported at the
    parameter.

    The `Annotated[T, Depends(f)]` form is the fix and is never reported; neither is a marker of another
    library spelled the same (`sqlmodel`'s `Field`, a project's own `Depends`), nor a lambda's default
    (a lambda cannot annotate its parameters).

    Test modules (`hr-test-modules`) are not checked: the apps they build are fixtures, not the API.

    ## Why is this bad?
    A marker in the default position lies about the parameter: `user: User = Depends(current_user)` says
    that calling the function without `user` passes a `Depends` object. With `Annotated` the function
    stays callable as plain Python, the dependency can be reused as a type alias, and the default position
    is free for a real default. Style guide 001 (FastAPI Routes): "Use `Annotated[T, Depends(...)]` pattern
    for dependency injection".

    ## Example
    ```python
    @router.get("/me")
    async def read_me(user: User = Depends(current_user), limit: int = Query(10)) -> UserResponse: ...
    ```

    Use instead:
    ```python
    CurrentUser = Annotated[User, Depends(current_user)]

    @router.get("/me")
    async def read_me(user: CurrentUser, limit: Annotated[int, Query()] = 10) -> UserResponse: ...
    ```
    """

    code = "HR501"
    name = "depends-in-default"
    message = "move the FastAPI marker into the annotation: `name: Annotated[T, Depends(...)]`"
    fix = "safe"
    source = "001 FastAPI Routes"
    valid = (
        "from typing import Annotated\nfrom fastapi import Depends, Query\n\n"
        "async def read(user: Annotated[User, Depends(current_user)], limit: Annotated[int, Query()] = 10): ...",
        "from sqlmodel import Field\n\ndef make(x: int = Field(default=1)): ...",
        "from app.di import Depends\n\ndef read(user=Depends(current_user)): ...",
        "from fastapi import Depends\n\nhandler = lambda user=Depends(current_user): user",
        "from fastapi import Depends\n\ndef read(user: User = None):\n    return Depends(current_user)",
        "from fastapi import Depends\n\ndef read(Depends=Depends):\n    return Depends(current_user)",
    )
    invalid = (
        "from fastapi import Depends, Query\n\n@router.get('/me')\nasync def read_me(\n"
        "    user: User = Depends(current_user),  # error: HR501\n"
        "    limit: int = Query(10),  # error: HR501\n    plain: int = 3,\n) -> None: ...",
        "import fastapi\n\ndef get_service(*, db: Session = fastapi.Depends(get_db)) -> Service:  # error: HR501\n"
        "    return Service(db)",
        "from fastapi import Security, params\n\nclass Checker:\n"
        "    def __init__(self, scopes=Security(oauth2), body=params.Body(None)):  # error: HR501, HR501\n"
        "        self.scopes = scopes",
    )

    calls = MARKER_NAMES

    def visit_call(self, node: ast.Call, name: str) -> None:
        """Report a marker call that is a parameter's default."""
        args = self.ctx.parent(node)
        if not isinstance(args, ast.arguments) or isinstance(self.ctx.parent(args), ast.Lambda):
            return
        param = _parameter_of_default(args, node)
        if param is not None:
            self.report(param)

    def fix_for(self, node: ast.AST | tuple[int, int]) -> Fix | None:
        """`name: T = Depends(dep)` becomes `name: Annotated[T, Depends(dep)]`; a marker's own default moves to
        the parameter (`limit: int = Query(10, ge=1)` becomes `limit: Annotated[int, Query(ge=1)] = 10`).

        Only an annotated parameter is rewritten, and a positional one only when every earlier positional
        parameter with a default is such a marker too (a parameter without a default cannot follow one with).
        """
        if not isinstance(node, ast.arg) or node.annotation is None:
            return None
        args = self.ctx.parent(node)
        if not isinstance(args, ast.arguments):
            return None
        call = _default_of(args, node)
        if not isinstance(call, ast.Call):
            return None
        marker = self._marker_text(call)
        if marker is None:
            return None
        text, default = marker
        if default is None and not self._may_lose_default(args, node):
            return None
        annotated = edits.import_name(self.ctx, "typing", "Annotated", node)
        annotation = edits.text_of(self.ctx, node.annotation)
        if annotated is None or annotation is None:
            return None
        spelled, import_edit = annotated
        start, end = edits.start_of(self.ctx, node.annotation), edits.end_of(self.ctx, call)
        if "#" in edits.span_text(self.ctx, start, end):
            return None
        new = f"{spelled}[{annotation}, {text}]" + (f" = {default}" if default is not None else "")
        edit = Edit(new, start, end)
        return Fix.safe("Move the marker into `Annotated[...]`", *([import_edit] if import_edit else []), edit)

    def _marker_text(self, call: ast.Call) -> tuple[str, str | None] | None:
        """The marker call as written inside `Annotated`, and the default it gave (`None` for no default)."""
        name = self.ctx.call_name(call) or ""
        whole = edits.text_of(self.ctx, call)
        if whole is None or "#" in whole:
            return None
        if name.rpartition(".")[2] in {"Depends", "Security"}:
            return whole, None
        value: ast.expr | None = None
        if call.args and not isinstance(call.args[0], ast.Starred):
            value = call.args[0]
        elif any(keyword.arg is None for keyword in call.keywords):
            return None
        for keyword in call.keywords:
            if keyword.arg == "default":
                value = keyword.value
        if value is None:
            return whole, None
        func = edits.text_of(self.ctx, call.func)
        rest = [edits.text_of(self.ctx, item) for item in [*call.args, *call.keywords] if item is not value]
        rest = [text for text in rest if not text or not text.startswith("default=")]
        default = edits.text_of(self.ctx, value)
        if func is None or default is None or any(text is None for text in rest):
            return None
        kept = ", ".join(text for text in rest if text)
        required = isinstance(value, ast.Constant) and value.value is Ellipsis
        return f"{func}({kept})", (None if required else default)

    def _may_lose_default(self, args: ast.arguments, param: ast.arg) -> bool:
        """Whether a parameter may drop its default: keyword-only, or each earlier default is a marker too."""
        positional = [*args.posonlyargs, *args.args]
        if param not in positional:
            return True
        defaults = dict(zip(positional[len(positional) - len(args.defaults) :], args.defaults, strict=True))
        for earlier in positional[: positional.index(param)]:
            value = defaults.get(earlier)
            if value is None:
                continue
            if earlier.annotation is None or not isinstance(value, ast.Call):
                return False
            if self.ctx.call_name(value) not in MARKER_NAMES:
                return False
            marker = self._marker_text(value)
            if marker is None or marker[1] is not None:
                return False
        return True

    fixes = (
        FixExample(
            "from fastapi import Depends, Query\n\n@router.get('/me')\nasync def read_me(\n"
            "    user: User = Depends(current_user),  # error: HR501\n"
            "    q: str = Query(...),  # error: HR501\n    limit: int = Query(10, ge=1),  # error: HR501\n"
            ") -> None: ...",
            "from typing import Annotated\n\nfrom fastapi import Depends, Query\n\n@router.get('/me')\n"
            "async def read_me(\n"
            "    user: Annotated[User, Depends(current_user)],\n"
            "    q: Annotated[str, Query()],\n    limit: Annotated[int, Query(ge=1)] = 10,\n) -> None: ...",
        ),
        FixExample(
            "import fastapi\n\ndef get_service(*, db: Session = fastapi.Depends(get_db)) -> Service:  # error: HR501\n"
            "    return Service(db)",
            "from typing import Annotated\n\nimport fastapi\n\n"
            "def get_service(*, db: Annotated[Session, fastapi.Depends(get_db)]) -> Service:\n    return Service(db)",
        ),
    )


def _parameter_of_default(args: ast.arguments, default: ast.expr) -> ast.arg | None:
    """The parameter whose default a node is (`None` when the node is no default of these arguments)."""
    positional = [*args.posonlyargs, *args.args]
    for param, value in zip(positional[len(positional) - len(args.defaults) :], args.defaults, strict=True):
        if value is default:
            return param
    for param, value in zip(args.kwonlyargs, args.kw_defaults, strict=True):
        if value is default:
            return param
    return None


def _default_of(args: ast.arguments, param: ast.arg) -> ast.expr | None:
    """The default of a parameter, if it has one."""
    positional = [*args.posonlyargs, *args.args]
    if param in positional:
        defaults = dict(zip(positional[len(positional) - len(args.defaults) :], args.defaults, strict=True))
        return defaults.get(param)
    for other, value in zip(args.kwonlyargs, args.kw_defaults, strict=True):
        if other is param:
            return value
    return None
