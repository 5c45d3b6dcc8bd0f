"""Project pattern rules (HR9xx) through the real `house-rules` command: check, selection, per-file-ignores,
noqa, baseline, cache, `rule` and `rules`, errors, and docs/patterns.md's worked examples."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import helpers
from test_patterns import LEGACY, SOURCE
from test_patterns_docs import _blocks, _expected, _modules, _write

PROJECT = '[project]\nname = "demo"\nrequires-python = ">=3.12"\n'
FLAGGED = [
    "mod.py:5:10: HR901 use the shared client instead of legacy_client()",
    "mod.py:6:21: HR901 use the shared client instead of legacy_client()",
]


def house_rules(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return helpers.house_rules(cwd, *args, env={"HOUSE_RULES_CACHE_DIR": str(cwd / ".cache")})


def concise(cwd: Path, *args: str) -> list[str]:
    result = house_rules(cwd, "check", "--output-format", "concise", "--quiet", *args)
    assert result.returncode in {0, 1}, result.stderr
    return [line for line in result.stdout.splitlines() if " HR9" in line]


def project(root: Path, table: str = LEGACY) -> Path:
    (root / "pyproject.toml").write_text(PROJECT + table)
    (root / "mod.py").write_text(SOURCE)
    return root


def test_check_reports_pattern_rules_as_flake8_does(tmp_path: Path) -> None:
    project(tmp_path)
    assert concise(tmp_path) == FLAGGED
    command = [sys.executable, "-m", "flake8", "--select", "HR9", "."]
    flake8 = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, check=False)
    assert [line.removeprefix("./") for line in flake8.stdout.splitlines()] == FLAGGED
    full = house_rules(tmp_path, "check", "--select", "HR901")
    assert full.returncode == 1
    assert "HR901 use the shared client instead of legacy_client()" in full.stdout
    assert " --> mod.py:5:10" in full.stdout


def test_selection_per_file_ignores_and_noqa(tmp_path: Path) -> None:
    project(tmp_path)
    assert concise(tmp_path, "--ignore", "HR901") == []
    assert concise(tmp_path, "--select", "HR1") == []
    assert concise(tmp_path, "--select", "HR9") == FLAGGED
    (tmp_path / "legacy").mkdir()
    (tmp_path / "legacy" / "old.py").write_text(SOURCE.replace("(retries=3)", "(retries=3)  # noqa: HR901"))
    assert [line.split(":")[0] for line in concise(tmp_path)] == ["legacy/old.py", "mod.py", "mod.py"]
    (tmp_path / "pyproject.toml").write_text(
        PROJECT + '[tool.flake8-house-rules]\nper-file-ignores = { "mod.py" = ["HR9"] }\n' + LEGACY
    )
    assert concise(tmp_path) == ["legacy/old.py:6:21: HR901 use the shared client instead of legacy_client()"]


def test_json_and_baseline(tmp_path: Path) -> None:
    project(tmp_path)
    data = json.loads(house_rules(tmp_path, "check", "--output-format", "json").stdout)
    assert [(item["code"], item["location"]["row"]) for item in data if item["code"].startswith("HR9")] == [
        ("HR901", 5),
        ("HR901", 6),
    ]
    assert house_rules(tmp_path, "baseline", "--select", "HR9").returncode == 0
    assert house_rules(tmp_path, "check", "--select", "HR9", "--baseline", "house-rules-baseline.json").returncode == 0


def test_rule_page_and_listing(tmp_path: Path) -> None:
    project(tmp_path)
    page = house_rules(tmp_path, "rule", "hr901")
    assert page.returncode == 0, page.stderr
    assert page.stdout.startswith("# HR901 legacy-client-call")
    assert "## Why is this bad?\nThe legacy client has no retries." in page.stdout
    assert "`shared_client($$$ARGS)`" in page.stdout
    assert house_rules(tmp_path, "rule", "HR902").returncode == 2
    assert house_rules(tmp_path, "rule", "HR101").stdout.startswith("# HR101 optional-annotation")
    rows = {line.split()[0]: line.split() for line in house_rules(tmp_path, "rules").stdout.splitlines()[1:]}
    assert rows["HR901"] == ["HR901", "legacy-client-call", "default", "unsafe", "yes"]
    ignored = house_rules(tmp_path, "rules", "--ignore", "HR9").stdout.splitlines()
    assert next(line for line in ignored if line.startswith("HR901")).split()[-1] == "no"
    listed = json.loads(house_rules(tmp_path, "rules", "--output-format", "json").stdout)
    assert {"code": "HR901", "enabled": True}.items() <= next(r for r in listed if r["code"] == "HR901").items()


def test_pattern_file_flag_from_a_subfolder_and_the_cache(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(PROJECT)
    (tmp_path / "lint").mkdir()
    rules = tmp_path / "lint" / "house.toml"
    rules.write_text(LEGACY.replace("tool.flake8-house-rules.patterns.", ""))
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "mod.py").write_text(SOURCE)
    assert concise(tmp_path / "pkg", "--hr-pattern-file", "../lint/house.toml") == FLAGGED  # paths from pkg/
    assert house_rules(tmp_path / "pkg", "rule", "HR901", "--hr-pattern-file", "../lint/house.toml").returncode == 0
    # the pattern file is part of the cache key: an edited rule is applied to unchanged files
    rules.write_text(rules.read_text().replace("use the shared client", "call shared_client()"))
    again = concise(tmp_path / "pkg", "--hr-pattern-file", "../lint/house.toml")
    assert again == [line.replace("use the shared client", "call shared_client()") for line in FLAGGED]


def test_bad_declaration_is_one_line_and_exit_2(tmp_path: Path) -> None:
    project(tmp_path, LEGACY.replace('pattern = "legacy_client($$$ARGS)"', 'pattern = "legacy_client("'))
    for command in (("check",), ("rules",), ("rule", "HR901")):
        result = house_rules(tmp_path, *command)
        assert result.returncode == 2
        assert result.stdout == ""
        assert result.stderr.splitlines() == [
            "house-rules: error: pattern rule HR901 in pyproject.toml: key 'pattern' is not valid Python code "
            "(tree-sitter finds a syntax error in it): 'legacy_client('"
        ]


def test_worked_examples_through_the_command(tmp_path: Path) -> None:
    tables = [body for language, body in _blocks("Worked examples") if language == "toml"]
    (tmp_path / "pyproject.toml").write_text(PROJECT + "\n".join(tables))
    modules = _modules()
    _write(tmp_path, modules)
    found = set()
    for line in concise(tmp_path):
        path, number, _, message = line.split(":", 3)
        found.add((path, int(number), message.split()[0]))
    assert found == _expected(modules)
