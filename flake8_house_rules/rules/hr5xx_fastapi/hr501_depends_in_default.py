"""HR501 depends-in-default."""

from __future__ import annotations

import ast

from flake8_house_rules.rules.hr5xx_fastapi.common import RouteRule

MARKERS = ("Depends", "Security", "Query", "Path", "Header", "Cookie", "Body", "Form", "File")
MARKER_NAMES = frozenset(
    f"{module}.{name}" for module in ("fastapi", "fastapi.param_functions", "fastapi.params") for name in MARKERS
)


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
