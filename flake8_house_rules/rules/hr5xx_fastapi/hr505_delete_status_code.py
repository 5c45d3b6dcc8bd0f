"""HR505 delete-status-code."""

from __future__ import annotations

import ast

from flake8_house_rules.rules.hr5xx_fastapi.common import (
    Route,
    RouteRule,
    is_response,
    response_class,
    route_status,
)

OK = 200
NO_CONTENT = 204


class DeleteStatusCode(RouteRule):
    """## What it does
    Checks for a DELETE route (`@router.delete(...)`, or `api_route(..., methods=["DELETE"])`) that answers
    neither `204 No Content` nor `200 OK`, or that answers 204 while declaring or returning a body. The
    status code is read as for HR504 (no `status_code=` is FastAPI's 200, which passes). Reported at the
    route decorator.

    A 204 route has a body when its decorator sets a `response_model=` other than `None`, when its return
    annotation is anything but `None` or a response class, or when it returns a value that is not `None`
    and not a response object. A status code the module cannot read is not reported.

    Test modules (`hr-test-modules`) are not checked: the apps they build are fixtures, not the API.

    ## Why is this bad?
    Clients treat other codes on a DELETE as "not done yet" (202) or as errors, and a 204 response has no
    body by definition: FastAPI drops what the handler returns, so the declared model documents a body
    that never arrives. Style guide 001 (FastAPI Routes): "DELETE endpoints should return 204 (no content)
    or 200 with deleted resource".

    ## Example
    ```python
    @router.delete("/users/{user_id}", status_code=204, response_model=UserResponse)
    async def delete_user(user_id: int) -> UserResponse:
        return await service.delete_one(user_id)
    ```

    Use instead:
    ```python
    @router.delete("/users/{user_id}", status_code=204)
    async def delete_user(user_id: int) -> None:
        await service.delete_one(user_id)
    ```
    """

    code = "HR505"
    name = "delete-status-code"
    message = "answer a DELETE with 204 and no body, or 200 with the deleted resource"
    source = "001 FastAPI Routes"
    valid = (
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n"
        "@router.delete('/users/{id}', status_code=204)\nasync def delete_user(id: int) -> None:\n"
        "    await service.delete_one(id)",
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n"
        "@router.delete('/users/{id}')\nasync def delete_user(id: int) -> User:\n"
        "    return await service.delete_one(id)",
        "from fastapi import APIRouter, Response, status\n\nrouter = APIRouter()\n\n"
        "@router.delete('/users/{id}', status_code=status.HTTP_204_NO_CONTENT, response_model=None)\n"
        "async def delete_user(id: int) -> Response:\n    return Response(status_code=204)",
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n"
        "@router.delete('/users/{id}', status_code=204)\nasync def delete_user(id: int):\n"
        "    if not await service.delete_one(id):\n        return None",
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n"
        "@router.delete('/users/{id}', status_code=code)\nasync def delete_user(id: int) -> None: ...",
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n"
        "@router.post('/users/{id}/delete', status_code=202)\nasync def delete_user(id: int) -> None: ...",
    )
    invalid = (
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n"
        "@router.delete('/users/{id}', status_code=202)  # error: HR505\nasync def delete_user(id: int) -> None: ...",
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n"
        "@router.delete('/users/{id}', status_code=204, response_model=User)  # error: HR505\n"
        "async def delete_user(id: int): ...",
        "from fastapi import APIRouter, status\n\nrouter = APIRouter()\n\n"
        "@router.delete('/users/{id}', status_code=status.HTTP_204_NO_CONTENT)  # error: HR505\n"
        "async def delete_user(id: int):\n    return {'deleted': id}",
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n"
        "@router.delete('/users/{id}', status_code=204)  # error: HR505\nasync def delete_user(id: int) -> User: ...",
    )

    def finish(self) -> None:
        """Report each DELETE route with another status code, or a 204 with a body."""
        for route in self.http_routes():
            if route.methods != {"DELETE"}:
                continue
            status = route_status(self.ctx, route)
            if status is None or status == OK:
                continue
            if status != NO_CONTENT or self._has_body(route):
                self.report_route(route)

    def _has_body(self, route: Route) -> bool:
        """Whether a 204 route declares or returns a body."""
        model = route.keyword("response_model")
        if model is not None and not _is_none(model):
            return True
        returns = route.function.returns
        if returns is not None and not _is_none(returns) and response_class(self.ctx, returns) is None:
            return True
        return any(
            node.value is not None
            and not _is_none(node.value)
            and is_response(self.ctx, node.value) in {"no", "unknown"}
            for node in self.facts.returns(route.function)
        )


def _is_none(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is None
