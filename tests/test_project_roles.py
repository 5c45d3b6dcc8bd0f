"""Layer roles from evidence, through real flake8 and `house-rules` on multi-module projects.

The look-alikes of `shared/findings/precision.md` ("Root causes that span codes"): `restore.py`,
`keystore.py`, a `job_state_store.py` of pydantic models, an SDK package under `api/`, an enum module named
`routers.py`, workers under `services/`; and the modules that do show their layer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from test_project_rules import both, write

if TYPE_CHECKING:
    from pathlib import Path

STORE = (
    '"""Users."""\n\nfrom sqlalchemy.ext.asyncio import AsyncSession\n\n\n'
    'class UserStore:\n    """Users in the database."""\n\n'
    "    def __init__(self, db: AsyncSession) -> None:\n        self.db = db\n\n"
    "    async def get_user_by_id(self, payload: object) -> object:\n"  # 12: HR609
    '        """One user."""\n        try:\n'  # 14: HR606
    "            return await self.db.get(object, payload)\n"
    "        except KeyError:\n            return None\n\n"
    "    async def save(self, payload: object) -> None:\n"
    '        """Save."""\n        self.db.add(payload)\n        await self.db.commit()\n'  # 22: HR605
)

#: A store package and an empty services package, the layout the service tests add to.
LAYERED = {
    "app/__init__.py": "",
    "app/stores/__init__.py": "",
    "app/stores/users.py": STORE,
    "app/services/__init__.py": "",
}


def test_a_store_that_touches_a_session_is_a_store(tmp_path: Path) -> None:
    write(tmp_path, {"app/__init__.py": "", "app/stores/__init__.py": "", "app/stores/users.py": STORE})
    assert both(tmp_path, "HR605,HR609") == [
        "app/stores/users.py:12 HR609",
        "app/stores/users.py:22 HR605",
    ]


def test_restore_and_keystore_are_no_stores(tmp_path: Path) -> None:
    restore = (
        '"""Restore a backup."""\n\nfrom sqlalchemy import insert\nfrom sqlalchemy.orm import Session\n\n\n'
        "def restore(session: Session, rows: list[dict], batch: int) -> None:\n"
        '    """One transaction per batch."""\n'
        "    for start in range(0, len(rows), batch):\n"
        "        session.execute(insert(object), rows[start : start + batch])\n        session.commit()\n"
    )
    keystore = (
        '"""Secrets."""\n\nfrom app.secrets.base import SecretsBackend\n\n\n'
        'class KeystoreBackend(SecretsBackend):\n    """A keystore."""\n\n'
        "    def get_secret(self, key: str) -> str | None:\n"
        '        """One secret."""\n        return None\n'
    )
    write(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/backup/__init__.py": "",
            "app/backup/restore.py": restore,
            "app/secrets/__init__.py": "",
            "app/secrets/base.py": '"""Base."""\n\n\nclass SecretsBackend:\n    """A backend."""\n',
            "app/secrets/keystore.py": keystore,
        },
    )
    assert both(tmp_path, "HR605,HR609") == []


def test_a_store_named_module_of_pydantic_models_is_no_store(tmp_path: Path) -> None:
    models = (
        '"""Job state bodies."""\n\nimport json\n\nfrom pydantic import BaseModel, field_validator\n\n\n'
        'class JobStateBody(BaseModel):\n    """A body."""\n\n    value: str\n\n'
        '    @field_validator("value")\n    @classmethod\n    def value_is_json(cls, v: str) -> str:\n'
        '        """Check."""\n        try:\n            json.loads(v)\n        except ValueError:\n'
        '            raise ValueError("not JSON") from None\n        return v\n'
    )
    profiles = (
        '"""Profiles in a YAML file."""\n\nfrom pathlib import Path\n\n\n'
        'class ProfileStore:\n    """No database."""\n\n    def load(self, path: Path) -> str:\n'
        '        """Load."""\n        try:\n            return path.read_text()\n        except OSError as e:\n'
        "            raise ValueError(path) from e\n"
    )
    write(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/datamodels/__init__.py": "",
            "app/datamodels/job_state_store.py": models,
            "app/profiles/__init__.py": "",
            "app/profiles/store.py": profiles,
        },
    )
    assert both(tmp_path, "HR606,HR610", enable="HR610") == []


def test_a_module_matching_two_layers_gets_no_layer_rule(tmp_path: Path) -> None:
    router = (
        '"""Job state routes."""\n\nfrom fastapi import APIRouter, HTTPException\n\n'
        "router = APIRouter()\nbackend: dict[str, str] = {}\n\n\n"
        '@router.put("/{key}", status_code=204)\ndef set_value(key: str, value: str) -> None:\n'
        '    """Set."""\n    try:\n        backend[key] = value\n    except KeyError as e:\n'
        "        raise HTTPException(status_code=404) from e\n"
    )
    write(tmp_path, {"app/__init__.py": "", "app/routes/__init__.py": "", "app/routes/job_state_store.py": router})
    assert both(tmp_path, "HR606,HR612") == []


def test_import_targets_are_judged_by_their_content(tmp_path: Path) -> None:
    service = (
        '"""Runs."""\n\nfrom app.core.models.routers import RouterKind\nfrom app.stores.runs import RunStore\n'
        "from sdk.api import Client\nfrom app.api.users import router\n\n"  # 6: HR607 (a real router module)
        '__all__ = ["Client", "RouterKind", "RunStore", "router"]\n'
    )
    write(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/core/__init__.py": "",
            "app/core/models/__init__.py": "",
            "app/core/models/routers.py": (
                '"""Kinds."""\n\nfrom enum import StrEnum\n\n\nclass RouterKind(StrEnum):\n    """A kind."""\n\n'
                '    ROUND_ROBIN = "rr"\n'
            ),
            "sdk/__init__.py": "",
            "sdk/api/__init__.py": (
                '"""The SDK."""\n\nimport httpx\n\n\nclass Client:\n    """A client."""\n\n'
                "    def __init__(self) -> None:\n        self.http = httpx.Client(timeout=5)\n"
            ),
            "app/stores/__init__.py": "",
            "app/stores/runs.py": STORE.replace("UserStore", "RunStore"),
            "app/api/__init__.py": "",
            "app/api/users.py": (
                '"""Users."""\n\nfrom fastapi import APIRouter\n\nrouter = APIRouter(prefix="/u", tags=["u"])\n'
            ),
            "app/services/__init__.py": "",
            "app/services/runs.py": service,
        },
    )
    assert both(tmp_path, "HR607") == ["app/services/runs.py:6 HR607"]


def test_workers_under_services_are_no_services(tmp_path: Path) -> None:
    worker = (
        '"""Forwards events."""\n\nimport asyncio\n\n\n'
        'class EventQueueService:\n    """Background service."""\n\n'
        "    def create_task_for(self, loop: asyncio.AbstractEventLoop) -> None:\n"
        '        """Start."""\n        self.task = loop.create_task(asyncio.sleep(1))\n'
    )
    users = (
        '"""Users."""\n\nfrom app.stores.users import UserStore\n\n\n'
        'class UserService:\n    """Users."""\n\n    def __init__(self, store: UserStore) -> None:\n'
        "        self.store = store\n\n    async def fetch_users(self, payload: object) -> object:\n"  # 12: HR609
        '        """Users."""\n        return await self.store.get_user_by_id(payload)\n'
    )
    write(
        tmp_path,
        {
            **LAYERED,
            "app/services/queue.py": worker,
            "app/services/users.py": users,
        },
    )
    assert both(tmp_path, "HR609") == ["app/services/users.py:12 HR609", "app/stores/users.py:12 HR609"]


def test_a_service_path_alone_is_no_evidence_for_another(tmp_path: Path) -> None:
    """zenml: daemons under `integrations/*/services/` import their base classes from `services/`."""
    base = (
        '"""Base services."""\n\n\nclass BaseService:\n    """A daemon."""\n\n'
        "    def get_healthcheck_uri(self) -> str:\n"  # 7: HR609 only if this were a service layer
        '        """Where to ask."""\n        return ""\n'
    )
    daemon = (
        '"""A model server."""\n\nfrom app.services.base import BaseService\n\n\n'
        'class DeploymentService(BaseService):\n    """Serves a model."""\n\n'
        "    def get_token(self) -> str:\n"  # 9
        '        """The token."""\n        return ""\n'
    )
    orchestrating = (
        '"""Checkout."""\n\nfrom app.services.users import UserService\n\n\n'
        'class CheckoutService:\n    """Checkout."""\n\n    def __init__(self, users: UserService) -> None:\n'
        "        self.users = users\n\n    def fetch_cart(self, payload: object) -> object:\n"  # 12: HR609
        '        """The cart."""\n        return payload\n'
    )
    users = (
        '"""Users."""\n\nfrom app.stores.users import UserStore\n\n\n'
        'class UserService:\n    """Users."""\n\n    def __init__(self, store: UserStore) -> None:\n'
        "        self.store = store\n"
    )
    write(
        tmp_path,
        {
            **LAYERED,
            "app/services/base.py": base,
            "app/services/users.py": users,
            "app/services/checkout.py": orchestrating,
            "app/integrations/__init__.py": "",
            "app/integrations/hf/__init__.py": "",
            "app/integrations/hf/services/__init__.py": "",
            "app/integrations/hf/services/deployment.py": daemon,
        },
    )
    assert both(tmp_path, "HR609") == ["app/services/checkout.py:12 HR609", "app/stores/users.py:12 HR609"]


def test_a_store_of_another_distribution_is_of_no_layer(tmp_path: Path) -> None:
    """langflow's router imports `lfx.graph.checkpoint.store`: another distribution, unknown, not a store."""
    router = (
        '"""Routes."""\n\nfrom fastapi import APIRouter\nfrom lfx.graph.checkpoint.store import CheckpointStore\n'
        "from app.stores.users import UserStore\n\n"
        'router = APIRouter()\n\n\n@router.get("/")\nasync def index() -> dict:\n'
        '    """Index."""\n    return {"store": CheckpointStore, "users": UserStore}\n'
    )
    write(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/stores/__init__.py": "",
            "app/stores/users.py": STORE,
            "app/api/__init__.py": "",
            "app/api/routes.py": router,
        },
    )
    assert both(tmp_path, "HR607") == ["app/api/routes.py:5 HR607"]
