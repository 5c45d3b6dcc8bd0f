"""HR608 service-returns-orm-model."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from flake8_house_rules.context.annotations import parse_annotation
from flake8_house_rules.context.sqlalchemy import resolve_name
from flake8_house_rules.rule import Example, Rule
from flake8_house_rules.rules.hr6xx_data.common import public_method_class, single_layer

if TYPE_CHECKING:
    from flake8_house_rules.context import ModuleContext

MAX_NODES = 200


def from_models_module(origin: str) -> bool:
    """Whether a dotted origin names something in a `models` module or package (`app.users.models.User`,
    `.models.User`, `app.models.user.User`).
    """
    return "models" in origin.lstrip(".").split(".")[:-1]


class ServiceReturnsOrmModel(Rule):
    """## What it does
    Checks for a public `async def` method of a public class in a service module (`hr-service-modules`)
    whose return annotation names a class imported from a `models` module or package
    (`from app.users.models import User`, `from .models import User`, `from app.models.user import User`),
    anywhere in the annotation (`User`, `list[User]`, `User | None`, a quoted `"User"`). A class the project
    holds is judged by its bases across modules, not by its module's name: it is an ORM model when a
    SQLAlchemy declarative base (`DeclarativeBase`, `declarative_base()`) or `SQLModel(..., table=True)` is
    among its ancestors, so a pydantic model in `app/core/models/runs.py` is not reported, nor a class whose
    bases cannot be seen. Only a name the project cannot find is taken by its module's name. Names from other
    modules, and models the module defines itself, are not reported.

    ## Why is this bad?
    An ORM object that leaves the service carries lazy relationships that fail outside the session, and
    every column, wanted or not, into the response. Style guide 002 (Service Layer Best Practices):
    "Services should always return response models, not database models".

    ## Example
    ```python
    from app.users.models import User

    class UserService:
        async def get_one(self, payload: UserGetPayload) -> User:
            return await self.store.get_one(payload)
    ```

    Use instead:
    ```python
    from app.users.types import UserResponse

    class UserService:
        async def get_one(self, payload: UserGetPayload) -> UserResponse:
            return UserResponse.model_validate(await self.store.get_one(payload))
    ```
    """

    code = "HR608"
    name = "service-returns-orm-model"
    message = "return a response model from the service, not an ORM model"
    tier = "opt-in"
    source = "002 Service Layer Best Practices"
    options = ("hr-service-modules",)
    valid = (
        Example(
            "from app.users.types import UserResponse\n\nclass UserService:\n"
            "    async def get_one(self, payload) -> UserResponse: ...",
            path="app/users/service.py",
        ),
        Example(
            "from app.users.models import User\n\nclass UserService:\n"
            "    async def _load(self, payload) -> User: ...\n    def to_model(self, data) -> User: ...",
            path="app/users/service.py",
        ),
        Example(
            "from app.users.models import User\n\nclass UserStore:\n    async def get_one(self, payload) -> User: ...",
            path="app/users/store.py",
        ),
        Example(
            "from app.modelsx import User\nfrom app.models_api import Item\n\nclass S:\n"
            "    async def get_one(self, payload) -> User | Item: ...",
            path="app/users/service.py",
        ),
    )
    invalid = (
        Example(
            "from app.users.models import User\n\nclass UserService:\n"
            "    async def get_one(self, payload) -> User:  # error: HR608\n        ...",
            path="app/users/service.py",
        ),
        Example(
            "from __future__ import annotations\nfrom typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
            "    from .models import User\n\nclass UserService:\n"
            "    async def get_list(self, payload) -> 'list[User]':  # error: HR608\n        ...",
            path="app/users/service.py",
        ),
        Example(
            "from app.models import user as m\n\nclass UserService:\n"
            "    async def get_one(self, payload) -> m.User | None:  # error: HR608\n        ...",
            path="app/services/users.py",
        ),
    )

    @classmethod
    def applies_to(cls, ctx: ModuleContext) -> bool:
        """Only service modules."""
        return single_layer(ctx) == "service"

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        """Report a public async service method annotated to return an ORM model."""
        if node.returns is None or public_method_class(self.ctx, node) is None:
            return
        if self._names_model(node.returns):
            self.report(node)

    def _names_model(self, annotation: ast.expr) -> bool:
        pending: list[ast.AST] = [annotation]
        seen = 0
        while pending and seen < MAX_NODES:
            node = pending.pop()
            seen += 1
            if isinstance(node, ast.Constant):
                parsed = parse_annotation(node.value) if isinstance(node.value, str) else None
                if parsed is not None:
                    pending.append(parsed)
            elif isinstance(node, ast.Name | ast.Attribute):
                origin = resolve_name(self.ctx, node)
                if origin is not None and self._orm_model(origin):
                    return True
                if isinstance(node, ast.Attribute):
                    pending.append(node.value)
            elif isinstance(node, ast.Subscript):
                pending.extend((node.value, node.slice))
            elif isinstance(node, ast.BinOp):
                pending.extend((node.left, node.right))
            elif isinstance(node, ast.Tuple | ast.List):
                pending.extend(node.elts)
        return False

    def _orm_model(self, origin: str) -> bool:
        """A class of the project is an ORM model by its bases (a pydantic model from `models.py` is none,
        and a class whose bases cannot be seen is unknown); a name the project cannot find, by its module.
        """
        place = self.ctx.in_project
        known = place.is_orm_model(origin)
        if known is not None:
            return known
        dotted = place.absolute(origin)
        if place.project is not None and dotted is not None and place.project.in_project(dotted):
            return False
        return from_models_module(origin)
