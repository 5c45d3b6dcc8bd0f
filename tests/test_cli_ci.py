"""`house-rules` as CI runs it: files it cannot check, write failures, positions, links, paths, baselines.

Each test reproduces one entry of the findings on the command (`shared/findings/cli-and-reliability.md`
sections 1, 2, 4 and 10) through the real program in a subprocess, and where flake8 or ruff defines the
behaviour, compares with them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import helpers
import pytest

from flake8_house_rules import __version__

DOC = '"""A module of the test project."""\n\n'
PYPROJECT = '[project]\nname = "demo"\nrequires-python = ">=3.11"\n'
LEGACY = (
    '[tool.flake8-house-rules.patterns.HR901]\nname = "legacy-call"\nmessage = "no legacy"\n'
    'pattern = "legacy_client($$$A)"\n'
)
FORMATS = ("full", "concise", "json", "github", "sarif")


def house_rules(
    cwd: Path, *args: str, stdin: str | None = None, stdout: int | None = None
) -> subprocess.CompletedProcess[str]:
    env = {"HOUSE_RULES_CACHE_DIR": str(cwd / ".cache")}
    return helpers.house_rules(cwd, *args, stdin=stdin, env=env, stdout=stdout)


def make(root: Path, files: dict[str, str], pyproject: str = PYPROJECT) -> Path:
    return helpers.make(root, files, pyproject)


def as_json(cwd: Path, *args: str) -> list[dict[str, object]]:
    result = house_rules(cwd, "check", "--output-format", "json", *args)
    assert result.returncode in {0, 1}, result.stderr
    return json.loads(result.stdout)


def sarif_run(cwd: Path, *args: str) -> dict[str, object]:
    result = house_rules(cwd, "check", "--output-format", "sarif", "--exit-zero", *args)
    assert result.returncode in {0, 1}, result.stderr
    return json.loads(result.stdout)["runs"][0]


# 1.1, 1.2, 1.4, 10.3: a file the command cannot check fails the run, in every format


@pytest.mark.parametrize("style", FORMATS)
def test_a_syntax_error_fails_the_run_in_every_format(tmp_path: Path, style: str) -> None:
    make(tmp_path, {"broken.py": "def f(:\n", "ok.py": DOC})
    result = house_rules(tmp_path, "check", "--no-cache", "--output-format", style)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    if style == "concise":
        assert result.stdout.splitlines()[0] == "broken.py:1:7: E999 SyntaxError: invalid syntax"
    elif style == "full":
        assert " --> broken.py:1:7" in result.stdout
        assert "Found 1 error." in result.stdout
    elif style == "github":
        assert "file=broken.py,line=1,col=7" in result.stdout or ",line=1,col=7" in result.stdout
        assert "E999 SyntaxError: invalid syntax" in result.stdout
    elif style == "json":
        (item,) = json.loads(result.stdout)
        assert (item["code"], item["location"], item["name"]) == ("E999", {"column": 7, "row": 1}, "syntax-error")
    else:
        jsonschema = pytest.importorskip("jsonschema")
        schema = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text())
        jsonschema.Draft4Validator(schema).validate(json.loads(result.stdout))
        run = json.loads(result.stdout)["runs"][0]
        (invocation,) = run["invocations"]
        assert invocation["executionSuccessful"] is False
        (note,) = invocation["toolExecutionNotifications"]
        assert note["descriptor"] == {"id": "E999"}
        assert "SyntaxError: invalid syntax" in note["message"]["text"]
        assert [r["ruleId"] for r in run["results"]] == ["E999"]


def test_a_syntax_error_is_cached_and_still_fails(tmp_path: Path) -> None:
    make(tmp_path, {"broken.py": "x = (\n"})
    first = house_rules(tmp_path, "check", "--output-format", "concise")
    second = house_rules(tmp_path, "check", "--output-format", "concise")
    assert first.returncode == second.returncode == 1
    assert first.stdout == second.stdout
    assert first.stdout.startswith("broken.py:1:5: E999 SyntaxError: '(' was never closed")


def test_unreadable_files_fail_the_run_in_a_walk_and_named(tmp_path: Path) -> None:
    make(tmp_path, {"ok.py": DOC + "from . import x\n"})
    os.symlink("b.py", tmp_path / "a.py")  # a loop: reading it fails with ELOOP
    os.symlink("a.py", tmp_path / "b.py")
    os.symlink("missing.py", tmp_path / "dangling.py")
    walked = house_rules(tmp_path, "check", "--no-cache", "--output-format", "concise")
    lines = walked.stdout.splitlines()
    assert walked.returncode == 1
    assert "a.py:1:1: E902 OSError: Too many levels of symbolic links" in lines
    assert "dangling.py:1:1: E902 FileNotFoundError: No such file or directory" in lines
    assert any(line.startswith("ok.py:3:1: HR011") for line in lines)
    # named on the command line (finding 1.4): the others are still checked
    named = house_rules(tmp_path, "check", "--no-cache", "--output-format", "concise", "ok.py", "a.py")
    assert named.returncode == 1, named.stderr
    assert named.stdout.splitlines()[0] == "a.py:1:1: E902 OSError: Too many levels of symbolic links"
    assert any(line.startswith("ok.py:3:1: HR011") for line in named.stdout.splitlines())


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads a mode-000 file anyway")
def test_a_file_without_read_permission_fails_the_run(tmp_path: Path) -> None:
    make(tmp_path, {"secret.py": "print(1)\n"})
    (tmp_path / "secret.py").chmod(0)
    result = house_rules(tmp_path, "check", "--no-cache", "--output-format", "concise")
    assert result.returncode == 1
    assert result.stdout.startswith("secret.py:1:1: E902 PermissionError: Permission denied")


def test_bom_with_another_coding_line_gives_pythons_message(tmp_path: Path) -> None:
    make(tmp_path, {})
    (tmp_path / "m.py").write_bytes(b"\xef\xbb\xbf# coding: utf8\nprint(1)\n")
    result = house_rules(tmp_path, "check", "--no-cache", "--output-format", "concise")
    assert result.returncode == 1
    assert result.stdout.splitlines()[0] == "m.py:1:1: E999 SyntaxError: encoding problem: utf8 with BOM"
    python = subprocess.run([sys.executable, "m.py"], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert "encoding problem: utf8 with BOM" in python.stderr


def test_unparseable_stdin_and_exit_zero(tmp_path: Path) -> None:
    make(tmp_path, {})
    piped = house_rules(tmp_path, "check", "--output-format", "concise", "-", stdin="def f(:\n")
    assert (piped.returncode, piped.stdout.splitlines()[0]) == (1, "-:1:7: E999 SyntaxError: invalid syntax")
    assert house_rules(tmp_path, "check", "--exit-zero", "-", stdin="def f(:\n").returncode == 0


# 1.3: a report that cannot be written


def test_a_full_disk_is_one_line_and_exit_2(tmp_path: Path) -> None:
    if not os.path.exists("/dev/full"):
        pytest.skip("needs /dev/full")
    make(tmp_path, {"clean.py": DOC, "m.py": "print(1)\n"})
    for name in ("m.py", "clean.py"):
        with open("/dev/full", "w") as full:
            result = house_rules(tmp_path, "check", "--no-cache", name, stdout=full.fileno())
        assert result.returncode == 2, result.stderr
        assert result.stderr == "house-rules: error: cannot write the report: No space left on device\n"


def test_output_file_and_its_errors(tmp_path: Path) -> None:
    make(tmp_path, {"m.py": "print(1)\n"})
    written = house_rules(tmp_path, "check", "--output-format", "concise", "--output-file", "report.txt")
    assert (written.returncode, written.stdout) == (1, "")
    assert (tmp_path / "report.txt").read_text().startswith("m.py:1:1: HR001")
    missing = house_rules(tmp_path, "check", "-o", "missing/dir/report.txt")
    assert missing.returncode == 2
    assert missing.stderr == (
        "house-rules: error: cannot write the report to missing/dir/report.txt: No such file or directory\n"
    )


# 2.1: columns are characters, as ruff and flake8's own checks count them


def test_columns_are_characters_in_every_output_and_in_the_plugin(tmp_path: Path) -> None:
    source = (
        '"""M."""\nfrom typing import Optional\n\nNAME = "éééééé"; y: Optional[int] = legacy_client()  # noqa: E702\n'
    )
    make(tmp_path, {"u.py": source}, PYPROJECT + LEGACY)
    found = {
        item["code"]: (item["location"], item["end_location"])
        for item in as_json(tmp_path, "--no-cache", "--select", "HR101,HR901")
    }
    # ruff's UP045 for the same annotation: 21..34
    assert found["HR101"] == ({"column": 21, "row": 4}, {"column": 34, "row": 4})
    assert found["HR901"] == ({"column": 37, "row": 4}, {"column": 52, "row": 4})
    full = house_rules(tmp_path, "check", "--no-cache", "--select", "HR101").stdout.splitlines()
    line = next(index for index, text in enumerate(full) if text.startswith("4 | "))
    assert full[line + 1] == "  |" + " " * 21 + "^" * 13
    sarif = sarif_run(tmp_path, "--no-cache", "--select", "HR101")
    assert sarif["columnKind"] == "unicodeCodePoints"
    region = sarif["results"][0]["locations"][0]["physicalLocation"]["region"]
    assert (region["startColumn"], region["endColumn"]) == (21, 34)
    flake8 = subprocess.run(
        [sys.executable, "-m", "flake8", "--select", "HR101,HR901", "u.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert flake8.stdout.splitlines() == [
        "u.py:4:21: HR101 use `int | None` instead of `Optional[int]`",
        "u.py:4:37: HR901 no legacy",
    ]


# 2.2: SARIF fingerprints


def test_sarif_fingerprints_are_distinct_and_stable(tmp_path: Path) -> None:
    source = (
        '"""M."""\nfrom typing import Optional\n\n\ndef f(a: Optional[int], b: Optional[int]) -> None:\n'
        '    """D."""\n    print(a)\n\n\ndef g(a: int) -> None:\n    """D."""\n    print(a)\n'
    )
    make(tmp_path, {"m.py": source})

    def prints() -> list[str]:
        return [r["partialFingerprints"]["houseRules/v2"] for r in sarif_run(tmp_path, "--no-cache")["results"]]

    before = prints()
    assert len(before) == 5
    assert len(set(before)) == 5
    (tmp_path / "m.py").write_text("# Copyright header.\n\n" + source)  # an unrelated edit above
    assert prints() == before


# 2.3: links to each rule's page


def test_json_url_and_sarif_help_uri_link_each_rule_page(tmp_path: Path) -> None:
    from importlib import metadata  # noqa: PLC0415 - only this test reads it

    make(tmp_path, {"m.py": "print(1)\n"}, PYPROJECT + LEGACY)
    (tmp_path / "m.py").write_text("print(1)\nlegacy_client()\n")
    pages = next(
        entry.split(",", 1)[1].strip()
        for entry in metadata.metadata("flake8-house-rules").get_all("Project-URL")
        if entry.split(",", 1)[0].strip() == "Rule pages"
    )
    urls = {item["code"]: item["url"] for item in as_json(tmp_path, "--no-cache")}
    assert urls["HR003"] == f"{pages}/HR003.md"
    assert urls["HR901"] is None  # a project's pattern rule has no published page
    rules = {rule["id"]: rule for rule in sarif_run(tmp_path, "--no-cache")["tool"]["driver"]["rules"]}
    assert rules["HR003"]["helpUri"] == f"{pages}/HR003.md"
    assert "helpUri" not in rules["HR901"]
    assert (Path(__file__).parent.parent / "docs" / "rules" / "HR003.md").is_file()  # the page exists


# 2.4: github and SARIF paths from the repository root


def test_github_and_sarif_paths_are_relative_to_the_repository_root(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q", "."], cwd=tmp_path, check=True)
    backend = tmp_path / "backend"
    backend.mkdir()
    make(backend, {"app/m.py": '"""M."""\n\nprint(1)\n'}, '[project]\nname = "backend"\n')
    github = house_rules(backend, "check", "--no-cache", "-q", "--output-format", "github")
    assert github.stdout.startswith(
        "::error title=house-rules (HR003),file=backend/app/m.py,line=3,col=1,endLine=3,endColumn=9::app/m.py:3:1:"
    )
    run = sarif_run(backend, "--no-cache")
    location = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": "backend/app/m.py", "uriBaseId": "%SRCROOT%"}
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.as_uri() + "/"
    concise = house_rules(backend, "check", "--no-cache", "--output-format", "concise")
    assert concise.stdout.startswith("app/m.py:3:1: HR003")  # concise and full: from the working directory


def test_github_paths_outside_git_are_absolute(tmp_path: Path) -> None:
    make(tmp_path, {"m.py": '"""M."""\n\nprint(1)\n'})
    github = house_rules(tmp_path, "check", "--no-cache", "-q", "--output-format", "github")
    assert f",file={tmp_path / 'm.py'},line=3," in github.stdout  # as ruff writes it


# 2.5, 2.6: pattern ranges; messages on one line


def test_pattern_results_cover_the_match_and_messages_stay_on_one_line(tmp_path: Path) -> None:
    table = LEGACY.replace('message = "no legacy"', 'message = "no legacy\\nuse the client"')
    make(tmp_path, {"m.py": '"""D."""\nx = legacy_client(1) or 0\n'}, PYPROJECT + table)
    (item,) = as_json(tmp_path, "--no-cache")
    assert (item["location"], item["end_location"]) == ({"column": 5, "row": 2}, {"column": 21, "row": 2})
    assert item["message"] == "no legacy use the client"
    full = house_rules(tmp_path, "check", "--no-cache").stdout.splitlines()
    assert full[:6] == [
        "HR901 no legacy use the client",
        " --> m.py:2:5",
        "  |",
        '1 | """D."""',
        "2 | x = legacy_client(1) or 0",
        "  |     " + "^" * 16,
    ]
    flake8 = subprocess.run(
        [sys.executable, "-m", "flake8", "--select", "HR901", "m.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert flake8.stdout == "m.py:2:5: HR901 no legacy use the client\n"


# 3.2: long lines: bounded snippets and cache entries


def test_long_lines_are_clipped_and_the_cache_stays_small(tmp_path: Path) -> None:
    make(tmp_path, {"long.py": "def f():\n    x = [" + ", ".join(["print(1)"] * 2000) + "]\n"})
    full = house_rules(tmp_path, "check")
    assert full.returncode == 1
    reports = full.stdout.count("HR003 ")
    assert reports == 2000
    assert len(full.stdout) < reports * 600  # each snippet is bounded, whatever the line's length (18 KB)
    assert "…" in full.stdout
    cache = sum(path.stat().st_size for path in (tmp_path / ".cache").rglob("*") if path.is_file())
    assert cache < reports * 200
    again = house_rules(tmp_path, "check")
    assert again.stdout == full.stdout


# 4: baselines by fingerprint


def test_a_header_added_at_the_top_keeps_module_results_in_the_baseline(tmp_path: Path) -> None:
    make(tmp_path, {"m.py": "import os\n\n\ndef f() -> None:\n    print(os.sep)\n"})
    assert house_rules(tmp_path, "baseline").returncode == 0
    assert house_rules(tmp_path, "check", "-q", "--baseline", "house-rules-baseline.json").returncode == 0
    (tmp_path / "m.py").write_text("# Copyright 2026 Example Corp\n" + (tmp_path / "m.py").read_text())
    result = house_rules(tmp_path, "check", "--baseline", "house-rules-baseline.json", "--output-format", "concise")
    assert (result.returncode, result.stdout) == (0, "All checks passed! (3 in the baseline)\n")


def test_stale_baseline_entries_are_counted_and_can_fail(tmp_path: Path) -> None:
    source = '"""M."""\nimport os\n\n\ndef f() -> None:\n    """D."""\n    print(os.sep)\n'
    make(tmp_path, {"m.py": source, "other.py": '"""O."""\n\nprint(2)\n'})
    assert house_rules(tmp_path, "baseline").returncode == 0
    (tmp_path / "m.py").write_text(source.replace("    print(os.sep)\n", "    return\n"))  # fixed
    fixed = house_rules(tmp_path, "check", "--baseline", "house-rules-baseline.json")
    assert fixed.returncode == 0
    assert fixed.stderr == (
        "house-rules: warning: 1 entry of house-rules-baseline.json matches no violation any more "
        "(fixed, or changed): `house-rules baseline` writes the file again without it\n"
    )
    strict = house_rules(tmp_path, "check", "--baseline", "house-rules-baseline.json", "--strict-baseline")
    assert strict.returncode == 1
    # a run over other files says nothing about m.py's entries
    other = house_rules(tmp_path, "check", "--baseline", "house-rules-baseline.json", "--strict-baseline", "other.py")
    assert (other.returncode, other.stderr) == (0, "")
    # months later, a new print() in another function: reported, not hidden by the stale entry
    later = '\n\ndef g() -> None:\n    """D."""\n    print(os.sep)\n'
    (tmp_path / "m.py").write_text(source.replace("    print(os.sep)\n", "    return\n") + later)
    new = house_rules(tmp_path, "check", "--baseline", "house-rules-baseline.json", "--output-format", "concise")
    assert new.returncode == 1
    assert new.stdout.startswith("m.py:12:5: HR003")


def test_an_old_baseline_format_is_one_line(tmp_path: Path) -> None:
    make(tmp_path, {"m.py": DOC})
    (tmp_path / "old.json").write_text('{"tool": "house-rules", "format": 1, "violations": []}')
    result = house_rules(tmp_path, "check", "--baseline", "old.json")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "unsupported format 1: write it again with `house-rules baseline`" in result.stderr


def test_baseline_to_a_missing_folder_is_one_line(tmp_path: Path) -> None:
    make(tmp_path, {"m.py": "print(1)\n"})
    result = house_rules(tmp_path, "baseline", "-o", "missing/dir/b.json", ".")
    assert result.returncode == 2
    assert result.stderr == "house-rules: error: cannot write missing/dir/b.json: No such file or directory\n"


# 10.1, 10.2: -q and -v; a folder in the cache's place


def test_quiet_and_verbose_together_are_refused(tmp_path: Path) -> None:
    make(tmp_path, {"m.py": DOC})
    result = house_rules(tmp_path, "check", "-q", "-v", "m.py")
    assert result.returncode == 2
    assert result.stderr == "house-rules: error: the argument '--quiet' cannot be used with '--verbose'\n"


def test_verbose_counts_read_well(tmp_path: Path) -> None:
    make(tmp_path, {"m.py": DOC})
    off = house_rules(tmp_path, "check", "-v", "--no-cache", "m.py")
    assert (
        f"house-rules: 1 file under {tmp_path} ({tmp_path / 'pyproject.toml'}): the cache off, 1 to check" in off.stderr
    )
    cached = house_rules(tmp_path, "check", "-v", "m.py")
    assert "1 file under" in cached.stderr
    assert ": 0 from the cache " in cached.stderr


def test_a_folder_where_the_cache_file_goes_is_replaced(tmp_path: Path) -> None:
    make(tmp_path, {"m.py": DOC})
    assert house_rules(tmp_path, "check", "-q", "m.py").returncode == 0
    (entry,) = [path for path in (tmp_path / ".cache" / __version__).glob("*") if path.name != "summaries"]
    entry.unlink()
    entry.mkdir()
    first = house_rules(tmp_path, "check", "-v", "m.py")
    assert ": 0 from the cache" in first.stderr
    second = house_rules(tmp_path, "check", "-v", "m.py")
    assert ": 1 from the cache" in second.stderr
    assert entry.is_file()


def test_a_reader_that_leaves_early_ends_the_run_quietly(tmp_path: Path) -> None:
    make(tmp_path, {f"m{number}.py": "print(1)\n" * 200 for number in range(20)})
    command = f"{sys.executable} -m flake8_house_rules.cli check --no-cache | head -1"
    result = subprocess.run(command, shell=True, cwd=tmp_path, capture_output=True, text=True, check=False)
    assert result.stdout.startswith("HR")
    assert result.stderr == ""


def test_statistics_name_a_file_that_does_not_parse(tmp_path: Path) -> None:
    make(tmp_path, {"broken.py": "def f(:\n"})
    result = house_rules(tmp_path, "check", "--no-cache", "--statistics")
    assert (result.returncode, result.stdout) == (1, "1\tE999\tsyntax-error\nFound 1 error.\n")


def test_a_syntax_error_in_code_for_a_newer_python_says_so(tmp_path: Path) -> None:
    newer = f"3.{sys.version_info[1] + 1}"
    make(tmp_path, {"m.py": "def f(:\n"}, f'[project]\nname = "demo"\nrequires-python = ">={newer}"\n')
    result = house_rules(tmp_path, "check", "--no-cache", "--output-format", "concise")
    running = f"{sys.version_info[0]}.{sys.version_info[1]}"
    assert result.stdout.splitlines()[0] == (
        f"m.py:1:7: E999 SyntaxError: invalid syntax (this is Python {running} and the file targets {newer}: "
        f"run house-rules with Python {newer} or later)"
    )


# 9.1: gitlab and junit formats


def test_gitlab_code_quality_and_junit(tmp_path: Path) -> None:
    import xml.etree.ElementTree as ET  # noqa: PLC0415 - only this test reads XML

    subprocess.run(["git", "init", "-q", "."], cwd=tmp_path, check=True)
    backend = tmp_path / "backend"
    backend.mkdir()
    make(backend, {"app/m.py": '"""M."""\n\nprint(1)\nprint(2)\n', "broken.py": "def f(:\n"})
    gitlab = house_rules(backend, "check", "--no-cache", "--output-format", "gitlab")
    assert gitlab.returncode == 1
    items = json.loads(gitlab.stdout)
    assert [(item["check_name"], item["location"]["path"]) for item in items] == [
        ("HR003", "backend/app/m.py"),
        ("HR003", "backend/app/m.py"),
        ("E999", "backend/broken.py"),
    ]
    assert items[0]["location"]["positions"]["begin"] == {"line": 3, "column": 1}
    assert len({item["fingerprint"] for item in items}) == 3
    junit = house_rules(backend, "check", "--no-cache", "--output-format", "junit")
    assert junit.returncode == 1
    root = ET.fromstring(junit.stdout)
    assert (root.tag, root.get("tests"), root.get("failures")) == ("testsuites", "3", "3")
    cases = [(suite.get("name"), case.get("name"), case.get("line")) for suite in root for case in suite]
    assert cases == [
        ("app/m.py", "house-rules.HR003", "3"),
        ("app/m.py", "house-rules.HR003", "4"),
        ("broken.py", "house-rules.E999", "1"),
    ]
    (backend / "broken.py").unlink()
    (backend / "app" / "m.py").write_text('"""M."""\n')
    clean = house_rules(backend, "check", "--no-cache", "--output-format", "junit")
    assert clean.returncode == 0
    assert ET.fromstring(clean.stdout).get("failures") == "0"


# 9.2: ruff's file-level exemption serves HR codes too


def test_ruff_file_level_noqa_exempts_hr_codes(tmp_path: Path) -> None:
    make(
        tmp_path,
        {
            "filewide.py": "# ruff: noqa: HR001, HR003\nprint(1)\n",
            "prefix.py": "# ruff: noqa: HR0\nprint(1)\n",
            "bare.py": "# ruff: noqa\nprint(1)\n",
            "other.py": "# ruff: noqa: E501\nprint(1)\n",
            "trailing.py": "X = 1  # ruff: noqa: HR001\nprint(1)\n",
        },
    )
    result = house_rules(tmp_path, "check", "--no-cache", "--output-format", "concise", "-q")
    assert sorted(
        line.split(": ")[0].rsplit(":", 2)[0] + " " + line.split(" ")[1] for line in result.stdout.splitlines()
    ) == [
        "other.py HR001",
        "other.py HR003",
        "trailing.py HR001",
        "trailing.py HR003",
    ]
