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
    assert result.out_lines == ["./mod.py:3:12: HR006 name the codes the `# noqa` silences, such as `# noqa: E501`"]


def test_blanket_noqa_with_codes_but_no_colon_is_told_where_the_colon_goes(flake8_path: Flake8Path) -> None:
    (flake8_path / "mod.py").write_text(BLANKET.replace("# noqa", "# noqa F401, E501"))
    result = flake8_path.run_flake8(["--select", "HR", "--disable-noqa"])
    assert result.out_lines == [
        "./mod.py:3:12: HR006 put the colon right after `noqa`, or flake8 silences every code: `# noqa: F401,E501`"
    ]


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


def test_relative_import_names_the_absolute_module_from_the_packages_on_disk(flake8_path: Flake8Path) -> None:
    (flake8_path / "app" / "users").mkdir(parents=True)
    (flake8_path / "app" / "__init__.py").write_text('"""App."""\n')
    (flake8_path / "app" / "users" / "__init__.py").write_text('"""Users."""\n')
    (flake8_path / "app" / "users" / "routes.py").write_text(
        '"""User routes."""\nfrom .models import User\nfrom ..core import db as database, cache, queue, mail\n'
        "from ... import outside\n"
    )
    (flake8_path / "loose").mkdir()
    (flake8_path / "loose" / "mod.py").write_text('"""Loose."""\nfrom .models import User\n')
    result = flake8_path.run_flake8(["--select", "HR011"])
    assert result.out_lines == [
        "./app/users/routes.py:2:1: HR011 use an absolute import instead of a relative one: "
        "`from app.users.models import User`",
        "./app/users/routes.py:3:1: HR011 use an absolute import instead of a relative one: "
        "`from app.core import db as database, cache, queue, ...`",
        "./app/users/routes.py:4:1: HR011 use an absolute import instead of the relative `from ... import ...`",
        "./loose/mod.py:2:1: HR011 use an absolute import instead of the relative `from .models import ...`",
    ]
