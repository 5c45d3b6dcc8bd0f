"""Wiring through real flake8: discovery, selection, noqa, per-file-ignores, options, stdin, errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from pytest_flake8_path import Flake8Path

from flake8_house_rules import __version__

OPTIONAL = (
    '"""Users."""\n\nfrom typing import Optional\n\n\ndef find(key: str) -> Optional[int]:\n'
    '    """Find a user id."""\n    return None\n'
)
IGNORE = '"""Numbers."""\n\nx = int("1")  # type: ignore[arg-type]\n'
TYPEVAR = '"""Types."""\n\nfrom typing import TypeVar\n\nT = TypeVar("T")\n'


def run_stdin(cwd: Path, source: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Lint `source` from stdin as editors do."""
    command = [sys.executable, "-m", "flake8", "--select", "HR", *args, "-"]
    return subprocess.run(command, input=source, cwd=cwd, capture_output=True, text=True, check=False)


def test_version_lists_the_plugin(flake8_path: Flake8Path) -> None:
    result = flake8_path.run_flake8(["--version"])
    assert f"flake8-house-rules: {__version__}" in result.out


def test_help_explains_the_options(flake8_path: Flake8Path) -> None:
    result = flake8_path.run_flake8(["--help"])
    for option in ("--hr-enable", "--hr-target-version", "--hr-test-modules", "--hr-logging-library"):
        assert option in result.out


def test_select_hr_reports_default_tier(flake8_path: Flake8Path) -> None:
    (flake8_path / "mod.py").write_text(OPTIONAL)
    result = flake8_path.run_flake8(["--select", "HR"])
    assert result.out_lines == [
        "./mod.py:3:1: HR104 `Optional` imported from typing: use the built-in syntax instead",
        "./mod.py:6:23: HR101 use `int | None` instead of `Optional[int]`",
    ]
    assert result.exit_code == 1


def test_noqa_with_code_silences_that_code_only(flake8_path: Flake8Path) -> None:
    source = OPTIONAL.replace("-> Optional[int]:", "-> Optional[int]:  # noqa: HR101")
    source = source.replace("import Optional", "import Optional  # noqa: E501")
    (flake8_path / "mod.py").write_text(source)
    result = flake8_path.run_flake8(["--select", "HR"])
    assert [line.split(" ")[1] for line in result.out_lines] == ["HR104"]


def test_per_file_ignores(flake8_path: Flake8Path) -> None:
    (flake8_path / "setup.cfg").write_text("[flake8]\nper-file-ignores =\n    legacy/*.py: HR101,HR104\n")
    (flake8_path / "legacy").mkdir()
    (flake8_path / "legacy" / "old.py").write_text(OPTIONAL)
    (flake8_path / "new.py").write_text(OPTIONAL)
    result = flake8_path.run_flake8(["--select", "HR"])
    assert {line.split(":")[0] for line in result.out_lines} == {"./new.py"}


def test_opt_in_rule_needs_hr_enable(flake8_path: Flake8Path) -> None:
    (flake8_path / "mod.py").write_text(IGNORE)
    assert flake8_path.run_flake8(["--select", "HR"]).out_lines == []
    enabled = flake8_path.run_flake8(["--select", "HR", "--hr-enable", "HR112"])
    assert [line.split(" ")[1] for line in enabled.out_lines] == ["HR112"]
    by_prefix = flake8_path.run_flake8(["--select", "HR", "--hr-enable=HR1"])
    assert [line.split(" ")[1] for line in by_prefix.out_lines] == ["HR112"]


def test_options_from_setup_cfg(flake8_path: Flake8Path) -> None:
    (flake8_path / "setup.cfg").write_text("[flake8]\nhr-enable = HR112\nhr-target-version = 3.11\n")
    (flake8_path / "mod.py").write_text(IGNORE + TYPEVAR)
    result = flake8_path.run_flake8(["--select", "HR"])
    assert [line.split(" ")[1] for line in result.out_lines] == ["HR112"]


def test_options_from_pyproject_table(flake8_path: Flake8Path) -> None:
    (flake8_path / "pyproject.toml").write_text(
        '[tool.flake8-house-rules]\nenable = ["HR112"]\ntarget-version = "3.12"\n'
    )
    (flake8_path / "mod.py").write_text(IGNORE + TYPEVAR)
    result = flake8_path.run_flake8(["--select", "HR"])
    assert [line.split(" ")[1] for line in result.out_lines] == ["HR112", "HR108"]


def test_flake8_config_wins_over_pyproject(flake8_path: Flake8Path) -> None:
    (flake8_path / "pyproject.toml").write_text('[tool.flake8-house-rules]\ntarget-version = "3.12"\n')
    (flake8_path / "setup.cfg").write_text("[flake8]\nhr-target-version = 3.11\n")
    (flake8_path / "mod.py").write_text(TYPEVAR)
    assert flake8_path.run_flake8(["--select", "HR"]).out_lines == []


def test_target_version_from_nearest_pyproject(flake8_path: Flake8Path) -> None:
    for name, requires in (("old", ">=3.11"), ("new", ">=3.12,<4")):
        (flake8_path / name).mkdir()
        (flake8_path / name / "pyproject.toml").write_text(f'[project]\nrequires-python = "{requires}"\n')
        (flake8_path / name / "mod.py").write_text(TYPEVAR)
    (flake8_path / "new" / "ruffed").mkdir()
    (flake8_path / "new" / "ruffed" / "pyproject.toml").write_text('[tool.ruff]\ntarget-version = "py311"\n')
    (flake8_path / "new" / "ruffed" / "mod.py").write_text(TYPEVAR)
    result = flake8_path.run_flake8(["--select", "HR"])
    assert [line.split(":")[0] for line in result.out_lines] == ["./new/mod.py"]


def test_target_version_past_a_pyproject_that_gives_none(flake8_path: Flake8Path) -> None:
    """A package's own pyproject.toml without a version does not end the search: the repository's gives it."""
    (flake8_path / "pyproject.toml").write_text('[project]\nname = "repo"\nrequires-python = ">=3.10"\n')
    package = flake8_path / "sdk" / "python"
    package.mkdir(parents=True)
    (package / "pyproject.toml").write_text("[tool.ruff]\nline-length = 100\n")
    (package / "colors.py").write_text(
        '"""Colors."""\n\nfrom enum import Enum\n\n\nclass Color(str, Enum):\n    """A color."""\n\n    RED = "red"\n'
    )
    assert flake8_path.run_flake8(["--select", "HR"]).out_lines == []  # no StrEnum before 3.11
    (flake8_path / "pyproject.toml").write_text('[project]\nname = "repo"\nrequires-python = ">=3.11"\n')
    (package / "pyproject.toml").write_text("[tool.ruff]\nline-length = 101\n")
    lines = flake8_path.run_flake8(["--select", "HR"]).out_lines
    assert [line.split(" ")[1] for line in lines] == ["HR407"]


def test_relative_imports_of_code_a_build_copies(flake8_path: Flake8Path) -> None:
    """HR011 leaves alone what hatch's `force-include` copies into a package (airflow's `_shared`).

    The source folder is outside the consuming project here, and nothing above it says it is copied.
    """
    core = flake8_path / "core"
    (core / "src" / "app" / "_shared" / "logs").mkdir(parents=True)
    (core / "src" / "app" / "other").mkdir(parents=True)
    shared = flake8_path / "shared" / "logs" / "src" / "app_shared" / "logs"
    shared.mkdir(parents=True)
    (core / "pyproject.toml").write_text(
        '[project]\nname = "core"\n\n[tool.hatch.build.targets.sdist.force-include]\n'
        '"../shared/logs/src/app_shared/logs" = "src/app/_shared/logs"\n'
    )
    module = '"""Logs."""\n\nfrom .setup import configure\n\n__all__ = ["configure"]\n'
    for folder in (core / "src" / "app" / "_shared" / "logs", shared, core / "src" / "app" / "other"):
        (folder / "__init__.py").write_text(module)
        (folder / "setup.py").write_text('"""Setup."""\n\n\ndef configure() -> None:\n    """Configure."""\n')
    lines = flake8_path.run_flake8(["--select", "HR011"]).out_lines
    assert sorted(line.split(":")[0] for line in lines) == [
        "./core/src/app/other/__init__.py",
        "./shared/logs/src/app_shared/logs/__init__.py",
    ]
    (core / "pyproject.toml").write_text('[project]\nname = "core"\n')
    assert len(flake8_path.run_flake8(["--select", "HR011"]).out_lines) == 3


def test_stdin_with_display_name(flake8_path: Flake8Path) -> None:
    (flake8_path / "app").mkdir()
    (flake8_path / "app" / "pyproject.toml").write_text('[project]\nrequires-python = ">=3.12"\n')
    result = run_stdin(flake8_path, TYPEVAR, "--stdin-display-name", "app/models.py")
    assert result.stdout.splitlines() == [
        "app/models.py:5:5: HR108 declare type parameters with PEP 695 syntax (`def f[T](...)`, `class C[T]:`) instead"
    ]
    bare = run_stdin(flake8_path, OPTIONAL, "--hr-target-version", "3.12")
    assert [line.split(" ")[1] for line in bare.stdout.splitlines()] == ["HR104", "HR101"]
    assert bare.stdout.startswith("stdin:")


def test_parallel_jobs(flake8_path: Flake8Path) -> None:
    for index in range(4):
        (flake8_path / f"mod{index}.py").write_text(OPTIONAL)
    command = [sys.executable, "-m", "flake8", "--select", "HR", "--jobs", "2", "."]
    result = subprocess.run(command, cwd=flake8_path, capture_output=True, text=True, check=False)
    assert len(result.stdout.splitlines()) == 8
    assert result.stderr == ""


def _assert_clean_error(result: object, *needles: str) -> None:
    err = getattr(result, "err", None) or getattr(result, "stderr", "")
    assert getattr(result, "exit_code", getattr(result, "returncode", 0)) == 2
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    for needle in needles:
        assert needle in lines[0]


def test_unknown_code_in_hr_enable(flake8_path: Flake8Path) -> None:
    (flake8_path / "mod.py").write_text(OPTIONAL)
    _assert_clean_error(flake8_path.run_flake8(["--select", "HR", "--hr-enable", "HR101,HR999"]), "hr-enable", "HR999")


def test_bad_target_version_in_config(flake8_path: Flake8Path) -> None:
    (flake8_path / "setup.cfg").write_text("[flake8]\nhr-target-version = banana\n")
    _assert_clean_error(flake8_path.run_flake8(["--select", "HR"]), "hr-target-version", "banana")


def test_bad_choice(flake8_path: Flake8Path) -> None:
    result = flake8_path.run_flake8(["--select", "HR", "--hr-logging-library", "log4j"])
    _assert_clean_error(result, "hr-logging-library", "log4j")


def test_malformed_pyproject(flake8_path: Flake8Path) -> None:
    (flake8_path / "pyproject.toml").write_text("[tool.flake8-house-rules\nenable = 1\n")
    _assert_clean_error(flake8_path.run_flake8(["--select", "HR"]), "pyproject.toml")


def test_unknown_pyproject_key_and_bad_type(flake8_path: Flake8Path) -> None:
    (flake8_path / "pyproject.toml").write_text("[tool.flake8-house-rules]\nenabel = ['HR112']\n")
    _assert_clean_error(flake8_path.run_flake8(["--select", "HR"]), "enabel")
    (flake8_path / "pyproject.toml").write_text("[tool.flake8-house-rules]\nenable = 112\n")
    _assert_clean_error(
        flake8_path.run_flake8(["--select", "HR"]),
        "key 'enable' in [tool.flake8-house-rules] of ",
        "pyproject.toml",
        "112",
    )


def test_odd_encodings_lint_through_flake8(flake8_path: Flake8Path) -> None:
    (flake8_path / "bom.py").write_bytes(b"\xef\xbb\xbf" + OPTIONAL.encode())
    (flake8_path / "latin.py").write_bytes(
        '# -*- coding: latin-1 -*-\n"""Caf\xe9."""\nfrom typing import Any\n'.encode("latin-1")
        + "X: Any = 'caf\xe9'  # caf\xe9 explained\n".encode("latin-1")
    )
    (flake8_path / "crlf.py").write_bytes(OPTIONAL.replace("\n", "\r\n").encode())
    result = flake8_path.run_flake8(["--select", "HR"])
    assert result.err == ""
    codes = sorted(line.split(" ")[0].split(":")[0] + " " + line.split(" ")[1] for line in result.out_lines)
    assert codes == ["./bom.py HR101", "./bom.py HR104", "./crlf.py HR101", "./crlf.py HR104"]


def test_plugin_start_up_does_not_import_the_rules() -> None:
    code = (
        "import sys, flake8_house_rules.plugin\n"
        "print(sorted(m for m in sys.modules if m.startswith('flake8_house_rules.rules')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_layer_rule_takes_the_role_from_the_stdin_display_name(flake8_path: Flake8Path) -> None:
    # the relative import is resolved against the package of the display name: HR011 is not under test here
    source = (
        '"""User routes."""\n\nfrom .store import UserStore  # noqa: HR011\nfrom app.users.service import UserService\n'
    )
    result = run_stdin(flake8_path, source, "--stdin-display-name", "app/users/routes.py")
    assert result.stdout.splitlines() == [
        "app/users/routes.py:3:1: HR607 a router must not import the store layer: call a service"
    ]
    assert result.stderr == ""
    as_service = run_stdin(flake8_path, source, "--stdin-display-name", "app/users/service.py")
    assert as_service.stdout == ""
    bare = run_stdin(flake8_path, source)
    assert bare.stdout == ""


def test_layer_rule_reads_whether_an_imported_module_is_a_package_on_disk(flake8_path: Flake8Path) -> None:
    """`from app.tracking._tracking_service import utils` loads a package, which no `*service.py` pattern
    matches (mlflow's shape); `from app.users.service import ...` loads the file `service.py` and is reported.
    """
    files = {
        "app/__init__.py": "",
        "app/tracking/__init__.py": "",
        "app/tracking/_tracking_service/__init__.py": "",
        "app/tracking/_tracking_service/utils.py": "",
        "app/users/__init__.py": "",
        "app/users/service.py": "",
        "app/labels/stores.py": (
            '"""Label stores."""\n\nfrom app.tracking._tracking_service import utils\n'
            "from app.users.service import UserService\n\n__all__ = ['UserService', 'utils']\n"
        ),
    }
    for name, text in files.items():
        (flake8_path / name).parent.mkdir(parents=True, exist_ok=True)
        (flake8_path / name).write_text(text)
    result = flake8_path.run_flake8(["--select", "HR607"])
    assert result.err == ""
    assert result.out_lines == [
        "./app/labels/stores.py:4:1: HR607 a store must not import the service layer: services depend on stores"
    ]


def test_a_project_pinned_to_pydantic_1_gets_no_v2_advice(flake8_path: Flake8Path) -> None:
    """lnbits: `pydantic~=1.10.26` in pyproject.toml; v2's `ConfigDict` and `field_validator` do not exist there."""
    model = (
        '"""Models."""\n\nfrom pydantic import BaseModel, validator\n\n\nclass Wallet(BaseModel):\n'
        '    """A wallet."""\n\n    tags: list[str] = []\n\n    class Config:\n        """Config."""\n\n'
        '        extra = "ignore"\n\n    @validator("tags")\n    def check(cls, value: list[str]) -> list[str]:\n'
        '        """Check."""\n        return value\n'
    )
    (flake8_path / "mod.py").write_text(model)
    (flake8_path / "pyproject.toml").write_text('[project]\nname = "x"\ndependencies = ["pydantic>=2"]\n')
    selected = ["--select", "HR405,HR406,HR409"]
    codes = {line.split(" ")[1] for line in flake8_path.run_flake8(selected).out_lines}
    assert codes == {"HR405", "HR406", "HR409"}
    (flake8_path / "pyproject.toml").write_text('[project]\nname = "x"\ndependencies = ["pydantic~=1.10.26"]\n')
    assert flake8_path.run_flake8(selected).out_lines == []
