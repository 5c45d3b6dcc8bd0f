"""The project model's caches: summaries on disk for flake8, and results that depend on other modules."""

from __future__ import annotations

import marshal
import os
import stat
import sys
from typing import TYPE_CHECKING

import pytest
from test_project_rules import SCHEMA, USERS, flake8, house_rules, write

from flake8_house_rules import __version__

if TYPE_CHECKING:
    from pathlib import Path


@pytest.fixture(autouse=True)
def summary_cache_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HOUSE_RULES_SUMMARY_CACHE", raising=False)


def test_a_module_that_becomes_a_package_invalidates_cached_results(tmp_path: Path) -> None:
    """Finding 3.1 of cli-and-reliability.md: the cached HR607 must not outlive the module it was about."""
    write(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/stores/__init__.py": "",
            "app/x/__init__.py": "",
            "app/stores/items.py": '"""Store."""\n\nfrom app.x.user_service import helpers\n\n__all__ = ["helpers"]\n',
            "app/x/user_service.py": '"""Svc."""\n\nhelpers = 1\n',
        },
    )
    assert house_rules(tmp_path, "--select", "HR607") == ["app/stores/items.py:3 HR607"]
    (tmp_path / "app/x/user_service.py").unlink()
    write(tmp_path, {"app/x/user_service/__init__.py": '"""P."""\n', "app/x/user_service/helpers.py": '"""H."""\n'})
    assert house_rules(tmp_path, "--select", "HR607") == []
    assert house_rules(tmp_path, "--select", "HR607", "--no-cache") == []


def test_a_changed_base_invalidates_the_results_of_the_modules_using_it(tmp_path: Path) -> None:
    write(tmp_path, {**SCHEMA, "app/users/schemas.py": USERS})
    first = house_rules(tmp_path, "--select", "HR403")
    assert len(first) == 5
    schema = tmp_path / "app/core/schema.py"
    schema.write_text(schema.read_text().replace("class Schema(BaseModel):", "class Schema:"))
    assert house_rules(tmp_path, "--select", "HR403") == []


def test_flake8_keeps_summaries_on_disk_and_reads_them_back(tmp_path: Path) -> None:
    write(tmp_path, {**SCHEMA, "app/users/schemas.py": USERS})
    first = flake8(tmp_path, "--select", "HR403", "-j", "1")
    stored = tmp_path / ".house_rules_cache" / __version__ / "summaries"
    data = marshal.loads(stored.read_bytes())
    assert str(tmp_path / "app/core/schema.py") in data["entries"]
    assert (tmp_path / ".house_rules_cache" / ".gitignore").read_text().splitlines()[-1] == "*"
    assert flake8(tmp_path, "--select", "HR403", "-j", "1") == first
    # turned off: nothing is written
    other = tmp_path / "other"
    other.mkdir()
    write(other, {**SCHEMA, "app/users/schemas.py": USERS})
    os.environ["HOUSE_RULES_SUMMARY_CACHE"] = "off"
    try:
        assert flake8(other, "--select", "HR403") == first
    finally:
        del os.environ["HOUSE_RULES_SUMMARY_CACHE"]
    assert not (other / ".house_rules_cache").exists()


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="root ignores file modes")
def test_a_read_only_project_still_lints(tmp_path: Path) -> None:
    write(tmp_path, {**SCHEMA, "app/users/schemas.py": USERS})
    modes = {}
    for folder in [tmp_path, *(path for path in tmp_path.rglob("*") if path.is_dir())]:
        modes[folder] = folder.stat().st_mode
        folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        assert len(flake8(tmp_path, "--select", "HR403")) == 5
    finally:
        for folder, mode in modes.items():
            folder.chmod(mode)


def test_a_cache_folder_that_cannot_be_written_is_no_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, {**SCHEMA, "app/users/schemas.py": USERS})
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("HOUSE_RULES_SUMMARY_CACHE", str(blocker / "cache"))
    assert len(flake8(tmp_path, "--select", "HR403")) == 5  # and nothing on stderr (`flake8` asserts that)


def test_flake8_sees_a_base_edited_within_the_same_second_with_its_size_and_time_kept(tmp_path: Path) -> None:
    """A summary is stored without a stamp while its file is freshly written (`stamps.py`): the next run hashes it.

    Before, the summary cache trusted size and modification time alone: an edit that kept both (two saves in
    one second on a coarse file system, or a tool that restores times) left the old summary in place.
    """
    write(tmp_path, {**SCHEMA, "app/users/schemas.py": USERS})
    assert len(flake8(tmp_path, "--select", "HR403", "-j", "1")) == 5
    schema = tmp_path / "app/core/schema.py"
    before = schema.stat()
    schema.write_text(schema.read_text().replace("class Schema(BaseModel):", "class Schema(BaseMode1):"))
    os.utime(schema, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert schema.stat().st_size == before.st_size
    assert flake8(tmp_path, "--select", "HR403", "-j", "1") == []
