"""HR511 untyped-request-body."""

from __future__ import annotations

import ast

from flake8_house_rules.rule import Example
from flake8_house_rules.rules.hr5xx_fastapi.common import RouteRule
from flake8_house_rules.rules.hr5xx_fastapi.hr501_depends_in_default import MARKER_NAMES

MAPPINGS = frozenset(
    {
        "typing.Dict",
        "typing.Mapping",
        "typing.MutableMapping",
        "collections.abc.Mapping",
        "collections.abc.MutableMapping",
    }
)
OPTIONALS = frozenset({"typing.Optional", "typing.Union"})
MAX_DEPTH = 8


class UntypedRequestBody(RouteRule):
    """## What it does
    Checks for a parameter of an HTTP route handler that FastAPI reads from the request body without a
    model: one typed `dict`, `Dict` or `Mapping`, bare or with values of any type (`dict[str, Any]`,
    `Dict[str, object]`; also `| None`), or one typed `Any` or not annotated but marked `Body(...)`.
    Reported at the parameter.

    Left alone, for precision: a mapping whose values are typed (`dict[str, float]`, `dict[str, Item]`):
    FastAPI validates every value, and the schema says what they are; and a pass-through, a `dict` body
    whose every use in the handler is to hand it whole to a call (`return await forward(path, body)`): the
    upstream API it is forwarded to owns the schema (an OpenAI-compatible proxy).

    FastAPI's own rules decide what is a body: a mapping type with no marker is a body; `Any` and a
    parameter without annotation are *query* parameters unless marked `Body()`, so they are reported only
    with that marker (as a default or in `Annotated[..., Body()]`). A parameter marked `Depends`, `Query`,
    `Path`, `Header`, `Cookie`, `Form` or `File` is not a JSON body, and a union with a model
    (`Item | dict`) is partly typed: neither is reported.

    Test modules (`hr-test-modules`) are not checked: the apps they build are fixtures, not the API.

    ## Why is this bad?
    An untyped body is validated by nothing: the handler gets whatever the client sent, and the OpenAPI
    schema says only "object". Style guide 000 (FastAPI Patterns): "Pydantic models for request/response"
    (`request: CreateThreadRequest`).

    ## Example
    ```python
    @router.post("/threads", status_code=201)
    async def create_thread(request: dict) -> CreateThreadResponse: ...
    ```

    Use instead:
    ```python
    class CreateThreadRequest(BaseModel):
        thread_name: str | None = Field(default=None, description="Display name")

    @router.post("/threads", status_code=201)
    async def create_thread(request: CreateThreadRequest) -> CreateThreadResponse: ...
    ```
    """

    code = "HR511"
    name = "untyped-request-body"
    message = "type the request body with a pydantic model instead of `dict`/`Any`"
    source = "000 FastAPI Patterns"
    valid = (
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n"
        "@router.post('/threads')\nasync def create(request: CreateThreadRequest) -> None: ...",
        "from typing import Any\nfrom fastapi import APIRouter\n\nrouter = APIRouter()\n\n"
        "@router.get('/search')\nasync def search(q: Any, page=1) -> None: ...",
        "from typing import Annotated\nfrom fastapi import APIRouter, Depends\n\nrouter = APIRouter()\n\n"
        "@router.post('/threads')\nasync def create(ctx: Annotated[dict, Depends(get_context)]) -> None: ...",
        "from fastapi import APIRouter, Depends\n\nrouter = APIRouter()\n\n"
        "@router.post('/threads')\nasync def create(ctx: dict = Depends(get_context)) -> None: ...",
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n"
        "@router.post('/threads')\nasync def create(payload: Thread | dict) -> None: ...",
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\ndef build(payload: dict) -> None: ...",
        "from fastapi import APIRouter, WebSocket\n\nrouter = APIRouter()\n\n"
        "@router.websocket('/ws')\nasync def ws(websocket: WebSocket, options: dict) -> None: ...",
        "from fastapi import APIRouter\n\nrouter = APIRouter()\ndict = MyModel\n\n"
        "@router.post('/threads')\nasync def create(request: dict) -> None: ...",
        Example(
            "from fastapi import FastAPI\n\napp = FastAPI()\n\n@app.post('/echo')\n"
            "async def echo(body: dict) -> dict: ...",
            path="tests/test_app.py",
        ),
        # typed values; a pass-through proxy
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n@router.post('/discounts')\n"
        "async def update(config: dict[str, float], nested: dict[str, dict[str, int]]) -> None: ...",
        "from fastapi import APIRouter\n\nfrom app.upstream import forward\n\nrouter = APIRouter()\n\n"
        "@router.post('/v1/chat/completions', status_code=201)\n"
        "async def chat_completions(form_data: dict) -> dict:\n"
        "    return await forward('/v1/chat/completions', form_data)",
    )
    invalid = (
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n"
        "@router.post('/threads')\nasync def create(request: dict) -> None: ...  # error: HR511",
        "from typing import Any, Dict, Optional\nfrom fastapi import APIRouter, Body\n\nrouter = APIRouter()\n\n"
        "@router.put('/threads/{id}')\nasync def update(\n    id: str,\n"
        "    patch: Optional[Dict[str, Any]],  # error: HR511\n"
        "    extra: Any = Body(None),  # error: HR511\n    raw=Body(...),  # error: HR511\n) -> None: ...",
        "from typing import Annotated\nfrom fastapi import FastAPI, Body\n\napp = FastAPI()\n\n"
        "@app.post('/events')\n"
        "def ingest(event: Annotated[dict[str, object] | None, Body()]) -> None: ...  # error: HR511",
        # read into, not passed on whole
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n@router.post('/v1/chat')\n"
        "async def chat(form_data: dict) -> dict:  # error: HR511\n"
        "    model = form_data['model']\n    return await forward(model, form_data)",
    )

    def finish(self) -> None:
        """Report each untyped body parameter of each HTTP route handler."""
        seen: set[ast.AST] = set()
        found: list[ast.arg] = []
        for route in self.http_routes():
            function = route.function
            if function in seen:
                continue
            seen.add(function)
            found.extend(param for param, default in _parameters(function.args) if self._untyped_body(param, default))
        if not found:
            return
        uses = self._uses({param.arg for param in found})
        for param in found:
            if not self._passed_through(param, uses.get(param.arg, [])):
                self.report(param)

    def _uses(self, names: set[str]) -> dict[str, list[ast.Name]]:
        """The loads of the given names in the module (asked only when a route has an untyped body)."""
        found: dict[str, list[ast.Name]] = {}
        for node in self.ctx.nodes_of(ast.Name):
            if node.id in names and isinstance(node.ctx, ast.Load):
                found.setdefault(node.id, []).append(node)
        return found

    def _passed_through(self, param: ast.arg, uses: list[ast.Name]) -> bool:
        """Whether every use of the parameter in its function hands it whole to a call, and there is one."""
        mine = [use for use in uses if any(binding.node is param for binding in self.ctx.lookup(use) or ())]
        if not mine:
            return False
        for use in mine:
            parent = self.ctx.parent(use)
            if isinstance(parent, ast.keyword):
                parent = self.ctx.parent(parent)
                if not isinstance(parent, ast.Call):
                    return False
            elif not isinstance(parent, ast.Call) or use not in parent.args:
                return False
        return True

    def _untyped_body(self, param: ast.arg, default: ast.expr | None) -> bool:
        annotation = param.annotation
        markers: list[str] = []
        if isinstance(default, ast.Call) and self.ctx.qualname(default.func) in MARKER_NAMES:
            markers.append(self.ctx.qualname(default.func) or "")
        if isinstance(annotation, ast.Subscript) and self.ctx.qualname(annotation.value) == "typing.Annotated":
            parts = annotation.slice.elts if isinstance(annotation.slice, ast.Tuple) else [annotation.slice]
            annotation = parts[0] if parts else None
            markers.extend(
                self.ctx.qualname(part.func) or ""
                for part in parts[1:]
                if isinstance(part, ast.Call) and self.ctx.qualname(part.func) in MARKER_NAMES
            )
        kinds = {marker.rpartition(".")[2] for marker in markers}
        if kinds - {"Body"}:
            return False
        if "Body" in kinds and (annotation is None or self.ctx.qualname(annotation) == "typing.Any"):
            return True
        return annotation is not None and self._is_mapping(annotation)

    def _is_mapping(self, annotation: ast.expr, depth: int = 0) -> bool:
        """`dict`, `dict[...]`, `Dict[...]`, `Mapping[...]`, and those `| None` / in `Optional[...]`."""
        if depth > MAX_DEPTH:
            return False
        if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
            sides = [annotation.left, annotation.right]
            return any(self._is_mapping(side, depth + 1) for side in sides) and all(
                _is_none(side) or self._is_mapping(side, depth + 1) for side in sides
            )
        if isinstance(annotation, ast.Subscript):
            if self.ctx.qualname(annotation.value) in OPTIONALS:
                parts = annotation.slice.elts if isinstance(annotation.slice, ast.Tuple) else [annotation.slice]
                return any(self._is_mapping(part, depth + 1) for part in parts) and all(
                    _is_none(part) or self._is_mapping(part, depth + 1) for part in parts
                )
            if not self._untyped_values(annotation.slice):
                return False  # `dict[str, float]`: FastAPI validates each value
            annotation = annotation.value
        if isinstance(annotation, ast.Name) and annotation.id == "dict" and self.ctx.is_builtin(annotation):
            return True
        return self.ctx.qualname(annotation) in MAPPINGS

    def _untyped_values(self, arguments: ast.expr) -> bool:
        """Whether a mapping's type arguments leave its values untyped: `[str, Any]`, `[str, object]`."""
        parts = arguments.elts if isinstance(arguments, ast.Tuple) else [arguments]
        if len(parts) != 2:
            return True
        value = parts[1]
        if isinstance(value, ast.Name) and value.id == "object" and self.ctx.is_builtin(value):
            return True
        return self.ctx.qualname(value) == "typing.Any"


def _parameters(args: ast.arguments) -> list[tuple[ast.arg, ast.expr | None]]:
    """Each named parameter with its default (`*args` and `**kwargs` are not request fields)."""
    positional = [*args.posonlyargs, *args.args]
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
    return [
        *zip(positional, defaults, strict=True),
        *zip(args.kwonlyargs, args.kw_defaults, strict=True),
    ]


def _is_none(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is None
