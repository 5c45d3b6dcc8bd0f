"""SQL text built by formatting, for HR613: where each formatted value comes from, and where it stands.

A value formatted into SQL is a risk only when something from outside the function can reach it: a
parameter, an attribute of an object (`self.table`, `request.name`), or the result of a function the module
cannot see into. `SqlValues.outside` follows a value back through the bindings the shared walk recorded
(`ctx.lookup`): assignments, `+=`, loop targets (an element of what the loop iterates: `for table in
["a", "b"]` binds constants, `for i, x in enumerate(xs)` binds an `int` to `i`), subscripts of a container
(`TEMPLATES[dialect]` is one of the dict's constants), conditionals (`"ASC" if asc else "DESC"`), arithmetic
and comparisons (`len(PREFIX) + 1`), comprehensions and `", ".join(...)`. Each question has a bound on its
depth and on the nodes it visits; past that the answer is "unknown", and unknown is not reported.

`formatted_parts` splits a formatting expression (f-string, `%`, `.format()`, `+`) into the values it
formats, each with the SQL text before it, so that HR613 can tell a value position (a bound parameter is
the fix) from an identifier or a `SET`/`PRAGMA`/`BEGIN` statement (bound parameters cannot stand there:
the identifier must be quoted, the number converted).
"""

from __future__ import annotations

import ast
import re
import string
from typing import TYPE_CHECKING

from flake8_house_rules.context.annotations import parse_annotation
from flake8_house_rules.context.sqlalchemy import resolve_name
from flake8_house_rules.rules.hr6xx_data.common import CONSTANT_ATTRIBUTES, NUMERIC_CALLS, QUOTERS, is_constant_name

if TYPE_CHECKING:
    from flake8_house_rules.context import ModuleContext
    from flake8_house_rules.context.walk import Binding

MAX_DEPTH = 10
MAX_VISITS = 400
MAX_PARTS = 500
MAX_ANCESTORS = 64
CODE_BOUNDARIES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
#: Calls whose result is built from their arguments only (an element, a copy, a string of them).
PASS_THROUGH_CALLS = frozenset(
    {
        f"builtins.{name}"
        for name in (
            *("str", "repr", "format", "sorted", "reversed", "list", "tuple", "set", "frozenset", "dict"),
            *("enumerate", "zip", "iter", "next", "filter"),
        )
    }
    | {"itertools.chain", "itertools.product"}
)
#: SQLAlchemy's `text(...)`: what it gives is a SQL object, declared SQL by the code that wraps it.
SQL_TEXT_CALLS = frozenset(
    {"sqlalchemy.text", "sqlalchemy.sql.text", "sqlalchemy.sql.expression.text", "sqlmodel.text"}
)
SAFE_CALLS = NUMERIC_CALLS | {"builtins.range", "builtins.sum", "builtins.hash", "builtins.id", "builtins.isinstance"}
#: Methods whose result is made of the receiver and the arguments (`", ".join(names)`).
JOINING_METHODS = frozenset({"join", "format", "replace", "ljust", "rjust", "center", "zfill", "get", "pop"})
#: Methods whose result is made of the receiver alone (a part, a copy, a changed case).
RECEIVER_METHODS = frozenset(
    {"upper", "lower", "strip", "lstrip", "rstrip", "title", "capitalize", "casefold", "split", "rsplit"}
    | {"removeprefix", "removesuffix", "items", "keys", "values", "copy", "splitlines", "partition"}
)
#: Words in the name of a project's own helper that say it makes a value safe for SQL (`_safe_identifier`,
#: `quote_ident`, `escape_like`): the helper is the project's decision, not the rule's to second-guess.
SANITISER_WORDS = ("quote", "escape", "safe", "sanitiz", "sanitis")
#: Library functions with such names that quote for something other than SQL.
FOREIGN_QUOTERS = frozenset(
    {"shlex.quote", "urllib.parse.quote", "urllib.parse.quote_plus", "html.escape", "re.escape", "xml.sax.saxutils"}
    | {"markupsafe.escape", "pipes.quote", "json.dumps", "glob.escape"}
)
NUMERIC_TYPES = frozenset({"int", "float", "bool", "Decimal", "decimal.Decimal", "builtins.int", "builtins.float"})
#: Keywords after which a formatted value is a name (a table, a column, an index), not a value.
IDENTIFIER_KEYWORDS = frozenset(
    {"FROM", "JOIN", "INTO", "UPDATE", "TABLE", "EXISTS", "INDEX", "VIEW", "SCHEMA", "DATABASE", "TRUNCATE"}
    | {"VACUUM", "ANALYZE", "ROLE", "COLUMN", "SEQUENCE", "TYPE", "TRIGGER", "EXTENSION", "BY", "USER", "GRANT"}
    | {"DESC", "DESCRIBE", "CONSTRAINT", "OWNER", "TO", "RENAME", "SAVEPOINT", "USING", "TABLESPACE"}
)
#: Statements whose parts no bound parameter can fill.
UNBINDABLE_STATEMENTS = frozenset(
    {"SET", "PRAGMA", "BEGIN", "RESET", "SHOW", "USE", "SAVEPOINT", "RELEASE"}
    | {"CREATE", "ALTER", "DROP", "COMMENT", "GRANT", "REVOKE", "TRUNCATE"}  # DDL takes no bound parameters
)
#: Methods of a string that check what it holds: inside `if name.isdigit():` the name is a number.
CHECKING_METHODS = frozenset({"isdigit", "isdecimal", "isnumeric", "isalnum", "isalpha", "isidentifier"})
#: Functions that match a whole string against a pattern: inside `if re.fullmatch(PATTERN, name):`.
MATCHING_CALLS = frozenset({"re.match", "re.fullmatch"})
#: What a narrow regex group may hold once its `\d`, `\s` classes and quantifiers are taken out.
NARROW_PARTS = re.compile(r"\\[ds]|\{\d+(?:,\d*)?\}|[+*?]")
NARROW_GROUP = re.compile(r"[A-Za-z0-9 :/_-]*")
PERCENT_FIELD = re.compile(r"%(?:\((\w+)\))?[-#0 +]*(?:\d+|\*)?(?:\.\d+)?[sdifrxXeEgGcaou%]")
WORD = re.compile(r"([A-Za-z_]+)\s*$")


class SqlValues:
    """Answers, per module, whether a value formatted into SQL can come from outside its function."""

    def __init__(self, ctx: ModuleContext) -> None:
        self.ctx = ctx
        self._visits = 0
        self._active: set[int] = set()

    def outside(self, expr: ast.expr, building: str = "") -> bool:
        """Whether something from outside the function can reach this value (unknown: `False`).

        `building` is the variable the SQL is built in (`sql += f"..."`): its other bindings are checked on
        their own, so here it counts as safe.
        """
        self._visits = 0
        self._active = set()
        return self._outside(expr, 0, building) is True

    def _outside(self, expr: ast.AST, depth: int, building: str) -> bool | None:
        """`True`: it can come from outside; `False`: it cannot; `None`: unknown (past the bounds)."""
        self._visits += 1
        if depth > MAX_DEPTH or self._visits > MAX_VISITS:
            return None
        down = depth + 1
        if isinstance(expr, ast.Constant):
            return False
        if isinstance(expr, ast.Name):
            return self._name(expr, down, building)
        if isinstance(expr, ast.JoinedStr):
            return self._any(
                (part.value for part in expr.values if isinstance(part, ast.FormattedValue)), down, building
            )
        if isinstance(expr, ast.BinOp | ast.BoolOp):
            return self._any(_operands(expr), down, building)
        if isinstance(expr, ast.UnaryOp | ast.Compare):
            return False  # a number or a bool
        if isinstance(expr, ast.IfExp):
            return self._any((expr.body, expr.orelse), down, building)
        if isinstance(expr, ast.Tuple | ast.List | ast.Set):
            return self._any(expr.elts, down, building)
        if isinstance(expr, ast.Dict):
            return self._any([*(key for key in expr.keys if key is not None), *expr.values], down, building)
        if isinstance(expr, ast.Subscript | ast.Starred):
            return self._outside(expr.value, down, building)  # an element of the container
        if isinstance(expr, ast.ListComp | ast.SetComp | ast.GeneratorExp):
            return self._outside(expr.elt, down, building)
        if isinstance(expr, ast.DictComp):
            return self._any((expr.key, expr.value), down, building)
        if isinstance(expr, ast.NamedExpr):
            return self._outside(expr.value, down, building)
        if isinstance(expr, ast.Attribute):
            return self._attribute(expr, down, building)
        if isinstance(expr, ast.Call):
            return self._call(expr, down, building)
        return True  # `await`, `yield`, a lambda: a value the function does not build from constants

    def _any(self, exprs: object, depth: int, building: str) -> bool | None:
        """`True` when any is outside; else `None` when any is unknown; else `False`."""
        unknown = False
        for expr in exprs:  # type: ignore[attr-defined]  # an iterable of expressions
            found = self._outside(expr, depth, building)
            if found:
                return True
            unknown |= found is None
        return None if unknown else False

    def _name(self, name: ast.Name, depth: int, building: str) -> bool | None:
        if name.id == building or is_constant_name(name.id):
            return False
        found = self._bindings_outside(name, depth, building)
        return False if found and self._checked(name) else found

    def _bindings_outside(self, name: ast.Name, depth: int, building: str) -> bool | None:
        bindings = self.ctx.lookup(name)
        if not bindings:
            return False  # a builtin, or nothing the module binds
        unknown = False
        for binding in bindings:
            key = id(binding)
            if key in self._active:
                continue  # `sql = sql + "..."` refers to its own other bindings, checked on their own
            self._active.add(key)
            try:
                found = self._binding(binding, depth, building)
            finally:
                self._active.discard(key)
            if found:
                return True
            unknown |= found is None
        return None if unknown else False

    def _checked(self, name: ast.Name) -> bool:
        """Whether the use of a name sits where a test has checked it: in the body of `if name in ("ASC",
        "DESC"):`, `if name == "x":`, `if name.isdigit():` or `if re.fullmatch(PATTERN, name):`.
        """
        child: ast.AST = name
        ancestor = self.ctx.parent(name)
        steps = 0
        while ancestor is not None and not isinstance(ancestor, CODE_BOUNDARIES) and steps < MAX_ANCESTORS:
            steps += 1  # bounded: a name deep in a long chain of `+` must not cost the chain's length
            if isinstance(ancestor, ast.If | ast.IfExp) and child is not ancestor.test:
                in_body = child is ancestor.body if isinstance(ancestor, ast.IfExp) else child in ancestor.body
                if in_body and _checks(self.ctx, ancestor.test, name.id):
                    return True
            child, ancestor = ancestor, self.ctx.parent(ancestor)
        return False

    def _binding(self, binding: Binding, depth: int, building: str) -> bool | None:
        if binding.kind == "param":
            node = binding.node
            return not (isinstance(node, ast.arg) and self._sqlalchemy_annotation(node.annotation))
        if binding.kind != "assign":
            return False  # an import (a module's constant or a library's), a def or a class
        node = binding.node
        if not isinstance(node, ast.Name):
            return True  # `except ... as e`, a match capture
        child: ast.AST = node
        parent = self.ctx.parent(node)
        position: int | None = None
        while isinstance(parent, ast.Tuple | ast.List | ast.Starred):  # an unpacking target
            if isinstance(parent, ast.Tuple | ast.List):
                position = next((i for i, item in enumerate(parent.elts) if item is child), None)
            child, parent = parent, self.ctx.parent(parent)
        if isinstance(parent, ast.Assign | ast.AnnAssign | ast.NamedExpr):
            value = parent.value
            if value is None:
                return False
            if (
                child is not node
                and isinstance(value, ast.Tuple | ast.List)
                and position is not None
                and position < len(value.elts) == len(getattr(child, "elts", ()))
            ):
                return self._outside(value.elts[position], depth, building)
            return self._outside(value, depth, building)
        if isinstance(parent, ast.AugAssign):
            return self._outside(parent.value, depth, building)
        if isinstance(parent, ast.For | ast.AsyncFor | ast.comprehension) and parent.target is child:
            source = parent.iter
            if (
                child is not node
                and position == 0
                and isinstance(source, ast.Call)
                and self.ctx.call_name(source) == "builtins.enumerate"
            ):
                return False  # the index `enumerate` counts
            return self._outside(source, depth, building)
        return True  # `with ... as x`, and what else binds from a value the function does not build

    def _attribute(self, expr: ast.Attribute, depth: int, building: str) -> bool | None:
        """An attribute is outside unless it names a constant (`Status.ACTIVE.value`, `User.__tablename__`,
        `settings.DB_SCHEMA`) or hangs off a name that is not: an imported module or object (configuration,
        a library's value), a class, a local built from constants. `self.table` hangs off a parameter.
        """
        if self._mapped_name(expr):
            return False
        node: ast.expr = expr
        steps = 0
        while isinstance(node, ast.Attribute) and steps < MAX_PARTS:
            if node.attr in CONSTANT_ATTRIBUTES or is_constant_name(node.attr):
                return False
            node = node.value
            steps += 1
        if isinstance(node, ast.Name):
            return self._name(node, depth, building)  # `column.key` of a column of a constant list
        return True

    def _mapped_name(self, expr: ast.Attribute) -> bool:
        """`{column.key}` beside `{column.class_.__tablename__}` in one f-string: the column is an ORM attribute
        (only those have a mapped `class_`), and its `key` the mapped attribute's name.
        """
        root = expr.value
        if expr.attr not in {"key", "name"} or not isinstance(root, ast.Name):
            return False
        holder = self.ctx.parent(self.ctx.parent(expr) or expr)
        if not isinstance(holder, ast.JoinedStr):
            return False
        for part in holder.values:
            value = part.value if isinstance(part, ast.FormattedValue) else None
            if (
                isinstance(value, ast.Attribute)
                and value.attr in CONSTANT_ATTRIBUTES
                and isinstance(value.value, ast.Attribute)
                and value.value.attr == "class_"
                and isinstance(value.value.value, ast.Name)
                and value.value.value.id == root.id
            ):
                return True
        return False

    def _call(self, call: ast.Call, depth: int, building: str) -> bool | None:
        ctx = self.ctx
        name = ctx.call_name(call)
        func = call.func
        arguments = [*call.args, *(keyword.value for keyword in call.keywords)]
        if name in SAFE_CALLS or name in SQL_TEXT_CALLS:
            return False  # `f"{stmt} AND ({text(clause)})"`: SQL composed from SQL objects, not a value
        if name in PASS_THROUGH_CALLS:
            return self._any(arguments, depth, building)
        if _is_sanitiser(func) and name not in FOREIGN_QUOTERS:
            return False
        if isinstance(func, ast.Attribute) and name is None:
            method = func.attr
            if method in QUOTERS or method == "compile":
                return False  # a dialect's quoting of a name, SQLAlchemy's own rendering of a statement
            if method == "replace" and _escapes_quotes(call):
                return False
            if method == "group" and self._narrow_match(func.value, call):
                return False
            if method in RECEIVER_METHODS:
                return self._outside(func.value, depth, building)
            if method in JOINING_METHODS:
                # `TEMPLATES.get(dialect)`: the key picks one of the values, it is not part of the result
                kept = arguments[1:] if method in {"get", "pop"} else arguments
                return self._any([func.value, *kept], depth, building)
        return not (isinstance(func, ast.Name) and self._returns_number(func))

    def _narrow_match(self, match: ast.expr, call: ast.Call) -> bool:
        r"""`m.group(1)` of `m = re.search(r"'(\d{4}-\d{2})'", text)`: a group whose pattern admits only digits,
        spaces, letters and `-:/_` (no quote can be in it).
        """
        if not isinstance(match, ast.Name) or not call.args or not all(_is_positive(arg) for arg in call.args):
            return False
        found = self.ctx.assigned_value(match)
        if not isinstance(found, ast.Call) or self.ctx.call_name(found) not in {*MATCHING_CALLS, "re.search"}:
            return False
        pattern = found.args[0] if found.args else None
        if not _is_str(pattern):
            return False
        groups = re.findall(r"\(([^()]*)\)", pattern.value)  # type: ignore[union-attr]  # checked: a string
        return bool(groups) and all(NARROW_GROUP.fullmatch(NARROW_PARTS.sub("", group)) for group in groups)

    def _sqlalchemy_annotation(self, annotation: ast.expr | None) -> bool:
        """Whether a parameter is annotated with a SQLAlchemy type (`column: ColumnElement`, `stmt:
        "TextClause"`): what it renders, and its names (`column.key`), are SQLAlchemy's, not input.
        """
        if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
            annotation = parse_annotation(annotation.value)
        if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
            annotation = annotation.left
        if not isinstance(annotation, ast.Name | ast.Attribute):
            return False
        qualname = resolve_name(self.ctx, annotation)
        return qualname is not None and qualname.partition(".")[0] in {"sqlalchemy", "sqlmodel"}

    def _returns_number(self, func: ast.Name) -> bool:
        """Whether the called name is a function of this module annotated to return a number."""
        bindings = self.ctx.lookup(func)
        if not bindings or len(bindings) != 1 or bindings[0].kind != "def":
            return False
        definition = bindings[0].node
        returns = getattr(definition, "returns", None)
        if isinstance(returns, ast.Name):
            return returns.id in NUMERIC_TYPES
        if isinstance(returns, ast.Constant) and isinstance(returns.value, str):
            return returns.value in NUMERIC_TYPES
        return False


def _operands(expr: ast.BinOp | ast.BoolOp) -> list[ast.expr]:
    """The operands of a chain of binary or boolean operators (iteratively: chains can be very long)."""
    parts: list[ast.expr] = []
    stack: list[ast.expr] = [expr]
    while stack and len(parts) < MAX_PARTS:
        node = stack.pop()
        if isinstance(node, ast.BinOp):
            stack.extend((node.right, node.left))
        elif isinstance(node, ast.BoolOp):
            stack.extend(reversed(node.values))
        else:
            parts.append(node)
    return [*parts, *stack]


def _checks(ctx: ModuleContext, test: ast.expr, name: str) -> bool:
    """Whether a test proves what a name holds when it is true (see `SqlValues._checked`)."""
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
        return any(_checks(ctx, value, name) for value in test.values[:MAX_PARTS])
    if isinstance(test, ast.Compare) and len(test.ops) == 1:
        left, right = test.left, test.comparators[0]
        if not (isinstance(left, ast.Name) and left.id == name):
            return False
        if isinstance(test.ops[0], ast.Eq):
            return isinstance(right, ast.Constant)
        if isinstance(test.ops[0], ast.In):
            return isinstance(right, ast.Tuple | ast.List | ast.Set) and all(
                isinstance(item, ast.Constant) for item in right.elts
            )
        return False
    if isinstance(test, ast.Call):
        func = test.func
        if isinstance(func, ast.Attribute) and func.attr in CHECKING_METHODS:
            return isinstance(func.value, ast.Name) and func.value.id == name
        if ctx.call_name(test) in MATCHING_CALLS and len(test.args) >= 2:
            subject = test.args[1]
            return isinstance(subject, ast.Name) and subject.id == name
    return False


def _is_sanitiser(func: ast.expr) -> bool:
    """Whether the called function's own name says it quotes, escapes or makes safe (`_safe_identifier`)."""
    spelled = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    spelled = spelled.lower()
    return any(word in spelled for word in SANITISER_WORDS)


def _escapes_quotes(call: ast.Call) -> bool:
    """`name.replace('"', '""')`, `value.replace("'", "''")`, `name.replace('"', "")`: a quote doubled, as SQL
    escapes it, or removed.
    """
    if len(call.args) != 2 or not all(isinstance(arg, ast.Constant) for arg in call.args):
        return False
    old, new = (arg.value for arg in call.args)  # type: ignore[attr-defined]  # checked: constants
    return old in {'"', "'", "`"} and new in {old * 2, ""}


def formatted_parts(ctx: ModuleContext, expr: ast.expr) -> list[tuple[str, ast.expr]] | None:
    """The values a formatting expression puts into text, each with the text before it in the same
    expression; `None` when the expression does not format text.
    """
    if isinstance(expr, ast.JoinedStr):
        return _fstring_parts(expr, "")
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Mod) and _is_text(expr.left):
        return _percent_parts(expr)
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
        return _added_parts(expr)
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr == "format":
        template = _template(ctx, expr.func.value)
        if template is not None:
            return _format_parts(expr, template)
    return None


def _fstring_parts(expr: ast.JoinedStr, before: str) -> list[tuple[str, ast.expr]]:
    found = []
    for part in expr.values:
        if isinstance(part, ast.Constant) and isinstance(part.value, str):
            before += part.value
        elif isinstance(part, ast.FormattedValue):
            found.append((before, part.value))
            before += "?"
    return found


def _percent_parts(expr: ast.BinOp) -> list[tuple[str, ast.expr]]:
    left, right = expr.left, expr.right
    if not (isinstance(left, ast.Constant) and isinstance(left.value, str)):
        parts = formatted_parts_of_text(left)
        values = right.elts if isinstance(right, ast.Tuple) else [right]
        return [*parts, *(("", value) for value in values)]
    template = left.value
    fields = [match for match in PERCENT_FIELD.finditer(template) if match.group(0) != "%%"]
    if isinstance(right, ast.Dict):
        by_key = {key.value: value for key, value in zip(right.keys, right.values, strict=True) if _is_str(key)}
        found = []
        for match in fields:
            value = by_key.get(match.group(1))
            if value is not None:
                found.append((template[: match.start()], value))
        named = {id(value) for _, value in found}
        found.extend(("", value) for value in right.values if id(value) not in named)
        return found
    values = list(right.elts) if isinstance(right, ast.Tuple) else [right]
    found = [(template[: match.start()], value) for match, value in zip(fields, values, strict=False)]
    found.extend(("", value) for value in values[len(fields) :])
    return found


def formatted_parts_of_text(expr: ast.expr) -> list[tuple[str, ast.expr]]:
    """The formatted values of a text operand that is not a plain literal (an f-string template)."""
    return _fstring_parts(expr, "") if isinstance(expr, ast.JoinedStr) else []


def _format_parts(call: ast.Call, template: str) -> list[tuple[str, ast.expr]]:
    arguments = list(call.args)
    keywords = {keyword.arg: keyword.value for keyword in call.keywords if keyword.arg is not None}
    everything = [*arguments, *(keyword.value for keyword in call.keywords)]
    try:
        fields = list(string.Formatter().parse(template))
    except ValueError:
        return [("", value) for value in everything]
    found: list[tuple[str, ast.expr]] = []
    before = ""
    automatic = 0
    for literal, field, _, _ in fields:
        before += literal
        if field is None:
            continue
        head = re.split(r"[.\[]", field, maxsplit=1)[0]
        value: ast.expr | None
        if head == "":
            value = arguments[automatic] if automatic < len(arguments) else None
            automatic += 1
        elif head.isdigit():
            index = int(head)
            value = arguments[index] if index < len(arguments) else None
        else:
            value = keywords.get(head)
        if value is not None:
            found.append((before, value))
        before += "?"
    named = {id(value) for _, value in found}
    found.extend(("", value) for value in everything if id(value) not in named)
    return found


def _added_parts(expr: ast.BinOp) -> list[tuple[str, ast.expr]] | None:
    parts = _operands(expr) if _only_adds(expr) else None
    if parts is None or not any(_is_text(part) for part in parts):
        return None
    found: list[tuple[str, ast.expr]] = []
    before = ""
    for part in parts:
        if isinstance(part, ast.Constant):
            before += str(part.value)
        elif isinstance(part, ast.JoinedStr):
            found.extend(_fstring_parts(part, before))
            before += "?"
        else:
            found.append((before, part))
            before += "?"
    return found


def _only_adds(expr: ast.BinOp) -> bool:
    """Whether a chain of binary operators is all `+` (iteratively)."""
    stack: list[ast.expr] = [expr]
    steps = 0
    while stack and steps < MAX_PARTS:
        node = stack.pop()
        steps += 1
        if isinstance(node, ast.BinOp):
            if not isinstance(node.op, ast.Add):
                return False
            stack.extend((node.left, node.right))
    return True


def _is_positive(expr: ast.expr) -> bool:
    return isinstance(expr, ast.Constant) and isinstance(expr.value, int) and expr.value > 0


def _is_str(expr: ast.expr | None) -> bool:
    return isinstance(expr, ast.Constant) and isinstance(expr.value, str)


def _is_text(expr: ast.expr) -> bool:
    """A string literal or an f-string, or a chain of `+`/`%` whose leftmost operand is one."""
    steps = 0
    while isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add | ast.Mod) and steps < MAX_PARTS:
        expr = expr.left
        steps += 1
    return isinstance(expr, ast.JoinedStr) or _is_str(expr)


def _template(ctx: ModuleContext, expr: ast.expr) -> str | None:
    """The text of a `.format()` template: a string literal, or a name bound once to one."""
    if isinstance(expr, ast.Name):
        value = ctx.assigned_value(expr)
        return value.value if isinstance(value, ast.Constant) and isinstance(value.value, str) else None
    return expr.value if isinstance(expr, ast.Constant) and isinstance(expr.value, str) else None


def position(parts_before: str) -> str:
    """Where a formatted value stands: `identifier` (a table, a column, a quoted name), or `value`."""
    text = parts_before.rstrip()
    if not text:
        return "value"
    if text[-1] in {'"', "`", "."}:
        return "identifier"
    match = WORD.search(text)
    if match is not None and match.group(1).upper() in IDENTIFIER_KEYWORDS:
        return "identifier"
    return "value"


def statement_keyword(parts: list[tuple[str, ast.expr]], whole: str = "") -> str | None:
    """The statement word (`SET`, `PRAGMA`, `BEGIN`, ...) of SQL no bound parameter can fill, or `None`."""
    text = whole or (parts[0][0] if parts else "")
    first = text.lstrip().split(None, 1)
    word = first[0].upper().rstrip(";") if first else ""
    return word if word in UNBINDABLE_STATEMENTS else None


class Formatting:
    """SQL text built by formatting a value from outside: how, and where the first such value stands."""

    __slots__ = ("kind", "statement", "where")

    def __init__(self, kind: str, where: str, statement: str | None) -> None:
        self.kind = kind  # `f-string`, `%`, `.format()` or `+`
        self.where = where  # `value` or `identifier`
        self.statement = statement  # `SET`, `PRAGMA`, `BEGIN`, ... or `None`


def formatting_kind(expr: ast.expr) -> str:
    """How an expression formats text, for the message."""
    if isinstance(expr, ast.JoinedStr):
        return "f-string"
    if isinstance(expr, ast.BinOp):
        return "%" if isinstance(expr.op, ast.Mod) else "+"
    return ".format()"


def sql_formatting(ctx: ModuleContext, values: SqlValues, expr: ast.expr, call: ast.Call) -> Formatting | None:
    """How the SQL text passed to a call is built by formatting a value from outside, directly or through
    a variable that the same function binds by formatting (`sql = f"...{name}"`, `sql += f"...{name}"`,
    `sql += name`); `None` when no formatted value can come from outside.
    """
    candidates: list[tuple[ast.expr, list[tuple[str, ast.expr]], str]] = []
    direct = formatted_parts(ctx, expr)
    if direct is not None:
        candidates.append((expr, direct, ""))
    elif isinstance(expr, ast.Name):
        function = ctx.enclosing_function(call)
        for binding in ctx.lookup(expr) or ():
            if binding.kind != "assign" or binding.scope.function_scope().node is not function:
                continue
            parent = ctx.parent(binding.node)
            if isinstance(parent, ast.AugAssign) and isinstance(parent.op, ast.Add) and parent.target is binding.node:
                value = parent.value
                parts = formatted_parts(ctx, value)
                if parts is None:
                    parts = [] if _is_str(value) else [("", value)]
                    value = parent  # type: ignore[assignment]  # `sql += name`: a concatenation
                candidates.append((value, parts, expr.id))
            elif binding.value is not None and (parts := formatted_parts(ctx, binding.value)) is not None:
                candidates.append((binding.value, parts, expr.id))
    for built, parts, building in candidates:
        for before, value in parts:
            if values.outside(value, building):
                kind = "+" if isinstance(built, ast.AugAssign) else formatting_kind(built)
                return Formatting(kind, position(before), statement_keyword(parts, _leading_text(built)))
    return None


def _leading_text(expr: ast.expr) -> str:
    """The text a formatting expression starts with (its first literal piece), for the statement word."""
    node: ast.AST = expr
    steps = 0
    while isinstance(node, ast.BinOp | ast.Call) and steps < MAX_PARTS:
        steps += 1
        if isinstance(node, ast.BinOp):
            node = node.left
        elif isinstance(node.func, ast.Attribute):
            node = node.func.value
        else:
            break
    if isinstance(node, ast.JoinedStr) and node.values:
        node = node.values[0]
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else ""
