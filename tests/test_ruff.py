"""Coexistence with the real ruff binary: shared `# noqa` lines work in both tools."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

RUFF = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
SOURCE = "from typing import Optional  # noqa: HR104\n\n\nx: Optional[int] = None  # noqa: UP045, HR101\n"


@pytest.mark.skipif(RUFF is None, reason="ruff is a dev dependency")
def test_one_noqa_line_serves_both_tools(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.ruff]\ntarget-version = "py311"\n[tool.ruff.lint]\nselect = ["UP", "RUF100"]\nexternal = ["HR"]\n'
    )
    (tmp_path / "mod.py").write_text(SOURCE)
    ruff = subprocess.run([str(RUFF), "check", "."], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert ruff.returncode == 0, ruff.stdout + ruff.stderr
    flake8 = subprocess.run(
        [sys.executable, "-m", "flake8", "--select", "HR", "."],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert flake8.returncode == 0, flake8.stdout + flake8.stderr


@pytest.mark.skipif(RUFF is None, reason="ruff is a dev dependency")
def test_without_noqa_both_tools_report_the_same_line(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.ruff]\ntarget-version = "py311"\n[tool.ruff.lint]\nselect = ["UP045"]\n'
    )
    (tmp_path / "mod.py").write_text("from typing import Optional\n\n\nx: Optional[int] = None\n")
    ruff = subprocess.run(
        [str(RUFF), "check", "--output-format", "concise", "."],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    flake8 = subprocess.run(
        [sys.executable, "-m", "flake8", "--select", "HR101", "."],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert "mod.py:4:4: UP045" in ruff.stdout
    assert "mod.py:4:4: HR101" in flake8.stdout
