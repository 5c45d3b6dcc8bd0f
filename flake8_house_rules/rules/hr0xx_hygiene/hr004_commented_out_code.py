"""HR004 commented-out-code."""

from __future__ import annotations

import ast
import keyword
import re
import warnings
from typing import TYPE_CHECKING

from flake8_house_rules.fixes import Edit, Fix
from flake8_house_rules.rule import FixExample, Rule
from flake8_house_rules.rules.hr0xx_hygiene.common import inline_metadata_lines, is_generated_or_vendored

if TYPE_CHECKING:
    from flake8_house_rules.context import ModuleContext

#: Comments that are tool directives or file headers, never code, whatever they parse as.
MARKER_RE = re.compile(
    r"^(?:type:|noqa\b|pragma\b|fmt:|isort:|pylint:|mypy:|pyright:|pyre-|pytype:|ruff:|flake8[:=]|nosec\b"
    r"|yapf:|black:|coverage:|codespell:|cspell:|spell-?checker:|lgtm\b|nolint\b|noinspection\b|language="
    r"|(?:end)?region\b|todo\b|fixme\b|xxx\b|hack\b|-\*-|vim?:|coding[:=]|spdx-|copyright\b|licen[cs]ed?\b|!)",
    re.IGNORECASE,
)
#: Cheap test a comment must pass before it is parsed: something only code has.
CODE_HINT_RE = re.compile(r"[(=\[]|:\s*$|^[#\s]*(?:import|from|return|raise|del|assert|yield|await)\s")
#: Two words in a row: a line of prose (code lines that fail to parse alone are fragments without this).
PROSE_RE = re.compile(r"[A-Za-z]{2,}\s+[A-Za-z]{2,}")
CONTINUED = ("(", "[", "{", ",", "\\")
LABEL_RE = re.compile(r"^[A-Z][a-z]+$")
#: `IP: distance = 1 - inner_product`, `Note: x = 1`: a capitalised label and a colon open a line of prose.
LABEL_PREFIX_RE = re.compile(r"^[A-Z][A-Za-z0-9]*\s*:\s+\S")
#: Block headers that do not parse alone: `try:`, `else:`, `finally:`, `except ...:`, `elif ...:`.
BARE_HEADER_RE = re.compile(r"^(?:try|else|finally)\s*:$")
CLAUSE_HEADER_RE = re.compile(r"^(?:except\b.*|elif\s.+):$")
#: How many comment lines a statement that spans several lines (`op.execute(` ... `)`) may take.
JOIN_REACH = 30
#: A line that maps one thing to another (`a -> b`) introduces examples, as unfinished prose does.
ARROWS = ("->", "=>")
#: Lines that open an example: a separator or code fence, a doctest prompt, `e.g.`, `Example`, `Usage`.
FENCE_RE = re.compile(r"^(?:[-=*~_]{3,}|```)")
EXAMPLE_RE = re.compile(r"^(?:[-=*~_]{3,}|```|>>>|e\.g\.|i\.e\.|for example\b|examples?\b|usage\b)", re.IGNORECASE)
#: C API names (`PyList_Extend`, `_PyCoreConfig_InitCompatConfig`): a label naming what a test covers.
C_API_RE = re.compile(r"^_?Py[A-Z][A-Za-z]*_")
MAX_LENGTH = 400
#: String literals on one line, removed before looking for prose (their words are no code).
STRING_RE = re.compile(r"\"[^\"\\\n]*(?:\\.[^\"\\\n]*)*\"|'[^'\\\n]*(?:\\.[^'\\\n]*)*'")
#: Two names side by side (`the request`): no Python statement has that unless one of them is a keyword.
NAME_PAIR_RE = re.compile(r"(?<![\w.])([A-Za-z_]\w*)\s+(?=([A-Za-z_]\w*))")
KEYWORDS = frozenset(keyword.kwlist) | frozenset(keyword.softkwlist)
BLOCK_STATEMENTS = (ast.For, ast.AsyncFor, ast.With, ast.AsyncWith, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
#: How many lines below a lone call comment are read for the call it labels.
LABEL_REACH = 3
#: How a line opening a definition starts.
DEFINITION_STARTS = ("def ", "async def ", "class ", "@")
#: How a code line ends when the next line is inside its brackets.
OPENERS = ("(", "[", "{", ",")


def _written_as_code(node: ast.expr, text: bytes) -> bool:
    """Whether a call's name is written as code writes it: `save(user)`, `self.store.save(user)`.

    Prose puts spaces where code does not: `Setup (optional)` is a title, `Try .readlines()` a sentence.
    Offsets are in UTF-8 bytes, as the parser counts them.
    """
    func = node.func if isinstance(node, ast.Call) else node
    end = func.end_col_offset
    if isinstance(node, ast.Call) and (end is None or text[end : end + 1] != b"("):
        return False
    while isinstance(func, ast.Attribute):
        end = func.value.end_col_offset
        if end is None or text[end : end + 1] != b".":
            return False
        func = func.value
    return True


def _callee_name(call: ast.Call) -> str | None:
    """The last name of what a call calls: `save` for `store.save(user)`."""
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else None


def _is_call(node: ast.expr, text: bytes) -> bool:
    """Whether an expression parsed from a comment is a call or an await, written as code writes it.

    Only the whole expression counts: `isinstance(True, int) is True` states a fact. Not code either: a call
    with `...` among its arguments (`predict(self, context, ...)`) sketches a signature; a plain name called
    without arguments (`# syncok()`) or a C API name (`# PyList_Extend(lst, lst)`) labels what a test covers;
    a one-letter function (`# P(x <= X < x+dx)`) is mathematics.
    """
    if isinstance(node, ast.Await | ast.Yield | ast.YieldFrom):
        return node.value is not None
    if not isinstance(node, ast.Call) or not _written_as_code(node, text):
        return False
    name = _callee_name(node)
    if name is None or C_API_RE.match(name) or len(name) == 1:
        return False
    if isinstance(node.func, ast.Name) and not node.args and not node.keywords:
        return False
    return not any(isinstance(arg, ast.Constant) and arg.value is Ellipsis for arg in node.args)


def _is_formula(node: ast.expr) -> bool:
    """Whether an assigned value is arithmetic over names and numbers: `end = start + duration` explains."""
    if not isinstance(node, ast.BinOp):
        return False
    stack: list[ast.expr] = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, ast.BinOp):
            stack.extend((item.left, item.right))
        elif isinstance(item, ast.UnaryOp):
            stack.append(item.operand)
        elif not isinstance(item, ast.Name) and not (
            isinstance(item, ast.Constant) and isinstance(item.value, int | float)
        ):
            return False
    return True


def _is_assignment(statement: ast.Assign | ast.AugAssign, text: bytes) -> bool:
    """Whether an assignment parsed from a comment is code: `x = f(y)`, or an argument line `top_k=top_k,`.

    `newline=""` or `kwnames=NULL` (no spaces, no trailing comma) names a case; `tzinfo= argument` is prose;
    `end = start + duration` is a formula that explains the code below it.
    """
    if _is_formula(statement.value):
        return False
    target = statement.targets[-1] if isinstance(statement, ast.Assign) else statement.target
    end = target.end_col_offset
    if end is None:
        return False
    after = text[end:].lstrip(b" ")
    spaced_before = text[end : end + 1] == b" "
    operator_end = after.find(b"=") + 1
    spaced_after = after[operator_end : operator_end + 1] == b" "
    if spaced_before and spaced_after:
        return True
    return not spaced_before and not spaced_after and text.rstrip().endswith(b",")


def _elided(call: ast.Call) -> bool:
    """Whether a call's only argument is `...`: pseudo-code showing a call's shape, never a real call."""
    return (
        len(call.args) == 1
        and not call.keywords
        and isinstance(call.args[0], ast.Constant)
        and call.args[0].value is Ellipsis
    )


def _is_label_assignment(statement: ast.Assign | ast.AugAssign) -> bool:
    """Whether an assignment states what a word means: `Public = NULL` (a capitalised word, a name or literal)."""
    if not isinstance(statement, ast.Assign) or len(statement.targets) != 1:
        return False
    target = statement.targets[0]
    return (
        isinstance(target, ast.Name)
        and LABEL_RE.match(target.id) is not None
        and isinstance(statement.value, ast.Name | ast.Constant)
    )


def _is_code_statement(statement: ast.stmt, text: bytes) -> bool:
    """Whether one statement parsed from a comment is code rather than a lone word, number or phrase."""
    if isinstance(statement, ast.Expr):
        value = statement.value.value if isinstance(statement.value, ast.Await) else statement.value
        if isinstance(value, ast.Call) and _elided(value):
            return False  # `# await page.method(...)`: a call's shape, its arguments elided, labels code
        return _is_call(statement.value, text)
    if isinstance(statement, ast.Assign | ast.AugAssign):
        return not _is_label_assignment(statement) and _is_assignment(statement, text)
    if isinstance(statement, ast.Import | ast.ImportFrom | ast.Delete | ast.Assert):
        return True
    if isinstance(statement, ast.AnnAssign):
        # `Note: see below` and `Example: timeout = 30` are labels: a capitalized word and a colon
        target = statement.target
        return statement.value is not None and not (isinstance(target, ast.Name) and LABEL_RE.match(target.id))
    if isinstance(statement, ast.Return | ast.Raise):
        return getattr(statement, "value", None) is not None or getattr(statement, "exc", None) is not None
    if isinstance(statement, ast.If | ast.While):
        return not isinstance(statement.test, ast.Name | ast.Constant)  # `if needed:` is prose
    return isinstance(statement, BLOCK_STATEMENTS)


def is_prose(text: str) -> bool:
    """Whether a comment has two names side by side outside strings, neither a keyword: then it cannot parse.

    A cheap test that spares the parser nearly every line of prose with a parenthesis or an `=` in it.
    """
    code = STRING_RE.sub('""', text).partition("#")[0]
    return any(first not in KEYWORDS and second not in KEYWORDS for first, second in NAME_PAIR_RE.findall(code))


def code_statements(comment: str) -> list[ast.stmt] | None:
    """The statements a comment's text (without its `#`) holds when it is code, else `None`."""
    text = comment.strip()
    if not text or len(text) > MAX_LENGTH or MARKER_RE.match(text) or not CODE_HINT_RE.search(text):
        return None
    if (text.endswith(".") and not text.endswith("...")) or "###" in text:
        return None  # a sentence (`... let downstream authorization # return 403.`) or a banner
    if LABEL_PREFIX_RE.match(text) or is_prose(text):
        return None
    if BARE_HEADER_RE.match(text):
        return [ast.Pass()]  # `try:`, `else:`, `finally:` open a block, as `if x is None:` does
    if CLAUSE_HEADER_RE.match(text):
        if text.startswith("elif"):
            return code_statements(text[2:])  # `elif x is None:` is code when `if x is None:` is
        return [ast.Pass()] if _parses(f"try:\n    pass\n{text}\n    pass") is not None else None
    return _statements(text)


def _is_bare_header(text: str) -> bool:
    """Whether a comment's text is a block header that does not parse alone (`else:`, `except KeyError:`)."""
    return bool(BARE_HEADER_RE.match(text)) or (bool(CLAUSE_HEADER_RE.match(text)) and not text.startswith("elif"))


def _body_follows(texts: list[str]) -> bool:
    """Whether a comment line below a block header parses as a statement (`# pass`, `#     save(user)`)."""
    return any(_parses(text) is not None for text in texts if text)


def _parses(source: str) -> ast.Module | None:
    """The module a source parses to, or `None` when it does not parse (warnings silenced)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError, OverflowError):
        return None


def _statements(text: str) -> list[ast.stmt] | None:
    """The statements a comment's text (one line, or lines joined) holds when each of them is code."""
    tree = _parses(text + "\n    pass" if text.endswith(":") else text)
    if tree is None:
        return None
    raw = text.encode("utf-8", "surrogatepass")
    if tree.body and all(_is_code_statement(statement, raw) for statement in tree.body):
        return tree.body
    return None


def joined_statements(texts: list[str]) -> tuple[int, list[ast.stmt]] | None:
    """A statement that spans several comment lines (`# op.execute(` ... `# )`): how many lines, and it.

    The first line must end inside brackets (with `(`, `[`, `{`, `,` or a backslash); lines are added one at a
    time, at most `JOIN_REACH`, until the text parses. A line of prose (outside strings) ends the search.
    """
    first = texts[0]
    if not first.endswith(CONTINUED) or MARKER_RE.match(first) or is_prose(first):
        return None
    for count in range(2, min(len(texts), JOIN_REACH) + 1):
        line = texts[count - 1]
        if is_prose(line) or len(line) > MAX_LENGTH:
            return None
        statements = _statements("\n".join(texts[:count]))
        if statements is not None:
            return count, statements
    return None


def is_code(comment: str) -> bool:
    """Whether a comment's text (without its `#`) is a Python statement rather than prose or a directive."""
    return code_statements(comment) is not None


def opens_example(text: str, example: bool) -> bool:
    """Whether code on the next lines of a comment is an example, after this line of the comment that is not code.

    An unfinished line of prose (`# This would be used like:`, `# passes a value that already called`), a
    mapping (`a -> b`), a separator or code fence, a doctest prompt, `e.g.` or `Usage` opens an example; a
    finished sentence closes it; anything else (a blank `#`, a fragment such as `# )`) leaves it as it is.
    """
    if MARKER_RE.match(text):
        return example  # a `TODO:` or a directive is no prose that introduces what follows
    if text.endswith(":") or EXAMPLE_RE.match(text) or any(arrow in text for arrow in ARROWS):
        return True
    if PROSE_RE.search(STRING_RE.sub('""', text)) and not text.endswith(CONTINUED):
        return not text.endswith((".", "!", "?"))
    return example


class CommentedOutCode(Rule):
    """## What it does
    Checks for comments that are Python code: a line holding nothing but a comment whose text parses as a
    statement. A run of such lines (a commented-out block) is reported once, at its first code line.

    A comment counts as code only when it is unmistakably a statement: an assignment, an import, `del`,
    `assert`, `return x`, `raise X`, a call written as code writes it (`save(user)`, `await client.close()`;
    `Setup (optional)` with a space is a title), or a block header (`for user in users:`, `def f(x):`,
    `if x is None:`). Not code, though Python would parse them: a lone name, number or string (`# TODO`,
    `# 42`), a dotted name (`# see app.models`), a phrase that happens to parse (`# not found`,
    `# input/output`, `# multi-line`, `# if needed:`), a `Label: text` line (`# Note: slow`,
    `# IP: distance = 1 - inner_product`: a capitalised word and a colon, checked before parsing), a
    `Label = VALUE` line (`# Public = NULL`: a capitalised word given a name or a literal), a lone
    `Kind.MEMBER = literal` line right above a `def`, `class` or decorator (feast's `# ValueType.STRING = 2`
    above the function that handles that enum member), a call whose only argument is `...` (`# await
    page.method(...)`: a call's shape, not a call), a bare keyword
    (`# pass`, `# return`), literals such as `# [1, 2, 3]` or `# {"id": 1}` (example data),
    and conditions such as `# x > 0`. Directives and headers are skipped before parsing: `type:`, `noqa`,
    `pragma`, `fmt:`, `isort:`, `pylint:`, `mypy:`, `pyright:`, `ruff:`, `nosec`, `TODO`/`FIXME`/`XXX`,
    shebang, `-*- coding -*-`, `vim:`, SPDX, copyright and license lines, and PEP 723's inline script
    metadata (`# /// script` ... `# ///`, whose lines are TOML: `# dependencies = []`). Comments after code on the same
    line are not checked: they describe that line.

    A statement that spans several comment lines (`# op.execute(`, `#     sa.text("...")`, `# )`) is parsed
    as a whole and reported at its first line; block headers that do not parse alone count as code too
    (`# try:`, `# else:`, `# finally:`, `# except KeyError:`, `# elif x is None:`) when a line of code
    follows in the same comment (a lone `# else:` over a `# TODO:` note labels a branch). Code after a line of
    prose that introduces it (`# This would be used like:`, `# e.g.`, `# Usage`, a code fence) is an
    example, and is not reported; a `TODO`/`FIXME` line or a string of words inside a statement opens no
    example. A lone call of a plain name above code that calls it by a longer name (`# pow(0., x)` above
    `math.pow(0., INF)`) labels that code; any other complete call is code, the old variant of the next
    line included (`# client.send(old_payload)` above `client.send(payload)`).

    ## Why is this bad?
    Commented-out code rots: nobody knows whether it still works or why it was kept, and version control
    already remembers it. 004's code review checklist: "No commented-out code"; 002: "When comments are
    used, they should add useful information that is not readily apparent from the code itself."

    ## Example
    ```python
    def save(user: User) -> None:
        # cache.invalidate(user.id)
        store.save(user)
    ```

    Use instead:
    ```python
    def save(user: User) -> None:
        store.save(user)
    ```
    """

    code = "HR004"
    name = "commented-out-code"
    message = "remove the commented-out code (version control keeps it)"
    fix = "unsafe"
    source = "004 Code Review Checklist; 002 comments"
    valid = (
        "# Save the user, then refresh the cache.\nsave(user)",
        "# TODO: save(user) once the store is async\nx = 1",
        "x = compute()  # y = compute_slowly()",
        "# type: ignore\n# noqa: E501\n# pragma: no cover\n# fmt: off\n# isort: skip_file\n# pylint: disable=foo",
        "#!/usr/bin/env python\n# -*- coding: utf-8 -*-\n# coding=utf-8\n# vim: set ft=python :",
        "# SPDX-License-Identifier: MIT\n# Copyright (c) 2024 Example Inc.",
        "# not found\n# input/output\n# multi-line\n# (optional)\n# 42\n# foo.bar\n# pass\n# return",
        "# Note: this is slow\n# Returns: the user\n# Setup (optional)\n# if needed:\n# x > 0",
        '# [1, 2, 3]\n# {"id": 1, "name": "x"}\n# (batch, seq_len, hidden)',
        'text = """\n# save(user)\n"""',
        "# https://example.com/docs?a=b",
        "# value(s) to keep",
        "# global spend\nroutes = []",
        "# This would be used like:\n# endpoint = create_endpoint()\n# app.websocket('/live')(endpoint)",
        "# What calls this code passes a value that already called\n# self._adapter.validate_python(value)",
        "# Skip the challenge and let downstream authorization\n# return 403.",
        '# Example: credentials = "/path/to/creds.json" or "os.environ/CREDS"',
        '# Percentage: {"openai": 0.10} = 10% margin',
        "# isinstance(True, int) is True",
        # dstack: PEP 723 inline script metadata
        '# /// script\n# requires-python = ">=3.10"\n# dependencies = [\n#   "requests",\n# ]\n# ///\nimport requests',
        # skyvern: the shape of the expression the next line builds
        "# await page.method(...)\nawait_expr = cst.Await(call)",
        # feast: which enum member the UDF below handles
        "# ValueType.STRING = 2\n@vectorized(input=DataFrame)\ndef varchar_to_string_proto(df): ...",
        '# e.g.\n# data = {"a": "a", "b": ["a", "b"]}\n# >>> pd.DataFrame([data])',
        "# ---\n# from __future__ import annotations  # postpones evaluation\n#\n# def f(x: list[str]) -> None:",
        "# ```\n# class AbstractClass(abc.ABC):\n#    ...\n# ```",
        "# end_time = timestamp_ms + execution_time_ms",
        '# newline=""\n# kwnames=NULL\n# tzinfo= argument',
        "# pow(0., x)\nassert math.pow(0., INF) == 0.",
        "# pow(0., x)\n# (a label)\nassert math.pow(0., INF) == 0.",
        "# PyList_Extend(lst, lst)\n# _PyCoreConfig_InitCompatConfig()",
        "# predict(self, context, model_input, ...)\n# Try .readlines()\n# k\u00f6nig (king)",
        "# kde_random() ##############################",
        "# syncok()\nif hasattr(stdscr, 'syncok'):\n    stdscr.syncok()",
        "def p(x: float) -> float:\n    # P(x <= X < x+dx)\n    return x",
        "eval_tests = [\n    # Constant(value=None)\n    'None',\n]",
        '# [{"a": 1}, {"a": 3}] -> {"a": [1, 3]}\n# Schema([ColSpec(long, "a")]) ->\n'
        '# Schema([ColSpec(Array(long), "a")])',
        "try:\n    hints = f()\nexcept TypeError:\n    # ---\n    # from __future__ import annotations\n    #\n"
        "    # def f(x: list[str]) -> list[str]:\n    #          ^^^^^^^^^ Evaluating this expression fails in\n"
        "    #                    Python < 3.9 because list is not subscriptable.\n    #     return x\n    # ---\n"
        "    hints = {}",
        "def score(score: float, grants: dict) -> float | None:\n    if grants['is_public']:\n"
        "        # Public = NULL\n        return None\n    # IP: distance = 1 - inner_product\n    return 1.0 - score",
        "# Note: x = compute()\n# Otherwise: retry = True\nx = 1",
        "# else: the default applies\n# try: harder\nx = 1",
        # airflow: a branch labelled above the note about it, no code under the header
        "def f(x):\n    if x:\n        g()\n    # else:\n    # TODO: check whether the client left this out.\n"
        "    return x",
    )
    invalid = (
        "def configure() -> None:\n    # Config.DEBUG = 1  # error: HR004\n    run()",
        "def save(user) -> None:\n    # cache.invalidate(user.id)  # error: HR004\n    store.save(user)",
        "# x = 1  # error: HR004\ny = 2",
        "# import os  # error: HR004\n# from app import models\nimport sys",
        "# for user in users:  # error: HR004\n#     save(user)\n#\n# if user is None:\n#     return",
        "# Retries are off for now.\n#\n# retries = 3  # error: HR004\nretries = 0",
        "# total = a + b\n# results.append(total)  # error: HR004",
        "def f():\n    # return compute(x)  # error: HR004\n    pass",
        "# def helper(x):  # error: HR004\n#     return x * 2",
        "response = client.create(\n    model=model,\n    # top_k=top_k,  # error: HR004\n    top_p=top_p,\n)",
        "# print('x')  # error: HR004\nlogger.info('y')",
        "# self.assertEqual(ceil(INF), INF)  # error: HR004\n# self.assertEqual(ceil(NAN), NAN)\nx = 1",
        # a statement over several lines is reported at its first line
        "def downgrade() -> None:\n    pass\n    # op.execute(  # error: HR004\n"
        "    #     sa.sql.text(\"UPDATE instances SET status = 'STARTING'\")\n    # )",
        # a string of words inside the statement is no prose that hides the lines after it
        "def upgrade() -> None:\n    pass\n    # op.execute(  # error: HR004\n    #     sa.sql.text(\n"
        "    #         \"UPDATE instances SET status = 'A' WHERE status = 'B'\"\n    #     )\n    # )\n"
        "    # op.execute(sa.sql.text(\"UPDATE instances SET status = 'IDLE'\"))",
        # a `TODO` line does not introduce the code below it as an example
        "def handle(prompt: str, files: list) -> list:\n    # TODO: re-enable URL extraction from prompt\n"
        "    # urls = []  # error: HR004\n    # if prompt and len(prompt) < 500:\n"
        "    #     urls = extract_urls(prompt)\n\n    return files",
        # after a closing fence, code is code again
        "# ```\n# save(user)\n# ```\n# Done with the example.\n# cache.clear()  # error: HR004\nx = 1",
        # the old variant of the next line
        "def sync(client, payload, old_payload):\n    # client.send(old_payload)  # error: HR004\n"
        "    client.send(payload)",
        # block headers that do not parse alone
        "x = 1\n# try:  # error: HR004\n#     save(user)\n# except Exception as e:\n#     print(e)",
        "x = 1\n# else:  # error: HR004\n#     save(user)",
        "x = 1\n# finally:  # error: HR004\n#     conn.close()",
        "x = 1\n# except (KeyError, ValueError):  # error: HR004\n#     pass",
        "x = 1\n# elif user is None:  # error: HR004\n#     return",
    )

    @classmethod
    def applies_to(cls, ctx: ModuleContext) -> bool:
        """Generated and vendored modules are not checked."""
        return not is_generated_or_vendored(ctx)

    def visit_Module(self, node: ast.Module) -> None:
        """Read the comment-only lines in runs, and report each run of commented-out code at its first code line.

        A run without any line that could be code (`CODE_HINT_RE`, one regular expression per line) costs
        nothing more. Within a run, code after an unfinished line of prose (`# This would be used like:`,
        `# passes a value that already called`) continues that prose as an example, and is not reported.
        """
        comments = self.ctx.comment_only_lines()
        if metadata := inline_metadata_lines(self.ctx):
            comments = [comment for comment in comments if comment[0] not in metadata]  # PEP 723's TOML
        search = CODE_HINT_RE.search
        hints = [index for index, (_, _, text) in enumerate(comments) if search(text)]
        hints = [index for index in hints if not is_prose(comments[index][2].lstrip("# \t"))]
        checked_to = -1
        for index in hints:
            if index <= checked_to:
                continue
            start, end = index, index + 1
            while start > 0 and comments[start - 1][0] == comments[start][0] - 1:
                start -= 1
            while end < len(comments) and comments[end][0] == comments[end - 1][0] + 1:
                end += 1
            self._check_run(comments[start:end])
            checked_to = end - 1

    def _check_run(self, run: list[tuple[int, int, str]]) -> None:
        """Report the first line of code in a run of comment lines that is not an example or a label.

        Only lines with a code hint are parsed; a line that opens brackets and does not parse alone is
        joined with the lines below it (`# op.execute(` ... `# )`), and the statement is reported at its
        first line. Whether an example is open is worked out from the lines above a line of code only when
        one is found.
        """
        search = CODE_HINT_RE.search
        texts = [raw.lstrip("# \t") for _, _, raw in run]
        example = fenced = False
        settled = 0
        code_lines: set[int] = set()
        index = 0
        while index < len(run):
            line, col, raw = run[index]
            text = texts[index]
            index += 1
            if not search(raw):
                continue
            statements = code_statements(text)
            taken = 1
            if statements is None:
                joined = joined_statements(texts[index - 1 :])
                if joined is None:
                    continue
                taken, statements = joined
            elif _is_bare_header(text) and not _body_follows(texts[index : index + JOIN_REACH]):
                continue  # `# else:` over a note only (`# TODO: ...`): a label of the branch, no block of code
            for earlier in range(settled, index - 1):
                above = texts[earlier]
                if FENCE_RE.match(above):
                    fenced = not fenced  # between two fences or separators, everything is the example
                    example = fenced
                elif above and earlier not in code_lines and not fenced:
                    example = opens_example(above, example)
            code_lines.update(range(index - 1, index - 1 + taken))
            settled = index - 1 + taken
            if (
                not example
                and not self._labels_next_lines(statements, line)
                and not self._labels_item(text, line)
                and not (len(run) == 1 and self._labels_definition(statements, line))
                and not self.ctx.in_multiline_string(line)
            ):
                self.report((line, col))
                return
            index = settled

    def _labels_next_lines(self, statements: list[ast.stmt], line: int) -> bool:
        """Whether a lone call names what the next lines call by a longer name: `# pow(x)` above `math.pow(x)`.

        Only a plain name counts, and only when the code below calls it as an attribute: `# client.send(old)`
        above `client.send(new)` is the old variant of the next line, and is code.
        """
        if len(statements) != 1 or not isinstance(statements[0], ast.Expr):
            return False
        call = statements[0].value
        if not isinstance(call, ast.Call) or not isinstance(call.func, ast.Name):
            return False
        name = call.func.id
        needle = re.compile(rf"\.{re.escape(name)}\b")
        below = (text for text in self.ctx.lines[line : line + LABEL_REACH * 5] if not text.lstrip().startswith("#"))
        return any(needle.search(text) for _, text in zip(range(LABEL_REACH), below, strict=False))

    def _labels_definition(self, statements: list[ast.stmt], line: int) -> bool:
        """Whether a lone `Kind.MEMBER = literal` comment labels the definition right below it.

        feast's `# ValueType.STRING = 2` above the UDF that handles that member: an enum member (a capitalised
        class, an upper-case attribute, a literal) is never assigned in code, and the next line is a `def`,
        `class` or decorator. A comment line above or below it makes a run, which is read as code as before.
        """
        if len(statements) != 1 or not isinstance(statements[0], ast.Assign):
            return False
        assignment = statements[0]
        target = assignment.targets[0]
        if (
            len(assignment.targets) != 1
            or not isinstance(target, ast.Attribute)
            or not isinstance(target.value, ast.Name)
            or not target.value.id[:1].isupper()
            or not target.attr.isupper()
            or not isinstance(assignment.value, ast.Constant)
        ):
            return False
        following = self.ctx.lines[line] if line < len(self.ctx.lines) else ""
        return following.lstrip().startswith(DEFINITION_STARTS)

    def _labels_item(self, text: str, line: int) -> bool:
        """Whether a comment inside an open bracket labels the next item rather than being a commented-out one.

        Inside a list, call or dict (the code line above ends with `(`, `[`, `{` or `,`), a commented-out item
        or argument ends with a comma (`# top_k=top_k,`); `# Constant(value=None)` above `"None",` names it.
        """
        if text.rstrip().endswith(","):
            return False
        lines = self.ctx.lines
        for number in range(line - 1, max(0, line - 1 - LABEL_REACH * 5), -1):
            above = lines[number - 1].strip()
            if above and not above.startswith("#"):
                return above.endswith(OPENERS)
        return False

    def fix_for(self, node: ast.AST | tuple[int, int]) -> Fix | None:
        """The commented-out lines deleted: the reported line and the comment-only lines right after it that
        read as code too (a later block after prose or a blank `#` is reported again, and goes in a later
        round). Unsafe: it deletes text a person may have kept on purpose.
        """
        if not isinstance(node, tuple):
            return None
        first = node[0]
        lines = self.ctx.lines
        last = first
        while last < len(lines) and self.ctx.is_comment_only_line(last + 1):
            text = lines[last].strip().lstrip("#")
            indented = text.startswith(("  ", "\t"))  # `#     save(user)` under `# for user in users:`
            if not text.strip() or (not indented and code_statements(text.lstrip(" \t")) is None):
                break
            last += 1
        if any(self.ctx.in_multiline_string(number) for number in range(first, last + 1)):
            return None
        return Fix.unsafe("Remove the commented-out code", Edit("", (first, 0), (last + 1, 0)))

    fixes = (
        FixExample(
            "def save(user) -> None:\n    # cache.invalidate(user.id)  # error: HR004\n    store.save(user)",
            "def save(user) -> None:\n    store.save(user)",
        ),
        FixExample(
            "# Retries are off for now.\n#\n# retries = 3  # error: HR004\n# backoff = 2\nretries = 0",
            "# Retries are off for now.\n#\nretries = 0",
        ),
    )
