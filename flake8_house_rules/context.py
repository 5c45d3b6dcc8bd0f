"""Per-module facts, computed once and shared by every rule.

`ModuleContext` walks the tree once, iteratively (an explicit stack, so a deeply nested expression cannot hit
the recursion limit), and records along the way:

- the nodes of each type, in source order, which the engine then dispatches to the rules;
- each node's parent, so a rule can look at a candidate's surroundings without walking anything;
- the scopes (module, class, function, lambda, comprehension) and every name each one binds: imports,
  assignments, definitions, parameters, `global` declarations;
- whether the module has `from __future__ import annotations`.

Resolution answers "what is this name?" from those bindings, never from spelling: `t.Optional` after
`import typing as t` is `typing.Optional`; a parameter or a local class called `Optional` is nothing the
pack knows; a name bound two different ways in one scope is not resolved (precision over recall).

The module's path role, target Python version and comments are facts too; comments are tokenized lazily,
only when a rule first asks for them.
"""

from __future__ import annotations

import ast
import re
import tokenize
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from flake8_house_rules.paths import module_roles, normalise_path, target_version

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from flake8_house_rules.config import Config

T = TypeVar("T")
WalkStack = list["ast.AST | Scope"]
BindingKind = Literal["import", "assign", "param", "def", "class"]
ScopeKind = Literal["module", "class", "function", "comprehension"]

FUNCTION_TYPES = (ast.FunctionDef, ast.AsyncFunctionDef)
CODE_BOUNDARIES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
SCALAR_FIELDS = frozenset(
    {"ctx", "id", "arg", "attr", "name", "module", "level", "kind", "type_comment", "is_async", "conversion"}
)
MODULE_ALIASES = {"typing_extensions": "typing"}
COMMENT_MARKER_RE = re.compile(r"(noqa(:[\s,A-Z0-9]*)?|type:\s*ignore(\[[^\]]*\])?|pragma:[^#]*|#)", re.IGNORECASE)


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


_CHILD_FIELDS: dict[type, tuple[str, ...]] = {ast.Constant: ()}


def _child_fields(node_type: type[ast.AST]) -> tuple[str, ...]:
    """The fields of a node type that can hold child nodes."""
    return tuple(name for name in node_type._fields if name not in SCALAR_FIELDS)


def _in_function_head(child: ast.AST, node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Whether a direct child of a def is evaluated outside it (decorators, arguments, returns)."""
    if child is node.args or child is node.returns:
        return True
    return any(child is decorator for decorator in node.decorator_list)


def _in_class_head(child: ast.AST, node: ast.ClassDef) -> bool:
    """Whether a direct child of a class is evaluated outside it (decorators, bases, keywords)."""
    return any(child is other for other in (*node.decorator_list, *node.bases, *node.keywords))


def find_comment(text: str) -> int | None:
    """The column of the comment on a line that starts in code, or `None`: skips `#` inside strings."""
    index, size = 0, len(text)
    while index < size:
        char = text[index]
        if char == "#":
            return index
        if char in "'\"":
            quote = text[index : index + 3] if text[index : index + 3] in ('"""', "'''") else char
            index += len(quote)
            while index < size:
                if text[index] == "\\":
                    index += 2
                elif text.startswith(quote, index):
                    index += len(quote)
                    break
                else:
                    index += 1
            else:
                return None  # the string goes on past this line, so nothing after it is a comment
            continue
        index += 1
    return None


def _as_list(value: object) -> list[ast.AST]:
    if isinstance(value, ast.AST):
        return [value]
    if isinstance(value, list):
        return [item for item in value if isinstance(item, ast.AST)]
    return []


def _all_args(args: ast.arguments) -> list[ast.arg]:
    found = [*args.posonlyargs, *args.args]
    if args.vararg is not None:
        found.append(args.vararg)
    found.extend(args.kwonlyargs)
    if args.kwarg is not None:
        found.append(args.kwarg)
    return found


class ModuleContext:
    """Everything rules share about one module. Built once per file by the engine."""

    def __init__(
        self,
        tree: ast.AST,
        lines: Sequence[str],
        filename: str,
        config: Config,
    ) -> None:
        self.tree = tree
        self.lines = lines
        self.config = config
        self.filename = filename
        self.path = normalise_path(filename, config.cwd)
        self.roles = module_roles(self.path, config)
        self.target_version = target_version(self.path, config)
        self.parents: dict[ast.AST, ast.AST] = {}
        self.nodes: defaultdict[type[ast.AST], list[ast.AST]] = defaultdict(list)
        self.module_scope = Scope(tree, "module", None)
        self.scope_of_node: dict[ast.AST, Scope] = {tree: self.module_scope}
        self.import_names: dict[str, set[str]] = {}
        self._local_names: set[str] = set()
        self._qualnames: dict[ast.AST, str | None] = {}
        self._derived: dict[str, object] = {}
        self.future_annotations = False
        self.star_import = False
        self._comments: dict[int, list[tuple[int, str]]] | None = None
        self._multiline_strings: set[int] | None = None
        self._walk()

    # ------------------------------------------------------------------ the one walk

    def _walk(self) -> None:
        parents = self.parents
        nodes = self.nodes
        special = self._special_nodes()
        fields_of = _CHILD_FIELDS
        scope = self.module_scope
        stack: WalkStack = [self.tree]
        pop, push = stack.pop, stack.append
        while stack:
            node = pop()
            node_type = type(node)
            if node_type is Scope:
                scope = node  # a marker: the scope of the nodes popped from here on
                continue
            nodes[node_type].append(node)
            handler = special.get(node_type)
            if handler is not None and handler(node, scope, stack):
                continue
            fields = fields_of.get(node_type)
            if fields is None:
                fields = fields_of[node_type] = _child_fields(node_type)
            kids: list[ast.AST] = []
            for name in fields:
                value = getattr(node, name, None)
                if value is None:
                    continue
                if type(value) is list:
                    kids.extend(item for item in value if isinstance(item, ast.AST))
                elif isinstance(value, ast.AST):
                    kids.append(value)
            for kid in reversed(kids):
                parents[kid] = node
                push(kid)

    def _special_nodes(
        self,
    ) -> dict[type[ast.AST], Callable[[Any, Scope, WalkStack], bool]]:  # Any: each handler takes its own node type
        """Handlers of the node types that bind names or open scopes.

        A handler returns `True` when it pushed the node's children itself (with scope markers around a
        new scope's body), `False` when the walk should push them as usual.
        """
        return {
            ast.Name: self._on_name,
            ast.FunctionDef: self._on_function,
            ast.AsyncFunctionDef: self._on_function,
            ast.Lambda: self._on_function,
            ast.ClassDef: self._on_class,
            ast.ListComp: self._on_comprehension,
            ast.SetComp: self._on_comprehension,
            ast.DictComp: self._on_comprehension,
            ast.GeneratorExp: self._on_comprehension,
            ast.Import: self._on_import,
            ast.ImportFrom: self._on_import,
            ast.Global: self._on_global,
            ast.Nonlocal: self._on_global,
            ast.ExceptHandler: self._on_named,
            ast.MatchAs: self._on_named,
            ast.MatchStar: self._on_named,
            ast.MatchMapping: self._on_named,
            ast.Return: self._on_return,
            ast.Yield: self._on_return,
            ast.YieldFrom: self._on_return,
        }

    def _on_return(self, node: ast.Return | ast.Yield | ast.YieldFrom, scope: Scope, stack: WalkStack) -> bool:
        owner = scope.function_scope()
        if isinstance(node, ast.Return):
            owner.returns_value |= node.value is not None
        else:
            owner.yields = True
        return False

    def _on_name(self, node: ast.Name, scope: Scope, stack: WalkStack) -> bool:
        if type(node.ctx) is ast.Store:
            self._bind_store(node, scope)
        return True

    def _on_function(
        self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda, scope: Scope, stack: WalkStack
    ) -> bool:
        if not isinstance(node, ast.Lambda):
            self._bind(scope, node.name, "def", node)
        inner = Scope(node, "function", scope)
        self.scope_of_node[node] = inner
        for arg in _all_args(node.args):
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
        for kid in head:
            self.parents[kid] = node
        for kid in body:
            self.parents[kid] = node
        stack.append(outer)
        stack.extend(reversed(body))
        stack.append(inner)
        stack.extend(reversed(head))

    def _on_comprehension(self, node: ast.AST, scope: Scope, stack: WalkStack) -> bool:
        inner = Scope(node, "comprehension", scope)
        self.scope_of_node[node] = inner
        kids = [value for name in _child_fields(type(node)) for value in _as_list(getattr(node, name, None))]
        self._push_two(node, [], scope, kids, inner, stack)
        return True

    def _on_global(self, node: ast.Global | ast.Nonlocal, scope: Scope, stack: WalkStack) -> bool:
        (scope.globals if isinstance(node, ast.Global) else scope.nonlocals).update(node.names)
        return False

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
            self._local_names.add(name)

    def _bind_store(self, node: ast.Name, scope: Scope) -> None:
        parent = self.parents.get(node)
        value: ast.expr | None = None
        if isinstance(parent, ast.Assign | ast.AnnAssign | ast.NamedExpr):
            value = parent.value
            if isinstance(parent, ast.NamedExpr):
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

    # ------------------------------------------------------------------ resolution

    def derived(self, key: str, build: Callable[[], T]) -> T:
        """A fact derived from the module once, shared by every rule that asks with the same key."""
        if key not in self._derived:
            self._derived[key] = build()
        return self._derived[key]  # type: ignore[return-value] - the same key always stores what `build` returns

    def nodes_of(self, node_type: type[ast.AST]) -> list[ast.AST]:
        """Every node of one type in the module, in source order."""
        return self.nodes.get(node_type, [])

    def parent(self, node: ast.AST) -> ast.AST | None:
        """The node's parent in the tree (`None` for the module)."""
        return self.parents.get(node)

    def lookup(self, node: ast.Name) -> list[Binding] | None:
        """The bindings a name refers to at this place, by Python's scoping rules; `None` for builtins."""
        name = node.id
        if name not in self._local_names:  # bound at module level only (or nowhere): no scope search
            return self.module_scope.names.get(name)
        scope: Scope | None = self.scope_at(node)
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
                    if not _in_class_head(child, parent):
                        return scope
                elif isinstance(parent, FUNCTION_TYPES):
                    if not _in_function_head(child, parent):
                        return scope
                else:
                    return scope
            child, parent = parent, self.parents.get(parent)
        return self.module_scope

    def is_builtin(self, node: ast.Name) -> bool:
        """Whether a name refers to the builtin of that name: nothing binds it, and no `import *` could."""
        return not self.star_import and self.lookup(node) is None

    def qualname(self, node: ast.AST) -> str | None:
        """The dotted name an expression refers to through imports (`typing.Optional`), or `None`."""
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
        bindings = self.lookup(node)
        if not bindings:
            return None
        origin = bindings[0].origin
        if any(binding.kind != "import" or binding.origin != origin for binding in bindings):
            return None
        return ".".join([origin, *reversed(attrs)])

    def resolves_to(self, node: ast.AST, *qualnames: str) -> bool:
        """Whether an expression refers, through imports, to one of the given dotted names."""
        return self.qualname(node) in qualnames

    def assigned_value(self, node: ast.Name) -> ast.expr | None:
        """The value a name was bound to, when it has exactly one binding and that is a plain assignment."""
        bindings = self.lookup(node)
        if bindings and len(bindings) == 1 and bindings[0].kind == "assign":
            return bindings[0].value
        return None

    # ------------------------------------------------------------------ surroundings

    def enclosing_function(self, node: ast.AST) -> ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | None:
        """The innermost function whose body holds the node (decorators and defaults are outside it)."""
        child, parent = node, self.parents.get(node)
        while parent is not None:
            if isinstance(parent, ast.Lambda) and child is parent.body:
                return parent
            if isinstance(parent, FUNCTION_TYPES) and not _in_function_head(child, parent):
                return parent
            child, parent = parent, self.parents.get(parent)
        return None

    def in_async_function(self, node: ast.AST) -> bool:
        """Whether the innermost function around the node is an `async def` (a nested sync def is not)."""
        return isinstance(self.enclosing_function(node), ast.AsyncFunctionDef)

    def in_annotation(self, node: ast.AST) -> bool:
        """Whether the node is part of a parameter, return or variable annotation."""
        child, parent = node, self.parents.get(node)
        while parent is not None:
            if isinstance(parent, ast.arg):
                return child is parent.annotation
            if isinstance(parent, FUNCTION_TYPES):
                return child is parent.returns
            if isinstance(parent, ast.AnnAssign):
                return child is parent.annotation
            if isinstance(parent, ast.stmt | ast.Lambda | ast.arguments):
                return False
            child, parent = parent, self.parents.get(parent)
        return False

    def ancestors(self, node: ast.AST) -> list[ast.AST]:
        """The node's ancestors, innermost first."""
        found = []
        parent = self.parents.get(node)
        while parent is not None:
            found.append(parent)
            parent = self.parents.get(parent)
        return found

    def ancestors_in_function(self, node: ast.AST) -> list[ast.AST]:
        """The node's ancestors, innermost first, up to (not including) the nearest def or lambda."""
        found = []
        parent = self.parents.get(node)
        while parent is not None and not isinstance(parent, CODE_BOUNDARIES):
            found.append(parent)
            parent = self.parents.get(parent)
        return found

    def is_test_module(self) -> bool:
        """Whether the module's path matches `hr-test-modules`."""
        return "test" in self.roles

    # ------------------------------------------------------------------ source text

    def segment(self, node: ast.AST, limit: int = 60) -> str | None:
        """The source text of a one-line node, if it is at most `limit` characters; else `None`."""
        lineno = getattr(node, "lineno", None)
        end = getattr(node, "end_lineno", None)
        if lineno is None or end != lineno or not 0 < lineno <= len(self.lines):
            return None
        raw = self.lines[lineno - 1].encode("utf-8", "surrogatepass")
        text = raw[getattr(node, "col_offset", 0) : getattr(node, "end_col_offset", 0)].decode("utf-8", "replace")
        return text if len(text) <= limit else None

    @property
    def comments(self) -> dict[int, list[tuple[int, str]]]:
        """Every comment, by line: `{line: [(column, "# text"), ...]}`, from tokenizing the whole module.

        Costly on a large file: rules that look at given lines use `comments_on(line)` instead.
        """
        if self._comments is None:
            self._comments = {}
            lines = iter(self.lines)
            try:
                for token in tokenize.generate_tokens(lambda: next(lines, "")):
                    if token.type == tokenize.COMMENT:
                        self._comments.setdefault(token.start[0], []).append((token.start[1], token.string))
            except (tokenize.TokenError, SyntaxError):
                pass
        return self._comments

    def comments_on(self, line: int) -> list[tuple[int, str]]:
        """The comment on one line as `[(column, "# text")]`, or `[]`; cheap for a line without `#`.

        A line that starts in code is scanned on its own; a line that may start inside a multi-line string
        (the AST says one spans it) is read from the whole module's tokens instead.
        """
        if not 0 < line <= len(self.lines):
            return []
        text = self.lines[line - 1]
        if "#" not in text:
            return []
        if self._comments is not None or line in self._string_lines():
            return self.comments.get(line, [])
        col = find_comment(text)
        return [] if col is None else [(col, text[col:].rstrip("\r\n"))]

    def _string_lines(self) -> set[int]:
        """Lines after the first of a string literal that spans several lines."""
        if self._multiline_strings is None:
            found: set[int] = set()
            for node in (*self.nodes.get(ast.Constant, ()), *self.nodes.get(ast.JoinedStr, ())):
                start, end = getattr(node, "lineno", 0), getattr(node, "end_lineno", None) or 0
                if end > start:
                    found.update(range(start + 1, end + 1))
            self._multiline_strings = found
        return self._multiline_strings

    def has_explaining_comment(self, line: int) -> bool:
        """Whether a line carries a comment with words beyond `noqa`, `type: ignore` and `pragma` markers."""
        return any(re.search(r"[A-Za-z]{2}", COMMENT_MARKER_RE.sub(" ", text)) for _, text in self.comments_on(line))

    def is_comment_only_line(self, line: int) -> bool:
        """Whether a line holds nothing but a comment."""
        return 0 < line <= len(self.lines) and self.lines[line - 1].lstrip().startswith("#")
