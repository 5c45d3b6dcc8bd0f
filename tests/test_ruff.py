"""Coexistence with the real ruff binary: shared `# noqa` lines work in both tools."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

RUFF = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
pytestmark = pytest.mark.skipif(RUFF is None, reason="ruff is a dev dependency")


def run(cwd: Path, *command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(command), cwd=cwd, capture_output=True, text=True, check=False)


def project(tmp_path: Path, ruff_lint: str, source: str) -> Path:
    (tmp_path / "pyproject.toml").write_text(f'[tool.ruff]\ntarget-version = "py311"\n[tool.ruff.lint]\n{ruff_lint}')
    (tmp_path / "mod.py").write_text(source)
    return tmp_path


def test_one_noqa_line_serves_both_tools(tmp_path: Path) -> None:
    source = (
        '"""Module."""\n\nfrom typing import Optional  # noqa: HR104\n\nx: Optional[int] = None  # noqa: UP045, HR101\n'
    )
    root = project(tmp_path, 'select = ["UP", "RUF100"]\nexternal = ["HR"]\n', source)
    ruff = run(root, str(RUFF), "check", ".")
    assert ruff.returncode == 0, ruff.stdout + ruff.stderr
    flake8 = run(root, sys.executable, "-m", "flake8", "--select", "HR", ".")
    assert flake8.returncode == 0, flake8.stdout + flake8.stderr


def test_without_noqa_both_tools_report_the_same_line(tmp_path: Path) -> None:
    root = project(tmp_path, 'select = ["UP045"]\n', "from typing import Optional\n\n\nx: Optional[int] = None\n")
    assert "mod.py:4:4: UP045" in run(root, str(RUFF), "check", "--output-format", "concise", ".").stdout
    assert "mod.py:4:4: HR101" in run(root, sys.executable, "-m", "flake8", "--select", "HR101", ".").stdout
