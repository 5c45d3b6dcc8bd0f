"""Tool configuration the pack reads, found as each tool finds it: pytest-asyncio's mode, coverage's exclusions."""

from __future__ import annotations

import fnmatch
import posixpath
from typing import TYPE_CHECKING

import pytest

from flake8_house_rules.config import build_config
from flake8_house_rules.paths import (
    asyncio_mode,
    asyncio_mode_from_options,
    coverage_excludes,
    coverage_options_in,
    matches,
    pytest_options_in,
)
from flake8_house_rules.rule import load_rules

if TYPE_CHECKING:
    from pathlib import Path

CODES = frozenset(load_rules())


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({"asyncio_mode": "auto"}, "auto"),
        ({"asyncio_mode": " Strict "}, "strict"),
        ({"addopts": "-ra --asyncio-mode=auto"}, "auto"),
        ({"addopts": ["-ra", "--asyncio-mode", "auto"]}, "auto"),
        ({"trio_mode": "true"}, "auto"),
        ({"trio_mode": True}, "auto"),
        ({"addopts": "-ra", "trio_mode": "false"}, None),
        ({}, None),
    ],
)
def test_mode_from_one_configuration(options: dict[str, object], expected: str | None) -> None:
    assert asyncio_mode_from_options(options) == expected


def test_pytest_files_in_pytest_order(tmp_path: Path) -> None:
    (tmp_path / "setup.cfg").write_text("[tool:pytest]\nasyncio_mode = auto\n")
    assert pytest_options_in(tmp_path) == {"asyncio_mode": "auto"}
    (tmp_path / "tox.ini").write_text("[tox]\nenvlist = py312\n")  # no [pytest]: not pytest's file
    assert pytest_options_in(tmp_path) == {"asyncio_mode": "auto"}
    (tmp_path / "tox.ini").write_text("[pytest]\nasyncio_mode = strict\n")
    assert pytest_options_in(tmp_path) == {"asyncio_mode": "strict"}
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")  # no pytest table: passed over
    assert pytest_options_in(tmp_path) == {"asyncio_mode": "strict"}
    (tmp_path / "pyproject.toml").write_text("[tool.pytest.ini_options]\nasyncio_mode = 'auto'\n")
    assert pytest_options_in(tmp_path) == {"asyncio_mode": "auto"}
    (tmp_path / "pytest.ini").write_text("")  # pytest.ini wins even when empty
    assert pytest_options_in(tmp_path) == {}
    assert pytest_options_in(tmp_path / "missing") is None


def test_broken_files_are_passed_over(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("not toml [")
    (tmp_path / "tox.ini").write_text("no section header\n")
    (tmp_path / "setup.cfg").write_text("[tool:pytest]\nasyncio_mode = auto\n")
    assert pytest_options_in(tmp_path) == {"asyncio_mode": "auto"}


def test_nearest_configuration_decides_and_the_option_wins(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.pytest.ini_options]\nasyncio_mode = 'auto'\n")
    (tmp_path / "pkg" / "tests").mkdir(parents=True)
    (tmp_path / "other" / "tests").mkdir(parents=True)
    (tmp_path / "other" / "pytest.ini").write_text("[pytest]\naddopts = -ra\n")
    unset = build_config({}, CODES, cwd=str(tmp_path))
    assert asyncio_mode("pkg/tests/test_a.py", unset) == "auto"
    assert asyncio_mode("other/tests/test_a.py", unset) == "strict"  # the nearer pytest.ini does not set it
    strict = build_config({"hr-asyncio-mode": "strict"}, CODES, cwd=str(tmp_path))
    assert asyncio_mode("pkg/tests/test_a.py", strict) == "strict"
    assert asyncio_mode(None, unset) == "auto"  # stdin: the working directory's configuration


def test_coverage_files_in_coverage_order(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.coverage.report]\nexclude_also = ['if __name__ == .__main__.:']\n")
    assert coverage_options_in(tmp_path) == {"exclude_also": ["if __name__ == .__main__.:"]}
    (tmp_path / "setup.cfg").write_text(
        "[coverage:report]\nexclude_lines =\n    pragma: no cover\n    raise AssertionError\n"
    )
    assert coverage_options_in(tmp_path) == {"exclude_lines": "\npragma: no cover\nraise AssertionError"}
    # coverage 7.13's `.coveragerc.toml` comes before setup.cfg: `[report]`, or `[tool.coverage.report]`
    (tmp_path / ".coveragerc.toml").write_text("[report]\nexclude_also = ['if TYPE_CHECKING:']\n")
    assert coverage_options_in(tmp_path) == {"exclude_also": ["if TYPE_CHECKING:"]}
    (tmp_path / ".coveragerc.toml").write_text("[tool.coverage.report]\nexclude_lines = ['never']\n")
    assert coverage_options_in(tmp_path) == {"exclude_lines": ["never"]}
    (tmp_path / ".coveragerc.toml").write_text("[run]\nbranch = true\n")  # coverage's own file, used as it is
    assert coverage_options_in(tmp_path) == {}
    (tmp_path / ".coveragerc").write_text("[run]\nbranch = true\n")  # .coveragerc wins even without [report]
    assert coverage_options_in(tmp_path) == {}
    assert coverage_options_in(tmp_path / "missing") is None


def test_coverage_excludes_from_the_nearest_configuration(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        "[tool.coverage.report]\nexclude_lines = ['pragma: no cover']\n"
        "exclude_also = ['if __name__ == .__main__.:', '(']\n"
    )
    (tmp_path / "pkg").mkdir()
    (tmp_path / "own").mkdir()
    (tmp_path / "own" / ".coveragerc").write_text("[run]\nbranch = true\n")
    config = build_config({}, CODES, cwd=str(tmp_path))
    patterns = coverage_excludes("pkg/tool.py", config)  # the invalid pattern `(` is dropped, as coverage would
    assert [pattern.pattern for pattern in patterns] == ["pragma: no cover", "if __name__ == .__main__.:"]
    assert coverage_excludes("own/tool.py", config) == ()  # the nearest configuration decides


@pytest.mark.parametrize(
    "patterns",
    [
        ("*settings.py", "*config.py"),
        ("tests/*", "test_*.py", "*_test.py", "conftest.py"),
        ("*/stores/*", "*store.py"),
        ("[ab]*.py", "x?.py", "[!c]z.py"),
        ("**/api/*.py", "/app/*"),
        ("scripts/*",),
        ("app/db/*", "tests/*"),
        ("*/scripts/*",),
        (),
    ],
)
def test_path_patterns_match_as_fnmatch_does(patterns: tuple[str, ...]) -> None:
    """The compiled patterns agree with `fnmatchcase`: a pattern with a '/' on the path from the project root
    or on that path with a leading '/', a pattern without one on the name.
    """
    paths = ["app/settings.py", "tests/test_x.py", "a/b/stores/x.py", "b1.py", "xy.py", "dz.py", "cz.py"]
    paths += ["app/api/v1/users.py", "app/api/users.py", "/abs/app/x.py", "app/x.py", "src/conftest.py", "a.py\n"]
    paths += ["scripts/run.py", "tools/scripts/run.py", "/abs/scripts/run.py", "app/db/x.py", "lib/app/db/x.py"]
    for path in paths:
        rooted, name = "/" + path.lstrip("/"), posixpath.basename(path)
        expected = any(
            fnmatch.fnmatchcase(path, pattern) or fnmatch.fnmatchcase(rooted, pattern)
            if "/" in pattern
            else fnmatch.fnmatchcase(name, pattern)
            for pattern in patterns
        )
        assert matches(path, patterns) is expected, (path, patterns)


@pytest.mark.parametrize(
    ("path", "pattern", "expected"),
    [
        ("scripts/run.py", "scripts/*", True),
        ("tools/scripts/run.py", "scripts/*", False),
        ("tools/scripts/run.py", "*/scripts/*", True),
        ("scripts/run.py", "*/scripts/*", True),
        ("/elsewhere/scripts/run.py", "scripts/*", False),
        ("/elsewhere/scripts/run.py", "*/scripts/*", True),
        ("app/db/session.py", "app/db/*", True),
        ("lib/app/db/session.py", "app/db/*", False),
        ("scripts/run.py", "/scripts/*", True),
        ("app/settings.py", "app/settings.py", True),
    ],
)
def test_root_anchored_patterns(path: str, pattern: str, expected: bool) -> None:
    """A pattern with '/' matches from the project root; `*/x/*` at any depth, the root's own `x/` too."""
    assert matches(path, (pattern,)) is expected
