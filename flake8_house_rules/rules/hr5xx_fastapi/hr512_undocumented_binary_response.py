"""HR512 undocumented-binary-response."""

from __future__ import annotations

import ast
import mimetypes
from typing import Literal

from flake8_house_rules.context.fastapi import Route
from flake8_house_rules.rules.hr5xx_fastapi.common import RouteRule, hidden, response_class

Content = Literal["binary", "text", "unknown"]
TEXT_APPLICATION_TYPES = frozenset(
    {
        "application/json",
        "application/x-ndjson",
        "application/jsonl",
        "application/xml",
        "application/javascript",
        "application/yaml",
        "application/x-yaml",
        "application/x-www-form-urlencoded",
    }
)
TEXT_RESPONSES = frozenset(
    {"HTMLResponse", "JSONResponse", "PlainTextResponse", "RedirectResponse", "ORJSONResponse", "UJSONResponse"}
)
TEXT_RESPONSES_EVENTS = frozenset({"EventSourceResponse"})
BINARY_CAPABLE = frozenset({"FileResponse", "StreamingResponse", "Response"})


class UndocumentedBinaryResponse(RouteRule):
    """## What it does
    Checks for an HTTP route that answers with binary content but whose decorator has no
    `responses={200: {"content": {...}}}` entry (any status key whose value is a dict literal with a
    `"content"` key counts). Reported at the route decorator.

    A route answers binary content when it returns a `FileResponse`, `StreamingResponse` or `Response` whose
    `media_type=` is a literal binary type (`image/png`, `application/pdf`, `application/octet-stream`:
    anything but `text/*`, JSON, NDJSON, XML, YAML, JavaScript), or a `FileResponse` of a literal file
    name with such a type; or when its decorator says `response_class=FileResponse` and no `return` answers
    text (a template, HTML, JSON, a redirect) and the route's own path does not name a text file
    (`/.well-known/assetlinks.json`). `StreamingResponse` alone is not binary: it mostly streams
    server-sent events or NDJSON. A `responses=` that is not a literal dict, a `**kwargs`, and a route
    hidden from the schema (`include_in_schema=False`: there is no page to document) are not reported.
    Opt-in: it is a documentation rule.

    Test modules (`hr-test-modules`) are not checked: the apps they build are fixtures, not the API.

    ## Why is this bad?
    Without a `content` entry the OpenAPI schema says the route returns JSON, so generated clients try to
    parse a PDF as JSON and the docs page offers no download. Style guide 001 (FastAPI Routes): "Document
    binary responses (PDF, images) with `responses={200: {"content": {...}}}`".

    ## Example
    ```python
    @router.get("/invoices/{invoice_id}.pdf")
    async def invoice_pdf(invoice_id: int) -> Response:
        return Response(await render_pdf(invoice_id), media_type="application/pdf")
    ```

    Use instead:
    ```python
    @router.get(
        "/invoices/{invoice_id}.pdf",
        responses={200: {"content": {"application/pdf": {}}, "description": "The invoice as PDF"}},
    )
    async def invoice_pdf(invoice_id: int) -> Response:
        return Response(await render_pdf(invoice_id), media_type="application/pdf")
    ```
    """

    code = "HR512"
    name = "undocumented-binary-response"
    message = 'document the binary response: `responses={200: {"content": {"<media type>": {}}}}`'
    tier = "opt-in"
    source = "001 FastAPI Routes"
    valid = (
        "from fastapi import APIRouter, Response\n\nrouter = APIRouter()\n\n"
        "@router.get('/i.pdf', responses={200: {'content': {'application/pdf': {}}}})\nasync def pdf() -> Response:\n"
        "    return Response(b'', media_type='application/pdf')",
        "from fastapi import APIRouter\nfrom fastapi.responses import StreamingResponse\n\nrouter = APIRouter()\n\n"
        "@router.get('/events')\nasync def events() -> StreamingResponse:\n"
        "    return StreamingResponse(gen(), media_type='text/event-stream')",
        "from fastapi import APIRouter\nfrom fastapi.responses import FileResponse\n\nrouter = APIRouter()\n\n"
        "@router.get('/', response_class=FileResponse)\ndef index(request):\n"
        "    return templates.TemplateResponse('index.html', context={'request': request})",
        "from fastapi import APIRouter\nfrom fastapi.responses import FileResponse\n\nrouter = APIRouter()\n\n"
        "@router.get('/robots.txt')\ndef robots():\n    return FileResponse('static/robots.txt')",
        "from fastapi import APIRouter\nfrom fastapi.responses import FileResponse\n\nrouter = APIRouter()\n\n"
        "@router.get('/logo', responses=LOGO_RESPONSES)\ndef logo():\n    return FileResponse('logo.png')",
        "from fastapi import APIRouter\nfrom fastapi.responses import StreamingResponse\n\nrouter = APIRouter()\n\n"
        "@router.get('/stream')\nasync def stream():\n    return StreamingResponse(gen())",
        "from fastapi import APIRouter\nfrom fastapi.responses import FileResponse\n\nrouter = APIRouter()\n\n"
        "@router.get('/.well-known/assetlinks.json', response_class=FileResponse)\ndef links():\n"
        "    return FileResponse(settings.assetlinks_path)",
        "from fastapi import APIRouter\nfrom fastapi.responses import FileResponse\n\nrouter = APIRouter()\n\n"
        "@router.get('/favicon.ico', include_in_schema=False)\ndef favicon():\n"
        "    return FileResponse(path, media_type='image/x-icon')",
    )
    invalid = (
        "from fastapi import APIRouter, Response\n\nrouter = APIRouter()\n\n"
        "@router.get('/i.pdf')  # error: HR512\nasync def pdf() -> Response:\n"
        "    return Response(b'', media_type='application/pdf')",
        "from fastapi import APIRouter\nfrom fastapi.responses import FileResponse\n\nrouter = APIRouter()\n\n"
        "@router.get('/logo', responses={404: {'description': 'no logo'}})  # error: HR512\ndef logo():\n"
        "    if missing:\n        return FileResponse(path, media_type=media_type)\n"
        "    return FileResponse('logo.png')",
        "from fastapi import FastAPI\nfrom fastapi.responses import FileResponse\n\napp = FastAPI()\n\n"
        "@app.get('/export', response_class=FileResponse)  # error: HR512\ndef export():\n    return build_export()",
    )

    def finish(self) -> None:
        """Report each binary route without a documented content type."""
        for route in self.http_routes():
            if route.splat or hidden(route) or not self._binary(route):
                continue
            if not _documents_content(route.keyword("responses")):
                self.report_route(route)

    def _binary(self, route: Route) -> bool:
        contents = {self._content(node.value) for node in self.facts.returns(route.function)}
        if "binary" in contents:
            return True
        declared = route.keyword("response_class")
        if declared is None or response_class(self.ctx, declared) != "FileResponse" or "text" in contents:
            return False
        guessed = mimetypes.guess_type(route.path)[0] if route.path else None
        return guessed is None or _media_content(guessed) == "binary"

    def _content(self, value: ast.expr | None) -> Content:
        """What a returned expression sends: binary content, text, or unknown."""
        if isinstance(value, ast.Await):
            value = value.value
        if not isinstance(value, ast.Call):
            return "unknown"
        if isinstance(value.func, ast.Attribute) and value.func.attr == "TemplateResponse":
            return "text"
        kind = response_class(self.ctx, value.func)
        if kind is None:
            return "unknown"
        if kind in TEXT_RESPONSES or kind in TEXT_RESPONSES_EVENTS:
            return "text"
        if kind not in BINARY_CAPABLE:
            return "unknown"
        media = _literal_keyword(value, "media_type")
        if media is not None:
            return _media_content(media)
        if kind == "FileResponse" and value.args:
            path = value.args[0]
            if isinstance(path, ast.Constant) and isinstance(path.value, str):
                guessed, _ = mimetypes.guess_type(path.value)
                return "unknown" if guessed is None else _media_content(guessed)
        return "unknown"


def _literal_keyword(call: ast.Call, name: str) -> str | None:
    for keyword in call.keywords:
        if keyword.arg == name and isinstance(keyword.value, ast.Constant) and isinstance(keyword.value.value, str):
            return keyword.value.value
    return None


def _media_content(media_type: str) -> Content:
    base = media_type.split(";", 1)[0].strip().lower()
    if not base or "/" not in base:
        return "unknown"
    if base.startswith("text/") or base in TEXT_APPLICATION_TYPES or base.endswith(("+json", "+xml")):
        return "text"
    return "binary"


def _documents_content(responses: ast.expr | None) -> bool:
    """Whether `responses=` documents some content type; `True` (nothing to prove) when not a literal dict."""
    if responses is None:
        return False
    if not isinstance(responses, ast.Dict):
        return True
    for value in responses.values:
        if not isinstance(value, ast.Dict):
            return True
        if any(isinstance(key, ast.Constant) and key.value == "content" for key in value.keys):
            return True
        if any(key is None for key in value.keys):
            return True
    return any(key is None for key in responses.keys)
