"""HR610 method-without-payload."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from flake8_house_rules.rule import Example, Rule
from flake8_house_rules.rules.hr6xx_data.common import decorator_names, public_method_class, single_layer
from flake8_house_rules.rules.hr6xx_data.hr609_noncanonical_method_name import CANONICAL, NEUTRAL_BASES, PREFIXES

if TYPE_CHECKING:
    from flake8_house_rules.context import ModuleContext

SUFFIX = "Payload"
NOT_METHODS = frozenset(
    {"staticmethod", "property", "functools.cached_property", "cached_property", "setter", "typing.override"}
)
MAX_NODES = 100
#: The CRUD-style names HR609 governs: lifecycle and helper methods (`start`, `shutdown`) are not CRUD.
CRUD_PREFIXES = (*PREFIXES, "update_")
VALIDATORS = frozenset(
    {f"pydantic.{name}" for name in ("field_validator", "model_validator", "validator", "root_validator")}
    | {"pydantic.field_serializer", "pydantic.model_serializer", "pydantic.computed_field"}
)
PYDANTIC_BASES = ("pydantic.BaseModel", "pydantic_settings.BaseSettings")


def names_payload(annotation: ast.expr | None) -> bool:
    """Whether an annotation names a `*Payload` type anywhere (`UserGetPayload`, `list[CreatePayload]`,
    `types.UserPayload | None`, a quoted `"UserPayload"`).
    """
    pending: list[ast.AST] = [annotation] if annotation is not None else []
    seen = 0
    while pending and seen < MAX_NODES:
        node = pending.pop()
        seen += 1
        if isinstance(node, ast.Name) and node.id.endswith(SUFFIX):
            return True
        if isinstance(node, ast.Attribute) and node.attr.endswith(SUFFIX):
            return True
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value.replace("]", " ").replace("|", " ").replace(",", " ").replace("[", " ")
            if any(word.rpartition(".")[2].endswith(SUFFIX) for word in text.split()):
                return True
        elif isinstance(node, ast.Subscript):
            pending.extend((node.value, node.slice))
        elif isinstance(node, ast.BinOp):
            pending.extend((node.left, node.right))
        elif isinstance(node, ast.Tuple):
            pending.extend(node.elts)
    return False


class MethodWithoutPayload(Rule):
    """## What it does
    Checks the signature of each public CRUD method (the names HR609 governs: `get_*`, `create_*`,
    `update_*`, `delete_*`, `fetch_*`, `list_*`, `find_*`, `add_*`, `remove_*`) of a public class in a
    store or service module (`hr-store-modules`, `hr-service-modules`): the first parameter after
    `self`/`cls` must be annotated with a `*Payload` type (`UserGetPayload`, `list[UserCreatePayload]`),
    and at most `hr-max-extra-params` (default 1, such as a `user_id`) parameters may follow it. A method
    without parameters besides `self` has nothing to bundle and is not reported; `*args`/`**kwargs` are
    not counted. Static methods (the
    guide's `sync_*` Celery helpers take a session first), properties and `@override` methods, whose
    signature a base class decides, are not checked; nor are lifecycle and helper methods (`start`,
    `shutdown`, `build`), and methods of pydantic models and validators (`@field_validator`), whose
    signatures pydantic fixes. A method of a class with a base from another module (or one the module
    cannot resolve), such as mlflow's `SqlAlchemyStore(AbstractStore)`, is not checked either: the base may
    declare the method, and then its signature is the base's.

    ## Why is this bad?
    A payload is one typed, validated object that travels unchanged from the router through the service
    to the store; loose parameters drift apart between layers. Style guide 002 (Payload-Based
    Architecture): "All methods should use payload objects instead of individual parameters for better
    type safety and consistency", as in `async def create_one(self, payload: ResourceCreatePayload,
    user_id: int)`.

    ## Example
    ```python
    class ProjectStore:
        async def get_one(self, uuid: str, user_id: int, include_deleted: bool) -> Project: ...
    ```

    Use instead:
    ```python
    class ProjectStore:
        async def get_one(self, payload: ProjectGetPayload) -> Project: ...
    ```
    """

    code = "HR610"
    name = "method-without-payload"
    message = "take a `*Payload` model as the first parameter, with at most one extra parameter"
    tier = "opt-in"
    source = "002 Payload-Based Architecture"
    options = ("hr-store-modules", "hr-service-modules", "hr-max-extra-params")
    valid = (
        Example(
            "class ResourceStore:\n    async def get_one(self, payload: ResourceGetPayload) -> Resource: ...\n"
            "    async def create_one(self, payload: ResourceCreatePayload, user_id: int) -> Resource: ...\n"
            "    async def create_batch(self, payload: 'list[types.CreatePayload]') -> list: ...\n"
            "    async def count(self) -> int: ...\n    def _query(self, uuid: str, a: int, b: int): ...\n"
            "    @staticmethod\n    def sync_create_batch(session: Session, payloads: list) -> list: ...\n"
            "    @property\n    def dialect(self) -> str: ...\n"
            "    async def stream(self, payload: ResourceGetPayload, *args, **kwargs): ...",
            path="app/resources/store.py",
        ),
        Example("class Router:\n    async def get_one(self, uuid: str): ...", path="app/resources/routes.py"),
        Example(
            "class ResourceService:\n    async def get_one(self, payload: GetPayload, user_id: int, now: float): ...",
            path="app/resources/service.py",
            options={"hr-max-extra-params": "2"},
        ),
        # lifecycle methods of a background service; a pydantic model's validator in a store module
        Example(
            "import asyncio\n\nclass EventQueueService:\n"
            "    async def start(self, loop: asyncio.AbstractEventLoop) -> None:\n        ...\n"
            "    async def shutdown(self, timeout: float) -> None:\n        ...",
            path="app/services/queue.py",
        ),
        Example(
            "from app.store.abstract import AbstractStore\n\nclass SqlStore(AbstractStore):\n"
            "    def get_run(self, run_id: str): ...",
            path="app/store/tracking/sqlalchemy_store.py",
        ),
        Example(
            "from pydantic import BaseModel, field_validator\n\nclass JobStateBody(BaseModel):\n    value: str\n\n"
            "    @field_validator('value')\n    @classmethod\n    def update_value(cls, v: str) -> str:\n"
            "        return v",
            path="app/jobs/job_state_store.py",
        ),
    )
    invalid = (
        Example(
            "class ProjectStore:\n    async def get_one(self, uuid: str, user_id: int):  # error: HR610\n        ...\n"
            "    async def create_one(self, payload: ProjectPayload, a: int, b: int):  # error: HR610\n        ...\n"
            "    async def delete_one(self, payload):  # error: HR610\n        ...",
            path="app/projects/store.py",
        ),
        Example(
            "class ProjectService:\n    @classmethod\n"
            "    def create_one(cls, config: dict) -> 'ProjectService':  # error: HR610\n        ...",
            path="app/services/projects.py",
        ),
    )

    @classmethod
    def applies_to(cls, ctx: ModuleContext) -> bool:
        """Only store and service modules."""
        return single_layer(ctx) in {"store", "service"}

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        """Check a method signature."""
        self._check(node)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        """Check an async method signature."""
        self._check(node)

    def _check(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        if node.name.startswith("_") or public_method_class(self.ctx, node) is None:
            return
        params = [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]
        if len(params) < 2 or params[0].arg not in {"self", "cls"}:
            return
        if not node.name.startswith(CRUD_PREFIXES) and node.name not in CANONICAL:
            return
        decorators = decorator_names(self.ctx, node)
        if not NOT_METHODS.isdisjoint(decorators) or not VALIDATORS.isdisjoint(decorators):
            return
        cls = public_method_class(self.ctx, node)
        if cls is not None and self.ctx.classes.inherits(cls, *PYDANTIC_BASES):
            return  # a model's methods: pydantic fixes the validators' signatures
        if cls is not None and self._base_elsewhere(cls):
            return  # a base from another module may decide the signature (mlflow's `AbstractStore`)
        first, extra = params[1], len(params) - 2
        if not names_payload(first.annotation):
            self.report(node, f"take a `*Payload` model as the first parameter instead of `{first.arg}`")
        elif extra > self.ctx.config.max_extra_params:
            limit = self.ctx.config.max_extra_params
            self.report(node, f"move parameters into the payload model: {extra} follow it, at most {limit} may")

    def _base_elsewhere(self, cls: ast.ClassDef) -> bool:
        """Whether the class has a base from another module (imported, or not resolved) that may declare
        the method, and so its signature.
        """
        ancestry = self.ctx.classes.ancestry(cls)
        local = {base.name for base in ancestry.classes}
        return not ancestry.complete or any(name not in local and name not in NEUTRAL_BASES for name in ancestry.names)
