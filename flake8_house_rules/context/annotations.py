"""Type positions: which parts of an annotation stand for a type, and what string annotations say.

An annotation is not all types. In `Annotated[str, Field(description="The image name")]` only `str` is a
type; the metadata after it is values. In `Literal["r", "w"]` the strings are values. In
`typer.Option(help="...")` (a call inside an annotation) nothing is a type. Every rule that asks "is this
node a type?" gets its answer here, so they all agree.

`TypePositions` (built once per module with `ctx.fact(TypePositions)`, or `ctx.type_positions`) starts from
the annotation roots: each parameter's annotation, each `def`'s return annotation, and each annotated
assignment's annotation. Type alias values (`type X = ...`, `X: TypeAlias = ...`), type parameter bounds and
`cast("T", x)` are not roots: they are not annotations, and quoting there is not what `from __future__
import annotations` changes. From each root it walks down only through the parts that are types:

- a name, an attribute chain (`typing.Any`), `None`, a `|` union, a starred member (`*Ts`);
- a subscript's value and its slice (`list[X]`, `dict[K, V]`, `Callable[[A], R]`: tuples and lists of
  types), except `Literal[...]` (and nptyping's `Shape[...]`), whose slice is values, and
  `Annotated[T, ...]` (and jaxtyping's `Float[Array, "batch dim"]`), of which only the first element is a
  type;
- a string: parsed as an expression (bounded: long, malformed or deeply nested text is not an annotation),
  and when it reads as a type (a name, attribute, subscript or `|` union) it is a *string annotation* whose
  parsed tree is walked the same way (strings within it too, up to a small depth).

Anything else under an annotation (a call and its arguments, a lambda, a dict, arithmetic, the metadata of
`Annotated`, the members of `Literal`) is a value, and nothing under it is a type.

`Literal` and `Annotated` are recognised through imports (`typing.Literal`, `typing_extensions.Annotated`,
aliases) and also by spelling: treating a string as a value is the silent direction.

The parsed trees of string annotations are not part of the module's tree: their names are resolved in the
scope of the string (`qualname`), each parsed node knows the string it came from (`anchor`, where rules
report), and `references()` lists the names in them that resolve through imports, for rules that check
what a string annotation says (`"Optional[int]"`, `"List[str]"`, `"Any"`).
"""

from __future__ import annotations

import ast
from itertools import compress, repeat
from keyword import iskeyword
from operator import attrgetter, is_
from typing import TYPE_CHECKING

from flake8_house_rules.context.walk import FUNCTION_TYPES

if TYPE_CHECKING:
    from flake8_house_rules.context import ModuleContext
    from flake8_house_rules.context.walk import Scope

LITERAL = "typing.Literal"
ANNOTATED = "typing.Annotated"
SPELLED = {"Literal": LITERAL, "Annotated": ANNOTATED}
SPECIAL = frozenset(SPELLED.values())
#: Subscripts whose slice is all values, besides `Literal`.
VALUE_SUBSCRIPTS = frozenset({LITERAL, "nptyping.Shape"})
#: Modules whose subscripted names carry values: jaxtyping's shapes (`Float[Array, "b c"]`), nptyping's `Shape`.
VALUE_MODULES = ("jaxtyping", "nptyping")
#: Longest string annotation that is parsed; longer strings are not read as annotations.
MAX_STRING = 2000
#: Strings within strings (`"list['Node']"`) are followed this deep.
MAX_NESTING = 3
#: From this version annotations are evaluated lazily (PEP 649), as with the future import.
PEP_649 = (3, 14)
TYPE_SHAPES = (ast.Name, ast.Attribute, ast.Subscript)
VALUE = attrgetter("value")
ROOT_HOLDERS = frozenset({ast.arg, ast.AnnAssign})
#: Node types that can stand for a type (a `BinOp` only as a `|` union).
TYPE_KINDS = frozenset(
    {ast.Name, ast.Attribute, ast.Subscript, ast.Constant, ast.Starred, ast.Tuple, ast.List, ast.BinOp}
)
#: Parents through which a type position goes on up to its annotation (subscripts and tuples checked apart).
STEPS = frozenset({ast.Subscript, ast.Tuple, ast.List, ast.Attribute, ast.Starred, ast.BinOp})
#: Parents a string annotation can have.
STRING_HOLDERS = STEPS | ROOT_HOLDERS | frozenset(FUNCTION_TYPES)


def parse_annotation(text: str) -> ast.expr | None:
    """A string annotation's expression when the text reads as a type, else `None`.

    Parsed in parentheses, as type checkers do (a trailing comment or a line break inside is allowed). Text
    that is too long, does not parse, or parses to something other than a name, attribute, subscript or `|`
    union (`"1"`, `"a, b"`, `"the user name"`) is not an annotation.
    """
    if len(text) > MAX_STRING:
        return None
    if text.isascii() and text.isidentifier() and not iskeyword(text):  # `"User"`: the node the parser builds
        return ast.Name(id=text, ctx=ast.Load(), lineno=2, col_offset=0, end_lineno=2, end_col_offset=len(text))
    try:
        body = ast.parse(f"(\n{text}\n)", mode="eval").body
    except (SyntaxError, RecursionError, MemoryError, ValueError):
        return None
    if isinstance(body, TYPE_SHAPES) or (isinstance(body, ast.BinOp) and isinstance(body.op, ast.BitOr)):
        return body
    return None


class TypePositions:
    """The type positions of a module's annotations, and its string annotations parsed (see module docs)."""

    def __init__(self, ctx: ModuleContext) -> None:
        self._ctx = ctx
        #: Every node of a parsed string annotation that stands for a type (ask `in_type_position`).
        self.types: set[ast.AST] = set()
        #: Whether a node of the module's tree stands for a type, for each node asked about so far.
        self._known: dict[ast.AST, bool] = {}
        #: The module's string constants that are string annotations, in no particular order.
        self.strings: list[ast.Constant] = []
        #: Each string annotation (of the module or nested in another) and its parsed expression.
        self.parsed: dict[ast.Constant, ast.expr] = {}
        self._anchors: dict[ast.AST, ast.Constant] = {}  # parsed node -> the module's string it came from
        self._texts: dict[ast.AST, str] = {}  # parsed node -> the text it was parsed from
        self._parents: dict[ast.AST, ast.AST] = {}  # parsed node -> its parent in the parsed tree
        self._scopes: dict[ast.Constant, Scope] = {}
        self._references: list[tuple[ast.Name | ast.Attribute, str]] | None = None
        self.deferred = ctx.future_annotations or ctx.target_version >= PEP_649
        self._find_strings(ctx)

    def in_type_position(self, node: ast.AST) -> bool:
        """Whether the node stands for a type in an annotation (not a value inside one)."""
        if node in self._anchors:
            return node in self.types
        known = self._known.get(node)
        return self._climb(node) if known is None else known

    def _climb(self, node: ast.AST) -> bool:
        """Whether a node of the module's tree is a type: climb its parents to an annotation, step by step.

        Each step up must keep to the parts that are types (see the module docs): a name, attribute, `None`,
        string, `|` union, starred member, tuple or list of types, or a subscript's value or slice (not the
        slice of `Literal`, and of `Annotated` only the first element). Reaching a parameter's annotation, a
        return annotation or an annotated assignment's annotation means yes; anything else means no. The
        answer is remembered for every node on the way, so each node is climbed over at most once.
        """
        parents, known = self._ctx.parents, self._known
        path: list[ast.AST] = []
        result = False
        while True:
            found = known.get(node)
            if found is not None:
                result = found
                break
            kind = type(node)
            if kind not in TYPE_KINDS or (kind is ast.BinOp and type(node.op) is not ast.BitOr):  # type: ignore[attr-defined]
                break
            parent = parents.get(node)
            up = type(parent)
            if up in ROOT_HOLDERS:
                result = parent.annotation is node  # type: ignore[union-attr] - an arg or AnnAssign
                break
            if up in FUNCTION_TYPES:
                result = parent.returns is node  # type: ignore[union-attr] - a def
                break
            path.append(node)
            if up is ast.Subscript:
                if node is parent.slice:  # type: ignore[union-attr] - a Subscript
                    special = self._special(parent.value, None)  # type: ignore[union-attr] - a Subscript
                    if special == LITERAL or (special == ANNOTATED and kind is ast.Tuple and node.elts):  # type: ignore[attr-defined]
                        break  # the values of `Literal`; the metadata tuple of `Annotated`
            elif up is ast.Tuple:
                holder = parents.get(parent)  # type: ignore[arg-type] - a Tuple
                if type(holder) is ast.Subscript and holder.slice is parent:  # type: ignore[attr-defined]
                    special = self._special(holder.value, None)  # type: ignore[attr-defined] - a Subscript
                    if special == LITERAL or (special == ANNOTATED and node is not parent.elts[0]):  # type: ignore[union-attr]
                        break
                    if special == ANNOTATED:
                        node = holder  # type: ignore[assignment] - the tuple itself is no type: skip it
                        continue
            elif up not in STEPS:
                break
            node = parent  # type: ignore[assignment] - a parent in a type shape
        for step in path:
            known[step] = result
        return result

    def is_parsed(self, node: ast.AST) -> bool:
        """Whether the node belongs to a parsed string annotation rather than to the module's tree."""
        return node in self._anchors

    def anchor(self, node: ast.AST) -> ast.AST:
        """Where to report a node: the module's string for a parsed node, else the node itself."""
        return self._anchors.get(node, node)

    def parent(self, node: ast.AST) -> ast.AST | None:
        """The node's parent, in its parsed string or in the module's tree."""
        if node in self._anchors:
            return self._parents.get(node)
        return self._ctx.parent(node)

    def is_deferred(self, node: ast.AST) -> bool:
        """Whether the node is a type the interpreter does not evaluate when the annotation is defined.

        True inside a string annotation, and in a type position when the module has `from __future__ import
        annotations` or targets Python 3.14 or later (PEP 649). A value inside an annotation (in a call,
        the metadata of `Annotated`) and anything outside annotations are evaluated.
        """
        if node in self._anchors:
            return True
        return self.deferred and self.in_type_position(node)

    def qualname(self, node: ast.AST) -> str | None:
        """What a name or attribute chain refers to through imports; a parsed node in its string's scope."""
        anchor = self._anchors.get(node)
        if anchor is None:
            return self._ctx.qualname(node)
        return self._ctx.qualname_in(node, self._scope_of(anchor))

    def _scope_of(self, anchor: ast.Constant) -> Scope:
        """The scope the names of a string annotation are looked up in: the string's own."""
        scope = self._scopes.get(anchor)
        if scope is None:
            scope = self._scopes[anchor] = self._ctx.scope_at(anchor)
        return scope

    def segment(self, node: ast.AST, limit: int = 60) -> str | None:
        """The source text of a short one-line node, of the module or of its parsed string."""
        text = self._texts.get(node)
        if text is None:
            return self._ctx.segment(node, limit)
        found = ast.get_source_segment(text, node)
        if found is None or len(found) > limit or "\n" in found:
            return None
        return found

    def references(self) -> list[tuple[ast.Name | ast.Attribute, str]]:
        """The names in string annotations that resolve through an import, with their dotted names.

        Each name or attribute chain in a type position of a string annotation is listed (`t` as `typing`
        and `t.Optional` as `typing.Optional`).
        """
        if self._references is None:
            found: list[tuple[ast.Name | ast.Attribute, str]] = []
            for node in self._anchors:
                if isinstance(node, ast.Name | ast.Attribute):
                    name = self.qualname(node)
                    if name is not None:
                        found.append((node, name))
            self._references = found
        return self._references

    def _find_strings(self, ctx: ModuleContext) -> None:
        """Find and parse the module's string annotations, from its string constants.

        Only a string whose parent can hold a type (a subscript, tuple, list, `|` union, starred member, or
        an annotation's holder) is climbed; a docstring or a call's argument is dismissed at once. Whether
        the rest of an annotation is types is decided only when a rule asks (`in_type_position`), so a
        module is never walked annotation by annotation.
        """
        constants = ctx.nodes_of(ast.Constant)
        if not constants:
            return
        strings = compress(constants, map(is_, map(type, map(VALUE, constants)), repeat(str)))
        parents = ctx.parents
        for node in strings:
            if type(parents.get(node)) in STRING_HOLDERS and self.in_type_position(node):
                self._on_string(node, None, 0)

    def _walk(self, stack: list[ast.AST], anchor: ast.Constant | None, text: str, depth: int) -> None:
        """Record the type positions under the roots on the stack (of the module, or parsed from `text`)."""
        types, parents, anchors, texts = self.types, self._parents, self._anchors, self._texts
        push, pop = stack.append, stack.pop
        name_type, attribute_type, subscript_type, constant_type = ast.Name, ast.Attribute, ast.Subscript, ast.Constant
        sequences = (ast.Tuple, ast.List)
        while stack:
            node = pop()
            kind = type(node)
            if kind is name_type:
                children: tuple[ast.AST, ...] | list[ast.expr] = ()
            elif kind is subscript_type:
                special = self._special(node.value, anchor)
                inner = node.slice
                if special is None:
                    children = (node.value, inner)
                elif special == LITERAL:
                    children = (node.value,)
                elif type(inner) is ast.Tuple and inner.elts:
                    children = (node.value, inner.elts[0])
                else:
                    children = (node.value, inner)
            elif kind is attribute_type or kind is ast.Starred:
                children = (node.value,)
            elif kind is constant_type:
                children = ()
                if type(node.value) is str:
                    self._on_string(node, anchor, depth)
            elif kind in sequences:
                children = node.elts
            elif kind is ast.BinOp and type(node.op) is ast.BitOr:
                children = (node.left, node.right)
            else:
                continue  # a value: nothing under it is a type
            types.add(node)
            if anchor is not None:
                anchors[node] = anchor
                texts[node] = text
                parents.update(dict.fromkeys(children, node))
            for child in children:
                push(child)

    def _special(self, value: ast.expr, anchor: ast.Constant | None) -> str | None:
        """`LITERAL` when a subscript's slice is all values, `ANNOTATED` when only its first element is a type.

        `Literal`/`Annotated` count by spelling too (a name or an attribute). Resolved through imports:
        aliases of those, nptyping's `Shape["3, 3"]` (values) and jaxtyping's `Float[Array, "batch dim"]`
        (an array type, then its shape). Only names imported from one of these modules are resolved.
        """
        kind = type(value)
        if kind is ast.Name:
            spelled = value.id
            root = value
        elif kind is ast.Attribute:
            spelled = value.attr
            root = value.value
            while type(root) is ast.Attribute:
                root = root.value
            if type(root) is not ast.Name:
                return SPELLED.get(spelled)
        else:
            return None
        if spelled in SPELLED:
            return SPELLED[spelled]
        origins = self._ctx.import_names.get(root.id)
        if not origins or not any(origin in SPECIAL or origin.startswith(VALUE_MODULES) for origin in origins):
            return None
        name = self._ctx.qualname(value) if anchor is None else self._ctx.qualname_in(value, self._scope_of(anchor))
        if name in VALUE_SUBSCRIPTS:
            return LITERAL
        if name == ANNOTATED or (name or "").startswith("jaxtyping."):
            return ANNOTATED
        return None

    def _on_string(self, node: ast.Constant, anchor: ast.Constant | None, depth: int) -> None:
        """A string in a type position: a string annotation when it parses as a type."""
        if depth >= MAX_NESTING:
            return
        text = node.value
        parsed = parse_annotation(text)
        if parsed is None:
            return
        if anchor is None:
            self.strings.append(node)
            anchor = node
        self.parsed[node] = parsed
        self._anchors[parsed] = anchor
        self._walk([parsed], anchor, f"(\n{text}\n)", depth + 1)
