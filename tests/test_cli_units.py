"""The `house-rules` command's pure parts, in-process: `# noqa` against flake8's own code, selection, globs."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
from flake8.processor import FileProcessor
from flake8.violation import Violation as Flake8Violation

from flake8_house_rules.cli.discover import PathMatcher, compile_glob
from flake8_house_rules.cli.noqa import (
    NoqaLines,
    has_triple_quoted_fstring,
    ignores,
    source_is_ignored,
)
from flake8_house_rules.cli.settings import resolve_selection

COMMENTS = [
    "x = 1  # noqa",
    "x = 1  # NOQA",
    "x = 1  # noqa: HR101",
    "x = 1  # noqa:HR101,HR102",
    "x = 1  # NoQA: HR1",
    "x = 1  # noqa: E501 HR101",
    "x = 1  # noqa : HR101",
    "x = 1  # noqa: hr101",
    "x = 1  # noqa:",
    "x = 1  # noqa: HR10",
    "x = 1  # noqa: HR1011",
    "x = 1  # noqa: E501",
    "x = 1  # noqa:E501,,HR101",
    "x = 1  #noqa",
    "x = 1  # type: ignore  # noqa: HR111",
    "x = 1",
]


@pytest.mark.parametrize("line", COMMENTS)
@pytest.mark.parametrize("code", ["HR101", "HR102", "HR111"])
def test_inline_noqa_matches_flake8(line: str, code: str) -> None:
    flake8 = Flake8Violation(code, "mod.py", 1, 1, "message", line + "\n")
    assert ignores(code, line + "\n") is flake8.is_inline_ignored(disable_noqa=False)


def _flake8_processor(lines: list[str]) -> FileProcessor:
    options = argparse.Namespace(
        hang_closing=False,
        indent_size=4,
        max_line_length=79,
        max_doc_length=None,
        verbose=0,
        stdin_display_name="-",
        disable_noqa=False,
    )
    return FileProcessor("mod.py", options, lines=lines)


SOURCES = [
    'x = f("""\nabc\n""")  # noqa: HR101\ny = 2\n',
    "total = 1 + \\\n    2  # noqa\n",
    "call(\n    a,  # noqa: HR101\n    b,\n)\n",
    'def f():\n    """Doc.\n\n    More.\n    """\n    return 1\n',
    "x = 1\n\n\n# comment\n",
    "s = 'unterminated\n",
    'msg = f"""\n{Optional[int]}\n"""  # noqa\n',
    "x = 1  # comment \\\ny = 2\n",
    "s = 'a\\\nb'  # noqa: HR1\n",
]


@pytest.mark.parametrize("source", SOURCES)
def test_noqa_line_ranges_match_flake8(source: str) -> None:
    lines = source.splitlines(keepends=True)
    processor = _flake8_processor(lines)
    ours = NoqaLines(lines, source)
    for number in range(1, len(lines) + 2):
        expected = processor.noqa_line_for(number)
        if expected is None:  # flake8 then reads the physical line itself
            expected = lines[number - 1] if number <= len(lines) else None
        assert ours.text_for(number) == expected, number


def test_noqa_line_ranges_match_flake8_on_the_packs_own_modules() -> None:
    package = Path(__file__).resolve().parent.parent / "flake8_house_rules"
    for path in sorted(package.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines(keepends=True)
        processor = _flake8_processor(lines)
        ours = NoqaLines(lines, source)
        for number in range(1, len(lines) + 1):
            assert ours.text_for(number) == (processor.noqa_line_for(number) or lines[number - 1]), (path, number)


def test_noqa_row_is_the_last_line_of_a_multi_line_string() -> None:
    lines = 'log(f"""\n{x}\n""")\ny = 1\n'.splitlines(keepends=True)
    assert NoqaLines(lines, "".join(lines)).row_for(1) == 3
    assert NoqaLines(lines, "".join(lines)).row_for(4) == 4


@pytest.mark.parametrize(
    ("source", "ignored"),
    [
        ("import os\n# flake8: noqa\n", True),
        ("  # FLAKE8= NOQA\n", True),
        ("# flake8:noqa: HR101\n", True),  # flake8 7 skips the file for this too
        ("x = 1  # flake8: noqa\n", False),
        ("x = 1\n", False),
    ],
)
def test_file_level_noqa_as_flake8(source: str, ignored: bool) -> None:
    lines = source.splitlines(keepends=True)
    assert _flake8_processor(lines).should_ignore_file() is ignored
    assert source_is_ignored(source) is ignored


@pytest.mark.parametrize(
    ("source", "found"),
    [('x = f"""a"""', True), ("x = rF'''a'''", True), ('x = """a"""', False), ('x = f"a"', False), ('b"""', False)],
)
def test_triple_quoted_fstrings_are_found(source: str, found: bool) -> None:
    assert has_triple_quoted_fstring(source) is found


KNOWN = ["HR101", "HR102", "HR111", "HR201", "HR210", "HR301"]


@pytest.mark.parametrize(
    ("layers", "expected"),
    [
        ([], KNOWN),
        ([(("HR1",), (), ())], ["HR101", "HR102", "HR111"]),
        ([(("HR1",), (), ("HR101",))], ["HR102", "HR111"]),
        ([(None, (), ("HR1",))], ["HR201", "HR210", "HR301"]),
        ([(None, ("HR101",), ("HR1",))], ["HR101", "HR201", "HR210", "HR301"]),  # more specific wins
        ([(None, ("HR1",), ("HR1",))], ["HR201", "HR210", "HR301"]),  # a tie goes to ignore
        ([(("HR2",), (), ()), (None, ("HR3",), ())], ["HR201", "HR210", "HR301"]),  # a later layer extends
        ([(("HR2",), (), ()), (("HR1",), (), ())], ["HR101", "HR102", "HR111"]),  # a later select replaces
        ([(("ALL",), (), ("HR2",))], ["HR101", "HR102", "HR111", "HR301"]),
    ],
)
def test_selection_layers_as_ruff(layers: list, expected: list[str]) -> None:
    assert sorted(resolve_selection(layers, KNOWN)) == expected


@pytest.mark.parametrize(
    ("pattern", "path", "matched"),
    [
        ("*.py", "a/b/c.py", True),  # `*` crosses `/`, as in ruff's globset
        ("**/test_*.py", "test_x.py", True),
        ("**/test_*.py", "a/test_x.py", True),
        ("src/{a,b}/*.py", "src/b/x.py", True),
        ("src/[!x]*.py", "src/y.py", True),
        ("src/[!x]*.py", "src/x.py", False),
        ("file?.py", "file1.py", True),
    ],
)
def test_globs_as_ruff(pattern: str, path: str, matched: bool) -> None:
    assert bool(compile_glob(pattern).match(path)) is matched


def test_exclusions_anchor_at_the_root_or_match_a_name() -> None:
    matcher = PathMatcher.build(["legacy/*", "migrations"], "/proj")
    assert matcher.matches("/proj/legacy/old.py")
    assert not matcher.matches("/proj/src/legacy_old.py")
    assert matcher.matches("/proj/src/app/migrations")
    assert not matcher.matches("/elsewhere/legacy/old.py")
