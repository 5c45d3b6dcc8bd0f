"""Where configuration is found (`sources.py`) and how each value is checked (`config.py`), in process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from flake8_house_rules.config import ConfigError, build_config, flake8_file_options
from flake8_house_rules.errors import ConfigError as ErrorsConfigError
from flake8_house_rules.sources import (
    find_flake8_file,
    find_table,
    glob_problem,
    load_pyproject_table,
    read_flake8_file,
)

CODES = frozenset({"HR001", "HR101", "HR112"})


def test_config_error_is_one_class() -> None:
    assert ConfigError is ErrorsConfigError


def test_no_import_cycle_between_config_and_the_pattern_specs() -> None:
    """Each of the configuration modules imports on its own, first, in a fresh interpreter."""
    for module in ("flake8_house_rules.patterns.spec", "flake8_house_rules.config", "flake8_house_rules.sources"):
        subprocess.run([sys.executable, "-c", f"import {module}"], check=True)
    spec = Path(__file__).parent.parent / "flake8_house_rules" / "patterns" / "spec.py"
    assert "flake8_house_rules.config" not in spec.read_text()


def test_the_nearest_table_skips_a_pyproject_without_one(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.flake8-house-rules]\nenable = ["HR112"]\n')
    (tmp_path / "pkg" / "sub").mkdir(parents=True)
    (tmp_path / "pkg" / "pyproject.toml").write_text('[project]\nname = "pkg"\n')
    table = find_table(str(tmp_path / "pkg" / "sub"))
    assert table is not None
    assert table.path == tmp_path / "pyproject.toml"
    assert table.root == str(tmp_path)
    assert load_pyproject_table(str(tmp_path / "pkg"))[0] == tmp_path / "pkg" / "pyproject.toml"  # any pyproject
    (tmp_path / "pkg" / "pyproject.toml").write_text("[tool.flake8-house-rules]\n")
    nearer = find_table(str(tmp_path / "pkg" / "sub"))
    assert nearer is not None and nearer.path == tmp_path / "pkg" / "pyproject.toml"  # an edited file is read again


def test_a_broken_pyproject_on_the_way_up_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.flake8-house-rules\n")
    with pytest.raises(ConfigError, match=r"cannot read .*pyproject\.toml"):
        find_table(str(tmp_path))
    (tmp_path / "pyproject.toml").write_text('[tool]\nflake8-house-rules = "x"\n')
    with pytest.raises(ConfigError, match="must be a table"):
        find_table(str(tmp_path))


def test_flake8_files_in_flake8_order(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "tox.ini").write_text("[flake8]\nhr_enable = HR112\n")
    (tmp_path / ".flake8").write_text("[flake8]\nhr-enable = HR1\n")
    (tmp_path / "setup.cfg").write_text("[metadata]\nname = x\n")  # no [flake8]: passed over
    found = find_flake8_file(str(tmp_path / "a"))
    assert found is not None and found.path == tmp_path / "tox.ini"
    assert found.values == {"hr-enable": "HR112"}
    (tmp_path / "a" / "setup.cfg").write_text("[flake8]\nmax-line-length = 100\n")
    nearer = find_flake8_file(str(tmp_path / "a"))
    assert nearer is not None and nearer.path == tmp_path / "a" / "setup.cfg"
    (tmp_path / "bad.cfg").write_text("[flake8\n")
    assert read_flake8_file(tmp_path / "bad.cfg") is None


def test_flake8_file_options_name_the_file_and_anchor_paths(tmp_path: Path) -> None:
    (tmp_path / "setup.cfg").write_text("[flake8]\nhr-pattern-file = rules.toml\nhr-max-statements = 9\n")
    found = read_flake8_file(tmp_path / "setup.cfg")
    options = flake8_file_options(found)
    assert options["hr-pattern-file"] == (
        str(tmp_path / "rules.toml"),
        f"option 'hr-pattern-file' in [flake8] of {found.path}",
    )
    assert options["hr-max-statements"][0] == "9"


def test_fallback_values_sit_under_the_table(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.flake8-house-rules]\nmax-statements = 7\n")
    fallback = {"hr-max-statements": ("9", "ini"), "hr-max-extra-params": ("3", "ini")}
    config = build_config({}, CODES, cwd=str(tmp_path), fallback=fallback)
    assert (config.max_statements, config.max_extra_params) == (7, 3)
    config = build_config({"hr-max-statements": "5"}, CODES, cwd=str(tmp_path), fallback=fallback)
    assert config.max_statements == 5
    with pytest.raises(ConfigError, match=r"^ini has a bad value 'x'"):
        build_config({}, CODES, cwd=str(tmp_path), fallback={"hr-max-extra-params": ("x", "ini")})


@pytest.mark.parametrize(
    ("pattern", "problem"),
    [
        ("[", True),
        ("a[b", True),
        ("[!]", True),
        ("[]", True),
        ("[]]", False),
        ("[!]]", False),
        ("[[]x", False),
        ("x[ab]y[cd]", False),
        ("x[ab]y[cd", True),
        ("*/tests/*", False),
    ],
)
def test_glob_problem(pattern: str, problem: bool) -> None:
    assert (glob_problem(pattern) is not None) is problem


def test_a_table_pattern_file_is_from_its_folder(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "pyproject.toml").write_text('[tool.flake8-house-rules]\npattern-file = "rules.toml"\n')
    (tmp_path / "rules.toml").write_text('[HR901]\nname = "x-y"\nmessage = "m"\npattern = "legacy()"\n')
    config = build_config({}, CODES, cwd=str(tmp_path / "sub"))
    assert [spec.code for spec in config.patterns] == ["HR901"]
