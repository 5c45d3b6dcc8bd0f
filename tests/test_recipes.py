"""Every recipe of `docs/recipes.md` is a working configuration, through the real flake8 and `house-rules`."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from flake8_house_rules.rule import load_rules

RECIPES = Path(__file__).parent.parent / "docs" / "recipes.md"
SECTION_RE = re.compile(r"^## (\d{3}): ", re.MULTILINE)
BLOCK_RE = re.compile(r"```(toml|ini)\n(.*?)```", re.DOTALL)
# flags a default-tier rule of the example below, so a run shows the recipe's configuration took effect
SOURCE = '"""A module."""\n\nfrom typing import Optional\n\n\ndef find(key: str) -> Optional[int]:\n    """Find."""\n'


def recipes() -> dict[str, tuple[str, str | None]]:
    """Each guide's TOML table and its flake8 ini section (`None` when it needs none)."""
    text = RECIPES.read_text(encoding="utf-8")
    found: dict[str, tuple[str, str | None]] = {}
    starts = list(SECTION_RE.finditer(text))
    for index, start in enumerate(starts):
        end = starts[index + 1].start() if index + 1 < len(starts) else len(text)
        blocks = dict((kind, body) for kind, body in BLOCK_RE.findall(text[start.end() : end]))
        found[start.group(1)] = (blocks["toml"], blocks.get("ini"))
    return found


def test_there_is_a_recipe_per_guide() -> None:
    """One recipe for each of the five guides the rules come from."""
    assert sorted(recipes()) == ["000", "001", "002", "003", "004"]


@pytest.mark.parametrize("guide", sorted(recipes()))
def test_a_recipe_is_a_valid_configuration(guide: str, tmp_path: Path) -> None:
    """Its codes exist, the opt-in ones it enables are opt-in, and both tools accept it without an error."""
    table_text, ini = recipes()[guide]
    table = tomllib.loads(table_text)["tool"]["flake8-house-rules"]
    rules = load_rules()
    enabled = table.get("enable", [])
    assert enabled
    assert all(rules[code].tier == "opt-in" for code in enabled), "enable names only opt-in rules"
    ignored = table.get("extend-ignore", [])
    assert set(ignored) <= set(rules)
    if ini is None:
        assert not ignored
    else:
        flake8_ignored = re.search(r"extend-ignore = (.*)", ini)
        assert flake8_ignored is not None
        assert [code.strip() for code in flake8_ignored.group(1).split(",")] == ignored
        (tmp_path / "setup.cfg").write_text(ini, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(table_text, encoding="utf-8")
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "users.py").write_text(SOURCE, encoding="utf-8")

    command = [sys.executable, "-m", "flake8", "--select", "HR", "app"]
    flake8 = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, check=False)
    assert flake8.returncode in {0, 1}, flake8.stderr
    assert flake8.stderr == ""
    assert ("HR101" in flake8.stdout) == ("HR101" not in ignored)

    command = [sys.executable, "-m", "flake8_house_rules.cli", "check", "--output-format", "concise", "app"]
    house_rules = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, check=False)
    assert house_rules.returncode in {0, 1}, house_rules.stderr
    assert ("HR101" in house_rules.stdout) == ("HR101" not in ignored)
