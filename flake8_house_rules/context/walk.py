"""The one walk of a module: nodes by type, parents, scopes and the names each scope binds.

`ModuleWalk` walks the tree once, iteratively (an explicit stack, so a deeply nested expression cannot hit
the recursion limit), and records along the way:

- the nodes of each type, in tree order (a node before its children, siblings in field order, so statements
  in source order), which the engine then dispatches to the rules;
- each node's parent, so a rule can look at a candidate's surroundings without walking anything;
- the scopes (module, class, function, lambda, comprehension) and every name each one binds: imports (with
  their dotted origin), assignments (with their value), definitions, parameters, `global` declarations;
- whether each function returns a value or yields, and whether the module has
  `from __future__ import annotations` or an `import *`.

Everything else about the module is derived from these records, never from another walk.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from dataclasses import dataclass, field
from operator import attrgetter
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from collections.abc import Callable

WalkStack = list["ast.AST | Scope"]
BindingKind = Literal["import", "assign", "param", "def", "class"]
ScopeKind = Literal["module", "class", "function", "comprehension"]

FUNCTION_TYPES = (ast.FunctionDef, ast.AsyncFunctionDef)
CODE_BOUNDARIES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
#: Fields never walked: names and flags, and the shared singleton operator and context nodes (a rule reads
#: `node.op` directly; walking the singletons would give them a meaningless parent).
SCALAR_FIELDS = frozenset(
    {"ctx", "id", "arg", "attr", "name", "module", "level", "kind", "type_comment", "is_async", "conversion"}
    | {"op", "ops"}
)
#: List fields that may hold something other than nodes (`None` in `{**d}` keys and in keyword-only
#: defaults, names as strings).
MIXED_LIST_FIELDS = frozenset({"keys", "kw_defaults", "names", "kwd_attrs"})
MODULE_ALIASES = {"typing_extensions": "typing"}


@dataclass(slots=True, eq=False)
class Binding:
    """One binding of a name: an import (with its dotted origin), assignment, parameter, def or class."""

    kind: BindingKind
    node: ast.AST
    scope: Scope
    origin: str = ""
    value: ast.expr | None = None


@dataclass(slots=True, eq=False)
class Scope:
    """A namespace and the names bound in it (a `global` name's bindings are recorded in the module scope)."""

    node: ast.AST
    kind: ScopeKind
    parent: Scope | None
    names: dict[str, list[Binding]] = field(default_factory=dict)
    globals: set[str] = field(default_factory=set)
    nonlocals: set[str] = field(default_factory=set)
    returns_value: bool = False
    yields: bool = False

    def function_scope(self) -> Scope:
        """This scope, or for a comprehension the function or module scope that holds it."""
        scope = self
        while scope.kind == "comprehension" and scope.parent is not None:
            scope = scope.parent
        return scope


def imported_modules(node: ast.Import | ast.ImportFrom) -> list[str]:
    """The absolute modules an import statement loads (`import a.b, c` -> `a.b`, `c`); none when relative."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    return [] if node.level or not node.module else [node.module]


def canonical_module(name: str) -> str:
    """`typing_extensions.X` is `typing.X` for every rule's purpose."""
    head, dot, rest = name.partition(".")
    return MODULE_ALIASES.get(head, head) + dot + rest


ChildGetter = tuple["Callable[[ast.AST], tuple[Any, ...]]", bool]


def _child_fields(node_type: type[ast.AST]) -> list[str]:
    """The fields of a node type that can hold child nodes, last first."""
    return [name for name in reversed(getattr(node_type, "_fields", ())) if name not in SCALAR_FIELDS]


def _child_getter(node_type: type[ast.AST]) -> ChildGetter | None:
    """A reader of a node type's child-holding fields in one call (last first), and whether it may be mixed.

    Mixed: a list among the fields may hold things other than nodes. `None` for a type without children.
    """
    names = _child_fields(node_type)
    if not names:
        return None
    mixed = any(name in MIXED_LIST_FIELDS for name in names)
    if len(names) == 1:
        one = attrgetter(names[0])
        return (lambda node: (one(node),)), mixed
    return attrgetter(*names), mixed


def all_args(args: ast.arguments) -> list[ast.arg]:
    """Every parameter of a signature, in order: positional-only, positional, `*args`, keyword-only, `**kw`."""
    found = [*args.posonlyargs, *args.args]
    if args.vararg is not None:
        found.append(args.vararg)
    found.extend(args.kwonlyargs)
    if args.kwarg is not None:
        found.append(args.kwarg)
    return found


class ModuleWalk:
    """The records of the one walk of a module's tree."""

    def __init__(self, tree: ast.AST) -> None:
        self.tree = tree
        self.parents: dict[ast.AST, ast.AST] = {}
        self.nodes: defaultdict[type[ast.AST], list[Any]] = defaultdict(list)  # Any: each list holds one type
        self.module_scope = Scope(tree, "module", None)
        self.scope_of_node: dict[ast.AST, Scope] = {tree: self.module_scope}
        self.import_names: dict[str, set[str]] = {}
        self.local_names: set[str] = set()
        self.future_annotations = False
        self.star_import = False
        self._walk()

    def _walk(self) -> None:  # noqa: PLR0915 - the hot loop, kept in one piece for speed
        parents = self.parents
        nodes = self.nodes
        names = nodes[ast.Name]
        plans = _PLANS
        scope = self.module_scope
        stack: WalkStack = [self.tree]
        pop, push, extend = stack.pop, stack.append, stack.extend
        constants, attributes = nodes[ast.Constant], nodes[ast.Attribute]
        name_type, store_type, scope_type, node_base = ast.Name, ast.Store, Scope, ast.AST
        constant_type, attribute_type = ast.Constant, ast.Attribute
        while stack:
            node = pop()
            node_type = type(node)
            # The most common node types first, each handled in line (together about 40% of all nodes).
            if node_type is name_type:
                names.append(node)
                if type(node.ctx) is store_type:
                    self._bind_store(node, scope)
                continue
            if node_type is constant_type:
                constants.append(node)
                continue
            if node_type is attribute_type:
                attributes.append(node)
                value = node.value
                parents[value] = node
                push(value)
                continue
            if node_type is scope_type:
                scope = node  # a marker: the scope of the nodes popped from here on
                continue
            nodes[node_type].append(node)
            try:
                handler, read, mixed = plans[node_type]
            except KeyError:
                handler = _SPECIAL_NODES.get(node_type)
                read, mixed = _child_getter(node_type) or (None, False)
                plans[node_type] = handler, read, mixed
            if handler is not None and handler(self, node, scope, stack):
                continue
            if read is None:
                continue
            for value in read(node):  # last field first, so that children pop in source order
                if value is None:
                    continue
                if type(value) is list:
                    if not value:
                        continue
                    if mixed:
                        value = [item for item in value if isinstance(item, node_base)]  # noqa: PLW2901
                    if len(value) == 1:
                        only = value[0]
                        parents[only] = node
                        push(only)
                    else:
                        parents.update(dict.fromkeys(value, node))
                        extend(reversed(value))
                elif isinstance(value, node_base):
                    parents[value] = node
                    push(value)

    def _on_return(self, node: ast.Return | ast.Yield | ast.YieldFrom, scope: Scope, stack: WalkStack) -> bool:
        owner = scope.function_scope()
        if isinstance(node, ast.Return):
            owner.returns_value |= node.value is not None
        else:
            owner.yields = True
        return False

    def _on_function(
        self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda, scope: Scope, stack: WalkStack
    ) -> bool:
        if not isinstance(node, ast.Lambda):
            self._bind(scope, node.name, "def", node)
        inner = Scope(node, "function", scope)
        self.scope_of_node[node] = inner
        for arg in all_args(node.args):
            self._bind(inner, arg.arg, "param", arg)
        if isinstance(node, ast.Lambda):
            head: list[ast.AST] = [node.args]
            body: list[ast.AST] = [node.body]
        else:
            head = [*node.decorator_list, *getattr(node, "type_params", ()), node.args]
            if node.returns is not None:
                head.append(node.returns)
            body = list(node.body)
        self._push_two(node, head, scope, body, inner, stack)
        return True

    def _on_class(self, node: ast.ClassDef, scope: Scope, stack: WalkStack) -> bool:
        self._bind(scope, node.name, "class", node)
        inner = Scope(node, "class", scope)
        self.scope_of_node[node] = inner
        head = [*node.decorator_list, *getattr(node, "type_params", ()), *node.bases, *node.keywords]
        self._push_two(node, head, scope, list(node.body), inner, stack)
        return True

    def _push_two(
        self,
        node: ast.AST,
        head: list[ast.AST],
        outer: Scope,
        body: list[ast.AST],
        inner: Scope,
        stack: WalkStack,
    ) -> None:
        """Push a scope node's children: the head (evaluated outside) before the body (inside).

        The stack holds scope markers: popping one switches the walk's current scope.
        """
        self.parents.update(dict.fromkeys(head, node))
        self.parents.update(dict.fromkeys(body, node))
        stack.append(outer)
        stack.extend(reversed(body))
        stack.append(inner)
        stack.extend(reversed(head))

    def _on_comprehension(self, node: ast.AST, scope: Scope, stack: WalkStack) -> bool:
        inner = Scope(node, "comprehension", scope)
        self.scope_of_node[node] = inner
        kids: list[ast.AST] = []
        for name in reversed(_child_fields(type(node))):
            value = getattr(node, name, None)
            if isinstance(value, ast.AST):
                kids.append(value)
            elif isinstance(value, list):
                kids.extend(item for item in value if isinstance(item, ast.AST))
        self._push_two(node, [], scope, kids, inner, stack)
        return True

    def _on_global(self, node: ast.Global | ast.Nonlocal, scope: Scope, stack: WalkStack) -> bool:
        (scope.globals if isinstance(node, ast.Global) else scope.nonlocals).update(node.names)
        return True

    def _on_named(
        self,
        node: ast.ExceptHandler | ast.MatchAs | ast.MatchStar | ast.MatchMapping,
        scope: Scope,
        stack: WalkStack,
    ) -> bool:
        name = node.rest if isinstance(node, ast.MatchMapping) else node.name
        if name:
            self._bind(scope, name, "assign", node)
        return False

    def _bind(
        self,
        scope: Scope,
        name: str,
        kind: BindingKind,
        node: ast.AST,
        origin: str = "",
        value: ast.expr | None = None,
    ) -> None:
        target = scope
        if name in scope.globals:
            target = self.module_scope
        elif name in scope.nonlocals and scope.parent is not None:
            target = scope.parent
        target.names.setdefault(name, []).append(Binding(kind, node, scope, origin, value))
        if target is not self.module_scope:
            self.local_names.add(name)

    def _bind_store(self, node: ast.Name, scope: Scope) -> None:
        parent = self.parents.get(node)
        value: ast.expr | None = None
        parent_type = type(parent)
        if parent_type in _VALUE_PARENTS:  # exact types: the AST's node classes are never subclassed
            value = parent.value  # type: ignore[union-attr] - one of the types with a value
            if parent_type is ast.NamedExpr:
                scope = scope.function_scope()
        self._bind(scope, node.id, "assign", node, value=value)

    def _on_import(self, node: ast.Import | ast.ImportFrom, scope: Scope, stack: WalkStack) -> bool:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    bound, origin = alias.asname, alias.name
                else:
                    bound = origin = alias.name.partition(".")[0]
                self._bind_one_import(scope, bound, canonical_module(origin), node)
            return True
        module = node.module or ""
        if node.level:
            module = "." * node.level + module
        elif module == "__future__" and scope is self.module_scope:
            self.future_annotations |= any(alias.name == "annotations" for alias in node.names)
        for alias in node.names:
            if alias.name == "*":
                self.star_import = True
                continue
            origin = f"{module}.{alias.name}" if not module.endswith(".") else module + alias.name
            self._bind_one_import(scope, alias.asname or alias.name, canonical_module(origin), node)
        return True

    def _bind_one_import(self, scope: Scope, bound: str, origin: str, node: ast.AST) -> None:
        self._bind(scope, bound, "import", node, origin=origin)
        self.import_names.setdefault(bound, set()).add(origin)


#: The parents whose value a stored name is bound to.
_VALUE_PARENTS = frozenset({ast.Assign, ast.AnnAssign, ast.NamedExpr})
#: The node types that bind names or open scopes, and the `ModuleWalk` method that handles each. A handler
#: returns `True` when it pushed the node's children itself (with scope markers around a new scope's body),
#: `False` when the walk should push them as usual.
_SPECIAL_NODES: dict[type[ast.AST], Callable[[ModuleWalk, Any, Scope, WalkStack], bool]] = {  # Any: per type
    ast.FunctionDef: ModuleWalk._on_function,
    ast.AsyncFunctionDef: ModuleWalk._on_function,
    ast.Lambda: ModuleWalk._on_function,
    ast.ClassDef: ModuleWalk._on_class,
    ast.ListComp: ModuleWalk._on_comprehension,
    ast.SetComp: ModuleWalk._on_comprehension,
    ast.DictComp: ModuleWalk._on_comprehension,
    ast.GeneratorExp: ModuleWalk._on_comprehension,
    ast.Import: ModuleWalk._on_import,
    ast.ImportFrom: ModuleWalk._on_import,
    ast.Global: ModuleWalk._on_global,
    ast.Nonlocal: ModuleWalk._on_global,
    ast.ExceptHandler: ModuleWalk._on_named,
    ast.MatchAs: ModuleWalk._on_named,
    ast.MatchStar: ModuleWalk._on_named,
    ast.MatchMapping: ModuleWalk._on_named,
    ast.Return: ModuleWalk._on_return,
    ast.Yield: ModuleWalk._on_return,
    ast.YieldFrom: ModuleWalk._on_return,
}
#: Per node type, filled on first sight: its special handler (or `None`), its child-field reader (or `None`
#: for a leaf) and whether a list among those fields may hold things other than nodes.
_PLANS: dict[type[ast.AST], tuple[Any, Any, bool]] = {}  # Any: a handler and a field reader
