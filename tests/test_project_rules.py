"""Rules that gain from the project model, through real flake8 and the real `house-rules` command.

Each test writes a small multi-module project to a temporary folder (with a `pyproject.toml`, its root
marker) and checks that a rule sees what an imported name is: a model from a project base, a settings class
defined elsewhere, a router built from a project subclass, a session factory from `app/db.py`, ...
"""

from __future__ import annotations

import os
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from pathlib import Path

PYPROJECT = '[project]\nname = "app"\nrequires-python = ">=3.12"\n'


@pytest.fixture(autouse=True)
def no_summary_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """Most tests run without the on-disk summary cache; the cache tests turn it back on."""
    monkeypatch.setenv("HOUSE_RULES_SUMMARY_CACHE", "off")


def write(root: Path, files: dict[str, str]) -> None:
    files = {"pyproject.toml": PYPROJECT, **files}
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def flake8(root: Path, *args: str, stdin: str | None = None) -> list[str]:
    """`path:line CODE` of each finding of `flake8 --select ... .` run in the project."""
    command = [sys.executable, "-m", "flake8", *args, "-" if stdin is not None else "."]
    result = subprocess.run(command, cwd=root, input=stdin, capture_output=True, text=True, check=False)
    assert result.stderr == "", result.stderr
    found = []
    for line in result.stdout.splitlines():
        place, _, rest = line.partition(": ")
        path, row = place.split(":")[:2]
        found.append(f"{path.removeprefix('./')}:{row} {rest.split(' ')[0]}")
    return sorted(found)


def house_rules(root: Path, *args: str, stdin: str | None = None) -> list[str]:
    """The same, from `house-rules check --output-format concise`."""
    command = [sys.executable, "-m", "flake8_house_rules.cli", "check", "--output-format", "concise", "--quiet"]
    command.extend(args)
    env = {**os.environ}
    result = subprocess.run(command, cwd=root, input=stdin, capture_output=True, text=True, check=False, env=env)
    assert result.returncode in {0, 1}, result.stderr
    found = []
    for line in result.stdout.splitlines():
        place, _, rest = line.partition(": ")
        path, row = place.split(":")[:2]
        found.append(f"{path.removeprefix('./')}:{row} {rest.split(' ')[0]}")
    return sorted(found)


def both(root: Path, codes: str, *, enable: str = "") -> list[str]:
    """Findings of the given codes, which flake8 and `house-rules` must agree on."""
    args = ["--select", codes] + ([f"--hr-enable={enable}"] if enable else [])
    via_flake8 = flake8(root, *args)
    cli_args = ["--select", codes, "--no-cache"]
    if enable:
        (root / "pyproject.toml").write_text(
            PYPROJECT
            + "\n[tool.flake8-house-rules]\nenable = ["
            + ", ".join(f'"{c}"' for c in enable.split(","))
            + "]\n"
        )
    via_cli = house_rules(root, *cli_args)
    assert via_cli == via_flake8
    return via_flake8


SCHEMA = {
    "app/__init__.py": "",
    "app/core/__init__.py": (
        '"""Core."""\n\nfrom app.core.schema import AppSettings, Schema\n\n__all__ = ["AppSettings", "Schema"]\n'
    ),
    "app/core/schema.py": (
        '"""Project bases."""\n\nfrom pydantic import BaseModel\n'
        "from pydantic_settings import BaseSettings, SettingsConfigDict\n\n\n"
        'class Schema(BaseModel):\n    """The project\'s base model."""\n\n\n'
        'class AppSettings(BaseSettings):\n    """The project\'s base settings."""\n\n'
        '    model_config = SettingsConfigDict(env_nested_delimiter="__")\n\n\n'
        'class BareSettings(BaseSettings):  # noqa: HR402\n    """No configuration."""\n'
    ),
    "app/users/__init__.py": "",
}
USERS = (
    '"""User schemas."""\n\nfrom enum import StrEnum\n\nfrom app.core import Schema\n\n\n'
    'class Role(StrEnum):\n    """A role."""\n\n    ADMIN = "admin"\n\n\n'
    'class UserPayload(Schema):\n    """A user."""\n\n'
    "    name: str\n"  # 17: HR403
    "    api_key: str\n"  # 18: HR403, HR404
    "    tags: list[str] = []\n"  # 19: HR403, HR405
    "    role: Role\n"  # 20: HR403
    '    token: str = "sk-live-123"\n\n'  # 21: HR403, HR404, HR411
    '    class Config:\n        """Old style."""\n\n'  # 23: HR406
    "        orm_mode = True\n"  # 26: HR409
)


def test_models_from_a_project_base_are_models(tmp_path: Path) -> None:
    write(tmp_path, {**SCHEMA, "app/users/schemas.py": USERS})
    found = both(tmp_path, "HR403,HR404,HR405,HR406,HR409,HR411,HR412", enable="HR412")
    assert found == sorted(
        [
            "app/users/schemas.py:14 HR412",
            "app/users/schemas.py:17 HR403",
            "app/users/schemas.py:18 HR403",
            "app/users/schemas.py:18 HR404",
            "app/users/schemas.py:19 HR403",
            "app/users/schemas.py:19 HR405",
            "app/users/schemas.py:20 HR403",
            "app/users/schemas.py:21 HR403",
            "app/users/schemas.py:21 HR404",
            "app/users/schemas.py:21 HR411",
            "app/users/schemas.py:23 HR406",
            "app/users/schemas.py:26 HR409",
        ]
    )


def test_settings_from_a_project_base_and_imported_settings(tmp_path: Path) -> None:
    settings = (
        '"""Settings."""\n\nfrom app.core import AppSettings\nfrom app.core.schema import BareSettings\n\n\n'
        'class Settings(AppSettings):\n    """Inherits the nested delimiter."""\n\n'
        '    password: str = "hunter2"\n\n\n'  # a settings default: no HR411
        'class Merged(AppSettings):\n    """pydantic merges this over the base configuration."""\n\n'
        "    model_config = {}\n\n\n"
        'class Bare(BareSettings):\n    """No delimiter anywhere."""\n\n\n'
        "settings = Settings()\n"
    )
    write(tmp_path, {**SCHEMA, "app/settings.py": settings})
    found = both(tmp_path, "HR402,HR408,HR411")
    assert found == ["app/settings.py:19 HR402", "app/settings.py:23 HR408"]


def test_a_base_outside_the_project_stays_unknown(tmp_path: Path) -> None:
    source = (
        '"""Models."""\n\nfrom lib.schema import Schema\n\n\nclass User(Schema):\n    """A user."""\n\n    name: str\n'
    )
    write(tmp_path, {"app/__init__.py": "", "app/models.py": source})
    assert both(tmp_path, "HR403") == []
