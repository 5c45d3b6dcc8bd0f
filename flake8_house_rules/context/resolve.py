"""Name resolution: what a name or attribute chain refers to, through the module's imports and scopes.

Resolution answers "what is this name?" from the walk's bindings, never from spelling: `t.Optional` after
`import typing as t` is `typing.Optional`; a parameter or a local class called `Optional` is nothing the
pack knows; a name bound two different ways in one scope is not resolved (precision over recall). Relative
imports keep their dots (`.models.User`), so they never match an absolute name.

Each node is resolved at most once per module: `references()` resolves every imported name and attribute
chain in one pass, and `qualname` answers from that table, so every rule asking about the same node shares
one answer. `call_name` names what a call calls, builtins included, for the engine's dispatch by name.
"""

from __future__ import annotations

import ast
import builtins
from typing import TYPE_CHECKING, Any

from flake8_house_rules.context.surroundings import in_class_head, in_function_head
from flake8_house_rules.context.walk import FUNCTION_TYPES, Binding, Scope

if TYPE_CHECKING:
    from collections import defaultdict

BUILTIN_NAMES = frozenset(name for name in dir(builtins) if not name.startswith("_"))


class Resolution:
    """Lookup and resolution over a `ModuleWalk`'s records (a mixin of `ModuleContext`)."""

    parents: dict[ast.AST, ast.AST]
    nodes: defaultdict[type[ast.AST], list[Any]]  # Any: each list holds nodes of its key's type
    module_scope: Scope
    scope_of_node: dict[ast.AST, Scope]
    import_names: dict[str, set[str]]
    local_names: set[str]
    star_import: bool
    _qualnames: dict[ast.AST, str | None]
    _references: list[tuple[ast.Name | ast.Attribute, str]] | None

    def lookup(self, node: ast.Name) -> list[Binding] | None:
        """The bindings a name refers to at this place, by Python's scoping rules; `None` for builtins."""
        name = node.id
        if name not in self.local_names:  # bound at module level only (or nowhere): no scope search
            return self.module_scope.names.get(name)
        return self.lookup_in(name, self.scope_at(node))

    def lookup_in(self, name: str, start: Scope) -> list[Binding] | None:
        """The bindings a name spelled in a given scope refers to, for names with no node of their own.

        A name inside a string annotation (`"Optional[User]"`) is looked up in the scope of the string.
        """
        if name not in self.local_names:
            return self.module_scope.names.get(name)
        scope: Scope | None = start
        first = True
        while scope is not None:
            if name in scope.globals:
                scope = self.module_scope
            if scope.kind == "class" and not first:
                scope = scope.parent
                continue
            found = scope.names.get(name)
            if found:
                return found
            first = False
            scope = scope.parent
        return None

    def scope_at(self, node: ast.AST) -> Scope:
        """The scope in which a name at this node is looked up.

        A def's decorators, defaults and annotations belong to the enclosing scope, and so do a class's
        bases; a comprehension's parts are looked up in the comprehension (its first iterable, strictly,
        outside it: the difference never matters to a rule).
        """
        child, parent = node, self.parents.get(node)
        while parent is not None:
            scope = self.scope_of_node.get(parent)
            if scope is not None:
                if isinstance(parent, ast.Lambda):
                    if child is parent.body:
                        return scope
                elif isinstance(parent, ast.ClassDef):
                    if not in_class_head(child, parent):
                        return scope
                elif isinstance(parent, FUNCTION_TYPES):
                    if not in_function_head(child, parent):
                        return scope
                else:
                    return scope
            child, parent = parent, self.parents.get(parent)
        return self.module_scope

    def is_builtin(self, node: ast.Name) -> bool:
        """Whether a name refers to the builtin of that name: nothing binds it, and no `import *` could."""
        return not self.star_import and self.lookup(node) is None

    def is_staticmethod(self, function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
        """Whether a function is decorated `@staticmethod` (or `@builtins.staticmethod`).

        A static method's first parameter is a real argument, not the instance or the class.
        """
        for decorator in function.decorator_list:
            if isinstance(decorator, ast.Name) and decorator.id == "staticmethod":
                return True
            if isinstance(decorator, ast.Attribute) and self.qualname(decorator) == "builtins.staticmethod":
                return True
        return False

    def qualname(self, node: ast.AST) -> str | None:
        """The dotted name an expression refers to through imports (`typing.Optional`), or `None`."""
        if self._references is not None:  # every name that resolves at all is in the table already
            return self._qualnames.get(node)
        try:
            return self._qualnames[node]
        except KeyError:
            found = self._qualnames[node] = self._resolve(node)
            return found

    def _resolve(self, node: ast.AST) -> str | None:
        attrs: list[str] = []
        while isinstance(node, ast.Attribute):
            attrs.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name) or node.id not in self.import_names:
            return None
        origin = self._import_origin(node)
        if origin is None:
            return None
        return ".".join([origin, *reversed(attrs)])

    def _import_origin(self, node: ast.Name) -> str | None:
        """The dotted origin of an imported name, when every binding it sees is the same import."""
        return _same_import(self.lookup(node))

    def qualname_in(self, node: ast.AST, scope: Scope) -> str | None:
        """The dotted name an expression refers to through imports, its names looked up in a given scope.

        For expressions that are not part of the module's tree, such as a parsed string annotation.
        """
        attrs: list[str] = []
        while isinstance(node, ast.Attribute):
            attrs.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name) or node.id not in self.import_names:
            return None
        origin = _same_import(self.lookup_in(node.id, scope))
        return None if origin is None else ".".join([origin, *reversed(attrs)])

    def resolves_to(self, node: ast.AST, *qualnames: str) -> bool:
        """Whether an expression refers, through imports, to one of the given dotted names."""
        return self.qualname(node) in qualnames

    def references(self) -> list[tuple[ast.Name | ast.Attribute, str]]:
        """Every name or attribute chain that resolves through an import, with its dotted name, in one pass.

        For `t.Optional[int]` after `import typing as t`, both `t` (`typing`) and `t.Optional`
        (`typing.Optional`) are listed. Computed once per module (the engine asks first, before any rule);
        from then on `qualname` is one table look-up.
        """
        if self._references is not None:
            return self._references
        found: list[tuple[ast.Name | ast.Attribute, str]] = []
        table = self._qualnames
        parents = self.parents
        imported = self.import_names
        local = self.local_names
        module_level: dict[str, str | None] = {}  # a name no function or class rebinds has one origin
        for name in self.nodes.get(ast.Name, ()):
            ident = name.id
            if ident not in imported:
                continue
            if ident in local:
                origin = self._import_origin(name)
            else:
                try:
                    origin = module_level[ident]
                except KeyError:
                    origin = module_level[ident] = self._import_origin(name)
            table[name] = origin
            if origin is None:
                continue
            found.append((name, origin))
            child: ast.AST = name
            parent = parents.get(child)
            while isinstance(parent, ast.Attribute) and parent.value is child:
                origin = table[parent] = f"{origin}.{parent.attr}"
                found.append((parent, origin))
                child, parent = parent, parents.get(parent)
        self._references = found
        return found

    def resolved_names(self) -> dict[ast.AST, str | None]:
        """Every resolved name and attribute chain to its dotted name (after `references()`: the whole table).

        For the engine's dispatch, which reads it once per module instead of asking `qualname` per node.
        """
        self.references()
        return self._qualnames

    def call_name(self, node: ast.Call) -> str | None:
        """What a call calls: its dotted name through imports, `builtins.<name>` for a builtin, else `None`."""
        func = node.func
        found = self.qualname(func)
        if found is None and type(func) is ast.Name and func.id in BUILTIN_NAMES and self.is_builtin(func):
            return f"builtins.{func.id}"
        return found

    def assigned_value(self, node: ast.Name) -> ast.expr | None:
        """The value a name was bound to, when it has exactly one binding and that is a plain assignment."""
        bindings = self.lookup(node)
        if bindings and len(bindings) == 1 and bindings[0].kind == "assign":
            return bindings[0].value
        return None


def _same_import(bindings: list[Binding] | None) -> str | None:
    """The dotted origin shared by bindings that are all the same import, else `None`."""
    if not bindings:
        return None
    origin = bindings[0].origin
    if any(binding.kind != "import" or binding.origin != origin for binding in bindings):
        return None
    return origin
