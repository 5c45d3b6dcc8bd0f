"""The built distributions: `twine check` passes on the wheel and sdist, and the wheel installed into a clean
virtual environment gives a working `flake8 --select HR` and `house-rules check`.

Builds with `uv build` and installs with `uv venv` + `uv pip install`, which need the package index: set
`HOUSE_RULES_OFFLINE=1` to skip these tests without a network.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

CHECKOUT = Path(__file__).resolve().parent.parent
UV = shutil.which("uv")
pytestmark = [
    pytest.mark.skipif(bool(os.environ.get("HOUSE_RULES_OFFLINE")), reason="needs the package index"),
    pytest.mark.skipif(UV is None, reason="needs uv"),
]


def run(*command: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key not in {"VIRTUAL_ENV", "UV_PROJECT_ENVIRONMENT"}}
    return subprocess.run(
        [str(part) for part in command], cwd=cwd, capture_output=True, text=True, check=False, env=env, timeout=900
    )


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    built = run(UV, "build", "--out-dir", out, CHECKOUT, cwd=CHECKOUT)
    assert built.returncode == 0, built.stderr
    return out


def test_twine_check_passes(dist: Path) -> None:
    files = sorted(dist.glob("*.whl")) + sorted(dist.glob("*.tar.gz"))
    assert len(files) == 2
    checked = run(sys.executable, "-m", "twine", "check", "--strict", *files)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.count("PASSED") == 2


def test_the_wheel_works_in_a_clean_environment(dist: Path, tmp_path: Path) -> None:
    (wheel,) = dist.glob("*.whl")
    venv = tmp_path / "venv"
    python = venv / "bin" / "python"
    assert run(UV, "venv", "--python", sys.executable, venv).returncode == 0
    project = tmp_path / "project"
    project.mkdir()
    (project / "pyproject.toml").write_text('[project]\nname = "demo"\n')
    (project / "m.py").write_text('"""M."""\n\nprint(1)\n')
    flake8 = [python, "-m", "flake8", "--select", "HR,E9", "--require-plugins", "flake8-house-rules", "m.py"]
    # the README's flake8 command fails when the plugin is missing, instead of passing green
    installed = run(UV, "pip", "install", "--python", python, "flake8")
    assert installed.returncode == 0, installed.stderr
    missing = run(*flake8, cwd=project)
    assert missing.returncode != 0
    assert "missing: flake8-house-rules" in missing.stdout + missing.stderr
    installed = run(UV, "pip", "install", "--python", python, wheel)
    assert installed.returncode == 0, installed.stderr
    found = run(*flake8, cwd=project)
    assert (found.returncode, found.stdout) == (1, "m.py:3:1: HR003 use the logger instead of `print(...)`\n")
    command = run(venv / "bin" / "house-rules", "check", "--no-cache", "--output-format", "concise", cwd=project)
    assert command.returncode == 1, command.stderr
    assert command.stdout.startswith("m.py:3:1: HR003 use the logger instead of `print(...)`\n")
    module = run(
        python, "-m", "flake8_house_rules", "check", "--no-cache", "-q", "--output-format", "json", cwd=project
    )
    assert module.returncode == 1, module.stderr
    assert '"url": "https://' in module.stdout
    metadata = run(
        python,
        "-c",
        "import importlib.metadata as m; d = m.metadata('flake8-house-rules');"
        "print('\\n'.join(d.get_all('Project-URL'))); print(d.get_payload())",
    )
    assert "Rule pages, https://" in metadata.stdout
    assert "../shared" not in metadata.stdout  # the README, as the long description, points at nothing private
    assert "shared/seeds" not in metadata.stdout
