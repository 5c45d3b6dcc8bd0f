"""`house-rules check --fix` through the real program: flags, keys, summary lines, exit codes, writes, formats."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

import helpers
import pytest

DOC = '"""A module of the test project."""\n\n'
PYPROJECT = '[project]\nname = "demo"\nrequires-python = ">=3.12"\n'
#: HR101 (safe), and HR104, whose fix drops `Optional` once HR101's has rewritten its last use.
FIXABLE = DOC + (
    "from typing import Optional\n\n\ndef find(key: str) -> Optional[int]:\n"
    '    """Find the id of a key."""\n    return None\n'
)
FIXED = DOC + '\ndef find(key: str) -> int | None:\n    """Find the id of a key."""\n    return None\n'
CLEAN = DOC + 'def find(key: str) -> int | None:\n    """Find the id of a key."""\n    return None\n'
RELATIVE = DOC + "from .models import User\n\n__all__ = ['User']\n"  # HR011: an unsafe fix only


def house_rules(cwd: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return helpers.house_rules(cwd, *args, stdin=stdin, env={"HOUSE_RULES_PROGRESS_DELAY": "1000"})


def make(root: Path, files: dict[str, str], pyproject: str = PYPROJECT) -> Path:
    return helpers.make(root, files, pyproject)


def test_check_marks_fixable_diagnostics_and_says_how_many(tmp_path: Path) -> None:
    make(tmp_path, {"app/mod.py": FIXABLE})
    result = house_rules(tmp_path, "check", "--output-format", "concise", "--no-cache")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert "app/mod.py:6:23: HR101 [*] use `int | None` instead of `Optional[int]`" in lines
    assert "app/mod.py:3:1: HR104 `Optional` imported from typing: use the built-in syntax instead" in lines  # not yet
    assert lines[-2:] == ["Found 2 errors.", "[*] 1 fixable with the `--fix` option."]
    assert (tmp_path / "app/mod.py").read_text() == FIXABLE


def test_fix_writes_the_fixed_file_and_reports_the_counts(tmp_path: Path) -> None:
    make(tmp_path, {"app/mod.py": FIXABLE, "app/ok.py": CLEAN})
    before = (tmp_path / "app/ok.py").stat().st_mtime_ns
    time.sleep(0.01)
    result = house_rules(tmp_path, "check", "--fix", "--no-cache")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "app/mod.py").read_text() == FIXED
    assert result.stdout.strip().endswith("Found 2 errors (2 fixed, 0 remaining).")
    assert (tmp_path / "app/ok.py").stat().st_mtime_ns == before  # nothing to fix: never rewritten
    again = house_rules(tmp_path, "check", "--fix", "--no-cache")
    assert again.returncode == 0
    assert again.stdout.strip() == "All checks passed!"
    assert not list(tmp_path.rglob(".house-rules-*"))  # no temporary file left behind


def test_diff_writes_nothing_and_exits_1_when_there_is_something_to_fix(tmp_path: Path) -> None:
    make(tmp_path, {"app/mod.py": FIXABLE, "app/ok.py": CLEAN})
    result = house_rules(tmp_path, "check", "--diff", "--no-cache")
    assert result.returncode == 1
    assert "-def find(key: str) -> Optional[int]:" in result.stdout
    assert "+def find(key: str) -> int | None:" in result.stdout
    assert "Would fix 2 errors." in result.stderr
    assert (tmp_path / "app/mod.py").read_text() == FIXABLE
    clean = house_rules(tmp_path / "app", "check", "ok.py", "--diff", "--no-cache")
    assert (clean.returncode, clean.stdout) == (0, "")


def test_unsafe_fixes_only_with_the_flag_or_key(tmp_path: Path) -> None:
    make(tmp_path, {"app/__init__.py": "", "app/mod.py": RELATIVE})
    safe = house_rules(tmp_path, "check", "--fix", "--no-cache", "--output-format", "concise")
    assert safe.returncode == 1
    assert (tmp_path / "app/mod.py").read_text() == RELATIVE
    assert "(1 hidden fix can be enabled with the `--unsafe-fixes` option)" in safe.stdout
    unsafe = house_rules(tmp_path, "check", "--fix", "--unsafe-fixes", "--no-cache")
    assert unsafe.returncode == 0, unsafe.stdout
    assert "from app.models import User" in (tmp_path / "app/mod.py").read_text()


def test_pyproject_keys_fix_unsafe_fixes_and_unfixable(tmp_path: Path) -> None:
    table = PYPROJECT + '\n[tool.flake8-house-rules]\nfix = true\nunsafe-fixes = true\nunfixable = ["HR104"]\n'
    make(tmp_path, {"app/mod.py": FIXABLE}, table)
    result = house_rules(tmp_path, "check", "--no-cache", "--output-format", "concise")
    assert result.returncode == 1
    text = (tmp_path / "app/mod.py").read_text()
    assert "-> int | None" in text
    assert "Found 2 errors (1 fixed, 1 remaining)." in result.stdout
    no_fix = house_rules(tmp_path, "check", "--no-fix", "--no-cache")
    assert "fixed" not in no_fix.stdout


def test_fixable_limits_the_codes(tmp_path: Path) -> None:
    make(tmp_path, {"app/mod.py": FIXABLE})
    result = house_rules(tmp_path, "check", "--fix", "--fixable", "HR104", "--no-cache")
    assert "Optional[int]" in (tmp_path / "app/mod.py").read_text()
    assert result.returncode == 1


def test_bad_fix_key_is_one_line_naming_the_key(tmp_path: Path) -> None:
    make(tmp_path, {"app/mod.py": FIXABLE}, PYPROJECT + '\n[tool.flake8-house-rules]\nfix = "yes"\n')
    result = house_rules(tmp_path, "check", "--no-cache")
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "'fix'" in result.stderr
    assert "'yes'" in result.stderr


def test_fix_only_and_show_fixes_and_exit_non_zero_on_fix(tmp_path: Path) -> None:
    make(tmp_path, {"app/mod.py": FIXABLE + "print('x')\n"})
    result = house_rules(tmp_path, "check", "--fix-only", "--show-fixes", "--no-cache")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "HR003" not in result.stdout  # what remains is not reported
    assert "1 \N{MULTIPLICATION SIGN} HR101 (optional-annotation)" in result.stdout
    assert "Fixed 2 errors." in result.stdout
    make(tmp_path, {"app/mod.py": FIXABLE})
    strict = house_rules(tmp_path, "check", "--fix", "--exit-non-zero-on-fix", "--no-cache")
    assert strict.returncode == 1


def test_json_fix_in_ruffs_shape_and_sarif_fixes(tmp_path: Path) -> None:
    make(tmp_path, {"app/mod.py": FIXABLE})
    result = house_rules(tmp_path, "check", "--output-format", "json", "--no-cache")
    items = {item["code"]: item for item in json.loads(result.stdout)}
    fix = items["HR101"]["fix"]
    assert fix["applicability"] == "safe"
    assert fix["message"]
    assert fix["edits"] == [
        {"content": "int | None", "end_location": {"column": 36, "row": 6}, "location": {"column": 23, "row": 6}}
    ]
    sarif = json.loads(house_rules(tmp_path, "check", "--output-format", "sarif", "--no-cache").stdout)
    results = sarif["runs"][0]["results"]
    fixes = next(result["fixes"] for result in results if result["ruleId"] == "HR101")
    replacement = fixes[0]["artifactChanges"][0]["replacements"][0]
    assert replacement["insertedContent"]["text"] == "int | None"
    assert replacement["deletedRegion"]["startLine"] == 6


def test_crlf_and_encoding_are_kept(tmp_path: Path) -> None:
    make(tmp_path, {})
    (tmp_path / "app").mkdir()
    (tmp_path / "app/mod.py").write_bytes(FIXABLE.replace("\n", "\r\n").encode())
    result = house_rules(tmp_path, "check", "--fix", "--no-cache")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "app/mod.py").read_bytes() == FIXED.replace("\n", "\r\n").encode()


@pytest.mark.parametrize("fmt", ["full", "concise"])
def test_remaining_after_fix_are_reported(tmp_path: Path, fmt: str) -> None:
    make(tmp_path, {"app/mod.py": FIXABLE + "print('x')\n"})
    result = house_rules(tmp_path, "check", "--fix", "--no-cache", "--output-format", fmt)
    assert result.returncode == 1
    assert "HR003" in result.stdout
    assert "Found 3 errors (2 fixed, 1 remaining)." in result.stdout


def test_stdin_fix_prints_the_fixed_buffer(tmp_path: Path) -> None:
    make(tmp_path, {})
    result = house_rules(tmp_path, "check", "--fix", "--stdin-filename", "app/mod.py", "-", stdin=FIXABLE)
    assert (result.returncode, result.stdout) == (0, FIXED), result.stderr
    diff = house_rules(tmp_path, "check", "--diff", "--stdin-filename", "app/mod.py", "-", stdin=FIXABLE)
    assert diff.returncode == 1
    assert "+def find(key: str) -> int | None:" in diff.stdout
    assert not (tmp_path / "app").exists()
