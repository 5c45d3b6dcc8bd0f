"""Routers built from project subclasses of `APIRouter`/`FastAPI`, and apps rebound after their routes.

Each test writes a small multi-module project (a `pyproject.toml` marks its root) and runs the route rules
through real flake8 and the real `house-rules check`, which must agree. Both sides: a router class the
project proves is a router, whatever the import spells; a subclass of something unknown stays unknown; a
name rebound to a non-router before the routes is no router.
"""

from __future__ import annotations

import os
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from pathlib import Path

PYPROJECT = '[project]\nname = "app"\nrequires-python = ">=3.12"\n\n[tool.flake8-house-rules]\nenable = ["HR5"]\n'
BASE = (
    '"""Routers."""\n\nfrom fastapi import APIRouter as FastAPIRouter\n\n\n'
    'class AppRouter(FastAPIRouter):\n    """The house router."""\n'
)
PROJECT = {
    "pyproject.toml": PYPROJECT,
    "app/__init__.py": "",
    "app/api/__init__.py": '"""API."""\n\nfrom app.api.base import AppRouter\n\n__all__ = ["AppRouter"]\n',
    "app/api/base.py": BASE,
    "app/v2/__init__.py": "",
    "app/v2/base.py": (
        '"""Version 2."""\n\nfrom app.api import AppRouter\n\n\nclass V2Router(AppRouter):\n    """Two."""\n'
    ),
    "app/wrap.py": (
        '"""ASGI wrapper."""\n\n\nclass Wrapped:\n    """Wraps."""\n\n'
        "    def __init__(self, app: object) -> None:\n        self.app = app\n"
    ),
}
ROUTE = (
    '@router.delete("/owned-by/{key}", status_code=202)\n'
    "async def delete_owned(key: str):\n"
    '    return {"deleted": key}\n'
)
#: What the route rules report on `ROUTE` when `router` is known to be a router.
ALL_ROUTE_CODES = ["HR502", "HR503", "HR505", "HR507"]


@pytest.fixture(autouse=True)
def no_summary_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """No on-disk summary cache: each test's project is read fresh."""
    monkeypatch.setenv("HOUSE_RULES_SUMMARY_CACHE", "off")


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in {**PROJECT, **files}.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def findings(command: list[str], root: Path) -> list[str]:
    result = subprocess.run(command, cwd=root, capture_output=True, text=True, check=False, env={**os.environ})
    assert result.returncode in {0, 1}, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    found = []
    for line in result.stdout.splitlines():
        place, _, rest = line.partition(": ")
        path, row, column = place.split(":")[:3]
        found.append(f"{path.removeprefix('./')}:{row}:{column} {rest.split(' ')[0]}")
    return sorted(found)


def both(root: Path, target: str) -> list[str]:
    """`path:line:col CODE` of the HR5 findings in one module, from flake8 and from `house-rules`, which agree."""
    via_flake8 = findings([sys.executable, "-m", "flake8", "--select", "HR5", "--hr-enable=HR5", target], root)
    cli = [sys.executable, "-m", "flake8_house_rules.cli", "check", "--output-format", "concise", "--quiet"]
    via_cli = findings([*cli, "--no-cache", "--select", "HR5", target], root)
    assert via_cli == via_flake8
    return via_flake8


def routes_module(header: str) -> str:
    """A module whose `router` is built as `header` says, with one DELETE route answering 202 (HR505)."""
    return f'"""Routes."""\n\n{header}\n\n\n{ROUTE}'


def line_of_route(text: str) -> int:
    return text.splitlines().index(ROUTE.splitlines()[0]) + 1


@pytest.mark.parametrize(
    ("module", "header"),
    [
        ("app/v2/direct.py", "from app.api.base import AppRouter\n\nrouter = AppRouter()"),
        ("app/v2/reexport.py", "from app.api import AppRouter\n\nrouter = AppRouter()"),
        ("app/v2/relative.py", "from ..api.base import AppRouter\n\nrouter = AppRouter()"),
        ("app/v2/module_relative.py", "from ..api import base\n\nrouter = base.AppRouter()"),
        ("app/v2/module_import.py", "import app.api.base\n\nrouter = app.api.base.AppRouter()"),
        ("app/v2/module_alias.py", "import app.api.base as b\n\nrouter = b.AppRouter()"),
        ("app/v2/subclass_of_subclass.py", "from app.v2.base import V2Router\n\nrouter = V2Router()"),
        ("app/v2/sibling.py", "from .base import V2Router\n\nrouter = V2Router()"),
        (
            "app/v2/local_subclass.py",
            'from app.api import AppRouter\n\n\nclass MyRouter(AppRouter):\n    """Mine."""\n\n\nrouter = MyRouter()',
        ),
        ("app/v2/annotated.py", "from app.api import base, factory\n\nrouter: base.AppRouter = factory()"),
    ],
)
def test_routes_on_a_router_built_from_a_project_subclass(tmp_path: Path, module: str, header: str) -> None:
    text = routes_module(header)
    write(tmp_path, {module: text})
    line = line_of_route(text)
    assert both(tmp_path, module) == [f"{module}:{line}:1 {code}" for code in ALL_ROUTE_CODES]


def test_a_router_parameter_annotated_with_a_project_subclass(tmp_path: Path) -> None:
    text = (
        '"""Routes."""\n\nfrom app.api import base\n\n\n'
        "def register(router: base.AppRouter) -> None:\n"
        '    """Register."""\n\n'
        '    @router.delete("/owned-by/{key}", status_code=202)\n'
        "    async def delete_owned(key: str):\n"
        '        return {"deleted": key}\n'
    )
    write(tmp_path, {"app/register.py": text})
    assert both(tmp_path, "app/register.py") == [f"app/register.py:9:5 {code}" for code in ALL_ROUTE_CODES]


def test_the_finding_router_from_a_subclass_in_the_module(tmp_path: Path) -> None:
    text = (
        "from fastapi import APIRouter\n\n\nclass AppRouter(APIRouter):\n    pass\n\n\n"
        'router = AppRouter(prefix="/rules", tags=["rules"])\n\n\n'
        '@router.delete("/owned-by/{resource_id}", status_code=202)\n'
        "async def delete_owned(resource_id: str):\n"
        '    return {"deleted": resource_id}\n'
    )
    write(tmp_path, {"app/rules/routes.py": text})
    assert both(tmp_path, "app/rules/routes.py") == [f"app/rules/routes.py:11:1 {code}" for code in ALL_ROUTE_CODES]


@pytest.mark.parametrize(
    ("module", "header"),
    [
        # a subclass of a class from outside the project: its bases are out of sight
        (
            "app/unknown_base.py",
            'from lib.routing import Router\n\n\nclass MyRouter(Router):\n    """Mine."""\n\n\nrouter = MyRouter()',
        ),
        # a project class that is no router
        ("app/not_a_router.py", "from app.wrap import Wrapped\n\nrouter = Wrapped(None)"),
        # a project name that is not there
        ("app/missing.py", "from app.api.base import NoSuchRouter\n\nrouter = NoSuchRouter()"),
        # a router instance from another module: its constructor, which the rules read, is out of sight
        ("app/imported_instance.py", "from app.instances import router"),
        # rebound to a non-router before the routes: what the decorator sees is the wrapper
        (
            "app/rebound_before.py",
            "from app.api import base\nfrom app.wrap import Wrapped\n\n"
            "router = base.AppRouter()\nrouter = Wrapped(router)",
        ),
        # rebound inside a function (`global`): it may run before the routes
        (
            "app/rebound_in_function.py",
            "from app.api import base\nfrom app.wrap import Wrapped\n\nrouter = base.AppRouter()\n\n\n"
            'def wrap() -> None:\n    """Wrap."""\n    global router\n    router = Wrapped(router)',
        ),
    ],
)
def test_unknown_routers_stay_unknown(tmp_path: Path, module: str, header: str) -> None:
    instances = '"""Instances."""\n\nfrom app.api import AppRouter\n\nrouter = AppRouter()\n'
    write(tmp_path, {"app/instances.py": instances, module: routes_module(header)})
    assert both(tmp_path, module) == []


def test_the_finding_app_rebound_after_its_routes(tmp_path: Path) -> None:
    text = (
        "from fastapi import FastAPI\n"
        "from starlette.middleware.cors import CORSMiddleware\n"
        "\n"
        "app = FastAPI()\n"
        "\n"
        "\n"
        '@app.get("/items")\n'
        "async def list_items():\n"
        "    return []\n"
        "\n"
        "\n"
        'app = CORSMiddleware(app, allow_origins=["*"])  # wrap the ASGI app for export\n'
    )
    write(tmp_path, {"app/main.py": text})
    assert both(tmp_path, "app/main.py") == [f"app/main.py:7:1 {code}" for code in ("HR502", "HR503", "HR507")]


def test_a_project_app_subclass_rebound_by_project_middleware_after_its_routes(tmp_path: Path) -> None:
    app_base = '"""Apps."""\n\nfrom fastapi import FastAPI\n\n\nclass HouseApp(FastAPI):\n    """The house app."""\n'
    text = (
        '"""Main."""\n\nfrom app.apps import HouseApp\nfrom app.wrap import Wrapped\n\napp = HouseApp()\n\n\n'
        f"{ROUTE.replace('@router', '@app')}\n\napp = Wrapped(app)\n"
    )
    write(tmp_path, {"app/apps.py": app_base, "app/main.py": text})
    assert both(tmp_path, "app/main.py") == [f"app/main.py:9:1 {code}" for code in ALL_ROUTE_CODES]


JOBS = '"""Jobs."""\n\nfrom fastapi import APIRouter\n\nrouter = APIRouter(prefix="/jobs", tags=["jobs"])\n\n\n' + (
    '@router.get("/{job_id}")\ndef get_job(job_id: str) -> dict[str, str]:\n    return {"id": job_id}\n'
)
#: mlflow's tracking server: FastAPI routers mounted on an app that serves no schema, on purpose.
SCHEMALESS_MAIN = (
    '"""The server."""\n\nfrom fastapi import FastAPI\n\nfrom app.jobs import router as jobs_router\n\n\n'
    "def create_app() -> FastAPI:\n"
    '    """Build the app."""\n'
    "    server = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)\n"
    "    server.include_router(jobs_router)\n"
    "    return server\n"
)


@pytest.mark.parametrize(
    ("main", "expected"),
    [
        (SCHEMALESS_MAIN, []),
        (  # hidden from the app's schema where it is mounted
            '"""The server."""\n\nfrom fastapi import FastAPI\n\nfrom . import jobs\n\n'
            "app = FastAPI()\napp.include_router(jobs.router, include_in_schema=False)\n",
            [],
        ),
        (  # an app with a schema
            '"""The server."""\n\nfrom fastapi import FastAPI\n\nfrom app.jobs import router\n\n'
            "app = FastAPI(openapi_url='/openapi.json')\napp.include_router(router)\n",
            ["app/jobs.py:8:1 HR503"],
        ),
        (  # a schema-less app that mounts another router
            '"""The server."""\n\nfrom fastapi import APIRouter, FastAPI\n\nother = APIRouter()\n'
            "app = FastAPI(openapi_url=None)\napp.include_router(other)\n",
            ["app/jobs.py:8:1 HR503"],
        ),
    ],
)
def test_hr503_router_mounted_where_no_schema_shows_it(tmp_path: Path, main: str, expected: list[str]) -> None:
    """HR503 asks the project where the router is mounted: an app without a schema has nothing to document."""
    write(tmp_path, {"app/jobs.py": JOBS, "app/main.py": main})
    found = [line for line in both(tmp_path, "app/jobs.py") if line.endswith("HR503")]
    assert found == expected


UNTAGGED = '"""Inbound."""\n\nfrom fastapi import APIRouter\n\nrouter = APIRouter()\n\n\n' + (
    '@router.post("/inbound/{sms_id}")\ndef inbound(sms_id: str) -> dict[str, str]:\n    return {"id": sms_id}\n'
)


@pytest.mark.parametrize(
    ("main", "expected"),
    [
        (  # skyvern: mounted with include_in_schema=False, tags would group nothing
            '"""The server."""\n\nfrom fastapi import FastAPI\n\nfrom app.sms import router\n\n'
            'app = FastAPI()\napp.include_router(router, prefix="/v1/sms", include_in_schema=False)\n',
            [],
        ),
        (
            '"""The server."""\n\nfrom fastapi import FastAPI\n\nfrom app.sms import router\n\n'
            'app = FastAPI()\napp.include_router(router, prefix="/v1/sms")\n',
            ["app/sms.py:5:10 HR509"],
        ),
    ],
)
def test_hr509_asks_no_tags_of_a_router_mounted_without_a_schema(
    tmp_path: Path, main: str, expected: list[str]
) -> None:
    """HR509 asks the project where the router is mounted, as HR503 does: tags group nothing outside a schema."""
    write(tmp_path, {"app/sms.py": UNTAGGED, "app/main.py": main})
    found = [line for line in both(tmp_path, "app/sms.py") if line.endswith("HR509")]
    assert found == expected
