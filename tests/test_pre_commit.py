"""The pack's pre-commit hooks (`.pre-commit-hooks.yaml`) through real pre-commit: `pre-commit try-repo`
against a sample git repository, which installs the hooks' environment from this checkout.

The install needs the package index: set `HOUSE_RULES_OFFLINE=1` to skip these tests without a network.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

CHECKOUT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(bool(os.environ.get("HOUSE_RULES_OFFLINE")), reason="needs the package index")


def sample(root: Path, files: dict[str, str]) -> Path:
    root.mkdir()
    subprocess.run(["git", "init", "-q", "."], cwd=root, check=True)
    (root / "pyproject.toml").write_text('[project]\nname = "sample"\n')
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    return root


def try_repo(root: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"}
    env.pop("VIRTUAL_ENV", None)
    command = [sys.executable, "-m", "pre_commit", "try-repo", str(CHECKOUT), "--all-files", "--verbose"]
    return subprocess.run(command, cwd=root, capture_output=True, text=True, check=False, env=env, timeout=900)


def test_the_manifest_declares_both_hooks() -> None:
    hooks = {hook["id"]: hook for hook in yaml.safe_load((CHECKOUT / ".pre-commit-hooks.yaml").read_text())}
    assert set(hooks) == {"house-rules", "house-rules-flake8"}
    assert hooks["house-rules"]["entry"] == "house-rules check --force-exclude --output-format concise"
    assert hooks["house-rules"]["require_serial"] is True
    assert "--require-plugins flake8-house-rules" in hooks["house-rules-flake8"]["entry"]


def test_try_repo_runs_the_hooks_on_a_sample_repository(tmp_path: Path) -> None:
    home = tmp_path / "pre-commit-home"
    bad = sample(tmp_path / "bad", {"app/m.py": '"""M."""\n\nprint(1)\n', "broken.py": "def f(:\n"})
    result = try_repo(bad, home)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "app/m.py:3:1: HR003 use the logger instead of `print(...)`" in output  # both hooks report it
    assert output.count("app/m.py:3:1: HR003") == 2
    assert "broken.py:1:7: E999 SyntaxError: invalid syntax" in output
    assert "Traceback" not in output
    good = sample(tmp_path / "good", {"app/m.py": '"""M."""\n\nVALUE = 1\n'})
    passed = try_repo(good, home)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert passed.stdout.count("Passed") == 2
