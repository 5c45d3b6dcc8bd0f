"""Rules that gain from the project model, through real flake8 and the real `house-rules` command.

Each test writes a small multi-module project to a temporary folder (with a `pyproject.toml`, its root
marker) and checks that a rule sees what an imported name is: a model from a project base, a settings class
defined elsewhere, a router built from a project subclass, a session factory from `app/db.py`, ...
"""

from __future__ import annotations

import os
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from pathlib import Path

PYPROJECT = '[project]\nname = "app"\nrequires-python = ">=3.12"\n'


@pytest.fixture(autouse=True)
def no_summary_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """Most tests run without the on-disk summary cache; the cache tests turn it back on."""
    monkeypatch.setenv("HOUSE_RULES_SUMMARY_CACHE", "off")


def write(root: Path, files: dict[str, str]) -> None:
    files = {"pyproject.toml": PYPROJECT, **files}
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def flake8(root: Path, *args: str, stdin: str | None = None) -> list[str]:
    """`path:line CODE` of each finding of `flake8 --select ... .` run in the project."""
    command = [sys.executable, "-m", "flake8", *args, "-" if stdin is not None else "."]
    result = subprocess.run(command, cwd=root, input=stdin, capture_output=True, text=True, check=False)
    assert result.stderr == "", result.stderr
    found = []
    for line in result.stdout.splitlines():
        place, _, rest = line.partition(": ")
        path, row = place.split(":")[:2]
        found.append(f"{path.removeprefix('./')}:{row} {rest.split(' ')[0]}")
    return sorted(found)


def house_rules(root: Path, *args: str, stdin: str | None = None) -> list[str]:
    """The same, from `house-rules check --output-format concise`."""
    command = [sys.executable, "-m", "flake8_house_rules.cli", "check", "--output-format", "concise", "--quiet"]
    command.extend(args)
    env = {**os.environ}
    result = subprocess.run(command, cwd=root, input=stdin, capture_output=True, text=True, check=False, env=env)
    assert result.returncode in {0, 1}, result.stderr
    found = []
    for line in result.stdout.splitlines():
        place, _, rest = line.partition(": ")
        path, row = place.split(":")[:2]
        found.append(f"{path.removeprefix('./')}:{row} {rest.split(' ')[0]}")
    return sorted(found)


def reported_by_both(root: Path, code: str, expected: list[str]) -> None:
    """Assert that real flake8 and `house-rules check` report exactly `expected` for one code."""
    assert flake8(root, "--select", code) == expected
    assert house_rules(root, "--select", code) == expected


def both(root: Path, codes: str, *, enable: str = "") -> list[str]:
    """Findings of the given codes, which flake8 and `house-rules` must agree on."""
    args = ["--select", codes] + ([f"--hr-enable={enable}"] if enable else [])
    via_flake8 = flake8(root, *args)
    cli_args = ["--select", codes, "--no-cache"]
    if enable:
        (root / "pyproject.toml").write_text(
            PYPROJECT
            + "\n[tool.flake8-house-rules]\nenable = ["
            + ", ".join(f'"{c}"' for c in enable.split(","))
            + "]\n"
        )
    via_cli = house_rules(root, *cli_args)
    assert via_cli == via_flake8
    return via_flake8


SCHEMA = {
    "app/__init__.py": "",
    "app/core/__init__.py": (
        '"""Core."""\n\nfrom app.core.schema import AppSettings, Schema\n\n__all__ = ["AppSettings", "Schema"]\n'
    ),
    "app/core/schema.py": (
        '"""Project bases."""\n\nfrom pydantic import BaseModel\n'
        "from pydantic_settings import BaseSettings, SettingsConfigDict\n\n\n"
        'class Schema(BaseModel):\n    """The project\'s base model."""\n\n\n'
        'class AppSettings(BaseSettings):\n    """The project\'s base settings."""\n\n'
        '    model_config = SettingsConfigDict(env_nested_delimiter="__")\n\n\n'
        'class BareSettings(BaseSettings):  # noqa: HR402\n    """No configuration."""\n'
    ),
    "app/users/__init__.py": "",
}
USERS = (
    '"""User schemas."""\n\nfrom enum import StrEnum\n\nfrom app.core import Schema\n\n\n'
    'class Role(StrEnum):\n    """A role."""\n\n    ADMIN = "admin"\n\n\n'
    'class UserPayload(Schema):\n    """A user."""\n\n'
    "    name: str\n"  # 17: HR403
    "    api_key: str\n"  # 18: HR403, HR404
    "    tags: list[str] = []\n"  # 19: HR403, HR405
    "    role: Role\n"  # 20: HR403
    '    token: str = "sk-live-123"\n\n'  # 21: HR403, HR404, HR411
    '    class Config:\n        """Old style."""\n\n'  # 23: HR406
    "        orm_mode = True\n"  # 26: HR409
)


def test_models_from_a_project_base_are_models(tmp_path: Path) -> None:
    write(tmp_path, {**SCHEMA, "app/users/schemas.py": USERS})
    found = both(tmp_path, "HR403,HR404,HR405,HR406,HR409,HR411,HR412", enable="HR412")
    assert found == sorted(
        [
            "app/users/schemas.py:14 HR412",
            "app/users/schemas.py:17 HR403",
            "app/users/schemas.py:18 HR403",
            "app/users/schemas.py:18 HR404",
            "app/users/schemas.py:19 HR403",
            "app/users/schemas.py:19 HR405",
            "app/users/schemas.py:20 HR403",
            "app/users/schemas.py:21 HR403",
            "app/users/schemas.py:21 HR404",
            "app/users/schemas.py:21 HR411",
            "app/users/schemas.py:23 HR406",
            "app/users/schemas.py:26 HR409",
        ]
    )


def test_settings_from_a_project_base_and_imported_settings(tmp_path: Path) -> None:
    settings = (
        '"""Settings."""\n\nfrom app.core import AppSettings\nfrom app.core.schema import BareSettings\n\n\n'
        'class Settings(AppSettings):\n    """Inherits the nested delimiter."""\n\n'
        '    password: str = "hunter2"\n\n\n'  # a settings default: no HR411
        'class Merged(AppSettings):\n    """pydantic merges this over the base configuration."""\n\n'
        "    model_config = {}\n\n\n"
        'class Bare(BareSettings):\n    """No delimiter anywhere."""\n\n\n'
        "settings = Settings()\n"
    )
    write(tmp_path, {**SCHEMA, "app/settings.py": settings})
    found = both(tmp_path, "HR402,HR408,HR411")
    # HR402 asks for the delimiter only where a field holds a nested model (none here)
    assert found == ["app/settings.py:23 HR408"]


def test_a_base_outside_the_project_stays_unknown(tmp_path: Path) -> None:
    source = (
        '"""Models."""\n\nfrom lib.schema import Schema\n\n\nclass User(Schema):\n    """A user."""\n\n    name: str\n'
    )
    write(tmp_path, {"app/__init__.py": "", "app/models.py": source})
    assert both(tmp_path, "HR403") == []


ROUTER_BASE = (
    '"""Routers."""\n\nfrom fastapi import APIRouter\n\n\nclass AppRouter(APIRouter):\n    """The house router."""\n'
)
USER_ROUTES = (
    '"""User routes."""\n\nfrom app.api.base import AppRouter\n\n'
    'router = AppRouter(prefix="/users", tags=["users"])\n\n\n'
    '@router.post("/", summary="Create a user")\n'  # 8: HR504
    "async def create_user(name: str) -> dict[str, str]:\n"
    '    """Create."""\n    return {"name": name}\n'
)
MAIN = (
    '"""The app."""\n\nfrom fastapi import FastAPI\n\nfrom app.middleware import Wrapped\n\napp = FastAPI()\n\n\n'
    '@app.delete("/items/{key}", summary="Delete", status_code=202)\n'  # 10: HR505
    "async def delete(key: str) -> None:\n"
    '    """Delete."""\n\n\napp = Wrapped(app)\n'
)


def test_routes_on_a_router_built_from_a_project_subclass(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/api/__init__.py": "",
            "app/api/base.py": ROUTER_BASE,
            "app/api/users.py": USER_ROUTES,
            "app/middleware.py": (
                '"""Middleware."""\n\n\nclass Wrapped:\n    """ASGI."""\n\n'
                "    def __init__(self, app: object) -> None:\n        self.app = app\n"
            ),
            "app/main.py": MAIN,
        },
    )
    assert both(tmp_path, "HR504,HR505") == ["app/api/users.py:8 HR504", "app/main.py:10 HR505"]


DB = (
    '"""The database."""\n\nfrom sqlalchemy import create_engine\nfrom sqlalchemy.orm import sessionmaker\n\n'
    'engine = create_engine("sqlite://")\nSessionLocal = sessionmaker(bind=engine)\n\n\n'
    'def get_session():  # noqa: HR106\n    """One session."""\n    return SessionLocal()\n'
)
QUERIES = (
    '"""Queries."""\n\nfrom app.db import SessionLocal, get_session\n\n\n'
    "def count(model: type) -> int:\n"
    '    """Count."""\n    with SessionLocal() as session:\n'
    "        return session.query(model).count()\n\n\n"  # 9: HR601
    "def first(model: type) -> object:\n"
    '    """First."""\n    session = SessionLocal()\n'  # 14: HR615 once the rule asks `Sessions` for imported factories
    "    return get_session().query(model).first()\n"  # 15: HR601
)


def test_sessions_and_factories_imported_from_another_module(tmp_path: Path) -> None:
    write(tmp_path, {"app/__init__.py": "", "app/db.py": DB, "app/queries.py": QUERIES})
    assert both(tmp_path, "HR601") == ["app/queries.py:15 HR601", "app/queries.py:9 HR601"]


LOGGING = (
    '"""House logging."""\n\nimport structlog\n\n\n'
    "def get_logger(name: str) -> structlog.stdlib.BoundLogger:\n"
    '    """The house logger."""\n    return structlog.get_logger(name)\n\n\n'
    'audit = structlog.get_logger("audit")\n'
)
USES_LOGGING = (
    '"""Uses the house logger."""\n\nfrom app.core.logging import audit, get_logger\n\n'
    "logger = get_logger(__name__)\n\n\n"
    "def work(user: str) -> None:\n"
    '    """Work."""\n'
    '    logger.info(f"user {user}")\n'  # 10: HR302
    "    try:\n        int(user)\n    except ValueError:\n"
    '        logger.error("user.bad")\n'  # 14: HR304
    '    audit.info("Audit done", extra={"user": user})\n'  # 15: HR303, HR305
)


def test_house_logger_factories_found_by_their_summaries(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/core/__init__.py": "",
            "app/core/logging.py": LOGGING,
            "app/work.py": USES_LOGGING,
        },
    )
    assert both(tmp_path, "HR302,HR303,HR304,HR305") == [
        "app/work.py:10 HR302",
        "app/work.py:14 HR304",
        "app/work.py:15 HR303",
        "app/work.py:15 HR305",
    ]


ERRORS = (
    '"""Errors."""\n\n\nclass AppError(Exception):\n    """The root."""\n\n\n'
    'class NotFoundError(AppError):\n    """Not found."""\n\n\n'
    'class PlainError(Exception):  # noqa: HR703\n    """Outside the hierarchy."""\n'
)
QUOTA = (
    '"""Quota."""\n\nfrom app.errors import NotFoundError, PlainError\n\n\n'
    'class QuotaError(NotFoundError):\n    """In the hierarchy through the import."""\n\n\n'
    'class LimitError(PlainError):\n    """Not."""\n'  # 10: HR703
)


def test_exception_hierarchy_and_model_suffixes_through_imports(tmp_path: Path) -> None:
    types = (
        '"""Types."""\n\nfrom app.core import Schema\n\n\n'
        'class UserPayload(Schema):\n    """Fine."""\n\n\n'
        'class UserThing(Schema):\n    """No house suffix."""\n'  # 10: HR611
    )
    write(tmp_path, {**SCHEMA, "app/errors.py": ERRORS, "app/quota.py": QUOTA, "app/users/types.py": types})
    assert both(tmp_path, "HR611,HR703", enable="HR611,HR703") == [
        "app/quota.py:10 HR703",
        "app/users/types.py:10 HR611",
    ]


def test_an_editor_buffer_is_linted_with_the_project_read_from_disk(tmp_path: Path) -> None:
    write(tmp_path, SCHEMA)
    args = ("--select", "HR403", "--stdin-display-name", "app/users/schemas.py")
    found = flake8(tmp_path, *args, stdin=USERS)
    assert [line.split(" ")[1] for line in found] == ["HR403"] * 5
    via_cli = house_rules(tmp_path, "--select", "HR403", "--stdin-filename", "app/users/schemas.py", "-", stdin=USERS)
    assert [line.split(" ")[1] for line in via_cli] == ["HR403"] * 5


#: fides' URL registry and mlflow's job environment: string constants read across modules.
CONSTANTS = {
    "app/__init__.py": "",
    "app/urls.py": '"""URLs."""\n\nTOKEN = "/oauth/token"\nCLIENT = "/oauth/client"\nJOB_ENV = "_APP_JOB_PARAMS"\n',
    "app/oauth.py": (
        '"""OAuth routes."""\n\nfrom fastapi import APIRouter\n\nfrom app.urls import CLIENT, TOKEN\n\n'
        'router = APIRouter(prefix="/api", tags=["oauth"])\n\n\n'
        '@router.post(TOKEN, summary="Token", response_model=dict)\n'
        "def acquire_access_token() -> dict:\n    return {}\n\n\n"
        '@router.post(CLIENT, summary="Client", response_model=dict)\n'  # 15: HR504, the path is no protocol's
        "def create_client() -> dict:\n    return {}\n"
    ),
    "app/job.py": (
        '"""A job process."""\n\nimport os\n\nfrom app.urls import JOB_ENV\n\n\n'
        "def params() -> str:\n    return os.environ[JOB_ENV]\n"
    ),
}


def test_string_constants_imported_from_another_module(tmp_path: Path) -> None:
    """The value of an imported path or variable-name constant is known (`("text", value)` summaries)."""
    write(tmp_path, CONSTANTS)
    assert both(tmp_path, "HR401,HR504") == ["app/oauth.py:15 HR504"]
    (tmp_path / "app" / "urls.py").write_text('"""URLs."""\n\nTOKEN = "/oauth/grant"\nCLIENT = "/c"\nJOB_ENV = "JOB"\n')
    assert both(tmp_path, "HR401,HR504") == ["app/job.py:9 HR401", "app/oauth.py:10 HR504", "app/oauth.py:15 HR504"]


def test_a_demonstration_folder_above_the_project_says_nothing(tmp_path: Path) -> None:
    """HR411 skips `examples/` inside a project, not a project that happens to live under `~/demo/`."""
    root = tmp_path / "demo" / "shop"
    root.mkdir(parents=True)
    files = {"app/__init__.py": "", "app/db.py": 'PASSWORD = "hunter2-prod"\n', "examples/run.py": 'PASSWORD = "dog"\n'}
    write(root, files)
    command = [sys.executable, "-m", "flake8", "--select", "HR411", "demo/shop"]
    result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, check=False)
    assert [line.split(": ")[0] for line in result.stdout.splitlines()] == ["demo/shop/app/db.py:1:12"]


def test_a_never_returning_helper_imported_from_another_module_handles_the_error(tmp_path: Path) -> None:
    """HR701: prefect's CLI calls `exit_with_error(...)` (`-> NoReturn`, in `prefect/cli/_utilities.py`)."""
    write(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/util.py": (
                '"""Helpers."""\n\nfrom typing import NoReturn\n\n\n'
                'def die(message: str) -> NoReturn:\n    """Stop."""\n    raise SystemExit(message)\n\n\n'
                'def warn(message: str) -> None:\n    """Say."""\n    print(message)  # noqa: HR003\n'
            ),
            "app/cli.py": (
                '"""Commands."""\n\nfrom app.util import die, warn\n\n\n'
                'def run(job) -> None:\n    """Run."""\n    try:\n        job()\n    except Exception as exc:\n'
                "        die(str(exc))\n\n\n"
                'def check(job) -> None:\n    """Check."""\n    try:\n        job()\n    except Exception as exc:\n'
                "        warn(str(exc))\n"
            ),
        },
    )
    reported_by_both(tmp_path, "HR701", ["app/cli.py:18 HR701"])
    source = (tmp_path / "app/cli.py").read_text()
    assert flake8(tmp_path, "--select", "HR701", "--stdin-display-name", "app/cli.py", stdin=source) == [
        "app/cli.py:18 HR701"
    ]


def test_a_never_returning_helper_called_through_its_imported_module(tmp_path: Path) -> None:
    """HR701: zenml calls `cli_utils.error(...)` (`-> NoReturn`) of `from zenml.cli import utils as cli_utils`."""
    write(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/cli/__init__.py": "",
            "app/cli/utils.py": (
                '"""Helpers."""\n\nfrom typing import NoReturn\n\n\n'
                'def error(message: str) -> NoReturn:\n    """Stop."""\n    raise SystemExit(message)\n\n\n'
                'def warning(message: str) -> None:\n    """Say."""\n'
            ),
            "app/login.py": (
                '"""Login."""\n\nfrom app.cli import utils as cli_utils\n\n\n'
                'def run(job) -> None:\n    """Run."""\n    try:\n        job()\n    except Exception as exc:\n'
                '        cli_utils.error(f"failed: {exc}")\n\n\n'
                'def check(job) -> None:\n    """Check."""\n    try:\n        job()\n    except Exception as exc:\n'
                "        cli_utils.warning(str(exc))\n"
            ),
        },
    )
    reported_by_both(tmp_path, "HR701", ["app/login.py:18 HR701"])


def test_settings_re_exported_by_a_package_that_never_spells_settings(tmp_path: Path) -> None:
    """HR408 reads past a package that re-exports a settings class (its own text spells no `settings`)."""
    write(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/core/__init__.py": '"""Core."""\n\nfrom app.core.config import AppConfig\n\n__all__ = ["AppConfig"]\n',
            "app/core/config.py": (
                '"""Config."""\n\nfrom pydantic_settings import BaseSettings\n\n\n'
                'class AppConfig(BaseSettings):\n    """The app\'s."""\n\n    debug: bool = False\n'
            ),
            "app/handlers.py": (
                '"""Handlers."""\n\nfrom app.core import AppConfig\n\n\n'
                'def handle() -> bool:\n    """Handle."""\n    return AppConfig().debug\n'
            ),
        },
    )
    assert flake8(tmp_path, "--select", "HR408") == ["app/handlers.py:8 HR408"]


def test_a_described_annotated_alias_imported_from_another_module(tmp_path: Path) -> None:
    """HR403: prefect's `labels: KeyValueLabelsField = Field(default_factory=dict)`, the alias described in
    `prefect/types`; an alias without a description still leaves the field undescribed.
    """
    write(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/types.py": (
                '"""Types."""\n\nfrom typing import Annotated\n\nfrom pydantic import Field\n\n'
                'Labels = Annotated[dict, Field(default_factory=dict, description="Key-value labels.")]\n'
                "Name = Annotated[str, Field(min_length=1)]\n"
            ),
            "app/models.py": (
                '"""Models."""\n\nfrom pydantic import BaseModel, Field\n\nfrom app.types import Labels, Name\n\n\n'
                'class Flow(BaseModel):\n    """A flow."""\n\n    labels: Labels = Field(default_factory=dict)\n'
                "    tags: Labels | None = None\n    name: Name\n"
            ),
        },
    )
    reported_by_both(tmp_path, "HR403", ["app/models.py:13 HR403"])
