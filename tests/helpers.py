"""What the tests that run the real programs share: a subprocess runner and a project writer.

Test modules import it as `helpers` (pytest puts `tests/` on the path, since it is no package). Each test
module keeps its own thin wrapper when it needs a default of its own (an environment variable, a flag).
"""

from __future__ import annotations

import os
import subprocess
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path


def run_module(
    cwd: Path,
    module: str,
    *args: str,
    stdin: str | None = None,
    env: dict[str, str] | None = None,
    stdout: int | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run `python -m MODULE ARGS...` in `cwd`, its output captured as text, the environment extended by `env`.

    `stdout` sends the program's standard output to that file descriptor instead of capturing it (then
    `stdin` is not given: the program reads nothing).
    """
    command = [sys.executable, "-m", module, *args]
    environment = {**os.environ, **(env or {})}
    if stdout is not None:
        return subprocess.run(
            command, cwd=cwd, stdout=stdout, stderr=subprocess.PIPE, text=True, check=False, env=environment
        )
    return subprocess.run(command, cwd=cwd, input=stdin, capture_output=True, text=True, check=False, env=environment)


def house_rules(
    cwd: Path,
    *args: str,
    stdin: str | None = None,
    env: dict[str, str] | None = None,
    stdout: int | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run the real `house-rules` command (`python -m flake8_house_rules.cli`) in `cwd`."""
    return run_module(cwd, "flake8_house_rules.cli", *args, stdin=stdin, env=env, stdout=stdout)


def make(root: Path, files: dict[str, str], pyproject: str) -> Path:
    """Write a project: `pyproject.toml` with the given text and each file (folders made as needed)."""
    (root / "pyproject.toml").write_text(pyproject)
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root
