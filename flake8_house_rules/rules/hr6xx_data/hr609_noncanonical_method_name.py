"""HR609 noncanonical-method-name."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from flake8_house_rules.context.overrides import Overrides
from flake8_house_rules.rule import Example, Rule
from flake8_house_rules.rules.hr6xx_data.common import decorator_names, public_method_class, single_layer

if TYPE_CHECKING:
    from flake8_house_rules.context import ModuleContext

PREFIXES = ("get_", "create_", "delete_", "fetch_", "list_", "find_", "add_", "remove_")
CANONICAL = frozenset({"get_one", "get_list", "get_plist", "create_one", "create_batch", "delete_one", "delete_batch"})
OVERRIDE = frozenset({"typing.override", "override"})
#: The last word of a getter that computes a value about resources rather than reading one.
DERIVED_WORDS = frozenset(
    {"status", "count", "stats", "statistics", "summary", "total", "health", "usage", "lock", "locks", "lockset"}
)
#: Last words and return types that say a method reads a collection (`fetch_all() -> list[Item]`: `get_list`).
COLLECTION_WORDS = frozenset({"all", "many", "list"})
COLLECTION_TYPES = frozenset(
    {"list", "List", "set", "Set", "tuple", "Tuple", "Sequence", "Iterable", "Iterator", "AsyncIterator"}
    | {"Collection", "frozenset", "FrozenSet", "AsyncIterable", "Generator", "AsyncGenerator"}
)
#: Verbs that need an identifier, a payload or a filter to be CRUD: without any argument, `get_backend()` or
#: `create_db_and_tables()` reads or builds something of the object's own, no stored resource.
ARGUMENT_VERBS = frozenset({"get", "fetch", "find", "create", "add", "delete", "remove"})
#: Class name endings of a class that builds or runs things rather than keeping resources: a factory's
#: `get_executor` builds an object, a tool executor's `fetch_webpage` is the tool's public name.
NOT_STORE_CLASSES = ("Factory", "Executor")
#: Bases that name no methods of their subclasses.
NEUTRAL_BASES = frozenset(
    {"builtins.object", "abc.ABC", "typing.Generic", "typing.Protocol", "typing.NamedTuple", "builtins.Exception"}
)


def canonical_names(name: str) -> str:
    """The canonical names for the verb a CRUD-prefixed method name starts with, for the message."""
    verb = name.partition("_")[0]
    if verb in {"create", "add"}:
        return "`create_one` or `create_batch`"
    if verb in {"delete", "remove"}:
        return "`delete_one` or `delete_batch`"
    return "`get_one`, `get_list` or `get_plist`"


#: Words after which a method name says how, not what (`get_run_by_id`, `list_runs_for_agent`).
QUALIFIERS = frozenset({"by", "for", "from", "in", "with", "of", "async", "sync", "if", "or", "and"})


def _singular(word: str) -> str:
    """A resource word without a plural `s` (`datasets` -> `dataset`; short words are kept: `bus`)."""
    return word.removesuffix("s") if len(word) > 3 else word


def _resources_named(name: str) -> set[str]:
    """The resources a CRUD method name names: the word after the verb (`get_dataset`, `list_datasets`:
    `dataset`), and a collection under it, a plural last word before any qualifier (`get_run_messages`,
    `get_run_steps_async`: `run` and `message`, `step`). `create_event_audit` names one resource.
    """
    words = name.split("_")[1:]
    cut = next((index for index, word in enumerate(words) if word in QUALIFIERS), len(words))
    named = [word for word in words[:cut] if word]
    if not named:
        return {_singular(words[0]) if words else ""}
    found = {_singular(named[0])}
    last = named[-1]
    if len(named) > 1 and last.endswith("s") and last not in DERIVED_WORDS and _singular(last) != _singular(named[0]):
        found.add(_singular(last))
    return found


class NoncanonicalMethodName(Rule):
    """## What it does
    Checks for a public method of a public class in a store or service module (`hr-store-modules`,
    `hr-service-modules`) whose name starts with `get_`, `create_`, `delete_`, `fetch_`, `list_`, `find_`,
    `add_` or `remove_` and is not one of the canonical `get_one`, `get_list`, `get_plist`, `create_one`,
    `create_batch`, `delete_one`, `delete_batch` (`update_*` names are free). Module-level functions and
    private methods and classes (`_find_project`) are not checked.

    A method decorated `@override`, and one that overrides a method of a base class, does not choose its
    name: the base does, and is reported instead when it is a store or service itself. The base may be a
    class of the same module, or a project class of another module followed through the project model's
    summaries (mlflow's `SqlAlchemyJobStore.get_job` names `AbstractJobStore.get_job` of
    `abstract_store.py`). In a class with a base the project cannot see (a library's, or one it cannot
    resolve), the base may name the method: the message then says to mark it `@typing.override` if it
    does, and to rename it otherwise.

    A getter whose last word names a value computed about resources rather than a resource
    (`get_messaging_config_status`, `get_*_count`, `_stats`, `_summary`, `_total`, `_health`, `_usage`),
    or an in-process lock (letta's `get_deployment_lock`), is left alone: `get_one` would read one
    resource, which it does not. So are the methods of a class named `*Factory` or `*Executor` (letta's
    `ToolExecutorFactory.get_executor` builds an executor, `BuiltinToolExecutor.fetch_webpage` is the
    name of the tool it runs): such a class builds or runs things, it keeps no resources. So is an
    alternate constructor, a `@classmethod` that returns `cls(...)` or is annotated to return its class or
    `Self` (zenml's `create_from_deployment(cls, deployment)` builds the object, it stores nothing).

    A method that takes nothing but `self` (or `cls`) and whose verb needs an identifier, a payload or a
    filter to be CRUD (`get_backend()`, `get_current()`, `create_db_and_tables()`: langflow's services) reads
    or builds something of the object's own; it is left alone, except a `get_`/`fetch_`/`find_` of a plural,
    of `all` or annotated to return a collection (`get_users()`, `fetch_all() -> list[Item]`, which
    `get_list` names) and any `list_`. So is a lock getter (`get_lockset`).

    A class whose non-canonical CRUD methods name more than one resource (`get_experiment_permission` and
    `get_registered_model_permission`, `list_users` and `list_roles`: the word after the verb differs; or a
    collection under the resource, its plural last word before any `by`/`for`/`async`...: letta's
    `get_run_by_id` beside `get_run_messages` and `get_run_steps`) is
    a store of several resources, where the canonical names cannot all fit (two `get_one`s would
    collide): its methods are left alone. The guide's answer there is one store per resource, which is a
    design change, not a rename.

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
            "class MessagingService:\n    def get_messaging_config_status(self) -> str: ...\n"
            "    def get_user_count(self) -> int: ...",
            path="app/services/messaging_service.py",
        ),
        Example(
            "class UserStore:\n    async def get_one(self, payload): ...\n    async def get_plist(self, payload): ...\n"
            "    async def create_batch(self, payload): ...\n    async def update_email(self, payload): ...\n"
            "    async def _find_user(self, uuid): ...\n    def get(self, key): ...",
            path="app/users/store.py",
        ),
        Example("class UserRouter:\n    def get_user(self, uuid): ...", path="app/users/routes.py"),
        Example("async def get_user(db, uuid): ...", path="app/users/service.py"),
        Example("class _Cache:\n    def get_entry(self, key): ...", path="app/users/service.py"),
        # letta: a run's messages and steps beside the run itself: a store of several resources
        Example(
            "class RunManager:\n    async def get_run_by_id(self, run_id): ...\n    async def list_runs(self): ...\n"
            "    async def get_run_messages(self, run_id): ...\n    async def get_run_steps_async(self, run_id): ...",
            path="app/services/run_manager.py",
        ),
        # langflow: methods that take nothing; dstack: an in-process lock set
        Example(
            "class TaskService:\n    def get_backend(self):\n        return Backend()\n\n"
            "    def create_db_and_tables(self) -> None: ...\n\n    def get_lockset(self, namespace: str): ...",
            path="app/services/tasks.py",
        ),
        # zenml: an alternate constructor
        Example(
            "class DeploymentService:\n    @classmethod\n    def create_from_deployment(cls, deployment):\n"
            "        return cls(uuid=deployment.uid)\n\n    @classmethod\n"
            "    def get_default(cls) -> 'DeploymentService': ...",
            path="app/services/deployment.py",
        ),
        # letta: a factory, a tool executor, a run's token usage, an in-process lock
        Example(
            "class ToolExecutorFactory:\n    @classmethod\n    def get_executor(cls, kind): ...\n\n"
            "class BuiltinToolExecutor:\n    async def fetch_webpage(self, url): ...\n\n"
            "class RunManager:\n    async def get_run_usage(self, run_id): ...\n"
            "    def get_deployment_lock(self, key): ...",
            path="app/services/tool_service.py",
        ),
        # a store of several resources: two `get_one`s would collide
        Example(
            "class PermissionStore:\n    def get_experiment_permission(self, eid, user): ...\n"
            "    def get_model_permission(self, name, user): ...\n    def list_users(self): ...",
            path="app/auth/sqlalchemy_store.py",
        ),
        Example(
            "from typing import override\n\nclass SqlStore(AbstractStore):\n"
            "    @override\n    def get_experiment(self, experiment_id): ...",
            path="app/store/tracking/sqlalchemy_store.py",
        ),
    )
    invalid = (
        Example(
            "class UserService:\n    def get_users(self): ...  # error: HR609\n"
            "    def list_users(self): ...  # error: HR609\n\n"
            "class ItemService:\n    async def fetch_all(self) -> list[dict]: ...  # error: HR609\n\n"
            "class TagService:\n    def get_active(self) -> 'Sequence[Tag]': ...  # error: HR609",
            path="app/services/users.py",
        ),
        # fides: one resource, a compound noun (`event_audit`) beside its plural (`events`)
        Example(
            "class EventAuditService:\n    def create_event_audit(self, data): ...  # error: HR609\n"
            "    def get_events_by_user(self, user_id): ...  # error: HR609\n"
            "    def get_events_for_resource(self, rid): ...  # error: HR609",
            path="app/service/event_audit_service.py",
        ),
        # a usage or lock word elsewhere in the name, a store named like an executor's owner
        Example(
            "class UserStore:\n    def get_user_lock_holder(self, uid): ...  # error: HR609\n\n"
            "class ExecutorStore:\n    def get_executor_by_id(self, eid): ...  # error: HR609",
            path="app/users/store.py",
        ),
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
        # an imported base may name the method: the message says to mark it `@typing.override`
        Example(
            "from sqlalchemy.orm import Session\nfrom app.secrets.base import SecretsBackend\n\n"
            "class SecretsStore(SecretsBackend):\n    def __init__(self, session: Session) -> None:\n"
            "        self.session = session\n\n"
            "    def get_secret(self, key: str) -> str | None:  # error: HR609\n        return None",
            path="app/secrets/store.py",
        ),
    )

    @classmethod
    def applies_to(cls, ctx: ModuleContext) -> bool:
        """Only store and service modules."""
        return single_layer(ctx) in {"store", "service"}

    def start(self) -> None:
        """Per module: the resources each class's CRUD methods name, found when first needed."""
        self._named: dict[ast.ClassDef, set[str]] = {}

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
        if name.startswith(("get_", "fetch_")) and name.rpartition("_")[2] in DERIVED_WORDS:
            return  # `get_messaging_config_status`: a value computed, not a resource read
        cls = public_method_class(self.ctx, node)
        if (
            cls is None
            or cls.name.endswith(NOT_STORE_CLASSES)
            or not OVERRIDE.isdisjoint(decorator_names(self.ctx, node))
        ):
            return
        if self._overrides_local_base(cls, name) or len(self._resources(cls)) > 1:
            return
        if self._is_alternate_constructor(node, cls) or _takes_nothing(node, name, self.ctx.is_staticmethod(node)):
            return
        if self._may_override(cls):
            self.report(
                node,
                f"mark `{name}` `@typing.override` if a base class names it, or rename it to "
                f"{canonical_names(name)}: the house names of store and service methods",
            )
            return
        self.report(node, f"rename `{name}` to {canonical_names(name)}: the house names of store and service methods")

    def _is_alternate_constructor(self, node: ast.FunctionDef | ast.AsyncFunctionDef, cls: ast.ClassDef) -> bool:
        """A `@classmethod` that builds an instance of its class (`return cls(...)`, or annotated to return the
        class): `create_from_deployment(cls, d)` constructs the object, it creates no stored resource.
        """
        if decorator_names(self.ctx, node).isdisjoint({"builtins.classmethod", "classmethod"}):
            return False
        if _names_own_class(node.returns, cls.name):
            return True
        first = node.args.args[0].arg if node.args.args else None
        return first is not None and any(
            isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == first
            for value in self.ctx.derived("hr609.returned", self._returned).get(node, ())
        )

    def _returned(self) -> dict[ast.AST, list[ast.expr]]:
        """The values each function of the module returns, from the walk's `return` statements (once per module)."""
        found: dict[ast.AST, list[ast.expr]] = {}
        for ret in self.ctx.nodes_of(ast.Return):
            if ret.value is not None:
                found.setdefault(self.ctx.enclosing_function(ret), []).append(ret.value)
        return found

    def _resources(self, cls: ast.ClassDef) -> set[str]:
        """The resources the class's non-canonical CRUD methods name: the word after the verb, singular
        (`get_dataset`, `list_datasets` -> `dataset`; `get_experiment_permission` -> `experiment`).
        """
        found = self._named.get(cls)
        if found is None:
            found = set()
            for statement in cls.body:
                if not isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                name = statement.name
                if name.startswith(PREFIXES) and name not in CANONICAL and not self._overrides_local_base(cls, name):
                    found.update(_resources_named(name))
            self._named[cls] = found
        return found

    def _may_override(self, cls: ast.ClassDef) -> bool:
        """Whether the class has a base from elsewhere (imported, or not resolved) that may name its methods."""
        ancestry = self.ctx.classes.ancestry(cls)
        local = {base.name for base in ancestry.classes}
        return not ancestry.complete or any(name not in local and name not in NEUTRAL_BASES for name in ancestry.names)

    def _overrides_local_base(self, cls: ast.ClassDef, name: str) -> bool:
        """Whether a base class defines a method of that name: one of this module, or a project class of
        another module followed through the project's summaries (`AbstractJobStore` in `abstract_store.py`).
        """
        return bool(cls.bases) and self.ctx.fact(Overrides).base_defining(cls, name) is not None


def _names_own_class(returns: ast.expr | None, name: str) -> bool:
    """Whether a return annotation is the class itself or `Self` (`-> "Svc"`, `-> Svc`, `-> typing.Self`)."""
    if isinstance(returns, ast.Constant) and isinstance(returns.value, str):
        return returns.value.strip() in {name, "Self"}
    if isinstance(returns, ast.Name):
        return returns.id in {name, "Self"}
    return isinstance(returns, ast.Attribute) and returns.attr == "Self"


def _takes_nothing(node: ast.FunctionDef | ast.AsyncFunctionDef, name: str, static: bool) -> bool:
    """A method with no parameter besides `self`/`cls` whose verb needs one (`get_backend()`, `create_tables()`).

    A `get_`/`fetch_`/`find_` of a plural (`get_users()`) still reads a collection (`get_list`); `list_` is
    always one.
    """
    args = node.args
    if len([*args.posonlyargs, *args.args]) > (0 if static else 1) or args.kwonlyargs or args.vararg or args.kwarg:
        return False
    verb = name.partition("_")[0]
    if verb not in ARGUMENT_VERBS:
        return False
    if verb in {"get", "fetch", "find"}:
        last = name.rpartition("_")[2]
        if last in COLLECTION_WORDS or (last.endswith("s") and _singular(last) != last):
            return False  # `get_users()`, `fetch_all()`: a collection read, `get_list`
        return not _returns_collection(node.returns)
    return True


def _returns_collection(returns: ast.expr | None) -> bool:
    """Whether a return annotation is a collection (`list[Item]`, `Sequence[Item]`, `"list[Item]"`)."""
    if isinstance(returns, ast.Constant) and isinstance(returns.value, str):
        return returns.value.strip().partition("[")[0].rpartition(".")[2] in COLLECTION_TYPES
    if isinstance(returns, ast.Subscript):
        returns = returns.value
    name = returns.attr if isinstance(returns, ast.Attribute) else returns.id if isinstance(returns, ast.Name) else ""
    return name in COLLECTION_TYPES
