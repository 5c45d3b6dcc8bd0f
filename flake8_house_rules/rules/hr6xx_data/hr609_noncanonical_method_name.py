"""HR609 noncanonical-method-name."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from flake8_house_rules.rule import Example, Rule
from flake8_house_rules.rules.hr6xx_data.common import decorator_names, public_method_class

if TYPE_CHECKING:
    from flake8_house_rules.context import ModuleContext

PREFIXES = ("get_", "create_", "delete_", "fetch_", "list_", "find_", "add_", "remove_")
CANONICAL = frozenset({"get_one", "get_list", "get_plist", "create_one", "create_batch", "delete_one", "delete_batch"})
OVERRIDE = frozenset({"typing.override", "override"})


def canonical_names(name: str) -> str:
    """The canonical names for the verb a CRUD-prefixed method name starts with, for the message."""
    verb = name.partition("_")[0]
    if verb in {"create", "add"}:
        return "`create_one` or `create_batch`"
    if verb in {"delete", "remove"}:
        return "`delete_one` or `delete_batch`"
    return "`get_one`, `get_list` or `get_plist`"


class NoncanonicalMethodName(Rule):
    """## What it does
    Checks for a public method of a public class in a store or service module (`hr-store-modules`,
    `hr-service-modules`) whose name starts with `get_`, `create_`, `delete_`, `fetch_`, `list_`, `find_`,
    `add_` or `remove_` and is not one of the canonical `get_one`, `get_list`, `get_plist`, `create_one`,
    `create_batch`, `delete_one`, `delete_batch` (`update_*` names are free). Module-level functions and
    private methods and classes (`_find_project`) are not checked.

    A method decorated `@override`, and one that overrides a method of a base class defined in the same
    module, does not choose its name: the base does, and is reported instead.

    ## Why is this bad?
    One vocabulary across stores, services and handlers tells a reader what each call returns and whether
    it paginates without opening it. Style guide 002 (Method Naming Conventions): "`get_one`: Retrieve a
    single resource", "`get_list`: Retrieve all resources", "`get_plist`: Retrieve a paginated list",
    "`create_one`", "`create_batch`", "`delete_one`", "`delete_batch`", "`update_*`", and "These method
    names should be used consistently across all layers (store, service, handler)".

    ## Example
    ```python
    class ProjectStore:
        async def get_project_by_uuid(self, payload: ProjectGetPayload) -> Project: ...
        async def list_projects(self, payload: ProjectGetListPayload) -> list[Project]: ...
    ```

    Use instead:
    ```python
    class ProjectStore:
        async def get_one(self, payload: ProjectGetPayload) -> Project: ...
        async def get_list(self, payload: ProjectGetListPayload) -> list[Project]: ...
    ```
    """

    code = "HR609"
    name = "noncanonical-method-name"
    message = (
        "name CRUD methods `get_one`, `get_list`, `get_plist`, `create_one`, `create_batch`, `delete_one` "
        "or `delete_batch`"
    )
    source = "002 Method Naming Conventions"
    options = ("hr-store-modules", "hr-service-modules")
    valid = (
        Example(
            "class UserStore:\n    async def get_one(self, payload): ...\n    async def get_plist(self, payload): ...\n"
            "    async def create_batch(self, payload): ...\n    async def update_email(self, payload): ...\n"
            "    async def _find_user(self, uuid): ...\n    def get(self, key): ...",
            path="app/users/store.py",
        ),
        Example("class UserRouter:\n    def get_user(self, uuid): ...", path="app/users/routes.py"),
        Example("async def get_user(db, uuid): ...", path="app/users/service.py"),
        Example("class _Cache:\n    def get_entry(self, key): ...", path="app/users/service.py"),
        Example(
            "from typing import override\n\nclass SqlStore(AbstractStore):\n"
            "    @override\n    def get_experiment(self, experiment_id): ...",
            path="app/store/tracking/sqlalchemy_store.py",
        ),
    )
    invalid = (
        Example(
            "class ProjectStore:\n    async def get_project_by_uuid(self, payload):  # error: HR609\n        ...\n"
            "    async def list_projects(self, payload):  # error: HR609\n        ...",
            path="app/projects/store.py",
        ),
        Example(
            "class AbstractStore:\n    def get_experiment(self, experiment_id): ...  # error: HR609\n\n"
            "class SqlStore(AbstractStore):\n    def get_experiment(self, experiment_id): ...\n"
            "    def fetch_runs(self, ids): ...  # error: HR609",
            path="app/store/tracking/abstract_store.py",
        ),
        Example(
            "class UserService:\n    @staticmethod\n    def remove_user(uuid): ...  # error: HR609",
            path="app/services/users.py",
        ),
    )

    @classmethod
    def applies_to(cls, ctx: ModuleContext) -> bool:
        """Only store and service modules."""
        return "store" in ctx.roles or "service" in ctx.roles

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        """Check a method name."""
        self._check(node)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        """Check an async method name."""
        self._check(node)

    def _check(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        name = node.name
        if not name.startswith(PREFIXES) or name in CANONICAL:
            return
        cls = public_method_class(self.ctx, node)
        if cls is None or not OVERRIDE.isdisjoint(decorator_names(self.ctx, node)):
            return
        if self._overrides_local_base(cls, name):
            return
        self.report(node, f"rename `{name}` to {canonical_names(name)}: the house names of store and service methods")

    def _overrides_local_base(self, cls: ast.ClassDef, name: str) -> bool:
        """Whether a base class defined in this module defines a method of that name."""
        for base in self.ctx.classes.ancestry(cls).classes:
            for statement in base.body:
                if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef) and statement.name == name:
                    return True
        return False
