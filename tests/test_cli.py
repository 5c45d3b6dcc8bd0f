"""The `house-rules` command through the real program, in a subprocess: discovery, configuration, noqa, output.

Each test builds a small project in a temporary folder and runs `python -m flake8_house_rules.cli` there
(the `house-rules` script runs the same `main`). Where flake8 defines the behaviour (`# noqa`, what is
reported), the test runs real flake8 on the same files and compares.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import helpers
import pytest

DOC = '"""A module of the test project."""\n\n'
OPTIONAL = DOC + (
    "from typing import Optional\n\n\ndef find(key: str) -> Optional[int]:\n"
    '    """Find the id of a key."""\n    return None\n'
)
CLEAN = DOC + 'def find(key: str) -> int | None:\n    """Find the id of a key."""\n    return None\n'
IGNORE = "x = int('1')  # type: ignore[arg-type]\n"  # one line: a whole module is DOC + IGNORE
PYPROJECT = '[project]\nname = "demo"\nrequires-python = ">=3.12"\n'


house_rules = helpers.house_rules


def flake8(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return helpers.run_module(cwd, "flake8", "--select", "HR", *args)


def concise(cwd: Path, *args: str) -> list[str]:
    result = house_rules(cwd, "check", "--output-format", "concise", "--quiet", *args)
    assert result.returncode in {0, 1}, result.stderr
    return [line.replace(" [*] ", " ", 1) for line in result.stdout.splitlines()]  # flake8 marks no fixes


def make(root: Path, files: dict[str, str], pyproject: str = PYPROJECT) -> Path:
    return helpers.make(root, files, pyproject)


def codes_by_file(lines: list[str]) -> set[tuple[str, str]]:
    return {(line.split(":")[0].removeprefix("./"), line.split(" ")[1]) for line in lines}


def test_reports_what_flake8_reports_and_exits_1(tmp_path: Path) -> None:
    make(
        tmp_path,
        {"app/mod.py": OPTIONAL, "app/ok.py": CLEAN, "app/stubs.pyi": DOC + "from typing import List\nx: List[int]\n"},
    )
    ours = concise(tmp_path)
    theirs = [line.removeprefix("./") for line in flake8(tmp_path, ".", "--filename", "*.py,*.pyi").stdout.splitlines()]
    assert sorted(ours) == sorted(theirs)
    assert any(line.startswith("app/stubs.pyi:") for line in ours)
    full = house_rules(tmp_path, "check")
    assert full.returncode == 1
    assert " --> app/mod.py:6:23" in full.stdout
    assert "6 | def find(key: str) -> Optional[int]:" in full.stdout
    assert full.stdout.rstrip().endswith("Found 4 errors.\n[*] 2 fixable with the `--fix` option.")


def test_clean_tree_exits_0(tmp_path: Path) -> None:
    make(tmp_path, {"mod.py": CLEAN})
    result = house_rules(tmp_path, "check")
    assert (result.returncode, result.stdout) == (0, "All checks passed!\n")


def test_discovery_excludes_and_gitignore(tmp_path: Path) -> None:
    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not installed")
    pyproject = PYPROJECT + '[tool.flake8-house-rules]\nextend-exclude = ["legacy", "gen/*_pb2.py"]\n'
    files = {
        "src/app.py": OPTIONAL,
        "src/ignored_by_git.py": OPTIONAL,
        "build_out/x.py": OPTIONAL,
        "legacy/old.py": OPTIONAL,
        "gen/api_pb2.py": OPTIONAL,
        ".venv/lib/site.py": OPTIONAL,
        "notes.txt": "Optional[int]\n",
        "src/keep/kept.py": OPTIONAL,
    }
    make(tmp_path, files, pyproject)
    subprocess.run([git, "init", "-q"], cwd=tmp_path, check=True)
    (tmp_path / ".gitignore").write_text("build_out/\nsrc/ignored_by_git.py\n")
    (tmp_path / "src" / ".gitignore").write_text("keep/\n!keep/\n")
    assert {name for name, _ in codes_by_file(concise(tmp_path))} == {"src/app.py", "src/keep/kept.py"}
    # a file named on the command line is linted even if excluded, unless --force-exclude
    assert codes_by_file(concise(tmp_path, "legacy/old.py"))
    assert concise(tmp_path, "legacy/old.py", "--force-exclude") == []
    # without .gitignore
    found = {name for name, _ in codes_by_file(concise(tmp_path, "--no-respect-gitignore"))}
    assert "build_out/x.py" in found
    assert "src/ignored_by_git.py" in found


def test_configuration_selects_and_reads_pack_options(tmp_path: Path) -> None:
    pyproject = PYPROJECT + (
        "[tool.flake8-house-rules]\n"
        'select = ["HR1"]\n'
        'ignore = ["HR104"]\n'
        'enable = ["HR112"]\n'
        'per-file-ignores = { "tests/*" = ["HR101"], "!src/*" = ["HR112"] }\n'
    )
    make(
        tmp_path, {"src/mod.py": OPTIONAL + IGNORE, "tests/test_mod.py": OPTIONAL, "other.py": DOC + IGNORE}, pyproject
    )
    assert codes_by_file(concise(tmp_path)) == {("src/mod.py", "HR101"), ("src/mod.py", "HR112")}
    # command-line selection layers over the table, as ruff's does
    assert codes_by_file(concise(tmp_path, "--select", "HR112")) == {("src/mod.py", "HR112")}
    assert codes_by_file(concise(tmp_path, "--ignore", "HR1")) == set()
    # `target-version` is the plugin's hr-target-version under its plain name: X | None needs 3.10
    assert codes_by_file(concise(tmp_path, "--hr-target-version", "3.9")) == {("src/mod.py", "HR112")}
    warned = house_rules(tmp_path, "check", "--extend-select", "HR216")
    assert "HR216 is opt-in" in warned.stderr


@pytest.mark.parametrize(
    ("table", "named"),
    [
        ('select = ["HR999"]', "key 'select'"),
        ("ignore = 3", "key 'ignore'"),
        ('per-file-ignores = { "x/*" = ["E501"] }', "key 'per-file-ignores.x/*'"),
        ("exclude = [1, 2]", "key 'exclude'"),
        ('target-version = "4.1"', "key 'target-version'"),
        ('sellect = ["HR1"]', "unknown key 'sellect'"),
    ],
)
def test_bad_configuration_is_one_line_and_exit_2(tmp_path: Path, table: str, named: str) -> None:
    make(tmp_path, {"mod.py": OPTIONAL}, PYPROJECT + f"[tool.flake8-house-rules]\n{table}\n")
    result = house_rules(tmp_path, "check", "--no-cache")
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("house-rules: error: ")
    assert named in lines[0]
    assert "Traceback" not in result.stderr


def test_bad_flags_exit_2(tmp_path: Path) -> None:
    make(tmp_path, {"mod.py": OPTIONAL})
    bad_select = house_rules(tmp_path, "check", "--select", "HRX")
    assert bad_select.returncode == 2
    assert (
        bad_select.stderr
        == "house-rules: error: option '--select' has a bad value 'HRX': no HR rule has that code or prefix\n"
    )
    assert house_rules(tmp_path, "check", "missing_folder").returncode == 2
    assert house_rules(tmp_path, "check", "--output-format", "xml").returncode == 2


NOQA_SOURCE = '''"""Lookups."""

from typing import Optional  # noqa: HR104
from typing import Union  # NOQA


def a(x: Optional[int]) -> Union[int, None]:  # noqa:HR1
    """Return x."""
    return x


def b(x: Optional[int]) -> None:  # noqa: HR102
    """Log x."""
    log(f"""
{x}""", Optional[int])  # noqa: HR101
    y = 1 + \\
        Optional[int]  # noqa
'''


def test_noqa_exactly_as_flake8(tmp_path: Path) -> None:
    make(tmp_path, {"mod.py": NOQA_SOURCE, "skipped.py": "# flake8: noqa\n" + OPTIONAL})
    ours = concise(tmp_path, "--extend-ignore", "HR014")  # flake8 applies noqa itself: the plugin has no HR014
    theirs = [line.removeprefix("./") for line in flake8(tmp_path, ".").stdout.splitlines()]
    assert sorted(ours) == sorted(theirs)
    assert [line.split(" ")[1] for line in ours] == ["HR101"]  # only b's parameter annotation is left
    assert "HR014 unused `# noqa` code: HR102" in "".join(concise(tmp_path))  # b's noqa names the wrong code


def test_json_has_the_shape_of_ruffs(tmp_path: Path) -> None:
    make(tmp_path, {"mod.py": OPTIONAL})
    ours = json.loads(house_rules(tmp_path, "check", "--output-format", "json").stdout)
    assert [item["code"] for item in ours] == ["HR104", "HR101"]
    item = ours[1]
    assert item["location"] == {"column": 23, "row": 6}
    assert item["end_location"] == {"column": 36, "row": 6}
    assert item["filename"] == str(tmp_path / "mod.py")
    assert item["name"] == "optional-annotation"
    assert (item["noqa_row"], item["fix"]["applicability"], item["cell"]) == (6, "safe", None)
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    if ruff is None:
        pytest.skip("ruff is a dev dependency")
    command = [ruff, "check", "--isolated", "--no-cache", "--select", "UP045", "--output-format", "json", "."]
    theirs = json.loads(subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, check=False).stdout)
    assert set(item) == set(theirs[0])
    assert set(item["location"]) == set(theirs[0]["location"])


def test_github_annotations_and_statistics(tmp_path: Path) -> None:
    make(tmp_path, {"mod.py": OPTIONAL, "two.py": OPTIONAL})
    subprocess.run(["git", "init", "-q", "."], cwd=tmp_path, check=True)  # paths from the work tree's root
    github = house_rules(tmp_path, "check", "--output-format", "github").stdout.splitlines()
    assert github[0] == (
        "::error title=house-rules (HR104),file=mod.py,line=3,col=1,endLine=3,endColumn=28"
        "::mod.py:3:1: HR104 `Optional` imported from typing: use the built-in syntax instead"
    )
    assert len(github) == 4
    stats = house_rules(tmp_path, "check", "--statistics")
    assert stats.stdout.splitlines() == [
        "2\tHR101\t[*] optional-annotation",
        "2\tHR104\tdeprecated-typing-import",
        "Found 4 errors.",
    ]
    as_json = json.loads(house_rules(tmp_path, "check", "--statistics", "--output-format", "json").stdout)
    assert as_json[0] == {
        "code": "HR101",
        "name": "optional-annotation",
        "count": 2,
        "fixable": True,
        "fixable_count": 2,
    }


def test_sarif_is_valid_sarif_2_1_0(tmp_path: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    make(tmp_path, {"app/mod.py": OPTIONAL, "app/other name.py": DOC + IGNORE.replace("[arg-type]", "")})
    result = house_rules(tmp_path, "check", "--output-format", "sarif")
    assert result.returncode == 1
    log = json.loads(result.stdout)
    schema = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text())
    jsonschema.Draft4Validator(schema).validate(log)
    run = log["runs"][0]
    assert [rule["id"] for rule in run["tool"]["driver"]["rules"]] == ["HR101", "HR104", "HR111"]
    location = run["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]} == {
        "app/mod.py",
        "app/other%20name.py",
    }
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.as_uri() + "/"


def test_cache_serves_unchanged_files_and_lives_in_one_ignorable_folder(tmp_path: Path) -> None:
    make(tmp_path, {"a.py": OPTIONAL, "b.py": CLEAN})
    first = house_rules(tmp_path, "check", "-v")
    assert "0 from the cache" in first.stderr
    assert "2 to check" in first.stderr
    cache = tmp_path / ".house_rules_cache"
    assert (cache / ".gitignore").read_text().splitlines()[-1] == "*"
    again = house_rules(tmp_path, "check", "-v")
    assert "2 from the cache" in again.stderr
    assert again.stdout == first.stdout
    (tmp_path / "b.py").write_text(OPTIONAL)
    edited = house_rules(tmp_path, "check", "-v")
    assert "1 from the cache" in edited.stderr
    assert edited.stdout.count("HR101") == 2
    # the configuration is part of the key
    (tmp_path / "pyproject.toml").write_text(PYPROJECT + '[tool.flake8-house-rules]\nignore = ["HR101"]\n')
    reconfigured = house_rules(tmp_path, "check", "-v")
    assert "0 from the cache" in reconfigured.stderr
    assert "HR101" not in reconfigured.stdout
    shutil.rmtree(cache)
    assert house_rules(tmp_path, "check", "--no-cache").returncode == 1
    assert not cache.exists()


def test_rule_and_rules(tmp_path: Path) -> None:
    make(tmp_path, {}, PYPROJECT + '[tool.flake8-house-rules]\nenable = ["HR112"]\nignore = ["HR101"]\n')
    page = house_rules(tmp_path, "rule", "hr210")
    assert page.returncode == 0
    assert page.stdout.startswith("# HR210 per-request-http-client")
    assert "## Why is this bad?" in page.stdout
    assert house_rules(tmp_path, "rule", "HR999").returncode == 2
    listing = house_rules(tmp_path, "rules").stdout.splitlines()
    rows = {line.split()[0]: line.split() for line in listing[1:]}
    assert rows["HR101"][2:] == ["default", "safe", "no"]
    assert rows["HR112"][2:] == ["opt-in", "-", "yes"]
    assert rows["HR216"][-1] == "no"
    data = json.loads(house_rules(tmp_path, "rules", "--output-format", "json").stdout)
    by_code = {row["code"]: row for row in data}
    assert (by_code["HR102"]["enabled"], by_code["HR102"]["tier"], by_code["HR102"]["fix"]) == (True, "default", "safe")


def test_baseline_hides_todays_violations_and_survives_unrelated_edits(tmp_path: Path) -> None:
    make(tmp_path, {"mod.py": OPTIONAL})
    written = house_rules(tmp_path, "baseline")
    assert written.returncode == 0
    assert "wrote 2 violations in 1 file to" in written.stdout
    baseline = json.loads((tmp_path / "house-rules-baseline.json").read_text())
    assert {(entry["code"], entry["scope"]) for entry in baseline["violations"]} == {("HR104", ""), ("HR101", "find")}
    passed = house_rules(tmp_path, "check", "--baseline", "house-rules-baseline.json")
    assert passed.returncode == 0
    assert "All checks passed! (2 in the baseline)" in passed.stdout
    # lines moved: still in the baseline; one more violation: only it reports
    other = 'def other() -> Optional[str]:\n    """Find another id."""\n    return None\n'
    (tmp_path / "mod.py").write_text(DOC + "# Lookups by key.\n\n" + OPTIONAL.removeprefix(DOC) + "\n\n" + other)
    result = house_rules(tmp_path, "check", "--baseline", "house-rules-baseline.json", "--output-format", "concise")
    assert result.returncode == 1
    assert result.stdout.splitlines()[0].startswith("mod.py:13:16: HR101")
    assert house_rules(tmp_path, "check", "--baseline", "missing.json").returncode == 2


def test_stdin_takes_roles_and_options_from_the_path(tmp_path: Path) -> None:
    pyproject = PYPROJECT + '[tool.flake8-house-rules]\nper-file-ignores = { "legacy/*" = ["HR101"] }\n'
    make(tmp_path, {}, pyproject)
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "pyproject.toml").write_text('[project]\nname = "old"\nrequires-python = ">=3.8"\n')
    new = house_rules(tmp_path, "check", "--stdin-filename", "app/mod.py", "--output-format", "concise", stdin=OPTIONAL)
    assert [line.split(" ")[1] for line in new.stdout.splitlines() if line.startswith("app/")] == ["HR104", "HR101"]
    assert new.stdout.startswith("app/mod.py:3:1:")
    legacy = house_rules(tmp_path, "check", "-", "--stdin-filename", "legacy/mod.py", "-q", stdin=OPTIONAL)
    assert "HR101" not in legacy.stdout
    assert "HR104" in legacy.stdout
    # the target version comes from the pyproject.toml nearest to the path: 3.8 has no `X | None`
    old = house_rules(
        tmp_path, "check", "--stdin-filename", "old/mod.py", "-q", "--output-format", "concise", stdin=OPTIONAL
    )
    assert old.stdout == ""
    assert old.returncode == 0
    bare = house_rules(tmp_path, "check", "-", "-q", "--output-format", "concise", stdin=OPTIONAL)
    assert bare.stdout.startswith("-:3:1: HR104")


CRASHING_RULE = """
import sys
import time
from flake8_house_rules.rule import Rule


class Crash(Rule):
    code = "HR899"
    name = "crash"
    message = "never reported"

    def visit_FunctionDef(self, node):
        raise RuntimeError("boom")


from flake8_house_rules.cli import main

sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_crashing_rule_is_an_internal_error_and_the_run_goes_on(tmp_path: Path, jobs: str) -> None:
    make(tmp_path, {"a.py": OPTIONAL, "b.py": OPTIONAL})
    command = [sys.executable, "-c", CRASHING_RULE, "check", "--output-format", "concise", "-j", jobs]
    result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, check=False)
    assert result.returncode == 2
    errors = result.stderr.splitlines()
    assert len(errors) == 2
    assert all("internal error in rule HR899" in line and "RuntimeError: boom" in line for line in errors)
    assert "Traceback" not in result.stderr
    assert sorted(line.split(" ")[1] for line in result.stdout.splitlines() if ": HR" in line) == [
        "HR101",
        "HR101",
        "HR104",
        "HR104",
    ]
    # a file with an internal error is not cached: the next run reports it again
    again = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, check=False)
    assert again.returncode == 2
    assert again.stderr == result.stderr


def test_unparseable_file_is_a_warning_only_when_allowed(tmp_path: Path) -> None:
    make(tmp_path, {"broken.py": "def f(:\n", "mod.py": CLEAN})
    result = house_rules(tmp_path, "check", "--allow-unparseable")
    assert result.returncode == 0
    assert result.stderr.startswith("house-rules: warning: cannot check broken.py:1:7: SyntaxError: invalid syntax")


def test_progress_only_on_a_terminal(tmp_path: Path) -> None:
    pytest.importorskip("pty")
    make(tmp_path, {f"m{number}.py": OPTIONAL for number in range(5)})
    piped = house_rules(tmp_path, "check", "--no-cache", env={"HOUSE_RULES_PROGRESS_DELAY": "0"})
    assert "checked" not in piped.stderr
    assert b"checked" not in _on_a_terminal(tmp_path, "-q")  # -q: no progress either (finding 10.1)
    seen = _on_a_terminal(tmp_path)
    assert b"house-rules: checked 5/5 files" in seen
    assert seen.endswith(b"\r\x1b[K")


def _on_a_terminal(tmp_path: Path, *flags: str) -> bytes:
    """What `check` writes to stderr when stderr is a terminal."""
    import pty  # noqa: PLC0415 - the caller skips where there is none

    command = [
        sys.executable,
        "-m",
        "flake8_house_rules.cli",
        "check",
        "--no-cache",
        *flags,
        "--output-format",
        "concise",
    ]
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        command,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=follower,
        env={**os.environ, "HOUSE_RULES_PROGRESS_DELAY": "0"},
    )
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 1024)
        except OSError:  # the terminal closed when the command ended
            break
        if not chunk:
            break
        seen += chunk
    process.wait()
    os.close(leader)
    return seen


def test_an_unchanged_stamp_spares_reading_and_an_edit_that_keeps_size_and_mtime_is_still_seen(tmp_path: Path) -> None:
    """A settled file's stamp (size, times, inode) stands for its content; an edit changes its change time.

    `os.utime` can put the modification time back, never the change time: git's index relies on the same.
    """
    from flake8_house_rules.stamps import stamp_of  # noqa: PLC0415 - the unit under test, beside the command

    make(tmp_path, {"a.py": OPTIONAL})
    module = tmp_path / "a.py"
    assert stamp_of(str(module)) is None  # just written: too recent to be told apart by a stamp
    time.sleep(2.1)
    assert stamp_of(str(module)) is not None
    first = house_rules(tmp_path, "check", "-v", "--output-format", "concise")
    assert "use `int | None`" in first.stdout
    assert "1 from the cache" in house_rules(tmp_path, "check", "-v").stderr
    before = module.stat()
    module.write_text(OPTIONAL.replace("Optional[int]", "Optional[str]"))
    os.utime(module, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert module.stat().st_size == before.st_size
    assert module.stat().st_mtime_ns == before.st_mtime_ns
    edited = house_rules(tmp_path, "check", "-v", "--output-format", "concise")
    assert "0 from the cache" in edited.stderr
    assert "use `str | None`" in edited.stdout
    os.utime(module)  # touched, content unchanged: served from the cache
    assert "1 from the cache" in house_rules(tmp_path, "check", "-v").stderr


def test_a_cached_check_loads_neither_the_engine_nor_what_only_linting_needs(tmp_path: Path) -> None:
    """A warm re-run is start-up plus reading the cache: what it imports is most of its time."""
    make(tmp_path, {"a.py": OPTIONAL, "b.py": CLEAN})
    assert house_rules(tmp_path, "check", "--quiet").returncode == 1
    code = (
        "import sys\nfrom flake8_house_rules.cli.app import main\nsys.argv = ['house-rules', 'check', '--quiet']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = ('ast', 'shutil', 'hashlib', 'json', 'configparser', 'flake8_house_rules.engine',"
        " 'flake8_house_rules.context.project', 'flake8_house_rules.context.summary')\n"
        "print(sorted(name for name in heavy if name in sys.modules), file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "HR101" in result.stdout
    assert result.stderr.splitlines()[-1] == "['ast']"  # `dataclasses` imports `inspect`, which imports `ast`


@pytest.mark.parametrize("columns", ["60", "200", ""])
def test_help_is_laid_out_as_argparse_lays_it_out(columns: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The help formatter measures the terminal without `shutil`, and to the same width."""
    import argparse  # noqa: PLC0415 - only this test compares with argparse's own formatter

    from flake8_house_rules.cli.parser import build_parsers  # noqa: PLC0415 - the unit under test

    monkeypatch.setenv("COLUMNS", columns)
    _, parsers = build_parsers("check")
    ours = parsers["check"].format_help()
    parsers["check"].formatter_class = argparse.HelpFormatter
    assert ours == parsers["check"].format_help()
