"""Every HR4xx/HR5xx finding shape of `../shared/findings/precision.md`, through real flake8.

Each snippet is the finding's own, verbatim, written at the path the finding gives (in a folder with a
`setup.cfg`, so a project root), and checked with `flake8 --select CODE --hr-enable=CODE` (`HR5` for the
findings that name all route rules). Each test is named after its finding and asserts what the pack should
report (`line:col CODE`, `[]` for a false or noisy report that must stay silent). Where a finding is about a
narrowing, a second assertion on a look-alike checks that the rule still reports what it is for.
Issue 19's shapes on models from project bases follow at the end (the others are in `test_project_rules.py`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pytest_flake8_path import Flake8Path


def lint(root: Flake8Path, path: str, source: str, codes: str, files: dict[str, str] | None = None) -> list[str]:
    """`line:col CODE` of what flake8 reports in `path`, with `source` written there (and any other files)."""
    for name, text in {**(files or {}), path: source}.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    result = root.run_flake8(["--select", codes, f"--hr-enable={codes}"])
    assert result.err_lines == [], result.err
    found = []
    for line in result.out_lines:
        place, _, message = line.partition(": ")
        name, row, column = place.removesuffix(":").split(":")[:3]
        if name.removeprefix("./") == path:
            found.append(f"{row}:{column} {message.split(' ')[0]}")
    return sorted(found, key=lambda item: (int(item.split(":")[0]), item))


HR401_SETTINGS_PACKAGE = """\
import os


def profiles_path() -> str:
    return os.getenv("APP_PROFILES_PATH", "~/.app/profiles.toml")
"""

HR401_SAVE_AND_RESTORE_READS_AND_PLATFORM_VARIABLES = """\
import os


def ssh_exe() -> str | None:
    windir = os.getenv("WINDIR")
    return windir and windir + r"\\System32\\OpenSSH\\ssh.exe"


def run_with_env(key: str, value: str, run) -> None:
    saved = os.environ.get(key)
    os.environ[key] = value
    run()
    os.environ[key] = saved
"""

HR402_FLAT_SETTINGS = """\
from pydantic_settings import BaseSettings, SettingsConfigDict


class TracingSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="APP_TRACING_")

    enabled: bool = False
"""

HR403_DISCRIMINATOR_TAGS = """\
from typing import Literal

from pydantic import BaseModel, Field


class StateChanged(BaseModel):
    type: Literal["state-changed"] = "state-changed"
    count: int = Field(0, description="Number of changes")
"""

HR404_TOKENS_A_RESPONSE_MUST_CARRY_AND_REPR_FALSE = """\
from pydantic import BaseModel, Field


class TokenResponse(BaseModel):
    access_token: str  # sent to the client


class Workload(BaseModel):
    token: str = Field(repr=False)
"""

HR405_FINAL_ATTRIBUTES = """\
from typing import Final

from pydantic import BaseModel


class Limits(BaseModel):
    defaults: Final[list[int]] = []  # pydantic 2.11+: a class variable, not a field
"""

HR405_PYDANTIC_V1_MODELS = """\
from pydantic.v1 import BaseModel


class Item(BaseModel):
    tags: list[str] = []
"""

HR409_MULTI_LINE_CALL = """\
from pydantic import BaseModel, Field


class SyncResponse(BaseModel):
    worker_id: str = Field(description="Worker")


def publish(worker_id: str) -> dict:
    return SyncResponse(
        worker_id=worker_id,
    ).dict()
"""

HR410_URL_IN_A_CALL_WHOSE_RESULT_IS_DISCARDED = """\
import httpx
import requests


async def ping(client: httpx.AsyncClient) -> None:
    requests.get("https://api.acme.io/health", timeout=5)
    await client.post("https://api.acme.io/ping")
    x = httpx.get("https://api.acme.io/health", timeout=5)
"""

HR410_DOCUMENTATION_METADATA_AND_ALLOW_LISTS = """\
from fastapi import FastAPI

app = FastAPI(license_info={"name": "MIT", "url": "https://acme.io/LICENSE"})


class WebhookBlock:
    documentation_url = "https://docs.acme.io/blocks/webhook"


def is_allowed(url: str) -> bool:
    allowed_hosts = ["https://cdn.acme.io/", "https://github.com/"]
    return any(url.startswith(host) for host in allowed_hosts)
"""

HR410_FIXED_PUBLIC_ADDRESSES = """\
API_URL = "https://api.cloudvendor.com/v2"  # the vendor's one public endpoint
PREVIEW = {"reset_url": "https://example.acme.dev/reset"}  # e-mail preview sample


class SlackBlock:
    logo_url = "https://cdn.acme.io/img/slack.png"  # image shown in the UI
"""

HR411_PLURAL_LABEL = """\
RESOURCE_MY_PASSWORD = "My Password"
RESOURCE_API_KEY = "API keys"
RESOURCE_PASSWORD = "Passwords"
"""

HR411_SUBSCRIPTS_AND_COMPARISONS = """\
def configure(config: dict) -> None:
    config["password"] = "s3cr3t-admin"


def is_admin(password: str) -> bool:
    return password == "s3cr3t-admin"
"""

HR502_RESPONSE_FROM_AN_IMPORTED_RESPONSE_FUNCTION = """\
from fastapi import APIRouter

from app.auth_backend import backend

router = APIRouter()


@router.post("/login", summary="Log in")
async def login(user: str):
    response = await backend.login(user)  # `-> Response` (cookie or bearer)
    return response
"""

HR502_DELETE_204_WITHOUT_A_BODY = """\
from fastapi import APIRouter

router = APIRouter()
TAGS: dict[str, str] = {}


@router.delete("/{key}", status_code=204)
def delete_tag(key: str):
    TAGS.pop(key, None)
"""

HR502_APP_REBOUND_AFTER_ITS_ROUTES = """\
from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware

app = FastAPI()


@app.get("/items")
async def list_items():
    return []


app = CORSMiddleware(app, allow_origins=["*"])  # wrap the ASGI app for export
"""

HR503_APP_WITHOUT_A_SCHEMA = """\
from fastapi import FastAPI

app = FastAPI(openapi_url=None)  # HTML dashboard, no schema


@app.get("/users")
async def list_users() -> dict:
    return {}
"""

HR504_POSTS_THAT_ANSWER_200_ON_PURPOSE = """\
from fastapi import APIRouter

router = APIRouter()


@router.post("/token", status_code=200)  # OAuth2 token endpoint: RFC 6749 5.1
async def token() -> dict:
    return {"access_token": "...", "token_type": "bearer"}


@router.post("/sessions/{sid}/refresh")
async def refresh(sid: str) -> dict:
    return {"refreshed": sid}
"""

HR505_ROUTER_FROM_AN_APIROUTER_SUBCLASS = """\
from fastapi import APIRouter


class AppRouter(APIRouter):
    pass


router = AppRouter(prefix="/rules", tags=["rules"])


@router.delete("/owned-by/{resource_id}", status_code=202)
async def delete_owned(resource_id: str):
    return {"deleted": resource_id}
"""

HR507_LIMIT_APPLIED_IN_THE_BODY_AND_HEALTH_CHECKS = """\
from fastapi import APIRouter, HTTPException

from app.rate_limit import login_limiter

router = APIRouter()


@router.post("/signin", status_code=201)
async def signin(email: str) -> dict:
    if await login_limiter.is_limited(email):
        raise HTTPException(status_code=429)
    return {}


@router.get("/health")
async def health() -> dict:
    return {"status": "ok"}
"""

HR509_ROUTER_FACTORY = """\
from fastapi import APIRouter


def build_verify_router() -> APIRouter:
    router = APIRouter()  # the application sets prefix and tags in include_router()

    @router.post("/verify", summary="Verify", status_code=202)
    async def verify() -> None:
        return None

    return router
"""

HR510_LOCAL_PARSE_FALLBACK = """\
from fastapi import APIRouter, Request

router = APIRouter()


@router.post("/chat", status_code=201)
async def chat(request: Request) -> dict:
    options = await request.json()
    try:
        temperature = float(options["temperature"])
    except (KeyError, ValueError):
        temperature = 0.7  # optional field: fall back to the default
    return {"temperature": temperature}
"""

HR511_PASS_THROUGH_PROXY = """\
from fastapi import APIRouter

from app.upstream import forward

router = APIRouter()


@router.post("/v1/chat/completions", status_code=201)  # OpenAI-compatible pass-through
async def chat_completions(form_data: dict) -> dict:
    return await forward("/v1/chat/completions", form_data)
"""


def test_hr401_settings_package(flake8_path: Flake8Path) -> None:
    """HR401 Settings package. (False positive.) `app/settings/sources.py`."""
    assert lint(flake8_path, "app/settings/sources.py", HR401_SETTINGS_PACKAGE, "HR401") == []
    # outside a settings package the same read is reported
    assert lint(flake8_path, "app/sources.py", HR401_SETTINGS_PACKAGE, "HR401") == ["5:12 HR401"]


def test_hr401_save_and_restore_reads_and_platform_variables(flake8_path: Flake8Path) -> None:
    """HR401 Save-and-restore reads; platform variables. (Noise.) `app/platform.py`."""
    assert lint(flake8_path, "app/platform.py", HR401_SAVE_AND_RESTORE_READS_AND_PLATFORM_VARIABLES, "HR401") == []


def test_hr402_flat_settings(flake8_path: Flake8Path) -> None:
    """HR402 Flat settings. (Noise.) `app/tracing.py`."""
    assert lint(flake8_path, "app/tracing.py", HR402_FLAT_SETTINGS, "HR402") == []
    # a field that holds a nested model needs the delimiter
    nested = HR402_FLAT_SETTINGS.replace(
        "from pydantic_settings", "from pydantic import BaseModel\nfrom pydantic_settings"
    )
    nested = nested.replace("    enabled: bool = False\n", "    enabled: bool = False\n    exporter: Exporter\n")
    nested = nested.replace(
        "class TracingSettings", "class Exporter(BaseModel):\n    url: str\n\n\nclass TracingSettings"
    )
    assert lint(flake8_path, "app/tracing.py", nested, "HR402") == ["9:1 HR402"]


def test_hr403_discriminator_tags(flake8_path: Flake8Path) -> None:
    """HR403 Discriminator tags. (Noise.) `app/events.py`."""
    assert lint(flake8_path, "app/events.py", HR403_DISCRIMINATOR_TAGS, "HR403") == []
    # a `Literal` of several values is a field like any other
    several = HR403_DISCRIMINATOR_TAGS.replace('Literal["state-changed"]', 'Literal["state-changed", "reset"]')
    assert lint(flake8_path, "app/events.py", several, "HR403") == ["7:5 HR403"]


def test_hr404_tokens_a_response_must_carry_and_repr_false(flake8_path: Flake8Path) -> None:
    """HR404 Tokens a response must carry; `repr=False`. (Noise.) `app/auth/schemas.py`."""
    assert lint(flake8_path, "app/auth/schemas.py", HR404_TOKENS_A_RESPONSE_MUST_CARRY_AND_REPR_FALSE, "HR404") == []
    # a secret in a request or domain model is still reported
    payload = HR404_TOKENS_A_RESPONSE_MUST_CARRY_AND_REPR_FALSE.replace("TokenResponse", "TokenPayload")
    assert lint(flake8_path, "app/auth/schemas.py", payload, "HR404") == ["5:5 HR404"]


def test_hr405_final_attributes(flake8_path: Flake8Path) -> None:
    """HR405 `Final` attributes. (False positive (minor).) `app/limits.py`."""
    assert lint(flake8_path, "app/limits.py", HR405_FINAL_ATTRIBUTES, "HR405") == []
    # without `Final` it is a field with a shared mutable default
    plain = HR405_FINAL_ATTRIBUTES.replace("Final[list[int]]", "list[int]")
    assert lint(flake8_path, "app/limits.py", plain, "HR405") == ["7:5 HR405"]


def test_hr405_pydantic_v1_models(flake8_path: Flake8Path) -> None:
    """HR405 `pydantic.v1` models. (Miss (minor, may be intended).) `app/legacy.py`."""
    assert lint(flake8_path, "app/legacy.py", HR405_PYDANTIC_V1_MODELS, "HR405") == []


def test_hr409_multi_line_call(flake8_path: Flake8Path) -> None:
    """HR409 Multi-line call. (Wrong line.) `app/sync.py`."""
    assert lint(flake8_path, "app/sync.py", HR409_MULTI_LINE_CALL, "HR409") == ["11:6 HR409"]


def test_hr410_url_in_a_call_whose_result_is_discarded(flake8_path: Flake8Path) -> None:
    """HR410 URL in a call whose result is discarded. (Miss.) `app/health.py`."""
    assert lint(flake8_path, "app/health.py", HR410_URL_IN_A_CALL_WHOSE_RESULT_IS_DISCARDED, "HR410") == [
        "6:18 HR410",
        "7:23 HR410",
        "8:19 HR410",
    ]


def test_hr410_documentation_metadata_and_allow_lists(flake8_path: Flake8Path) -> None:
    """HR410 Documentation metadata and allow-lists. (False positive.) `app/main.py`."""
    assert lint(flake8_path, "app/main.py", HR410_DOCUMENTATION_METADATA_AND_ALLOW_LISTS, "HR410") == []


def test_hr410_fixed_public_addresses(flake8_path: Flake8Path) -> None:
    """HR410 Fixed public addresses. (Noise (debatable).) `app/vendor.py`."""
    assert lint(flake8_path, "app/vendor.py", HR410_FIXED_PUBLIC_ADDRESSES, "HR410") == []


def test_hr411_plural_label(flake8_path: Flake8Path) -> None:
    """HR411 Plural label. (False positive.) `app/permissions.py`."""
    assert lint(flake8_path, "app/permissions.py", HR411_PLURAL_LABEL, "HR411") == []


def test_hr411_subscripts_and_comparisons(flake8_path: Flake8Path) -> None:
    """HR411 Subscripts and comparisons. (Miss.) `app/setup.py`."""
    assert lint(flake8_path, "app/setup.py", HR411_SUBSCRIPTS_AND_COMPARISONS, "HR411") == ["2:26 HR411", "6:24 HR411"]


def test_hr502_response_from_an_imported_response_function(flake8_path: Flake8Path) -> None:
    """HR502 Response from an imported `-> Response` function. (False positive (HR504 too).) `app/auth.py`."""
    assert lint(flake8_path, "app/auth.py", HR502_RESPONSE_FROM_AN_IMPORTED_RESPONSE_FUNCTION, "HR502,HR504") == []


def test_hr502_delete_204_without_a_body(flake8_path: Flake8Path) -> None:
    """HR502 DELETE 204 without a body. (Noise.) `app/tags.py`."""
    assert lint(flake8_path, "app/tags.py", HR502_DELETE_204_WITHOUT_A_BODY, "HR502") == []


def test_hr502_app_rebound_after_its_routes(flake8_path: Flake8Path) -> None:
    """HR502 App rebound after its routes. (Miss (all route rules).) `app/main.py`."""
    assert lint(flake8_path, "app/main.py", HR502_APP_REBOUND_AFTER_ITS_ROUTES, "HR5") == [
        "7:1 HR502",
        "7:1 HR503",
        "7:1 HR507",
    ]


def test_hr503_app_without_a_schema(flake8_path: Flake8Path) -> None:
    """HR503 App without a schema. (False positive.) `app/admin.py`."""
    assert lint(flake8_path, "app/admin.py", HR503_APP_WITHOUT_A_SCHEMA, "HR503") == []
    # an app with a schema documents its routes
    schema = HR503_APP_WITHOUT_A_SCHEMA.replace("FastAPI(openapi_url=None)", "FastAPI()")
    assert lint(flake8_path, "app/admin.py", schema, "HR503") == ["6:1 HR503"]


def test_hr504_posts_that_answer_200_on_purpose(flake8_path: Flake8Path) -> None:
    """HR504 POSTs that answer 200 on purpose. (Noise (debatable).) `app/token.py`."""
    assert lint(flake8_path, "app/token.py", HR504_POSTS_THAT_ANSWER_200_ON_PURPOSE, "HR504") == ["11:1 HR504"]


def test_hr505_router_from_an_apirouter_subclass(flake8_path: Flake8Path) -> None:
    """HR505 Router from an `APIRouter` subclass. (Miss (all route rules).) `app/rules/routes.py`."""
    assert lint(flake8_path, "app/rules/routes.py", HR505_ROUTER_FROM_AN_APIROUTER_SUBCLASS, "HR5") == [
        "11:1 HR502",
        "11:1 HR503",
        "11:1 HR505",
        "11:1 HR507",
    ]


def test_hr507_limit_applied_in_the_body_and_health_checks(flake8_path: Flake8Path) -> None:
    """HR507 Limit applied in the body; health checks. (Noise.) `app/auth.py`."""
    assert lint(flake8_path, "app/auth.py", HR507_LIMIT_APPLIED_IN_THE_BODY_AND_HEALTH_CHECKS, "HR507") == []


def test_hr509_router_factory(flake8_path: Flake8Path) -> None:
    """HR509 Router factory. (Noise.) `app/verify.py`."""
    assert lint(flake8_path, "app/verify.py", HR509_ROUTER_FACTORY, "HR509") == []
    # a module-level router without prefix or tags is reported
    module_level = (
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n\n"
        "@router.post('/verify', summary='Verify', status_code=202)\nasync def verify() -> None:\n    return None\n"
    )
    assert lint(flake8_path, "app/verify.py", module_level, "HR509") == ["3:10 HR509"]


def test_hr510_local_parse_fallback(flake8_path: Flake8Path) -> None:
    """HR510 Local parse fallback. (Noise.) `app/proxy.py`."""
    assert lint(flake8_path, "app/proxy.py", HR510_LOCAL_PARSE_FALLBACK, "HR510") == []


def test_hr511_pass_through_proxy(flake8_path: Flake8Path) -> None:
    """HR511 Pass-through proxy. (Noise (debatable).) `app/openai.py`."""
    assert lint(flake8_path, "app/openai.py", HR511_PASS_THROUGH_PROXY, "HR511") == []


def test_hr504_response_from_an_imported_function(flake8_path: Flake8Path) -> None:
    """HR504 Response from an imported function (False positive), the HR502 snippet `app/auth.py`.

    Unknown on its own; with the callee on disk annotated `-> Response`, a response FastAPI sends with its own
    status.
    """
    source = HR502_RESPONSE_FROM_AN_IMPORTED_RESPONSE_FUNCTION
    assert lint(flake8_path, "app/auth.py", source, "HR504") == []
    backend = (
        "from fastapi import Response\n\n\nclass Backend:\n"
        "    async def login(self, user: str) -> Response:\n        return Response(user)\n\n\nbackend = Backend()\n"
    )
    files = {"app/__init__.py": "", "app/auth_backend.py": backend}
    assert lint(flake8_path, "app/auth.py", source, "HR502,HR504", files) == []


# -- issue 19: rules on models and settings from project bases -------------------------------------------------

PROJECT_BASES = {
    "app/__init__.py": "",
    "app/core/__init__.py": "from app.core.schema import AppSettings, Schema\n\n__all__ = ['AppSettings', 'Schema']\n",
    "app/core/schema.py": (
        "from pydantic import BaseModel\nfrom pydantic_settings import BaseSettings\n\n\n"
        "class Schema(BaseModel):\n    pass\n\n\nclass AppSettings(BaseSettings):\n    pass\n"
    ),
    "app/settings.py": (
        "from app.core import AppSettings, Schema\n\n\nclass Database(Schema):\n    url: str = 'sqlite://'\n\n\n"
        "class Settings(AppSettings):\n    database: Database\n"
    ),
}


def test_hr402_settings_on_a_project_base_with_a_nested_project_model(flake8_path: Flake8Path) -> None:
    """HR402 on settings whose base and nested model both come from another module."""
    assert lint(flake8_path, "app/settings.py", PROJECT_BASES["app/settings.py"], "HR402", PROJECT_BASES) == [
        "8:1 HR402"
    ]


def test_hr408_settings_class_imported_from_another_module(flake8_path: Flake8Path) -> None:
    """HR408 on a settings class defined in another module and instantiated at module level here."""
    source = "from app.settings import Settings\n\nsettings = Settings()\n"
    assert lint(flake8_path, "app/main.py", source, "HR408", PROJECT_BASES) == ["3:12 HR408"]
    # a class of a module outside the project is unknown
    unknown = "from lib.settings import Settings\n\nsettings = Settings()\n"
    assert lint(flake8_path, "app/other.py", unknown, "HR408", PROJECT_BASES) == []


def test_hr407_enum_of_a_model_on_a_project_base(flake8_path: Flake8Path) -> None:
    """HR407 and HR412 on an enum used by a model whose base comes from another module."""
    source = (
        "from enum import Enum\n\nfrom app.core import Schema\n\n\n"
        "class Role(str, Enum):\n    ADMIN = 'admin'\n\n\nclass User(Schema):\n    role: Role\n"
    )
    found = lint(flake8_path, "app/users.py", source, "HR407,HR412", PROJECT_BASES)
    assert found == ["6:1 HR407", "10:1 HR412"]
