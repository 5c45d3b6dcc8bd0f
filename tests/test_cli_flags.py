"""`house-rules` flags ruff users reach for, `python -m flake8_house_rules`, `rule --all`, and usage errors.

Findings 9.1 and 9.3 of the command's review, through the real program (`main([...])` in-process where
only the exit status and streams matter, a subprocess where the interpreter's entry matters).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from flake8_house_rules.cli import main

DOC = '"""A module of the test project."""\n\n'
OPTIONAL = DOC + "from typing import Optional\n\nX: Optional[int] = None\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "demo"\nrequires-python = ">=3.12"\n')
    (tmp_path / "m.py").write_text(OPTIONAL)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOUSE_RULES_CACHE_DIR", str(tmp_path / ".cache"))
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        status = main(list(args))
    except SystemExit as exc:  # argparse's errors
        status = int(exc.code or 0)
    out, err = capsys.readouterr()
    return status, out, err


def codes(out: str) -> list[str]:
    return [line.split(" ")[1] for line in out.splitlines() if ": HR" in line]


def test_extend_ignore(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "check", "--output-format", "concise", "--extend-ignore", "HR104")
    assert (status, codes(out)) == (1, ["HR101"])


def test_target_version_in_ruffs_spelling(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # HR101 needs `X | None` to run: on 3.9 it does not report
    status, out, _ = run(capsys, "check", "--output-format", "concise", "--target-version", "py39")
    assert "HR101" not in codes(out)
    status, out, _ = run(capsys, "check", "--output-format", "concise", "--target-version", "py312")
    assert "HR101" in codes(out)
    status, _, err = run(capsys, "check", "--target-version", "python3")
    assert status == 2
    assert err.startswith("house-rules: error: option '--target-version' has a bad value 'python3'")


def test_config_names_the_pyproject_to_read(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other = project / "conf"
    other.mkdir()
    (other / "pyproject.toml").write_text('[tool.flake8-house-rules]\nignore = ["HR104"]\n')
    status, out, _ = run(capsys, "check", "--output-format", "concise", "--config", "conf/pyproject.toml", "m.py")
    assert (status, codes(out)) == (1, ["HR101"])
    status, _, err = run(capsys, "check", "--config", "conf/ruff.toml")
    assert status == 2
    assert err == (
        "house-rules: error: option '--config' has a bad value 'conf/ruff.toml': "
        "name a pyproject.toml (its [tool.flake8-house-rules])\n"
    )
    status, _, err = run(capsys, "check", "--config", "missing/pyproject.toml")
    assert (status, err.count("\n")) == (2, 1)


def test_show_settings_and_show_files(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "skip").mkdir()
    (project / "skip" / "s.py").write_text(DOC)
    status, out, _ = run(capsys, "check", "--show-settings", "--extend-ignore", "HR1")
    assert status == 0
    assert f"Project root: {project}" in out
    assert f"Settings path: {project / 'pyproject.toml'}" in out
    selected = next(line for line in out.splitlines() if line.startswith("Selected codes"))
    assert "HR003" in selected
    assert "HR101" not in selected
    assert "  target-version = (3, 12)  # at the project root; each file's nearest pyproject.toml" in out
    status, out, _ = run(capsys, "check", "--show-files", "--extend-exclude", "skip")
    assert (status, out) == (0, "m.py\n")


def test_an_unknown_flag_prints_the_subcommands_usage(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "check", "--frobnicate", ".")  # (`--fix` is a flag of `check` now)
    assert status == 2
    assert err.startswith("usage: house-rules check ")
    assert err.rstrip().endswith("house-rules check: error: unrecognized arguments: --frobnicate")
    status, _, err = run(capsys, "rules", "--bogus")
    assert (status, err.startswith("usage: house-rules rules ")) == (2, True)


def test_rule_all_in_text_and_json(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "rule", "--all")
    assert status == 0
    pages = [line for line in out.splitlines() if line.startswith("# HR")]
    assert len(pages) > 80
    assert pages[0].startswith("# HR001 ")
    status, out, _ = run(capsys, "rule", "--all", "--output-format", "json")
    rows = json.loads(out)
    assert [row["code"] for row in rows] == [page.split(" ")[1] for page in pages]
    status, _, err = run(capsys, "rule")
    assert (status, err) == (2, "house-rules: error: give one rule's CODE, or --all\n")
    assert run(capsys, "rule", "hr101")[0] == 0


def test_python_dash_m_runs_the_command(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text(DOC)
    env = {**os.environ, "HOUSE_RULES_CACHE_DIR": str(tmp_path / ".cache")}
    command = [sys.executable, "-m", "flake8_house_rules", "check", "."]
    result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, check=False, env=env)
    assert (result.returncode, result.stdout) == (0, "All checks passed!\n")
    command = [sys.executable, "-m", "flake8_house_rules", "--version"]
    version = subprocess.run(command, capture_output=True, text=True, check=False)
    assert version.stdout.startswith("house-rules ")
