"""HR409 pydantic-v1-api."""

from __future__ import annotations

import ast

from flake8_house_rules.context.pydantic import PydanticModels
from flake8_house_rules.context.walk import FUNCTION_TYPES
from flake8_house_rules.rules.hr4xx_config.common import V2ModelRule

DECORATORS = {
    "pydantic.validator": "field_validator",
    "pydantic.class_validators.validator": "field_validator",
    "pydantic.root_validator": "model_validator",
    "pydantic.class_validators.root_validator": "model_validator",
}
CONFIG_KEYS = {"orm_mode": "from_attributes", "allow_population_by_field_name": "populate_by_name"}
INSTANCE_METHODS = {"dict": "model_dump()", "json": "model_dump_json()"}
CLASS_METHODS = {"parse_obj": "model_validate(...)", "from_orm": "model_validate(..., from_attributes=True)"}


class PydanticV1Api(V2ModelRule):
    """## What it does
    Checks for pydantic v1 API in v2 code:

    - the `@validator` and `@root_validator` decorators from `pydantic` (any use of those names);
    - the `orm_mode` and `allow_population_by_field_name` configuration keys of a model (in `model_config`,
      class keywords or an inner `class Config`);
    - `.dict()` and `.json()` on an instance of one of the module's models, and `.parse_obj()` and
      `.from_orm()` on one of its model classes.

    For precision, a method call is reported only on an object the module shows is a model: the model
    class by name (`User.parse_obj(...)`, `cls.parse_obj(...)` in a model's classmethod), a call of it
    (`User(...).dict()`), `self` in a model's method, or a name whose every binding is annotated with a model
    or built by calling one (`user: User`, `user = User(...)`). `.dict()` or `.json()` on anything else (a
    response, a dict-like, a model imported from another module) is never reported. Imports from
    `pydantic.v1` are v1 on purpose and are not reported. A method call is reported at its receiver, or, when
    the call spans lines, at the line of `.dict`/`.json`/... itself, where a `# noqa` goes.

    Nor are modules written for pydantic 1 on purpose: those of a project whose nearest pyproject.toml
    keeps pydantic below 2 (`pydantic~=1.10`, `<2`, poetry's `^1.10`: lnbits), and those importing
    `pydantic.BaseSettings`, which pydantic 2 refuses to import; v2's API does not exist there.

    ## Why is this bad?
    pydantic v2 deprecates these names and removes them in v3: `field_validator`/`model_validator`,
    `from_attributes`, `populate_by_name`, `model_dump()`, `model_dump_json()`, `model_validate()` replace
    them. Mixing both APIs makes a codebase half-migrated forever. Style guide 003 (Pydantic Models (v2)).

    ## Example
    ```python
    class User(BaseModel):
        @validator("email")
        def lower(cls, value: str) -> str:
            return value.lower()

    payload = User.parse_obj(data).dict()
    ```

    Use instead:
    ```python
    class User(BaseModel):
        @field_validator("email")
        @classmethod
        def lower(cls, value: str) -> str:
            return value.lower()

    payload = User.model_validate(data).model_dump()
    ```
    """

    code = "HR409"
    name = "pydantic-v1-api"
    message = "use the pydantic v2 API (`field_validator`, `model_dump()`, `model_validate()`, `from_attributes`)"
    source = "003 Pydantic Models (v2)"
    valid = (
        # pydantic 2 cannot import `pydantic.BaseSettings`: the module is v1 on purpose
        "from pydantic import BaseSettings, validator\n\nclass Settings(BaseSettings):\n    host: str\n\n"
        "    @validator('host')\n    def check(cls, v):\n        return v\n",
        "from pydantic import BaseModel, ConfigDict, field_validator\n\nclass User(BaseModel):\n"
        "    model_config = ConfigDict(from_attributes=True, populate_by_name=True)\n    email: str\n\n"
        "    @field_validator('email')\n    @classmethod\n    def lower(cls, value: str) -> str:\n"
        "        return value.lower()\n\nuser = User.model_validate({'email': 'A'})\ndata = user.model_dump()\n",
        # httpx / starlette: `.json()` on a response is not pydantic
        "import httpx\nfrom pydantic import BaseModel\n\nclass User(BaseModel): ...\n\n"
        "def fetch(client: httpx.Client) -> dict:\n    return client.get('/user').json()\n",
        "from pydantic import BaseModel\nfrom app.models import User\n\ndef dump(user: User) -> dict:\n"
        "    return user.dict()\n",
        "from pydantic.v1 import BaseModel, validator\n\nclass User(BaseModel):\n    email: str\n\n"
        "    @validator('email')\n    def lower(cls, value: str) -> str:\n        return value.lower()\n\n"
        "data = User(email='a').dict()\n",
        "from pydantic import BaseModel\n\nclass User(BaseModel): ...\n\ndef dump(user: User, row) -> dict:\n"
        "    user = row\n    return user.dict()\n",
    )
    invalid = (
        "from pydantic import BaseModel, validator\n\nclass User(BaseModel):\n    email: str\n\n"
        "    @validator('email')  # error: HR409\n    def lower(cls, value: str) -> str:\n"
        "        return value.lower()\n",
        "import pydantic\n\nclass User(pydantic.BaseModel):\n"
        "    model_config = pydantic.ConfigDict(orm_mode=True)  # error: HR409\n\n"
        "    class Config:\n        allow_population_by_field_name = True  # error: HR409\n",
        "from pydantic import BaseModel\n\nclass User(BaseModel):\n    name: str\n\n"
        "    def payload(self) -> dict:\n        return self.dict()  # error: HR409\n\n"
        "def load(data: dict) -> str:\n    user = User.parse_obj(data)  # error: HR409\n"
        "    return user.json()  # error: HR409\n\n"
        "def dump(user: User | None) -> dict:\n    return user.dict()  # error: HR409\n\n"
        "def publish(worker_id: str) -> dict:\n    return User(\n        name=worker_id,\n"
        "    ).dict()  # error: HR409\n",
        "from pydantic import BaseModel\n\nclass User(BaseModel):\n    name: str\n\n"
        "    @classmethod\n    def load(cls, row: object) -> 'User':\n"
        "        return cls.from_orm(row)  # error: HR409\n",
    )

    references = frozenset(DECORATORS)
    methods = frozenset({*INSTANCE_METHODS, *CLASS_METHODS})

    def visit_reference(self, node: ast.Name | ast.Attribute, name: str) -> None:
        """Report `@validator` and `@root_validator` from pydantic."""
        self.report(node, f"use `@{DECORATORS[name]}` (pydantic v2) instead of `@{name.rpartition('.')[2]}`")

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        """Report v1 configuration keys of a model."""
        model = self.model_of(node)
        if model is None:
            return
        for key, replacement in CONFIG_KEYS.items():
            entry = model.own_config.get(key)
            if entry is not None:
                self.report(entry.node, f"use `{replacement}` (pydantic v2) instead of `{key}`")

    def visit_method_call(self, node: ast.Call, method: str) -> None:
        """Report `.dict()`/`.json()` on a model instance and `.parse_obj()`/`.from_orm()` on a model class."""
        func = node.func
        if not isinstance(func, ast.Attribute):
            return
        receiver = func.value
        facts = self.ctx.fact(PydanticModels)
        if not facts.models:
            return
        if method in INSTANCE_METHODS:
            if facts.instance_model(receiver) is None and self._bound_first_parameter(receiver) != "self":
                return
            replacement = INSTANCE_METHODS[method]
        else:
            if facts.model_named(receiver) is None and self._bound_first_parameter(receiver) != "cls":
                return
            replacement = CLASS_METHODS[method]
        message = f"use `.{replacement}` (pydantic v2) instead of `.{method}()`"
        if func.end_lineno is not None and func.end_col_offset is not None and func.end_lineno != node.lineno:
            # a call over several lines: at `.dict` (the dot when it is on that line), where `# noqa` goes
            column = func.end_col_offset - len(method)
            line = self.ctx.lines[func.end_lineno - 1] if func.end_lineno <= len(self.ctx.lines) else ""
            if column > 0 and line.encode()[column - 1 : column] == b".":  # ast columns count UTF-8 bytes
                column -= 1
            self.report((func.end_lineno, column), message)
        else:
            self.report(node, message)

    def _bound_first_parameter(self, receiver: ast.expr) -> str | None:
        """`self` or `cls` when the receiver is the first parameter of a method of one of the module's models."""
        if not isinstance(receiver, ast.Name):
            return None
        bindings = self.ctx.lookup(receiver)
        if not bindings or len(bindings) != 1 or bindings[0].kind != "param":
            return None
        function = bindings[0].scope.node
        if not isinstance(function, FUNCTION_TYPES):
            return None
        params = [*function.args.posonlyargs, *function.args.args]
        if not params or params[0] is not bindings[0].node:
            return None
        owner = self.ctx.parent(function)
        if not isinstance(owner, ast.ClassDef) or self.model_of(owner) is None:
            return None
        decorators = {d.id for d in function.decorator_list if isinstance(d, ast.Name)}
        if "staticmethod" in decorators:
            return None
        return "cls" if "classmethod" in decorators else "self"
