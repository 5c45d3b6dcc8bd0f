"""HR612 http-exception-outside-router."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from flake8_house_rules.context.fastapi import is_dependency
from flake8_house_rules.rule import Example, Rule
from flake8_house_rules.rules.hr6xx_data.common import single_layer
from flake8_house_rules.rules.hr7xx_errors.common import caught_types, enclosing_handlers, exception_name

if TYPE_CHECKING:
    from flake8_house_rules.context import ModuleContext

HTTP_EXCEPTIONS = frozenset(
    {
        "fastapi.HTTPException",
        "fastapi.exceptions.HTTPException",
        "starlette.exceptions.HTTPException",
    }
)


class HttpExceptionOutsideRouter(Rule):
    """## What it does
    Checks for `raise HTTPException(...)` (FastAPI's or Starlette's, also raised bare or `from` another
    error) in a store or service module (`hr-store-modules`, `hr-service-modules`); a module whose path
    matches two layers (`app/api/routes/job_state_store.py` is a router and a store by name) is ambiguous
    and not checked. The project's own
    domain errors are not reported, even when they subclass `HTTPException` (style guide 002's `errors.py`
    does that on purpose); only the framework class itself is. Nor is a raise in a FastAPI dependency (a
    function a parameter of which takes `Depends(...)`, `Security(...)` or another parameter marker, as a
    default or in `Annotated[...]`: langflow's `get_current_active_user(user = Depends(get_current_user))`):
    FastAPI calls it for a request, it is HTTP-layer code wherever it lives. Nor is a raise that the same
    function catches again: inside the body of a `try` one of whose handlers names `HTTPException` and does
    not raise (airflow's bulk services raise it to carry a status and a detail into the per-item errors of
    their answer, `except HTTPException as e: results.errors.append(...)`); it never leaves the function.

    ## Why is this bad?
    A status code is the router's business: a service that raises `HTTPException` cannot be reused from a
    background job or a CLI, and the mapping from domain errors to HTTP answers is scattered over the
    layers. Style guide 002 (Error Handling): services "Transform these into domain-specific exceptions",
    "This keeps implementation details hidden from API consumers", and global exception handlers "Map
    domain exceptions to appropriate HTTP status codes".

    ## Example
    ```python
    class UserService:
        async def get_one(self, payload: UserGetPayload) -> UserResponse:
            try:
                user = await self.store.get_one(payload)
            except NoResultFound:
                raise HTTPException(status_code=404, detail="user not found")
    ```

    Use instead:
    ```python
    class UserService:
        async def get_one(self, payload: UserGetPayload) -> UserResponse:
            try:
                user = await self.store.get_one(payload)
            except NoResultFound as exc:
                raise UserNotFoundError(payload.uuid) from exc
    ```
    """

    code = "HR612"
    name = "http-exception-outside-router"
    message = "raise a domain error here and map it to an HTTP status in the router's exception handlers"
    source = "002 Error Handling"
    options = ("hr-store-modules", "hr-service-modules")
    valid = (
        # airflow's bulk services: the raise carries a status into the answer's errors, caught right here
        Example(
            "from fastapi import HTTPException\n\ndef delete_all(ids, results):\n    try:\n        if not ids:\n"
            "            raise HTTPException(404, 'nothing to delete')\n    except HTTPException as e:\n"
            "        results.errors.append({'error': e.detail, 'status_code': e.status_code})\n",
            path="app/services/bulk.py",
        ),
        # langflow: a FastAPI dependency living in a services package
        Example(
            "from fastapi import Depends, HTTPException\nfrom sqlalchemy.orm import Session\n\n"
            "async def get_current_active_user(user=Depends(get_current_user)):\n    if not user.is_active:\n"
            "        raise HTTPException(status_code=403)\n    return user\n\n"
            "def count(session: Session) -> int:\n    return 0\n",
            path="app/services/auth/utils.py",
        ),
        Example(
            "from fastapi import HTTPException\n\n@router.get('/')\nasync def read():\n"
            "    raise HTTPException(status_code=404)",
            path="app/users/routes.py",
        ),
        Example(
            "from app.errors import UserNotFoundError\n\nasync def get_one(uuid):\n    raise UserNotFoundError(uuid)",
            path="app/users/service.py",
        ),
        Example(
            "from fastapi import HTTPException\n\ndef is_http(exc: Exception) -> bool:\n"
            "    return isinstance(exc, HTTPException)",
            path="app/users/service.py",
        ),
        Example(
            "from werkzeug.exceptions import HTTPException\n\ndef f():\n    raise HTTPException()",
            path="app/users/service.py",
        ),
        # a router module named `*_store.py` under `*/routes/*`: two layers, so no layer rule
        Example(
            "from fastapi import APIRouter, HTTPException\n\nrouter = APIRouter()\n\n"
            "@router.put('/{key}', status_code=204)\ndef set_value(key: str, value: str) -> None:\n"
            "    if key not in backend:\n        raise HTTPException(status_code=404)",
            path="app/api/routes/job_state_store.py",
        ),
    )
    invalid = (
        Example(
            "from fastapi import HTTPException\n\ndef delete_all(ids):\n    try:\n        if not ids:\n"
            "            raise HTTPException(404, 'nothing to delete')  # error: HR612\n"
            "    except HTTPException:\n        log()\n        raise\n",
            path="app/services/bulk.py",
        ),
        Example(
            "from fastapi import HTTPException, status\n\nclass UserService:\n    async def get_one(self, payload):\n"
            "        raise HTTPException(status.HTTP_404_NOT_FOUND, 'user not found')  # error: HR612",
            path="app/users/service.py",
        ),
        Example(
            "import starlette.exceptions as exc\n\ndef get_one(session, uuid):\n"
            "    try:\n        return session.get(uuid)\n    except KeyError as e:\n"
            "        raise exc.HTTPException(404) from e  # error: HR612",
            path="app/stores/users.py",
        ),
        Example(
            "from fastapi import HTTPException\n\ndef deny():\n    raise HTTPException  # error: HR612",
            path="app/users/service.py",
        ),
    )

    references = HTTP_EXCEPTIONS

    @classmethod
    def applies_to(cls, ctx: ModuleContext) -> bool:
        """Only store and service modules."""
        return single_layer(ctx) in {"store", "service"}

    def visit_reference(self, node: ast.Name | ast.Attribute, name: str) -> None:
        """Report `raise HTTPException(...)` and `raise HTTPException`, at the `raise`."""
        parent = self.ctx.parent(node)
        if isinstance(parent, ast.Call) and parent.func is node:
            node, parent = parent, self.ctx.parent(parent)
        if isinstance(parent, ast.Raise) and parent.exc is node:
            function = self.ctx.enclosing_function(parent)
            if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef) and is_dependency(self.ctx, function):
                return  # a FastAPI dependency (`user = Depends(current_user)`) is HTTP-layer code
            if self._caught_here(parent):
                return
            self.report(parent)

    def _caught_here(self, raise_: ast.Raise) -> bool:
        """Whether the raise is in the body of a `try` of its function whose handler for `HTTPException`
        does not raise: the exception is caught again before it leaves the function.
        """
        child: ast.AST = raise_
        for ancestor in self.ctx.ancestors_in_function(raise_):
            if isinstance(ancestor, ast.Try | ast.TryStar) and child in ancestor.body:
                for handler in ancestor.handlers:
                    names = {exception_name(self.ctx, item) for item in caught_types(handler)}
                    if not names.isdisjoint(HTTP_EXCEPTIONS) and handler not in self._raising_handlers():
                        return True
            child = ancestor
        return False

    def _raising_handlers(self) -> set[ast.ExceptHandler]:
        """The module's `except` handlers that hold a `raise` (once per module, from the walk's records)."""

        def build() -> set[ast.ExceptHandler]:
            found: set[ast.ExceptHandler] = set()
            for node in self.ctx.nodes_of(ast.Raise):
                found.update(enclosing_handlers(self.ctx, node))
            return found

        return self.ctx.derived("hr612.raising_handlers", build)
