"""The text facts of `context/text.py`: lines a pattern matches, and every line that is only a comment."""

from __future__ import annotations

import ast
import io
import tokenize
from pathlib import Path

import pytest

from flake8_house_rules.config import build_config
from flake8_house_rules.context import ModuleContext, find_comment
from flake8_house_rules.rule import load_rules

CONFIG = build_config({"hr-target-version": "3.12"}, frozenset(load_rules()), cwd="/work/project")


def context(source: str) -> ModuleContext:
    return ModuleContext(ast.parse(source), source.splitlines(keepends=True), "app/mod.py", CONFIG)


def test_hash_lines_list_each_line_with_a_hash_once() -> None:
    ctx = context("x = 1  # a # b\n# c\ny = '#'\nz = 2\n  #\n")
    assert ctx.hash_lines() == [(1, 7, "# a # b", False), (2, 0, "# c", True), (3, 5, "#'", False), (5, 2, "#", True)]
    assert ctx.hash_lines() is ctx.hash_lines()
    assert ctx.source() is ctx.source()


def test_comment_only_lines_skip_code_lines_and_flag_string_lines() -> None:
    source = (
        "# first\n"
        "x = 1  # trailing\n"
        "    # indented\n"
        'text = """\n'
        "# inside a string\n"
        '"""\n'
        "\t# tab\n"
        "y = '# not a comment'\n"
    )
    ctx = context(source)
    found = ctx.comment_only_lines()
    assert found == [(1, 0, "# first"), (3, 4, "# indented"), (5, 0, "# inside a string"), (7, 1, "# tab")]
    assert [line for line, _, _ in found if ctx.in_multiline_string(line)] == [5]
    assert ctx.comment_only_lines() is found


def test_comment_only_lines_of_a_module_without_comments() -> None:
    ctx = context("x = 1\ny = 2\n")
    assert ctx.comment_only_lines() == []
    assert ctx._multiline_strings is None  # the string lines are not computed when no line starts with `#`


def test_comment_only_lines_agree_with_the_tokenizer_on_this_package() -> None:
    for path in sorted(Path(__file__).resolve().parent.parent.joinpath("flake8_house_rules").rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines(keepends=True)
        expected = []
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == tokenize.COMMENT and not lines[token.start[0] - 1][: token.start[1]].strip():
                expected.append((token.start[0], token.start[1], token.string))
        ctx = context(source)
        found = [entry for entry in ctx.comment_only_lines() if not ctx.in_multiline_string(entry[0])]
        assert found == expected, path


@pytest.mark.parametrize(
    ("line", "col"),
    [("x = 1  # c\n", 7), ("x = '#'  # c\n", 9), ("x = 1\n", None), ("#\n", 0), ('s = "# a" + "#"\n', None)],
)
def test_find_comment_fast_path_agrees_with_the_scanner(line: str, col: int | None) -> None:
    assert find_comment(line) == col


STRING_LINE_SOURCES = [
    # a line that ends a multi-line string, then code and a comment
    'def f():\n    x = g("""a\n  # not a comment\nb""")  # type: ignore\n    return x\n',
    # implicit concatenation: the node spans lines whose code between the pieces holds comments
    'x = (\n    "a"  # one\n    "b # two"  # three\n    "c"\n)  # four\n',
    # the fragment closes more brackets than it opens, and dedents below its first line
    'class A:\n    def f(self):\n        return h(\n            f"""{self}\n# in\n""",  # five\n        )\n# six\n',
    # two triple-quoted strings on one line: the second starts inside the line the first ends on
    'a = """x\ny""" + """# no\nz"""  # seven\n',
    # a `#` inside a string that opens after the first one closes
    's = ("""1\n2""", "# eight")  # nine\n',
]


@pytest.mark.parametrize("source", STRING_LINE_SOURCES)
def test_comments_on_lines_inside_multiline_strings_agree_with_the_tokenizer(source: str) -> None:
    expected: dict[int, list[tuple[int, str]]] = {}
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT:
            expected.setdefault(token.start[0], []).append((token.start[1], token.string))
    ctx = context(source)
    found = {line: ctx.comments_on(line) for line in range(1, len(ctx.lines) + 1) if ctx.comments_on(line)}
    assert found == expected
    assert ctx._comments is None  # read from a few lines each, never by tokenizing the whole module


def test_comments_on_a_line_inside_deeply_nested_brackets_tokenizes_the_module() -> None:
    source = "x = " + "(" * 160 + '"""a\nb"""' + ")" * 160 + "  # deep\n"
    ctx = context(source)
    assert ctx.comments_on(2) == [(len('b"""') + 160 + 2, "# deep")]
    assert ctx._comments is not None
