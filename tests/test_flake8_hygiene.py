"""HR0xx through real flake8: blanket `noqa` shows only with `--disable-noqa`; print paths; module names."""

from __future__ import annotations

from pytest_flake8_path import Flake8Path

BLANKET = '"""Module."""\n\nimport os  # noqa\n'


def codes(result: object) -> list[str]:
    return [line.split(" ")[1] for line in result.out_lines]  # type: ignore[attr-defined] - flake8 result


def test_blanket_noqa_is_silenced_by_itself_under_flake8(flake8_path: Flake8Path) -> None:
    (flake8_path / "mod.py").write_text(BLANKET)
    assert flake8_path.run_flake8(["--select", "HR"]).out_lines == []
    result = flake8_path.run_flake8(["--select", "HR", "--disable-noqa"])
    assert result.out_lines == ["./mod.py:3:12: HR006 name the codes the `# noqa` silences: `# noqa: E501`"]


def test_noqa_with_codes_is_not_blanket(flake8_path: Flake8Path) -> None:
    (flake8_path / "mod.py").write_text(BLANKET.replace("# noqa", "# noqa: F401"))
    assert flake8_path.run_flake8(["--select", "HR", "--disable-noqa"]).out_lines == []


def test_file_wide_flake8_noqa_shows_with_disable_noqa(flake8_path: Flake8Path) -> None:
    (flake8_path / "mod.py").write_text('# flake8: noqa\n"""Module."""\n\nprint("x")\n')
    assert flake8_path.run_flake8(["--select", "HR"]).out_lines == []
    assert codes(flake8_path.run_flake8(["--select", "HR", "--disable-noqa"])) == ["HR006", "HR003"]


def test_print_allowed_paths_and_noqa(flake8_path: Flake8Path) -> None:
    (flake8_path / "scripts").mkdir()
    (flake8_path / "scripts" / "sync.py").write_text('"""Sync."""\n\nprint("done")\n')
    (flake8_path / "app.py").write_text('"""App."""\n\nprint("done")\nprint("kept")  # noqa: HR003\n')
    result = flake8_path.run_flake8(["--select", "HR"])
    assert result.out_lines == ["./app.py:3:1: HR003 use the logger instead of `print(...)`"]


def test_module_docstring_is_reported_on_line_one(flake8_path: Flake8Path) -> None:
    (flake8_path / "mod.py").write_text("import os\n")
    result = flake8_path.run_flake8(["--select", "HR"])
    assert result.out_lines == ["./mod.py:1:1: HR001 add a docstring to the public module"]


def test_module_name_style_opt_in(flake8_path: Flake8Path) -> None:
    (flake8_path / "userService.py").write_text('"""Users."""\n')
    assert flake8_path.run_flake8(["--select", "HR"]).out_lines == []
    result = flake8_path.run_flake8(["--select", "HR", "--hr-enable", "HR012"])
    assert result.out_lines == ["./userService.py:1:1: HR012 rename the module file to `user_service.py` (snake case)"]
