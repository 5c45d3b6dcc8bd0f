"""docs/patterns.md's worked examples, end to end through real flake8: its rules, its modules, its markers."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from conftest import MARKER_RE
from pytest_flake8_path import Flake8Path

DOC = Path(__file__).resolve().parent.parent / "docs" / "patterns.md"
BLOCK_RE = re.compile(r"^```(\w+)\n(.*?)^```", re.MULTILINE | re.DOTALL)


def _blocks(section: str) -> list[tuple[str, str]]:
    text = DOC.read_text(encoding="utf-8")
    start = text.index(f"\n## {section}\n")
    end = text.find("\n## ", start + 1)
    return BLOCK_RE.findall(text[start : end if end != -1 else len(text)])


def _modules() -> dict[str, str]:
    modules = {}
    for language, body in _blocks("Worked examples"):
        if language == "python":
            first, _, _ = body.partition("\n")
            assert first.startswith("# file: "), f"a worked example module must start with '# file: PATH': {first}"
            modules[first.removeprefix("# file: ").strip()] = body
    return modules


def _expected(modules: dict[str, str], codes: set[str] | None = None) -> set[tuple[str, int, str]]:
    expected = set()
    for path, body in modules.items():
        for number, line in enumerate(body.splitlines(), start=1):
            found = MARKER_RE.search(line)
            if found:
                expected |= {(path, number, code.strip()) for code in found.group(1).split(",")}
    return {item for item in expected if codes is None or item[2] in codes}


def _write(root: Path, modules: dict[str, str]) -> None:
    for path, body in modules.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(body, encoding="utf-8")


def _reported(lines: list[str]) -> set[tuple[str, int, str]]:
    found = set()
    for line in lines:
        path, number, _, message = line.split(":", 3)
        found.add((path.removeprefix("./"), int(number), message.split()[0]))
    return found


def test_worked_examples_through_flake8(flake8_path: Flake8Path) -> None:
    tables = [body for language, body in _blocks("Worked examples") if language == "toml"]
    pyproject = "\n".join(tables)
    declared = set(tomllib.loads(pyproject)["tool"]["flake8-house-rules"]["patterns"])
    modules = _modules()
    expected = _expected(modules)
    assert {code for _, _, code in expected} == declared, "every worked example needs a flagged line"
    (flake8_path / "pyproject.toml").write_text(pyproject)
    _write(flake8_path, modules)
    result = flake8_path.run_flake8(["--select", "HR9"])
    assert result.err == ""
    assert _reported(result.out_lines) == expected


def test_at_least_three_worked_examples_come_from_the_seeds() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert len(re.findall(r"^### HR9\d\d [a-z-]+ \(seeds? \d{3}", text, re.MULTILINE)) >= 3


def test_yaml_example_matches_the_toml_rules(flake8_path: Flake8Path) -> None:
    pytest.importorskip("yaml")
    [yaml_text] = [body for language, body in _blocks("A separate pattern file") if language == "yaml"]
    (flake8_path / "house.yaml").write_text(yaml_text)
    modules = _modules()
    _write(flake8_path, modules)
    result = flake8_path.run_flake8(["--select", "HR9", "--hr-pattern-file", "house.yaml"])
    assert result.err == ""
    assert _reported(result.out_lines) == _expected(modules, {"HR901", "HR903"})


def test_separate_file_toml_example_is_valid(flake8_path: Flake8Path) -> None:
    tables = [body for language, body in _blocks("A separate pattern file") if language == "toml"]
    (flake8_path / "house.toml").write_text("\n".join(tables))
    modules = _modules()
    _write(flake8_path, modules)
    result = flake8_path.run_flake8(["--select", "HR9", "--hr-pattern-file", "house.toml"])
    assert result.err == ""
    assert _reported(result.out_lines) == _expected(modules, {"HR901"})
