"""Pydantic facts for the HR4xx rules: the module's models and settings classes, their fields and config.

`ctx.fact(PydanticModels)` answers, once per module:

- **Models** (`models`, `model_of(class)`): the module's classes that provably inherit, directly or through
  classes of the same module, from `pydantic.BaseModel`, `pydantic.RootModel`, `pydantic_settings.BaseSettings`
  (also pydantic v1's `pydantic.BaseSettings`) or `sqlmodel.SQLModel` (`ctx.classes.inherits`). A SQLModel
  class declared with `table=True` (or inheriting from one) is an ORM table, not a model, and is left out; so
  is every class whose bases cannot be resolved: unknown is not a model. A base imported from another
  module of the project is followed there (`class UserOut(Schema)`, `Schema(BaseModel)` in
  `app/core/schema.py`: see `context/project.py`), so a module whose models all come from a project base
  holds models even though it imports nothing from pydantic.
- **Settings** (`Model.settings`): models that inherit from a `BaseSettings`.
- **Fields** (`Model.fields`): annotated attributes of the class body (`name: T` or `name: T = default`) that
  are not `ClassVar`, not private (`_x`) and not `model_config`. Each field knows its default, the
  `Field(...)` calls that configure it (the default `Field(...)` and those in `Annotated[T, Field(...)]`
  metadata), and whether it is described (`described`: `True`, `False`, or `None` when something out of
  sight may describe it).
- **Config** (`Model.config`): the keywords of the class's configuration, merged over its local model
  ancestors: `model_config = ConfigDict(...)` / `SettingsConfigDict(...)` / a dict literal, class keywords
  (`class S(BaseSettings, env_nested_delimiter="__")`), and a v1 inner `class Config:` (its attributes).
  `config_known` is `False` when any of them cannot be read (`model_config = make_config()`, `**base`, an
  inner `Config` with bases, a base outside pydantic, a project base that sets configuration of its own):
  rules that need a key's absence stay silent then.
- **Instances** (`is_instance(expr)`): whether an expression is an instance of one of the module's models: a
  direct call `User(...)`, or a name whose every binding is such a call or is annotated with a model
  (`user: User`, `user: User | None`, a parameter `user: User`).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from flake8_house_rules.context.summary import describes
from flake8_house_rules.paths import pydantic_major

if TYPE_CHECKING:
    from flake8_house_rules.context import ModuleContext

MODEL_BASES = (
    "pydantic.BaseModel",
    "pydantic.main.BaseModel",
    "pydantic.RootModel",
    "pydantic.root_model.RootModel",
    "sqlmodel.SQLModel",
    "sqlmodel.main.SQLModel",
)
SETTINGS_BASES = (
    "pydantic_settings.BaseSettings",
    "pydantic_settings.main.BaseSettings",
    "pydantic.BaseSettings",
    "pydantic.env_settings.BaseSettings",
)
ROOT_MODELS = frozenset({"pydantic.RootModel", "pydantic.root_model.RootModel"})
ALL_BASES = frozenset(MODEL_BASES + SETTINGS_BASES)
FIELD_FUNCTIONS = frozenset({"pydantic.Field", "pydantic.fields.Field", "sqlmodel.Field", "sqlmodel.main.Field"})
CONFIG_FUNCTIONS = frozenset(
    {
        "pydantic.ConfigDict",
        "pydantic.config.ConfigDict",
        "pydantic_settings.SettingsConfigDict",
        "pydantic_settings.main.SettingsConfigDict",
    }
)
#: Bases besides the pydantic ones that bring no configuration of their own.
NEUTRAL_BASE_PREFIXES = ("builtins.", "typing.", "abc.", "collections.abc.")
#: Packages whose calls in `Annotated` metadata are constraints, never a description.
CONSTRAINT_PACKAGES = ("pydantic.", "annotated_types.", "pydantic_extra_types.")
#: Calls whose result is a plain default value, never a FieldInfo.
PLAIN_VALUE_PREFIXES = ("builtins.", "datetime.", "uuid.", "decimal.", "pathlib.", "enum.", "collections.")
PYDANTIC_PACKAGES = ("pydantic", "pydantic_settings", "sqlmodel")
CLASS_VAR = "typing.ClassVar"
OPTIONAL = "typing.Optional"
UNION = "typing.Union"
ANNOTATED = "typing.Annotated"
ENUM_BASES = ("enum.Enum", "enum.StrEnum", "enum.IntEnum", "enum.Flag", "enum.IntFlag")
MAX_ALIAS_STEPS = 3


def imports_pydantic(ctx: ModuleContext) -> bool:
    """Whether the module may hold pydantic models (once per module).

    It imports anything from `pydantic`, `pydantic_settings` or `sqlmodel`, or one of its classes inherits
    from a project class that is a model (`class UserOut(Schema)` with `Schema` from `app/core/schema.py`).
    """
    return ctx.derived("pydantic.imported", lambda: _imports_pydantic(ctx))


def uses_pydantic_v1(ctx: ModuleContext) -> bool:
    """Whether the module is written for pydantic v1 on purpose, not v1 API left in v2 code (once per module).

    Its project keeps pydantic below 2 (`pydantic~=1.10` in the nearest pyproject.toml: lnbits), or it imports
    `pydantic.BaseSettings`, which pydantic 2 refuses to import (it moved to `pydantic-settings`).
    """
    return ctx.derived("pydantic.v1", lambda: _uses_pydantic_v1(ctx))


def _uses_pydantic_v1(ctx: ModuleContext) -> bool:
    if any("pydantic.BaseSettings" in origins for origins in ctx.import_names.values()):
        return True
    return pydantic_major(ctx.path, ctx.config) == 1


def _imports_pydantic(ctx: ModuleContext) -> bool:
    for origins in ctx.import_names.values():
        for origin in origins:
            if origin.partition(".")[0] in PYDANTIC_PACKAGES:
                return True
    classes = ctx.nodes_of(ast.ClassDef)
    if not classes or ctx.in_project.project is None:
        return False
    hierarchy = ctx.classes
    return any(node.bases and hierarchy.inherits(node, *ALL_BASES) for node in classes)


@dataclass(frozen=True, slots=True)
class ConfigEntry:
    """One configuration key: the node that sets it (a keyword, a dict key or an assignment) and its value."""

    node: ast.AST
    value: ast.expr


@dataclass(slots=True, eq=False)
class ModelField:
    """One field of a model: its statement, name, annotation, default and the `Field(...)` calls about it."""

    node: ast.AnnAssign
    name: str
    annotation: ast.expr
    default: ast.expr | None
    field_calls: list[ast.Call]
    #: `True` when a call passes `description=`, `None` when something out of sight may (`**kwargs`, a helper
    #: of unknown origin, metadata bound elsewhere), else `False`; attribute docstrings count once the
    #: config is merged (`use_attribute_docstrings=True`).
    described: bool | None
    #: Whether a string statement follows the field (an attribute docstring).
    docstring: bool = False


@dataclass(slots=True, eq=False)
class Model:
    """A pydantic model (or settings class) of the module."""

    node: ast.ClassDef
    settings: bool
    root: bool
    fields: list[ModelField] = field(default_factory=list)
    own_config: dict[str, ConfigEntry] = field(default_factory=dict)
    own_config_known: bool = True
    #: The v1 inner `class Config:` statements of the class body.
    config_classes: list[ast.ClassDef] = field(default_factory=list)
    config: dict[str, ConfigEntry] = field(default_factory=dict)
    config_known: bool = True


def unwrap_optional(ctx: ModuleContext, annotation: ast.expr) -> ast.expr:
    """The type inside `Annotated[T, ...]`, `Optional[T]`, `T | None`, `None | T`, `Union[T, None]`."""
    for _ in range(MAX_ALIAS_STEPS * 2):
        if isinstance(annotation, ast.Subscript):
            name = ctx.qualname(annotation.value)
            inner = annotation.slice
            if name == ANNOTATED and isinstance(inner, ast.Tuple) and inner.elts:
                annotation = inner.elts[0]
                continue
            if name == OPTIONAL:
                annotation = inner
                continue
            if name == UNION and isinstance(inner, ast.Tuple):
                members = [elt for elt in inner.elts if not _is_none(elt)]
                if len(members) == 1 and len(inner.elts) == 2:
                    annotation = members[0]
                    continue
        elif isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
            if _is_none(annotation.right):
                annotation = annotation.left
                continue
            if _is_none(annotation.left):
                annotation = annotation.right
                continue
        break
    return annotation


def _is_none(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


class PydanticModels:
    """The module's pydantic models and settings classes (see the module docs). Built once per module."""

    def __init__(self, ctx: ModuleContext) -> None:
        self.ctx = ctx
        self.models: list[Model] = []
        self._by_node: dict[ast.ClassDef, Model] = {}
        self._instances: dict[str, bool] = {}
        self._enums: dict[ast.ClassDef, bool] = {}
        if not imports_pydantic(ctx):
            return
        hierarchy = ctx.classes
        tables: set[ast.ClassDef] = set()
        for node in ctx.nodes_of(ast.ClassDef):
            if hierarchy.inherits(node, *ALL_BASES) is not True:
                continue
            ancestry = hierarchy.ancestry(node)
            if _declares_table(node) or "t" in ancestry.flags or any(local in tables for local in ancestry.classes):
                tables.add(node)
                continue
            model = Model(
                node,
                settings=not ancestry.names.isdisjoint(SETTINGS_BASES),
                root=not ancestry.names.isdisjoint(ROOT_MODELS),
            )
            self._read_body(model)
            self.models.append(model)
            self._by_node[node] = model
        for model in self.models:
            self._merge_config(model)

    @property
    def settings(self) -> list[Model]:
        """The settings classes (models inheriting from a `BaseSettings`)."""
        return [model for model in self.models if model.settings]

    def model_of(self, node: ast.ClassDef) -> Model | None:
        """The model a class statement declares, or `None` when it is not (provably) a model."""
        return self._by_node.get(node)

    def is_imported_settings(self, node: ast.expr) -> bool:
        """Whether a name is a settings class imported from another module of the project.

        `from app.config import Settings`, with `class Settings(BaseSettings)` (directly or through project
        bases) in `app/config.py`; a class from outside the project, or one whose bases are out of sight,
        is not.
        """
        if not isinstance(node, ast.Name | ast.Attribute):
            return False
        qualname = self.ctx.qualname(node)
        found = self.ctx.in_project.ancestry(qualname) if qualname is not None else None
        return found is not None and not found.names.isdisjoint(SETTINGS_BASES)

    def model_named(self, node: ast.expr) -> Model | None:
        """The model a name refers to (`User` bound once, by the class statement of a model), else `None`."""
        if not isinstance(node, ast.Name) or not self.models:
            return None
        bindings = self.ctx.lookup(node)
        if not bindings or len(bindings) != 1 or bindings[0].kind != "class":
            return None
        found = bindings[0].node
        return self._by_node.get(found) if isinstance(found, ast.ClassDef) else None

    # -- the class body -------------------------------------------------------------------------------------

    def _read_body(self, model: Model) -> None:
        node = model.node
        for keyword in node.keywords:
            if keyword.arg is None:
                model.own_config_known = False
            elif keyword.arg != "metaclass":
                model.own_config[keyword.arg] = ConfigEntry(keyword, keyword.value)
        body = node.body
        for index, statement in enumerate(body):
            if isinstance(statement, ast.ClassDef) and statement.name == "Config":
                model.config_classes.append(statement)
                self._read_config_class(model, statement)
            elif isinstance(statement, ast.Assign):
                if any(isinstance(target, ast.Name) and target.id == "model_config" for target in statement.targets):
                    self._read_model_config(model, statement.value)
            elif isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
                name = statement.target.id
                if name == "model_config":
                    if statement.value is not None:
                        self._read_model_config(model, statement.value)
                    continue
                if name.startswith("_") or self._is_class_var(statement.annotation):
                    continue
                following = body[index + 1] if index + 1 < len(body) else None
                model.fields.append(self._field(statement, name, following))

    def _read_config_class(self, model: Model, node: ast.ClassDef) -> None:
        if node.bases or node.keywords:
            model.own_config_known = False
        for statement in node.body:
            targets: list[ast.expr] = []
            value: ast.expr | None = None
            if isinstance(statement, ast.Assign):
                targets, value = statement.targets, statement.value
            elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
                targets, value = [statement.target], statement.value
            for target in targets:
                if isinstance(target, ast.Name) and value is not None:
                    model.own_config.setdefault(target.id, ConfigEntry(statement, value))

    def _read_model_config(self, model: Model, value: ast.expr) -> None:
        if isinstance(value, ast.Dict):
            for key, item in zip(value.keys, value.values, strict=True):
                if isinstance(key, ast.Constant) and isinstance(key.value, str):
                    model.own_config[key.value] = ConfigEntry(key, item)
                else:
                    model.own_config_known = False
            return
        if isinstance(value, ast.Call) and self.ctx.call_name(value) in CONFIG_FUNCTIONS and not value.args:
            for keyword in value.keywords:
                if keyword.arg is None:
                    model.own_config_known = False
                else:
                    model.own_config[keyword.arg] = ConfigEntry(keyword, keyword.value)
            return
        model.own_config_known = False

    def _is_class_var(self, annotation: ast.expr) -> bool:
        target = annotation.value if isinstance(annotation, ast.Subscript) else annotation
        if self.ctx.qualname(target) == CLASS_VAR:
            return True
        if isinstance(target, ast.Name) and target.id == "ClassVar":
            return True  # by spelling: taking a ClassVar for no field is the silent direction
        return (
            isinstance(annotation, ast.Constant)
            and isinstance(annotation.value, str)
            and "ClassVar" in annotation.value
        )

    def _field(self, node: ast.AnnAssign, name: str, following: ast.stmt | None) -> ModelField:
        ctx = self.ctx
        calls: list[ast.Call] = []
        has_description = uncertain = False
        default = node.value
        if isinstance(default, ast.Call):
            call_name = ctx.call_name(default)
            verdict = describes(default)
            if call_name in FIELD_FUNCTIONS:
                calls.append(default)
            elif verdict is False and (call_name is None or not call_name.startswith(PLAIN_VALUE_PREFIXES)):
                uncertain = True  # a helper of unknown origin may return a described FieldInfo
            has_description |= verdict is True
            uncertain |= verdict is None
        for item in self._metadata(node.annotation):
            if isinstance(item, ast.Call):
                call_name = ctx.call_name(item)
                verdict = describes(item)
                if call_name in FIELD_FUNCTIONS:
                    calls.append(item)
                elif verdict is False and (call_name is None or not call_name.startswith(CONSTRAINT_PACKAGES)):
                    uncertain = True
                has_description |= verdict is True
                uncertain |= verdict is None
            elif not isinstance(item, ast.Constant) and not self._is_constraint(item):
                uncertain = True  # `Annotated[str, NAME_FIELD]`: a FieldInfo bound elsewhere
        if not has_description:
            has_description = self._imported_description(node.annotation)
        described = True if has_description else (None if uncertain else False)
        return ModelField(node, name, node.annotation, default, calls, described, _is_string_statement(following))

    def _imported_description(self, annotation: ast.expr) -> bool:
        """Whether the annotation is a type alias imported from the project that describes its field.

        `from app.types import Labels` (also `Labels | None`), where `app/types.py` binds `Labels =
        Annotated[dict, Field(description="...")]`, read from that module's summary.
        """
        ctx = self.ctx
        target = unwrap_optional(ctx, annotation)
        if not isinstance(target, ast.Name) or target.id not in ctx.import_names:
            return False
        qualname = ctx.qualname(target)
        return qualname is not None and ctx.in_project.describes_field(qualname)

    def _is_constraint(self, item: ast.expr) -> bool:
        name = self.ctx.qualname(item)
        return name is not None and name.startswith(CONSTRAINT_PACKAGES)

    def _metadata(self, annotation: ast.expr) -> list[ast.expr]:
        """The `Annotated` metadata of an annotation, through `X | None`, `Optional[X]` and local aliases."""
        ctx = self.ctx
        found: list[ast.expr] = []
        pending = [annotation]
        steps = 0
        while pending and steps < MAX_ALIAS_STEPS * 4:
            steps += 1
            current = pending.pop()
            if isinstance(current, ast.BinOp) and isinstance(current.op, ast.BitOr):
                pending.extend((current.left, current.right))
            elif isinstance(current, ast.Subscript):
                name = ctx.qualname(current.value)
                inner = current.slice
                if name == ANNOTATED and isinstance(inner, ast.Tuple) and inner.elts:
                    found.extend(inner.elts[1:])
                    pending.append(inner.elts[0])
                elif name in {OPTIONAL, UNION}:
                    pending.extend(inner.elts if isinstance(inner, ast.Tuple) else [inner])
            elif isinstance(current, ast.Name) and current.id not in ctx.import_names:
                value = ctx.assigned_value(current)  # a local alias: `Name = Annotated[str, Field(...)]`
                if isinstance(value, ast.Subscript | ast.BinOp):
                    pending.append(value)
        return found

    # -- config over the class and its local ancestors ------------------------------------------------------

    def _merge_config(self, model: Model) -> None:
        ctx = self.ctx
        merged: dict[str, ConfigEntry] = {}
        known = True
        for cls in (model.node, *ctx.classes.ancestry(model.node).classes):
            for base in cls.bases:
                resolved = ctx.classes.base_name(base)
                if (
                    isinstance(resolved, str)
                    and resolved not in ALL_BASES
                    and not resolved.startswith(NEUTRAL_BASE_PREFIXES)
                    and not self._plain_project_base(resolved)
                ):
                    known = False  # an imported base may bring configuration of its own
            local = self._by_node.get(cls)
            if local is None:
                if cls is not model.node and _has_config_statement(cls):
                    known = False  # a local mixin that is no model but sets configuration
                continue
            known &= local.own_config_known
            for key, entry in local.own_config.items():
                merged.setdefault(key, entry)
        model.config = merged
        model.config_known = known
        entry = merged.get("use_attribute_docstrings")
        if entry is not None and _is_true(entry.value):
            for model_field in model.fields:
                if model_field.described is False and model_field.docstring:
                    model_field.described = True

    def _plain_project_base(self, origin: str) -> bool:
        """Whether an imported base is a project class that sets no configuration on the way to pydantic."""
        found = self.ctx.in_project.ancestry(origin)
        if found is None or "c" in found.flags or "x" in found.flags:
            return False
        return all(name in ALL_BASES or name.startswith(NEUTRAL_BASE_PREFIXES) for name in found.external)

    # -- instances ------------------------------------------------------------------------------------------

    def instance_model(self, expr: ast.expr) -> Model | None:
        """The model an expression is an instance of, when provable (see the module docs), else `None`."""
        if not self.models:
            return None
        if isinstance(expr, ast.Call):
            return self.model_named(expr.func)
        if not isinstance(expr, ast.Name):
            return None
        bindings = self.ctx.lookup(expr)
        if not bindings:
            return None
        found: Model | None = None
        for binding in bindings:
            model = self._bound_model(binding.kind, binding.node, binding.value)
            if model is None or (found is not None and model is not found):
                return None
            found = model
        return found

    def _bound_model(self, kind: str, node: ast.AST, value: ast.expr | None) -> Model | None:
        if kind == "param" and isinstance(node, ast.arg):
            return None if node.annotation is None else self._annotated_model(node.annotation)
        if kind != "assign":
            return None
        parent = self.ctx.parent(node)
        if isinstance(parent, ast.AnnAssign) and parent.target is node:
            return self._annotated_model(parent.annotation)
        if isinstance(parent, ast.Assign | ast.NamedExpr) and isinstance(value, ast.Call):
            func = value.func
            model = self.model_named(func)
            if model is None and isinstance(func, ast.Attribute) and func.attr in {"model_validate", "parse_obj"}:
                model = self.model_named(func.value)
            return model
        return None

    def _annotated_model(self, annotation: ast.expr) -> Model | None:
        return self.model_named(unwrap_optional(self.ctx, annotation))

    # -- enums ----------------------------------------------------------------------------------------------

    def enum_named(self, node: ast.expr) -> ast.ClassDef | None:
        """The module's enum class a name refers to (`Status`, bound once by a class inheriting `enum.Enum`)."""
        if not isinstance(node, ast.Name):
            return None
        bindings = self.ctx.lookup(node)
        if not bindings or len(bindings) != 1 or bindings[0].kind != "class":
            return None
        cls = bindings[0].node
        if not isinstance(cls, ast.ClassDef):
            return None
        known = self._enums.get(cls)
        if known is None:
            known = self._enums[cls] = self.ctx.classes.inherits(cls, *ENUM_BASES) is True
        return cls if known else None


def _declares_table(node: ast.ClassDef) -> bool:
    return any(keyword.arg == "table" and _is_true(keyword.value) for keyword in node.keywords)


def _is_true(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is True


def _is_string_statement(statement: ast.stmt | None) -> bool:
    return (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Constant)
        and isinstance(statement.value.value, str)
    )


def _has_config_statement(cls: ast.ClassDef) -> bool:
    for statement in cls.body:
        if isinstance(statement, ast.ClassDef) and statement.name == "Config":
            return True
        targets = statement.targets if isinstance(statement, ast.Assign) else []
        if isinstance(statement, ast.AnnAssign):
            targets = [statement.target]
        if any(isinstance(target, ast.Name) and target.id == "model_config" for target in targets):
            return True
    return False
