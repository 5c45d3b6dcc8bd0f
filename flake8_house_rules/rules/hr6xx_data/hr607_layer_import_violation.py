"""HR607 layer-import-violation."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from flake8_house_rules.context.sqlalchemy import ImportTargets, Layer, layer_of
from flake8_house_rules.rule import Example, Rule

if TYPE_CHECKING:
    from flake8_house_rules.context import ModuleContext

#: The layers each layer must not import, and what to do instead.
FORBIDDEN: dict[Layer, dict[Layer, str]] = {
    "router": {"store": "a router must not import the store layer: call a service"},
    "service": {"router": "a service must not import the router layer: routers depend on services"},
    "store": {
        "service": "a store must not import the service layer: services depend on stores",
        "router": "a store must not import the router layer: routers depend on services",
    },
}


class LayerImportViolation(Rule):
    """## What it does
    Checks the direction of imports between the layers, which are module roles given by the path options
    (`hr-store-modules`, `hr-service-modules`, `hr-router-modules`): routers may import services and
    services may import stores, never the other way, and routers never import stores. Reported: a router
    importing a store module, a store importing a service or router module, and a service importing a
    router module (the catalogue names the first two; the third is the same arrow reversed).

    Each import is resolved to module paths before the patterns are applied: `import app.users.store` and
    `from app.users.store import UserStore` load `app/users/store.py`; `from app.users import store` may
    load `app/users/store.py`; a relative import is resolved against the module's own package
    (`from .store import UserStore` in `app/users/routes.py`). An editor buffer linted through stdin takes
    its path, and so its layer, from `--stdin-display-name`; bare stdin has no layer. A module whose path
    matches the patterns of two layers is ambiguous and neither checked nor counted as an import target.
    When the imported module is found on disk (beside the linted file's project), only what it is counts:
    `from mlflow.tracking._tracking_service import utils` loads a package, which `*service.py` does not
    match, so a store importing it is not reported. An absolute import of a package that is not the
    project's (a library or another distribution: langflow's `from lfx.graph.checkpoint.store import
    CheckpointStore`) is of no layer, since nothing shows what that module is.

    ## Why is this bad?
    Each layer has one job: the router speaks HTTP, the service holds the business rules, the store talks
    to the database. A router that reaches into the store skips the business rules; a store that imports a
    service makes the layers depend on each other in a circle. Style guide 002 (Architecture): "Follow the
    Repository-Service-Handler pattern", Store: "Manages data access and persistence", Service: "Contains
    business logic and orchestrates operations", Router: "Handles incoming requests and returns responses".

    ## Example
    ```python
    # app/users/routes.py
    from app.users.store import UserStore

    @router.get("/{user_id}")
    async def get_user(user_id: int, db: DbSession) -> UserResponse:
        return await UserStore(db).get_one(UserGetPayload(id=user_id))
    ```

    Use instead:
    ```python
    # app/users/routes.py
    from app.users.service import UserService

    @router.get("/{user_id}")
    async def get_user(user_id: int, service: UserServiceDep) -> UserResponse:
        return await service.get_one(UserGetPayload(id=user_id))
    ```
    """

    code = "HR607"
    name = "layer-import-violation"
    message = "import only downwards: routers import services, services import stores"
    source = "002 Architecture; 002 Package Organization"
    options = ("hr-store-modules", "hr-service-modules", "hr-router-modules")
    valid = (
        Example("from app.users.service import UserService", path="app/users/routes.py"),
        Example("from .store import UserStore\nfrom .types import UserGetPayload", path="app/users/service.py"),
        Example("from app.users.models import User\nfrom app.core.db import Base", path="app/users/store.py"),
        Example("from app.users.store import UserStore", path="app/users/helpers.py"),
        Example("from app.users.store import UserStore", path="tests/test_store.py"),
        # a router importing a service whose name merely contains "store"
        Example("from app.restore.service import RestoreService", path="app/restore/routes.py"),
        # names that end like a layer but are functions or objects, not submodules (mlflow, litellm)
        Example("from app.users.deps import get_user_store, get_user_service", path="app/users/routes.py"),
        Example(
            "from mlflow.utils.rest_utils import call_endpoint, extract_api_info_for_service",
            path="mlflow/store/tracking/rest_store.py",
        ),
        # bare stdin: no path, no layer
        Example("from .store import UserStore", path="stdin"),
        Example("from ..store import UserStore", path="routes.py"),
    )
    invalid = (
        Example("from app.users.store import UserStore  # error: HR607", path="app/users/routes.py"),
        Example("from . import store  # error: HR607", path="app/users/routes.py"),
        Example("from .store import UserStore  # error: HR607", path="app/users/router.py"),
        Example("import app.stores.users as users_store  # error: HR607", path="app/api/users.py"),
        Example(
            "from app.users.service import UserService  # error: HR607\nfrom ..routes import users  # error: HR607",
            path="app/users/stores/user.py",
        ),
        Example("from app.users.routes import router  # error: HR607", path="app/users/service.py"),
        Example(
            "def lazy():\n    from .repository import UserRepository  # error: HR607\n    return UserRepository",
            path="app/users/routes.py",
        ),
    )

    @classmethod
    def applies_to(cls, ctx: ModuleContext) -> bool:
        """Only modules of exactly one layer."""
        return layer_of(ctx.roles) is not None

    def start(self) -> None:
        """Per module: the layer of the module and what it must not import."""
        layer = layer_of(self.ctx.roles)
        self._forbidden = FORBIDDEN.get(layer, {}) if layer is not None else {}

    def visit_Import(self, node: ast.Import) -> None:
        """Check `import a.b.c`."""
        self._check(node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        """Check `from a.b import c` and relative imports."""
        self._check(node)

    def _check(self, node: ast.Import | ast.ImportFrom) -> None:
        if not self._forbidden:
            return
        layers = self.ctx.fact(ImportTargets).layers(node, self._forbidden)  # only forbidden layers are read
        for layer, message in self._forbidden.items():
            if layer in layers:
                self.report(node, message)
                return
