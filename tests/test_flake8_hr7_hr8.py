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


def test_house_rules_cache_follows_the_pytest_configuration(tmp_path: Path) -> None:
    make(tmp_path, {"tests/test_a.py": ASYNC_TEST})
    assert [line.split(" ")[1] for line in concise(tmp_path, "--select", "HR803")] == ["HR803"]
    (tmp_path / "pytest.ini").write_text("[pytest]\nasyncio_mode = auto\n")  # not pyproject.toml: still a new key
    assert concise(tmp_path, "--select", "HR803") == []
