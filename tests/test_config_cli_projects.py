"""The command's projects (`cli/projects.py`): files grouped by their own table, settings and fingerprints."""

from __future__ import annotations

from pathlib import Path

import pytest

from flake8_house_rules.cli.projects import Projects
from flake8_house_rules.cli.settings import Overrides, Project
from flake8_house_rules.config import ConfigError
from flake8_house_rules.rule import load_rules


def _tree(root: Path) -> dict[str, Path]:
    files = {
        "top": root / "top.py",
        "backend": root / "backend/app/m.py",
        "worker": root / "worker/jobs/run.py",
        "sub": root / "worker/jobs/sub/run.py",
    }
    for path in files.values():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x = 1\n")
    (root / "pyproject.toml").write_text('[project]\nname = "repo"\n')
    (root / "backend/pyproject.toml").write_text('[tool.flake8-house-rules]\nprint-allowed = ["app/*"]\n')
    (root / "worker/pyproject.toml").write_text("[tool.flake8-house-rules]\nmax-statements = 9\n")
    (root / "worker/jobs/sub/pyproject.toml").write_text('[project]\nname = "sub"\n')  # no table: passed over
    return files


def test_files_are_grouped_by_their_own_table(tmp_path: Path) -> None:
    files = _tree(tmp_path)
    projects = Projects(Project.locate(str(tmp_path)), Overrides())
    groups = projects.group(str(path) for path in files.values())
    assert groups == {
        str(tmp_path): [str(files["top"])],
        str(tmp_path / "backend"): [str(files["backend"])],
        str(tmp_path / "worker"): [str(files["worker"]), str(files["sub"])],
    }
    rules = load_rules()
    assert projects.settings(str(tmp_path / "worker"), rules).config.max_statements == 9
    assert projects.settings(str(tmp_path / "backend"), rules).config.print_allowed == ("app/*",)
    assert projects.settings(str(tmp_path / "backend"), rules).config.cwd == str(tmp_path / "backend")
    assert projects.settings(str(tmp_path), rules).config.max_statements == 50


def test_the_fingerprint_covers_every_project_of_the_files(tmp_path: Path) -> None:
    files = _tree(tmp_path)
    paths = [str(path) for path in files.values()]
    first = Projects(Project.locate(str(tmp_path)), Overrides()).fingerprint(paths)
    only_top = Projects(Project.locate(str(tmp_path)), Overrides()).fingerprint([str(files["top"])])
    assert first != only_top
    (tmp_path / "worker/pyproject.toml").write_text("[tool.flake8-house-rules]\nmax-statements = 8\n")
    assert Projects(Project.locate(str(tmp_path)), Overrides()).fingerprint(paths) != first


def test_a_bad_table_of_any_project_is_an_error(tmp_path: Path) -> None:
    files = _tree(tmp_path)
    (tmp_path / "worker/pyproject.toml").write_text('[tool.flake8-house-rules]\nmax-statements = "x"\n')
    projects = Projects(Project.locate(str(tmp_path)), Overrides())
    with pytest.raises(ConfigError, match=r"key 'max-statements' in \[tool.flake8-house-rules\] of .*worker"):
        projects.validate([str(path) for path in files.values()], load_rules())


def test_the_working_directory_project_is_the_nearest_table(tmp_path: Path) -> None:
    _tree(tmp_path)
    assert Project.locate(str(tmp_path / "worker/jobs/sub")).root == str(tmp_path / "worker")
    assert Project.locate(str(tmp_path / "backend/app")).root == str(tmp_path / "backend")
    assert Project.locate(str(tmp_path)).root == str(tmp_path)  # no table: the nearest pyproject.toml's folder


def test_a_given_pyproject_is_the_project_even_without_a_table(tmp_path: Path) -> None:
    _tree(tmp_path)
    sub = Project.of_pyproject(tmp_path / "worker/jobs/sub/pyproject.toml")
    assert (sub.root, sub.table) == (str(tmp_path / "worker/jobs/sub"), {})
    worker = Project.of_pyproject(tmp_path / "worker/pyproject.toml")
    assert worker.table == {"max-statements": 9}
