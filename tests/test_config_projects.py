"""Configuration through real flake8 and the real `house-rules` command: path patterns, projects, sources.

Each test builds a small repository in a temporary folder and runs both front ends in a subprocess, from
its root and from a subfolder, and compares what they report as `(path from the repository root, code)`.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import helpers
import pytest

SELECT = "HR001,HR003,HR401,HR607,HR612"
STORE = (
    '"""User store."""\n\nfrom fastapi import HTTPException\nfrom sqlalchemy.ext.asyncio import AsyncSession\n\n\n'
    'class UserStore:\n    """Users."""\n\n    def __init__(self, session: AsyncSession) -> None:\n'
    '        """Keep the session."""\n        self.session = session\n\n'
    '    async def get_one(self, uuid: str) -> object:\n        """One user."""\n'
    "        found = await self.session.get(object, uuid)\n        if found is None:\n"
    "            raise HTTPException(404)\n        return found\n"
)
SERVICE = (
    '"""User logic."""\n\nfrom fastapi import HTTPException\n\nfrom app.db.users import UserStore\n\n\n'
    'def deny(user: str) -> None:\n    """Refuse."""\n    raise HTTPException(403, f"{user} {UserStore.__name__}")\n'
)
ROUTER = (
    '"""User routes."""\n\nfrom fastapi import APIRouter\n\nfrom app.db.users import UserStore\n\n'
    'router = APIRouter()\n\n\n@router.get("/users")\nasync def list_users() -> list[str]:\n'
    '    """List."""\n    return [UserStore.__name__]\n'
)
ENVIRON = '"""Env."""\n\nimport os\n\nDB_URL = os.environ["DB_URL"]\n'
PRINT = '"""Run."""\n\nprint(1)\n'
FILES = {
    "app/__init__.py": '"""App."""\n',
    "app/db/__init__.py": '"""Db."""\n',
    "app/db/users.py": STORE,
    "app/logic/users.py": SERVICE,
    "app/web/users.py": ROUTER,
    "app/conf/env.py": ENVIRON,
    "vendor/app/conf/env.py": ENVIRON,  # `app/conf/*` is anchored at the root: not this one
    "qa/check_users.py": "def test_users() -> None:\n    assert True\n",
    "tools/run.py": PRINT,
    "scripts/run.py": PRINT,  # the default `scripts/*` allows it
    "lib/scripts/run.py": PRINT,  # and the default `*/scripts/*` this one
}
ANCHORED = {
    "test-modules": ["qa/*"],
    "settings-modules": ["app/conf/*"],
    "store-modules": ["app/db/*"],
    "service-modules": ["./app/logic/*"],
    "router-modules": ["app/web/*"],
    "print-allowed": ["tools/*", "scripts/*", "*/scripts/*"],
}
WITH_OPTIONS = {
    ("app/db/users.py", "HR612"),
    ("app/logic/users.py", "HR612"),
    ("app/web/users.py", "HR607"),
    ("vendor/app/conf/env.py", "HR401"),
}
WITHOUT_OPTIONS = {
    ("app/conf/env.py", "HR401"),
    ("vendor/app/conf/env.py", "HR401"),
    ("qa/check_users.py", "HR001"),
    ("tools/run.py", "HR003"),
}


def run(cwd: Path, module: str, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return helpers.run_module(cwd, module, *args, stdin=stdin)


def flake8(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run(cwd, "flake8", *args)


def house_rules(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run(cwd, "flake8_house_rules.cli", *args)


def found(result: subprocess.CompletedProcess[str], cwd: Path, root: Path) -> set[tuple[str, str]]:
    """`(path from root, code)` of each reported line, whichever folder the tool ran in."""
    assert result.returncode in {0, 1}, result.stderr
    pairs = set()
    for line in result.stdout.splitlines():
        path, _, rest = line.partition(":")
        absolute = Path(os.path.normpath(cwd / path))
        pairs.add((absolute.relative_to(root).as_posix(), rest.split(" ")[1]))
    return pairs


def both(cwd: Path, root: Path, *args: str) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """What flake8 and the command report from `cwd`."""
    by_flake8 = found(flake8(cwd, "--select", SELECT, *args), cwd, root)
    command = house_rules(cwd, "check", "--no-cache", "-q", "--output-format", "concise", "--select", SELECT, *args)
    return by_flake8, found(command, cwd, root)


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)


def toml_table(values: dict[str, list[str]], name: str = "tool.flake8-house-rules") -> str:
    lines = [f"[{name}]"] + [f"{key} = {value!r}".replace("'", '"') for key, value in values.items()]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("where", [".", "app", "app/db"])
def test_root_anchored_patterns_in_the_table_match_from_the_root_and_from_a_subfolder(
    tmp_path: Path, where: str
) -> None:
    write(tmp_path, FILES)
    (tmp_path / "pyproject.toml").write_text(toml_table(ANCHORED))
    subfolder = tmp_path / where
    up = "/".join([".."] * (where.count("/") + 1)) if where != "." else "."
    assert both(subfolder, tmp_path, up) == (WITH_OPTIONS, WITH_OPTIONS)
    # only the subfolder's files, from there: the patterns still start at the project root
    inside = {pair for pair in WITH_OPTIONS if pair[0].startswith(where + "/") or where == "."}
    assert both(subfolder, tmp_path, ".") == (inside, inside)


def test_root_anchored_patterns_as_flags(tmp_path: Path) -> None:
    write(tmp_path, FILES)
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "demo"\n')
    flags = [f"--hr-{key}={','.join(value)}" for key, value in ANCHORED.items()]
    assert both(tmp_path, tmp_path, *flags) == (WITH_OPTIONS, WITH_OPTIONS)
    # from a subfolder, the patterns are still taken from the project root (the pyproject.toml's folder)
    by_flake8, by_command = both(tmp_path / "app", tmp_path, *flags, "..")
    assert by_flake8 == by_command == WITH_OPTIONS


def test_without_options_the_defaults_apply(tmp_path: Path) -> None:
    write(tmp_path, FILES)
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "demo"\n')
    assert both(tmp_path, tmp_path) == (WITHOUT_OPTIONS, WITHOUT_OPTIONS)


MONOREPO = {
    "backend/pyproject.toml": toml_table({"print-allowed": ["app/tools/*"], "settings-modules": ["app/env.py"]}),
    "backend/app/tools/main.py": PRINT,
    "backend/app/env.py": ENVIRON,
    "backend/app/other.py": PRINT,
    "worker/pyproject.toml": toml_table({"print-allowed": ["jobs/*"]}),
    "worker/jobs/run.py": PRINT,
    "worker/app/tools/main.py": PRINT,
    "worker/app/env.py": ENVIRON,
    # a packaging file without the table does not hide the table above it
    "worker/jobs/sub/pyproject.toml": '[project]\nname = "sub"\n',
    "worker/jobs/sub/run.py": PRINT,
    "top.py": PRINT,
}
MONOREPO_FOUND = {
    ("backend/app/other.py", "HR003"),
    ("worker/app/tools/main.py", "HR003"),
    ("worker/app/env.py", "HR401"),
    ("top.py", "HR003"),
}


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_each_file_takes_the_configuration_of_its_own_project(tmp_path: Path, jobs: str) -> None:
    write(tmp_path, MONOREPO)
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    by_flake8 = found(flake8(tmp_path, "--select", SELECT, "--jobs", jobs, "."), tmp_path, tmp_path)
    assert by_flake8 == MONOREPO_FOUND
    named = ["backend/app/other.py", "backend/app/tools/main.py", "worker/jobs/run.py", "worker/app/env.py"]
    by_flake8 = found(flake8(tmp_path, "--select", SELECT, "--jobs", jobs, *named), tmp_path, tmp_path)
    assert by_flake8 == {("backend/app/other.py", "HR003"), ("worker/app/env.py", "HR401")}


def test_an_editor_buffer_takes_the_configuration_of_its_path(tmp_path: Path) -> None:
    write(tmp_path, MONOREPO)
    path = tmp_path / "backend/app/tools/main.py"
    for cwd in (tmp_path, Path("/")):
        result = run(cwd, "flake8", "--select", "HR", "--stdin-display-name", str(path), "-", stdin=PRINT)
        assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    other = run(tmp_path, "flake8", "--select", "HR", "--stdin-display-name", "backend/app/other.py", "-", stdin=PRINT)
    assert other.stdout.split(" ")[1:2] == ["HR003"]


def _one_line_exit_2(result: subprocess.CompletedProcess[str], *needles: str) -> str:
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for needle in needles:
        assert needle in lines[0]
    return lines[0]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_bad_table_of_another_project_stops_flake8(tmp_path: Path, jobs: str) -> None:
    write(tmp_path, MONOREPO)
    (tmp_path / "worker/pyproject.toml").write_text(toml_table({"max-statements": "\N{SUPERSCRIPT TWO}"}))
    line = _one_line_exit_2(flake8(tmp_path, "--select", "HR", "--jobs", jobs, "."))
    assert line == (
        "flake8-house-rules: error: key 'max-statements' in [tool.flake8-house-rules] of "
        f"{tmp_path / 'worker/pyproject.toml'} has a bad value '\N{SUPERSCRIPT TWO}': "
        "expected a whole number such as 50"
    )


BAD_VALUES = [
    ("max-statements", "\N{SUPERSCRIPT TWO}", "expected a whole number"),
    ("max-extra-params", "\N{ARABIC-INDIC DIGIT THREE}", "expected a whole number"),
    ("max-statements", "abc", "expected a whole number"),
    ("allowed-numbers", "1,\N{ARABIC-INDIC DIGIT ONE}", "expected a number"),
    ("target-version", "3.99", "from 3.7 to 3.15"),
    ("target-version", "3.0", "from 3.7 to 3.15"),
    ("target-version", "3.\N{ARABIC-INDIC DIGIT ONE}\N{ARABIC-INDIC DIGIT TWO}", "expected a Python 3 version"),
    ("test-modules", "[", "unclosed '['"),
    ("print-allowed", "scripts/[a-", "unclosed '['"),
]


@pytest.mark.parametrize(("key", "value", "why"), BAD_VALUES)
def test_bad_values_are_one_line_naming_where_they_came_from(tmp_path: Path, key: str, value: str, why: str) -> None:
    (tmp_path / "m.py").write_text("x = 1\n")
    flag = f"--hr-{key}={value}"
    shown = repr(value.rsplit(",", maxsplit=1)[-1])
    for result in (flake8(tmp_path, "--select", "HR", flag, "m.py"), house_rules(tmp_path, "check", flag, "m.py")):
        _one_line_exit_2(result, f"option '--hr-{key}' has a bad value {shown}", why)
    (tmp_path / "setup.cfg").write_text(f"[flake8]\nhr-{key} = {value}\n")
    where = f"option 'hr-{key}' in [flake8] of {tmp_path / 'setup.cfg'} has a bad value {shown}"
    _one_line_exit_2(flake8(tmp_path, "--select", "HR", "m.py"), where, why)
    (tmp_path / "setup.cfg").unlink()
    (tmp_path / "pyproject.toml").write_text(toml_table({key: value}) if "," not in value else toml_table({}))
    if "," not in value:
        where = f"key '{key}' in [tool.flake8-house-rules] of {tmp_path / 'pyproject.toml'} has a bad value {shown}"
        for result in (flake8(tmp_path, "--select", "HR", "m.py"), house_rules(tmp_path, "check", "m.py")):
            _one_line_exit_2(result, where, why)


def test_good_values_still_pass(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text('"""M."""\n')
    for flag in ("--hr-target-version=3.7", "--hr-target-version=py315", "--hr-test-modules=[[]x.py,t[!a]_*.py"):
        assert flake8(tmp_path, "--select", "HR", flag, "m.py").returncode == 0
        assert house_rules(tmp_path, "check", "-q", "--no-cache", flag, "m.py").returncode == 0


def test_a_bad_pyproject_value_of_a_toml_type(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text("x = 1\n")
    (tmp_path / "pyproject.toml").write_text("[tool.flake8-house-rules]\nmax-statements = true\n")
    where = f"key 'max-statements' in [tool.flake8-house-rules] of {tmp_path / 'pyproject.toml'} has a bad value True"
    for result in (flake8(tmp_path, "--select", "HR", "m.py"), house_rules(tmp_path, "check", "m.py")):
        _one_line_exit_2(result, where)


def test_the_command_checks_each_file_under_its_own_project(tmp_path: Path) -> None:
    write(tmp_path, MONOREPO)
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    args = ("check", "--output-format", "concise", "-q", "--select", SELECT)
    for extra in (("--no-cache",), (), ()):  # cold without a cache, then cold and warm with one
        assert found(house_rules(tmp_path, *args, *extra), tmp_path, tmp_path) == MONOREPO_FOUND
    inside = {pair for pair in MONOREPO_FOUND if pair[0].startswith("backend/")}
    assert found(house_rules(tmp_path / "backend", *args, "--no-cache"), tmp_path / "backend", tmp_path) == inside
    # a changed table of one project is seen by the cache
    (tmp_path / "worker/pyproject.toml").write_text(toml_table({"print-allowed": ["jobs/*", "app/tools/*"]}))
    changed = MONOREPO_FOUND - {("worker/app/tools/main.py", "HR003")}
    assert found(house_rules(tmp_path, *args), tmp_path, tmp_path) == changed


def test_the_command_reads_an_editor_buffer_under_its_project(tmp_path: Path) -> None:
    write(tmp_path, MONOREPO)
    path = tmp_path / "backend/app/tools/main.py"
    for cwd in (tmp_path, Path("/")):
        result = run(cwd, "flake8_house_rules.cli", "check", "-q", "--stdin-filename", str(path), "-", stdin=PRINT)
        assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_the_command_reads_hr_options_set_for_flake8(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "setup.cfg").write_text("[flake8]\nhr-enable = HR005\nhr-max-statements = 3\n")
    (tmp_path / "a/m.py").write_text('"""M."""\n\n\ndef f() -> int:\n    """D."""\n    return 42\n')
    args = ("check", "--no-cache", "-q", "--output-format", "concise", "--select", "HR005")
    for cwd in (tmp_path, tmp_path / "a"):
        assert [line.split(" ")[1] for line in house_rules(cwd, *args).stdout.splitlines()] == ["HR005"]
        assert [line.split(" ")[1] for line in flake8(cwd, "--select", "HR005").stdout.splitlines()] == ["HR005"]
    # the table wins over the flake8 file; a flag over both
    (tmp_path / "pyproject.toml").write_text('[tool.flake8-house-rules]\nenable = ["HR010"]\n')
    assert house_rules(tmp_path, *args).stdout == ""
    assert house_rules(tmp_path, *args, "--hr-enable=HR0").stdout != ""
    (tmp_path / "pyproject.toml").unlink()
    (tmp_path / "setup.cfg").write_text("[flake8]\nhr-max-statements = x\n")
    where = f"option 'hr-max-statements' in [flake8] of {tmp_path / 'setup.cfg'} has a bad value 'x'"
    _one_line_exit_2(house_rules(tmp_path, "check", "--no-cache"), where)


@pytest.mark.parametrize(
    ("flag", "named"),
    [
        (("--select", ""), "option '--select' has a bad value ''"),
        (("--extend-exclude", "["), "option '--extend-exclude' has a bad value '['"),
        (("--exclude", "a[b"), "option '--exclude' has a bad value 'a[b'"),
    ],
)
def test_the_command_refuses_empty_selections_and_unclosed_globs(
    tmp_path: Path, flag: tuple[str, ...], named: str
) -> None:
    (tmp_path / "m.py").write_text("print(1)\n")
    _one_line_exit_2(house_rules(tmp_path, "check", "--no-cache", *flag, "m.py"), named)
