"""Building edits from the AST's exact positions: a node's text replaced, text inserted, an import added.

The AST gives every node's start and end as a line and a UTF-8 byte column, so an edit touches exactly the
characters of the nodes it rewrites, and everything around them (comments, quotes, spacing, line breaks)
stays byte for byte. Columns are converted to characters here, once per edit.

A name inside a string annotation (`x: "Optional[int]"`) belongs to a tree parsed from the string: its edit
is mapped back into the string's text when the string is a plain one-line literal without escapes (the only
case where a character of the value is a character of the source), else there is no edit (`None`).
"""

from __future__ import annotations

import ast
import io
import re
import sys
import tokenize
from typing import TYPE_CHECKING

from flake8_house_rules.fixes.model import Edit, Position

if TYPE_CHECKING:
    from flake8_house_rules.context import ModuleContext

STDLIB = frozenset(sys.stdlib_module_names)


def char_column(ctx: ModuleContext, line: int, byte_col: int) -> int:
    """The character column of a UTF-8 byte column on a line (the same number on an ASCII line)."""
    if not 0 < line <= len(ctx.lines):
        return byte_col
    text = ctx.lines[line - 1]
    if text.isascii():
        return byte_col
    return len(text.encode("utf-8", "surrogatepass")[:byte_col].decode("utf-8", "replace"))


def start_of(ctx: ModuleContext, node: ast.AST) -> Position:
    """Where a node of the module's tree starts, in characters."""
    line = node.lineno  # type: ignore[attr-defined] - every node given here has a position
    return line, char_column(ctx, line, node.col_offset)  # type: ignore[attr-defined] - as above


def end_of(ctx: ModuleContext, node: ast.AST) -> Position:
    """Where a node of the module's tree ends (exclusive), in characters."""
    line = node.end_lineno  # type: ignore[attr-defined] - every node given here has a position
    return line, char_column(ctx, line, node.end_col_offset)  # type: ignore[attr-defined] - as above


def replace(ctx: ModuleContext, node: ast.AST, content: str) -> Edit | None:
    """Replace a node's text, in the module or inside the plain string annotation it was parsed from."""
    if ctx.type_positions.is_parsed(node):
        span = _span_in_string(ctx, node)
        return None if span is None else Edit(content, *span)
    return Edit(content, start_of(ctx, node), end_of(ctx, node))


def replace_span(ctx: ModuleContext, start: ast.AST, end: ast.AST, content: str) -> Edit | None:
    """Replace the text from one node's start to another's end (both of the module, or of one string)."""
    first, last = replace(ctx, start, ""), replace(ctx, end, "")
    if first is None or last is None:
        return None
    return Edit(content, first.start, last.end)


def insert_at(position: Position, content: str) -> Edit:
    """Insert text at a position."""
    return Edit(content, position, position)


def _span_in_string(ctx: ModuleContext, node: ast.AST) -> tuple[Position, Position] | None:
    """Where a node parsed from a string annotation is in the source, when the string is a plain literal."""
    anchor = ctx.type_positions.anchor(node)
    if anchor is node or not isinstance(anchor, ast.Constant) or not isinstance(anchor.value, str):
        return None
    if ctx.type_positions.anchor(anchor) is not anchor:  # a string inside a string
        return None
    literal = ctx.segment(anchor, limit=10_000)
    if literal is None or len(literal) < 2 or literal[0] not in "'\"" or literal[-1] != literal[0]:
        return None
    if literal[1:-1] != anchor.value or "\\" in literal or literal.startswith(("'''", '"""')):
        return None
    # the string was parsed as "(\n{text}\n)": its nodes sit on line 2, at their column in the value
    if getattr(node, "lineno", 0) != 2 or getattr(node, "end_lineno", 0) != 2:
        return None
    value = anchor.value
    encoded = value.encode("utf-8")
    begin = len(encoded[: node.col_offset].decode("utf-8", "replace"))  # type: ignore[attr-defined]
    finish = len(encoded[: node.end_col_offset].decode("utf-8", "replace"))  # type: ignore[attr-defined]
    line, column = start_of(ctx, anchor)
    return (line, column + 1 + begin), (line, column + 1 + finish)


def bound_as(ctx: ModuleContext, name: str, site: ast.AST) -> set[str] | None:
    """What a name is bound to where `site` is: the import origins, `{""}` for any other binding, `None` if unbound."""
    scope = ctx.scope_at(site)
    bindings = ctx.lookup_in(name, scope)
    if not bindings:
        return None
    return {binding.origin if binding.kind == "import" else "" for binding in bindings}


def import_name(ctx: ModuleContext, module: str, name: str | None, site: ast.AST) -> tuple[str, Edit | None] | None:
    """How to spell `module` (or `module.name`) at `site`, and the edit that imports it when it is not imported.

    `import_name(ctx, "asyncio", None, call)` gives `("asyncio", None)` when `asyncio` is already imported
    there, `("asyncio", <edit adding "import asyncio">)` when the name is free, and `None` when the name is
    bound to something else (the fix then does not apply). The new import goes into the module's leading
    imports, in its group (`__future__`, standard library, third-party), in alphabetical order where the
    group is sorted; a name from a module already imported with `from module import ...` is added to it.
    """
    spelled = name or module
    wanted = f"{module}.{name}" if name else module
    origins = bound_as(ctx, spelled, site)
    if origins is not None:
        return (spelled, None) if origins == {wanted} else None
    if name is not None and spelled in ctx.local_names:
        return None  # bound in some function or class scope: a module-level import could be shadowed
    edit = _import_edit(ctx, module, name)
    return None if edit is None else (spelled, edit)


def add_import(ctx: ModuleContext, module: str, names: str | None) -> Edit | None:
    """The edit importing `names` (one or several, `"A, B"`) from `module`, or `module` itself; no checks."""
    return _import_edit(ctx, module, names)


def _group(module: str) -> int:
    """The isort section of a module: 0 `__future__`, 1 standard library, 2 everything else."""
    if module == "__future__":
        return 0
    return 1 if module.partition(".")[0] in STDLIB else 2


def _leading_imports(tree: ast.Module) -> tuple[int, list[ast.stmt]]:
    """The index after the module docstring, and the module's leading import statements."""
    body = tree.body
    first = 0
    head = body[0] if body else None
    if isinstance(head, ast.Expr) and isinstance(head.value, ast.Constant) and isinstance(head.value.value, str):
        first = 1
    imports: list[ast.stmt] = []
    for statement in body[first:]:
        if not isinstance(statement, ast.Import | ast.ImportFrom):
            break
        imports.append(statement)
    return first, imports


def _module_of(statement: ast.stmt) -> str:
    if isinstance(statement, ast.ImportFrom):
        return "." * statement.level + (statement.module or "")
    return statement.names[0].name  # type: ignore[attr-defined] - an `import` statement


def _import_edit(ctx: ModuleContext, module: str, name: str | None) -> Edit | None:
    tree = ctx.tree
    if not isinstance(tree, ast.Module):
        return None
    first, imports = _leading_imports(tree)
    if name is not None:
        for statement in tree.body:
            if (
                isinstance(statement, ast.ImportFrom)
                and statement.module == module
                and statement.level == 0
                and statement.names[0].name != "*"
            ):
                return insert_at(end_of(ctx, statement.names[-1]), f", {name}")
    text = f"from {module} import {name}\n" if name else f"import {module}\n"
    group = _group(module)
    same = [statement for statement in imports if _group(_module_of(statement)) == group]
    if same:
        key = (name is not None, module)
        for statement in same:
            if (isinstance(statement, ast.ImportFrom), _module_of(statement)) > key:
                return _before(ctx, statement, text)
        return _after(ctx, same[-1], text, tree)
    earlier = [statement for statement in imports if _group(_module_of(statement)) < group]
    if earlier:
        return _after(ctx, earlier[-1], "\n" + text, tree)
    later = imports[0] if imports else (tree.body[first] if first < len(tree.body) else None)
    if later is not None:
        return _before(ctx, later, text + "\n")
    if first:
        return _after(ctx, tree.body[0], "\n" + text, tree)
    return insert_at((1, 0), text)


def _before(ctx: ModuleContext, statement: ast.stmt, text: str) -> Edit | None:
    """Insert whole lines before a statement that starts its line."""
    if statement.col_offset != 0:
        return None
    line = statement.lineno
    if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and statement.decorator_list:
        line = statement.decorator_list[0].lineno - 1
    return insert_at((line, 0), text)


def _after(ctx: ModuleContext, statement: ast.stmt, text: str, tree: ast.Module) -> Edit | None:
    """Insert whole lines after a statement that ends its line."""
    end = statement.end_lineno or statement.lineno
    index = tree.body.index(statement)
    if index + 1 < len(tree.body) and tree.body[index + 1].lineno <= end:
        return None  # `import a; import b`
    if end > len(ctx.lines):
        return None
    last = ctx.lines[end - 1]
    if _continues(last):
        return None
    if not last.endswith("\n"):
        return insert_at((end, len(last)), "\n" + text.rstrip("\n"))
    return insert_at((end + 1, 0), text)


def _continues(line: str) -> bool:
    return line.rstrip("\r\n").endswith("\\")


def text_of(ctx: ModuleContext, node: ast.AST) -> str | None:
    """A node's exact source text (several lines too), in the module or in its parsed string annotation."""
    positions = ctx.type_positions
    if positions.is_parsed(node):
        return positions.segment(node, limit=10_000)
    return source_segment(ctx, node)


def source_segment(ctx: ModuleContext, node: ast.AST) -> str | None:
    """A node's text from the module's lines (as `ast.get_source_segment`, without splitting the whole source)."""
    first, last = getattr(node, "lineno", None), getattr(node, "end_lineno", None)
    start, end = getattr(node, "col_offset", None), getattr(node, "end_col_offset", None)
    if first is None or last is None or start is None or end is None or not 0 < first <= last <= len(ctx.lines):
        return None
    lines = ctx.lines
    if first == last:
        return lines[first - 1].encode("utf-8", "surrogatepass")[start:end].decode("utf-8", "replace")
    head = lines[first - 1].encode("utf-8", "surrogatepass")[start:].decode("utf-8", "replace")
    tail = lines[last - 1].encode("utf-8", "surrogatepass")[:end].decode("utf-8", "replace")
    return "".join([head, *lines[first : last - 1], tail])


def delete_statement(ctx: ModuleContext, statement: ast.stmt, body: list[ast.stmt]) -> Edit | None:
    """Delete a statement with its whole lines, when it is alone on them and not the only one of its block."""
    if len(body) < 2:  # an emptied block would not parse
        return None
    index = body.index(statement)
    first, last = statement.lineno, statement.end_lineno or statement.lineno
    if index > 0 and (body[index - 1].end_lineno or 0) >= first:
        return None
    if index + 1 < len(body) and body[index + 1].lineno <= last:
        return None
    if ctx.lines[first - 1][: statement.col_offset].strip():
        return None
    tail = ctx.lines[last - 1].encode("utf-8", "surrogatepass")[statement.end_col_offset or 0 :]
    if tail.strip():
        return None
    lines = ctx.lines
    blank_before = first == 1 or not lines[first - 2].strip()
    if blank_before and last < len(lines) and not lines[last].strip():
        last += 1  # the blank line that separated it goes too
    return Edit("", (first, 0), (last + 1, 0))


def names_in_use(ctx: ModuleContext) -> set[str]:
    """Every name the module spells as a name, and every word of its strings.

    The strings hold `__all__`, string annotations and `getattr` names: a name not in this set is surely
    unused. Built once per module, when a fix asks.
    """

    def build() -> set[str]:
        used = {node.id for node in ctx.nodes_of(ast.Name)}
        for node in ctx.nodes_of(ast.Constant):
            if isinstance(node.value, str):
                used.update(WORD.findall(node.value))
        return used

    return ctx.derived("fixes.names_in_use", build)


WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def body_holding(ctx: ModuleContext, statement: ast.stmt) -> list[ast.stmt] | None:
    """The statement list (a block) that holds a statement."""
    parent = ctx.parent(statement)
    if parent is None:
        parent = ctx.tree
    for name in ("body", "orelse", "finalbody", "handlers"):
        block = getattr(parent, name, None)
        if isinstance(block, list) and statement in block:
            return block
    return None


def remove_aliases(
    ctx: ModuleContext, statement: ast.Import | ast.ImportFrom, removed: list[ast.alias]
) -> list[Edit] | None:
    """Drop some names of an import statement, keeping the others' text.

    The whole statement goes when no name is left (`pass` when it is alone in its block); `None` when the
    edit could lose a comment.
    """
    kept = [alias for alias in statement.names if alias not in removed]
    if not kept:
        body = body_holding(ctx, statement)
        if body is None:
            return None
        edit = delete_statement(ctx, statement, body)
        if edit is None and len(body) == 1:
            return [Edit("pass", start_of(ctx, statement), end_of(ctx, statement))]
        return None if edit is None else [edit]
    first, last = statement.names[0], statement.names[-1]
    if first.lineno == last.end_lineno:
        texts = [text_of_alias(ctx, alias) for alias in kept]
        return [Edit(", ".join(texts), start_of(ctx, first), end_of(ctx, last))]
    # several lines: each dropped name must be alone on its line (`    Name,`), which is deleted whole
    deletions = []
    for alias in removed:
        line = ctx.lines[alias.lineno - 1]
        if alias.lineno != alias.end_lineno or line.strip().rstrip(",").strip() != text_of_alias(ctx, alias):
            return None
        deletions.append(Edit("", (alias.lineno, 0), (alias.lineno + 1, 0)))
    return deletions


def text_of_alias(ctx: ModuleContext, alias: ast.alias) -> str:
    """An import name as written (`List as L`)."""
    return source_segment(ctx, alias) or alias.name


def after_parameters(ctx: ModuleContext, node: ast.FunctionDef | ast.AsyncFunctionDef) -> Position | None:
    """Where a `def`'s parameter list ends (just after its `)`), found with the tokenizer from the `def` line."""
    first = node.lineno
    last = node.body[0].lineno if node.body else node.end_lineno or first
    text = "".join(ctx.lines[first - 1 : last])
    depth = 0
    closing: Position | None = None
    readline = io.StringIO(text).readline
    try:
        for kind, string, _, end, _ in tokenize.generate_tokens(readline):
            if kind != tokenize.OP:
                continue
            if string in "([{":
                depth += 1
            elif string in ")]}":
                depth -= 1
                if depth == 0 and string == ")":
                    closing = end
            elif string == ":" and depth == 0:
                break
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return None
    if closing is None:
        return None
    line, column = closing
    return first + line - 1, column


def span_text(ctx: ModuleContext, start: Position, end: Position) -> str:
    """The source text between two positions of the module."""
    lines = ctx.lines
    if start[0] == end[0]:
        return lines[start[0] - 1][start[1] : end[1]]
    middle = lines[start[0] : end[0] - 1]
    return "".join([lines[start[0] - 1][start[1] :], *middle, lines[end[0] - 1][: end[1]]])
