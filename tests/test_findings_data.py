"""Every HR6xx finding of `../shared/findings/precision.md` as a test, through real flake8.

Each snippet is the finding's own, verbatim, written at its path (the module's role depends on it) in a small
project (a `pyproject.toml` marks its root) with the other modules it needs; the test is named after the
finding. Invalid shapes must report, valid look-alikes must not.
"""

from __future__ import annotations

import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from pathlib import Path

PYPROJECT = '[project]\nname = "app"\nrequires-python = ">=3.11"\n'


@pytest.fixture(autouse=True)
def no_summary_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """The on-disk summary cache stays off: each test reads its project afresh."""
    monkeypatch.setenv("HOUSE_RULES_SUMMARY_CACHE", "off")


def flake8(root: Path, files: dict[str, str], codes: str, *, full: bool = False, marker: bool = True) -> list[str]:
    """Write the project, run `flake8 --select CODES --hr-enable=CODES .` in it: `path:line:col CODE` each.

    `marker=False` leaves the `pyproject.toml` out: a tree unpacked from an sdist or a wheel has none.
    """
    for name, text in (({"pyproject.toml": PYPROJECT} if marker else {}) | files).items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    command = [sys.executable, "-m", "flake8", "--select", codes, f"--hr-enable={codes}", "."]
    result = subprocess.run(command, cwd=root, capture_output=True, text=True, check=False)
    assert result.stderr == "", result.stderr
    if full:
        return sorted(line.removeprefix("./") for line in result.stdout.splitlines())
    return sorted(
        line.removeprefix("./").partition(" ")[0] + " " + line.split(" ")[1] for line in result.stdout.splitlines()
    )


VECTORS = """from sqlalchemy import create_engine
from sqlalchemy.orm import scoped_session, sessionmaker
from app.db import ScopedSession


class VectorStore:
    def __init__(self, url: str | None) -> None:
        if not url:
            self.session = ScopedSession
        else:
            self.session = scoped_session(sessionmaker(bind=create_engine(url)))

    def first(self, model):
        return self.session.query(model).first()
"""

METRICS = """from sqlalchemy import func, select
from sqlalchemy.orm import Session


def count_users(engine, users) -> int:  # a gauge callback, called synchronously
    with Session(engine) as session:
        return session.execute(select(func.count()).select_from(users)).scalar()


async def metrics_middleware(request, call_next):  # unrelated async code
    return await call_next(request)
"""

BUCKETS = """from sqlalchemy import func
from sqlalchemy.dialects.postgresql import insert


def upsert(bucket, values: dict):
    stmt = insert(bucket).values(**values)
    return stmt.on_conflict_do_update(
        index_elements=["key"],
        set_={"count": stmt.excluded.count, "updated": func.now()},
    )
"""

RESTORE = '''from sqlalchemy import insert

from app.models import Row


def restore(session, rows: list[dict], batch: int) -> None:
    """Restore a backup, one transaction per batch."""
    for start in range(0, len(rows), batch):
        session.execute(insert(Row), rows[start : start + batch])
        session.commit()
'''

JOB_STATE_MODELS = """import json
from pydantic import BaseModel, field_validator


class JobStateBody(BaseModel):
    value: str

    @field_validator("value")
    @classmethod
    def value_is_json(cls, v: str) -> str:
        try:
            json.loads(v)
        except ValueError:
            raise ValueError("not JSON") from None
        return v
"""

JOB_STATE_ROUTER = """from fastapi import APIRouter, HTTPException

from app.backend import backend

router = APIRouter()


@router.put("/{key}", status_code=204)
def set_value(key: str, value: str) -> None:
    try:
        backend.set(key, value)
    except KeyError as e:
        raise HTTPException(status_code=404) from e
"""

PROFILE_STORE = """from pathlib import Path

import yaml


class ProfileStore:  # profiles in a YAML file; no database
    def load(self, path: Path) -> dict:
        try:
            return yaml.safe_load(path.read_text())
        except OSError as e:
            raise ValueError(f"cannot read {path}") from e
"""

RUNS_SERVICE = """from app.core.models.routers import RouterKind  # a StrEnum of model-routing kinds
from sdk.api import Client  # the project's public Python SDK client
from app.stores.runs import RunStore  # a store: allowed
"""

PLANS_SERVICE = """from app.core.models.runs import TaskPlan  # a pydantic BaseModel, not an ORM class


class Planner:
    async def build_plans(self) -> list[TaskPlan]:
        return [TaskPlan(name="a")]
"""

KEYSTORE = """from app.secrets.base import SecretsBackend


class KeystoreBackend(SecretsBackend):  # the base fixes the method names
    def get_secret(self, key: str) -> str | None:
        return None
"""

AUTH_SERVICE = """import jwt


class TokenService:
    def __init__(self, key: str) -> None:
        self.key = key

    def create_token(self, subject: str) -> str:
        return jwt.encode({"sub": subject}, self.key, algorithm="HS256")
"""

QUEUE_SERVICE = '''import asyncio


class EventQueueService:
    """Background service: forwards events to the broker."""

    async def start(self, loop: asyncio.AbstractEventLoop) -> None:
        self.task = loop.create_task(self.run())

    async def shutdown(self, timeout: float) -> None:
        await asyncio.wait_for(self.task, timeout)
'''

TYPES = """from pydantic import BaseModel, Field


class RgbColor(BaseModel):
    red: int = Field(description="Red, 0-255")


class ThemeResponse(BaseModel):
    primary: RgbColor = Field(description="Primary colour")
"""

QUERIES = """from sqlalchemy import text

TEMPLATES = {"postgresql": "value::text LIKE 'x%'", "sqlite": "value LIKE 'x%'"}

def queries(conn, stmt, tag_ids: list[str], dialect: str, asc: bool):
    for index, tag_id in enumerate(tag_ids):
        param = f"tag_id_{index}"
        stmt = stmt.where(text(f"tags.value = :{param}")).params(**{param: tag_id})
    condition = TEMPLATES[dialect]
    conn.execute(text(f"DELETE FROM results WHERE {condition}"))
    direction = "ASC" if asc else "DESC"
    conn.execute(text(f"SELECT * FROM users ORDER BY created_at {direction}"))
    offset = 0
    offset += 500
    return conn.execute(text(f"SELECT * FROM events LIMIT 500 OFFSET {offset}"))
"""

MIGRATION = """import sqlalchemy as sa
from alembic import op

ENCODED_PREFIX = "enc:identity:"


def upgrade() -> None:
    conn = op.get_bind()
    op.execute(f"UPDATE users SET token = SUBSTRING(token, {len(ENCODED_PREFIX) + 1})")
    for table, column in [("jobs", "id"), ("job_steps", "job_id")]:
        conn.execute(sa.text(f"UPDATE {table} SET {column} = LOWER({column})"))
    op.execute(sa.text(f"UPDATE pools SET include_paused = {sa.false().compile(conn)}"))
"""

DDL = """from sqlalchemy import text


def set_lock_timeout(conn, seconds: int) -> None:
    conn.execute(text(f"SET LOCAL lock_timeout = '{seconds}s'"))


def drop_archive(conn, table: str) -> None:
    conn.execute(text(f"DROP TABLE IF EXISTS {table}"))
"""

INSERT = """from sqlalchemy import text


def insert(cursor, var):
    cursor.executemany("INSERT INTO t VALUES (%s)" % var, [])
    cursor.execute("INSERT INTO t VALUES (%s)" % var)
"""

INPUTS = """from fastapi import HTTPException
from sqlalchemy.exc import IntegrityError


async def create_input(session, row: object) -> None:
    try:
        session.add(row)
        await session.commit()
    except IntegrityError as exc:
        if "unique" in str(exc):
            raise HTTPException(status_code=409)
        else:
            raise HTTPException(status_code=404)
"""

EVENTS = """from sqlalchemy.exc import IntegrityError

from app.recorder import record_bulk  # opens, commits and closes its own session


async def record_one(event: object) -> bool:
    try:
        await record_bulk([event])
    except IntegrityError:
        return False  # duplicate: discard it
    return True
"""

# Modules the findings' snippets import, as the findings describe them.
DB = """from sqlalchemy import create_engine
from sqlalchemy.orm import DeclarativeBase, scoped_session, sessionmaker

engine = create_engine("sqlite://")
SessionLocal = sessionmaker(bind=engine)
ScopedSession = scoped_session(SessionLocal)


class Base(DeclarativeBase):
    pass
"""
ROUTER_KIND = 'from enum import StrEnum\n\n\nclass RouterKind(StrEnum):\n    FAST = "fast"\n'
SDK_CLIENT = (
    'class Client:\n    """The public SDK client."""\n\n'
    "    def __init__(self, url: str) -> None:\n        self.url = url\n"
)
RUN_STORE = (
    "from sqlalchemy.orm import Session\n\n\nclass RunStore:\n"
    "    def __init__(self, session: Session) -> None:\n        self.session = session\n"
)
API_ROUTER = (
    "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n\n"
    "@router.get('/runs')\ndef runs() -> list[str]:\n    return []\n"
)
TASK_PLAN = "from pydantic import BaseModel\n\n\nclass TaskPlan(BaseModel):\n    name: str\n"
TASK_ROW = (
    "from sqlalchemy.orm import Mapped, mapped_column\n\nfrom app.db import Base\n\n\n"
    "class TaskPlan(Base):\n    __tablename__ = 'plans'\n    id: Mapped[int] = mapped_column(primary_key=True)\n"
)
SECRETS_BASE = (
    "class SecretsBackend:\n    def get_secret(self, key: str) -> str | None:\n        raise NotImplementedError\n"
)


def test_hr601_mixed_bindings_of_self_session(tmp_path: Path) -> None:
    assert flake8(tmp_path, {"app/vectors.py": VECTORS}, "HR601") == ["app/vectors.py:14:16: HR601"]


def test_hr601_mixed_bindings_with_the_import_in_the_project(tmp_path: Path) -> None:
    files = {"app/__init__.py": "", "app/db.py": DB, "app/vectors.py": VECTORS}
    assert flake8(tmp_path, files, "HR601") == ["app/vectors.py:14:16: HR601"]


def test_hr602_sync_callback_beside_async_code(tmp_path: Path) -> None:
    assert flake8(tmp_path, {"app/metrics.py": METRICS}, "HR602") == []


def test_hr602_an_imported_sync_factory_is_not_taken_for_a_constructor(tmp_path: Path) -> None:
    """Its call is no `sessionmaker(...)` of its own: what it is comes from `app/db.py` (a sync factory)."""
    uses = (
        "from app.db import SessionLocal\n\n\nasync def handler() -> None:\n"
        "    with SessionLocal() as session:\n        session.flush()\n"
    )
    files = {"app/__init__.py": "", "app/db.py": DB, "app/handlers.py": uses}
    assert flake8(tmp_path, files, "HR602", full=True) == [
        "app/handlers.py:5:10: HR602 `SessionLocal` is a synchronous `sessionmaker` (`app.db`): use "
        "`async_sessionmaker` and `AsyncSession` in async code"
    ]


def test_hr604_the_column_is_updated(tmp_path: Path) -> None:
    assert flake8(tmp_path, {"app/buckets.py": BUCKETS}, "HR604") == []


def test_hr605_per_batch_commit_in_restore_py(tmp_path: Path) -> None:
    assert flake8(tmp_path, {"app/backup/restore.py": RESTORE}, "HR605") == []


def test_hr605_the_same_commit_in_a_store_reports(tmp_path: Path) -> None:
    assert flake8(tmp_path, {"app/backup/row_store.py": RESTORE}, "HR605") == ["app/backup/row_store.py:10:9: HR605"]


def test_hr606_pydantic_models_module_named_store(tmp_path: Path) -> None:
    assert flake8(tmp_path, {"app/api/datamodels/job_state_store.py": JOB_STATE_MODELS}, "HR606") == []


def test_hr606_hr612_router_module_named_store(tmp_path: Path) -> None:
    assert flake8(tmp_path, {"app/api/routes/job_state_store.py": JOB_STATE_ROUTER}, "HR606,HR612") == []


def test_hr606_store_that_is_not_sql(tmp_path: Path) -> None:
    assert flake8(tmp_path, {"app/cli/services/profiles/store.py": PROFILE_STORE}, "HR606") == []


def test_hr607_targets_matched_by_name(tmp_path: Path) -> None:
    files = {
        **dict.fromkeys(["app/__init__.py", "app/core/__init__.py", "app/core/models/__init__.py"], ""),
        **dict.fromkeys(["app/services/__init__.py", "app/stores/__init__.py", "sdk/__init__.py"], ""),
        "app/core/models/routers.py": ROUTER_KIND,
        "sdk/api/__init__.py": SDK_CLIENT,
        "app/stores/runs.py": RUN_STORE,
        "app/services/runs.py": RUNS_SERVICE,
    }
    assert flake8(tmp_path, files, "HR607") == []


def test_hr607_a_package_of_re_exports_is_what_it_re_exports(tmp_path: Path) -> None:
    service = "from app.api.models import RouterKind\nfrom app.api.routes import router\n"
    files = {
        **dict.fromkeys(["app/__init__.py", "app/api/__init__.py", "app/services/__init__.py"], ""),
        "app/api/models/__init__.py": "from app.api.models.kinds import *\n",
        "app/api/models/kinds.py": ROUTER_KIND,
        "app/api/routes/__init__.py": "from app.api.routes.runs import router\n",
        "app/api/routes/runs.py": API_ROUTER,
        "app/services/runs.py": service,
    }
    assert flake8(tmp_path, files, "HR607") == ["app/services/runs.py:2:1: HR607"]


SYNC_DB = (
    "from sqlalchemy import create_engine\nfrom sqlalchemy.orm import Session, sessionmaker\n\n"
    "engine = create_engine('sqlite://')\nSessionLocal = sessionmaker(bind=engine)\n"
    "PlainLocal = sessionmaker(engine, class_=Session)\n"
    "AsyncLocal = sessionmaker(engine, class_=AsyncSession)\nCustomLocal = sessionmaker(engine, class_=MySession)\n"
)
SYNC_DB_USER = (
    "from app.db import AsyncLocal, CustomLocal, PlainLocal, SessionLocal\n\n\n"
    "async def rows() -> None:\n    with SessionLocal() as session:\n        session.flush()\n"
    "    session = PlainLocal()\n    session = AsyncLocal()\n    session = CustomLocal()\n    PlainLocal()\n\n\n"
    "def sync_rows() -> None:\n    with SessionLocal() as session:\n        session.flush()\n\n\n"
    "async def nested() -> None:\n    def work() -> None:\n        SessionLocal()\n"
)


def test_hr602_a_sync_factory_imported_into_async_code(tmp_path: Path) -> None:
    """A factory bound to `sessionmaker(...)` in another module, called in an `async def`, is reported there;
    a factory built with another `class_` (or one the project cannot see) is not.

    Only imported names the module uses like sessions (in a `with`, called into a name like `session`) are
    looked up in the project: the other modules they come from are read for nothing else.
    """
    files = {
        **dict.fromkeys(["app/__init__.py"], ""),
        "app/db.py": SYNC_DB,
        "app/routes.py": SYNC_DB_USER,
    }
    tail = "is a synchronous `sessionmaker` (`app.db`): use `async_sessionmaker` and `AsyncSession` in async code"
    assert flake8(tmp_path, files, "HR602", full=True) == [
        f"app/routes.py:10:5: HR602 `PlainLocal` {tail}",
        f"app/routes.py:5:10: HR602 `SessionLocal` {tail}",
        f"app/routes.py:7:15: HR602 `PlainLocal` {tail}",
    ]


ABSTRACT_JOB_STORE = (
    "from abc import ABC, abstractmethod\n\n\nclass AbstractJobStore(ABC):\n    @abstractmethod\n"
    "    def get_job(self, job_id: str) -> dict: ...\n"
)
SQL_JOB_STORE = (
    "from sqlalchemy.orm import Session\n\nfrom app.store.jobs.abstract_store import AbstractJobStore\n\n\n"
    "class SqlJobStore(AbstractJobStore):\n    def __init__(self, session: Session) -> None:\n"
    "        self.session = session\n\n    def get_job(self, job_id: str) -> dict:\n        return {}\n\n"
    "    def fetch_jobs(self) -> list[dict]:\n        return []\n"
)


def test_hr609_a_name_a_project_base_of_another_module_dictates(tmp_path: Path) -> None:
    """mlflow's SQL job store implements `AbstractJobStore.get_job`: the base names it, not the store."""
    files = {
        **dict.fromkeys(["app/__init__.py", "app/store/__init__.py", "app/store/jobs/__init__.py"], ""),
        "app/store/jobs/abstract_store.py": ABSTRACT_JOB_STORE,
        "app/store/jobs/sqlalchemy_store.py": SQL_JOB_STORE,
    }
    assert flake8(tmp_path, files, "HR609") == ["app/store/jobs/sqlalchemy_store.py:13:5: HR609"]


NAMESPACE_ROUTES = (
    "from fastapi import APIRouter\n\nfrom app.repositories.daily import DailyRepository\n\n"
    "router = APIRouter()\n\n\n@router.get('/daily')\ndef daily() -> list[str]:\n"
    "    return DailyRepository().rows()\n"
)


@pytest.mark.parametrize(
    ("store", "expected"), [("", []), (RUN_STORE, ["app/proxy/endpoints/daily_routes.py:3:1: HR607"])]
)
def test_hr607_namespace_folder_inside_a_package(tmp_path: Path, store: str, expected: list[str]) -> None:
    """A router in a folder without `__init__.py` inside a package (no `pyproject.toml` above) reads the package.

    litellm's `proxy/management_endpoints/` has no `__init__.py`; its prisma repositories show no SQLAlchemy
    session and are no store. Read as its own tree the router could not follow the import and fell back to
    the file name.
    """
    repository = store or "class DailyRepository:\n    def rows(self) -> list[str]:\n        return []\n"
    files = {
        **dict.fromkeys(["app/__init__.py", "app/proxy/__init__.py", "app/repositories/__init__.py"], ""),
        "app/repositories/daily.py": repository,
        "app/proxy/endpoints/daily_routes.py": NAMESPACE_ROUTES,
    }
    assert flake8(tmp_path, files, "HR607", marker=False) == expected


def test_hr608_pydantic_model_from_a_models_module(tmp_path: Path) -> None:
    files = {
        **dict.fromkeys(["app/__init__.py", "app/core/__init__.py", "app/core/models/__init__.py"], ""),
        "app/core/models/runs.py": TASK_PLAN,
        "app/services/plans.py": PLANS_SERVICE,
    }
    assert flake8(tmp_path, files, "HR608") == []


# The finding's service with evidence of its layer (it takes a session), so that only the model decides.
PLANNER = PLANS_SERVICE.replace(
    "class Planner:\n",
    "class Planner:\n    def __init__(self, session: Session) -> None:\n        self.session = session\n\n",
).replace("\n\n\nclass", "\nfrom sqlalchemy.orm import Session\n\n\nclass", 1)


@pytest.mark.parametrize(("model", "found"), [(TASK_PLAN, []), (TASK_ROW, ["app/services/plans.py:9:5: HR608"])])
def test_hr608_a_pydantic_or_orm_model_by_its_base_from_another_module(
    tmp_path: Path, model: str, found: list[str]
) -> None:
    files = {
        **dict.fromkeys(["app/__init__.py", "app/core/__init__.py", "app/core/models/__init__.py"], ""),
        "app/db.py": DB,
        "app/core/models/runs.py": model,
        "app/services/plans.py": PLANNER,
    }
    assert flake8(tmp_path, files, "HR608") == found


def test_hr609_interface_names_in_keystore_py(tmp_path: Path) -> None:
    files = {"app/__init__.py": "", "app/secrets/__init__.py": "", "app/secrets/base.py": SECRETS_BASE}
    assert flake8(tmp_path, {**files, "app/secrets/keystore.py": KEYSTORE}, "HR609") == []


def test_hr609_non_crud_service_methods(tmp_path: Path) -> None:
    assert flake8(tmp_path, {"app/services/auth.py": AUTH_SERVICE}, "HR609") == []


def test_hr610_pydantic_validators(tmp_path: Path) -> None:
    assert flake8(tmp_path, {"app/api/datamodels/job_state_store.py": JOB_STATE_MODELS}, "HR610") == []


def test_hr610_lifecycle_methods(tmp_path: Path) -> None:
    assert flake8(tmp_path, {"app/services/queue.py": QUEUE_SERVICE}, "HR610") == []


def test_hr611_nested_value_types(tmp_path: Path) -> None:
    assert flake8(tmp_path, {"app/types.py": TYPES}, "HR611") == []


def test_hr611_a_model_nothing_nests_reports(tmp_path: Path) -> None:
    unused = TYPES + "\n\nclass Palette(BaseModel):\n    name: str = Field(description='Name')\n"
    assert flake8(tmp_path, {"app/types.py": unused}, "HR611") == ["app/types.py:12:1: HR611"]


def test_hr613_values_that_cannot_carry_input(tmp_path: Path) -> None:
    assert flake8(tmp_path, {"app/queries.py": QUERIES}, "HR613") == []


def test_hr613_migration_shapes(tmp_path: Path) -> None:
    assert flake8(tmp_path, {"migrations/versions/0003_lowercase_ids.py": MIGRATION}, "HR613") == []


def test_hr613_identifiers_set_pragma(tmp_path: Path) -> None:
    advice = (
        "quote an identifier with the dialect's `identifier_preparer.quote(...)`, render a literal with "
        "`literal(value).compile(compile_kwargs={'literal_binds': True})` or convert a number with `int(...)` "
        "before formatting it in"
    )
    assert flake8(tmp_path, {"app/ddl.py": DDL}, "HR613", full=True) == [
        f"app/ddl.py:5:18: HR613 bound parameters cannot stand in `SET`: {advice}",
        f"app/ddl.py:9:18: HR613 bound parameters cannot stand in `DROP`: {advice}",
    ]


def test_hr613_executemany(tmp_path: Path) -> None:
    assert flake8(tmp_path, {"app/insert.py": INSERT}, "HR613") == [
        "app/insert.py:5:5: HR613",
        "app/insert.py:6:5: HR613",
    ]


def test_hr614_both_branches_raise(tmp_path: Path) -> None:
    assert flake8(tmp_path, {"app/inputs.py": INPUTS}, "HR614") == []


def test_hr614_no_session_in_scope(tmp_path: Path) -> None:
    assert flake8(tmp_path, {"app/events.py": EVENTS}, "HR614") == []


def test_hr615_a_factory_imported_from_another_module(tmp_path: Path) -> None:
    deps = (
        "from app.db import SessionLocal\n\n\ndef get_db():\n    db = SessionLocal()\n    try:\n        yield db\n"
        "    finally:\n        db.close()\n\n\n"
        "def fine():\n    with SessionLocal() as session:\n        return session\n"
    )
    files = {"app/__init__.py": "", "app/db.py": DB, "app/deps.py": deps}
    assert flake8(tmp_path, files, "HR615") == ["app/deps.py:5:10: HR615"]


def test_hr614_a_sync_session_is_told_with_not_async_with(tmp_path: Path) -> None:
    store = (
        "from sqlalchemy.exc import IntegrityError\nfrom sqlalchemy.orm import Session\n\n\n"
        "def add(session: Session, row: object) -> None:\n    try:\n        session.add(row)\n"
        "        session.flush()\n    except IntegrityError:\n        session.rollback()\n"
    )
    assert flake8(tmp_path, {"app/rows.py": store}, "HR614", full=True) == [
        "app/rows.py:9:5: HR614 run the statement inside `with session.begin_nested():` when catching `IntegrityError`"
    ]
