"""Wiring of the HR7xx and HR8xx rules through real flake8 and house-rules: lines, noqa, test modules, tool config."""

from __future__ import annotations

from typing import TYPE_CHECKING

from test_cli import concise, make

if TYPE_CHECKING:
    from pathlib import Path

    from pytest_flake8_path import Flake8Path

SILENT = '"""Runs."""\n\ntry:\n    run()\nexcept Exception:  # noqa: HR701\n    pass\n'
ASYNC_TEST = "async def test_a() -> None:\n    assert True\n"
PATCHED = "from unittest.mock import patch\n\n\ndef test_a() -> None:\n    with patch('app.send'):\n        pass\n"


def test_except_rules_report_at_the_except_line_and_noqa_there_works(flake8_path: Flake8Path) -> None:
    (flake8_path / "mod.py").write_text(SILENT)
    result = flake8_path.run_flake8(["--select", "HR"])
    assert result.out_lines == [
        "./mod.py:5:1: HR705 do not swallow the exception silently: handle or log it, or use `contextlib.suppress(...)`"
    ]


def test_test_rules_run_only_in_test_modules(flake8_path: Flake8Path) -> None:
    (flake8_path / "tests").mkdir()
    (flake8_path / "tests" / "test_api.py").write_text(PATCHED)
    (flake8_path / "app.py").write_text(PATCHED)
    result = flake8_path.run_flake8(["--select", "HR8"])
    assert [line.split(": ")[0] + " " + line.split(" ")[1] for line in result.out_lines] == [
        "./tests/test_api.py:5:10 HR801"
    ]


def test_async_tests_follow_the_project_pytest_configuration(flake8_path: Flake8Path) -> None:
    for name in ("auto", "strict"):
        (flake8_path / name / "tests").mkdir(parents=True)
        (flake8_path / name / "tests" / "test_a.py").write_text(ASYNC_TEST)
    (flake8_path / "auto" / "pytest.ini").write_text("[pytest]\nasyncio_mode = auto\n")
    (flake8_path / "strict" / "pyproject.toml").write_text("[tool.pytest.ini_options]\nasyncio_mode = 'strict'\n")
    result = flake8_path.run_flake8(["--select", "HR803"])
    assert [line.split(":")[0] for line in result.out_lines] == ["./strict/tests/test_a.py"]
    forced = flake8_path.run_flake8(["--select", "HR803", "--hr-asyncio-mode", "auto"])
    assert forced.out_lines == []


def test_main_guard_pragma(flake8_path: Flake8Path) -> None:
    (flake8_path / "tool.py").write_text("def main() -> None:\n    pass\n\n\nif __name__ == '__main__':\n    main()\n")
    (flake8_path / "ok.py").write_text("if __name__ == '__main__':  # pragma: no cover\n    pass\n")
    result = flake8_path.run_flake8(["--select", "HR804"])
    assert [line.split(": ")[0] for line in result.out_lines] == ["./tool.py:5:1"]


def test_main_guard_excluded_by_the_coverage_configuration(flake8_path: Flake8Path) -> None:
    (flake8_path / "tool").mkdir()
    (flake8_path / "tool" / "run.py").write_text("if __name__ == '__main__':\n    pass\n")
    (flake8_path / "tool" / ".coveragerc").write_text("[report]\nexclude_also =\n    if __name__ == .__main__.:\n")
    assert flake8_path.run_flake8(["--select", "HR804"]).out_lines == []


def test_main_guard_excluded_by_a_coveragerc_toml(flake8_path: Flake8Path, tmp_path: Path) -> None:
    """coverage 7.13 reads `.coveragerc.toml`; the `house-rules` cache sees it change too."""
    (flake8_path / "run.py").write_text("if __name__ == '__main__':\n    pass\n")
    (flake8_path / ".coveragerc.toml").write_text("[report]\nexclude_also = ['if __name__ == .__main__.:']\n")
    assert flake8_path.run_flake8(["--select", "HR804"]).out_lines == []
    make(tmp_path, {"run.py": "if __name__ == '__main__':\n    pass\n"})
    assert [line.split(" ")[1] for line in concise(tmp_path, "--select", "HR804")] == ["HR804"]
    (tmp_path / ".coveragerc.toml").write_text("[report]\nexclude_also = ['if __name__ == .__main__.:']\n")
    assert concise(tmp_path, "--select", "HR804") == []


def test_house_rules_cache_follows_the_pytest_configuration(tmp_path: Path) -> None:
    make(tmp_path, {"tests/test_a.py": ASYNC_TEST})
    assert [line.split(" ")[1] for line in concise(tmp_path, "--select", "HR803")] == ["HR803"]
    (tmp_path / "pytest.ini").write_text("[pytest]\nasyncio_mode = auto\n")  # not pyproject.toml: still a new key
    assert concise(tmp_path, "--select", "HR803") == []


def _reported(result: object) -> list[str]:
    return [line.split(":")[0] for line in result.out_lines]  # type: ignore[attr-defined] - flake8 result


def test_asyncio_mode_auto_in_every_pytest_configuration_file(flake8_path: Flake8Path) -> None:
    files = {
        "ini": ("pytest.ini", "[pytest]\nasyncio_mode = auto\n"),
        "toml": ("pyproject.toml", "[tool.pytest.ini_options]\nasyncio_mode = 'auto'\n"),
        "cfg": ("setup.cfg", "[tool:pytest]\nasyncio_mode = auto\n"),
        "tox": ("tox.ini", "[pytest]\nasyncio_mode = auto\n"),
        "addopts": ("pytest.ini", "[pytest]\naddopts = -q --asyncio-mode=auto\n"),
        "strict": ("tox.ini", "[pytest]\nasyncio_mode = strict\n"),
    }
    for folder, (name, text) in files.items():
        (flake8_path / folder / "tests").mkdir(parents=True)
        (flake8_path / folder / name).write_text(text)
        (flake8_path / folder / "tests" / "test_a.py").write_text(ASYNC_TEST)
    assert _reported(flake8_path.run_flake8(["--select", "HR803"])) == ["./strict/tests/test_a.py"]


def test_a_conftest_loading_a_coroutine_plugin_runs_unmarked_async_tests(flake8_path: Flake8Path) -> None:
    conftests = {
        "aiohttp": 'pytest_plugins = ["aiohttp.pytest_plugin", "pytester"]\n',
        "anyio": 'pytest_plugins = ("anyio",)\n',
        "trio": 'pytest_plugins = "pytest_trio"\n',
        "other": 'pytest_plugins = ["pytester"]\n',
    }
    for folder, text in conftests.items():
        (flake8_path / folder / "tests" / "unit").mkdir(parents=True)
        (flake8_path / folder / "tests" / "conftest.py").write_text(text)
        (flake8_path / folder / "tests" / "unit" / "test_a.py").write_text(ASYNC_TEST)
    # the plugin is loaded by the rootdir's conftest too, and by `-p` in addopts
    (flake8_path / "root" / "tests").mkdir(parents=True)
    (flake8_path / "root" / "pytest.ini").write_text("[pytest]\n")
    (flake8_path / "root" / "conftest.py").write_text('pytest_plugins = ["aiohttp.pytest_plugin"]\n')
    (flake8_path / "root" / "tests" / "test_a.py").write_text(ASYNC_TEST)
    (flake8_path / "opts" / "tests").mkdir(parents=True)
    (flake8_path / "opts" / "setup.cfg").write_text("[tool:pytest]\naddopts = -p aiohttp.pytest_plugin\n")
    (flake8_path / "opts" / "tests" / "test_a.py").write_text(ASYNC_TEST)
    assert _reported(flake8_path.run_flake8(["--select", "HR803"])) == ["./other/tests/unit/test_a.py"]


def test_a_conftest_above_the_pytest_rootdir_does_not_count(flake8_path: Flake8Path) -> None:
    (flake8_path / "project" / "tests").mkdir(parents=True)
    (flake8_path / "conftest.py").write_text('pytest_plugins = ["aiohttp.pytest_plugin"]\n')
    (flake8_path / "project" / "pytest.ini").write_text("[pytest]\n")
    (flake8_path / "project" / "tests" / "test_a.py").write_text(ASYNC_TEST)
    assert _reported(flake8_path.run_flake8(["--select", "HR803"])) == ["./project/tests/test_a.py"]


def test_unittest_coroutine_tests(flake8_path: Flake8Path) -> None:
    (flake8_path / "tests").mkdir()
    (flake8_path / "pytest.ini").write_text("[pytest]\nasyncio_mode = auto\n")
    (flake8_path / "tests" / "test_case.py").write_text(
        "import unittest\n\n\nclass TestFetch(unittest.TestCase):\n    async def test_fetch(self) -> None:\n"
        "        self.assertTrue(False)\n\n\nclass TestAsync(unittest.IsolatedAsyncioTestCase):\n"
        "    async def test_fetch(self) -> None:\n        self.assertTrue(True)\n"
    )
    result = flake8_path.run_flake8(["--select", "HR803"])
    assert result.out_lines == [
        "./tests/test_case.py:5:5: HR803 `unittest.TestCase` never awaits this coroutine test: derive the class "
        "from `unittest.IsolatedAsyncioTestCase`"
    ]


def test_loop_instead_of_parametrize_reports_each_loop_at_its_for_line(flake8_path: Flake8Path) -> None:
    (flake8_path / "tests").mkdir()
    (flake8_path / "tests" / "test_parse.py").write_text(
        "def test_parse_bool() -> None:\n    for value in ['1', 'yes']:\n        assert parse_bool(value)\n"
        "    for value in ['0', 'no']:  # noqa: HR805\n        assert not parse_bool(value)\n"
    )
    result = flake8_path.run_flake8(["--select", "HR805"])
    assert [line.split(": ")[0] for line in result.out_lines] == ["./tests/test_parse.py:2:5"]


def test_house_rules_cache_follows_the_conftest_plugins(tmp_path: Path) -> None:
    make(tmp_path, {"tests/test_a.py": ASYNC_TEST})
    assert [line.split(" ")[1] for line in concise(tmp_path, "--select", "HR803")] == ["HR803"]
    (tmp_path / "tests" / "conftest.py").write_text('pytest_plugins = ["aiohttp.pytest_plugin"]\n')
    assert concise(tmp_path, "--select", "HR803") == []
