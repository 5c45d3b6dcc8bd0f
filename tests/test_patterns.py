"""Project pattern rules (HR9xx): through real flake8 (reporting, selection, noqa, per-file-ignores, files,
errors, jobs, stdin, lazy import), and in-process (validation messages, registry, docs, prefilter)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from pytest_flake8_path import Flake8Path

from flake8_house_rules.config import ConfigError, build_config
from flake8_house_rules.docs import rule_page
from flake8_house_rules.engine import Engine, lint_source
from flake8_house_rules.patterns import PatternRule, all_rules, pattern_rules
from flake8_house_rules.patterns.grep import (
    parse,
    pattern_needs,
    required_phrases,
    required_words,
    syntax_error,
)
from flake8_house_rules.rule import REGISTRY, load_rules

LEGACY = """\
[tool.flake8-house-rules.patterns.HR901]
name = "legacy-client-call"
message = "use the shared client instead of legacy_client()"
pattern = "legacy_client($$$ARGS)"
note = "The legacy client has no retries."
fix = "shared_client($$$ARGS)"
"""
SOURCE = '''\
"""Calls of the legacy client."""

from app.legacy import legacy_client

client = legacy_client(retries=3)
é = client; other = legacy_client()
'''
EXPECTED = [
    "./mod.py:5:10: HR901 use the shared client instead of legacy_client()",
    "./mod.py:6:21: HR901 use the shared client instead of legacy_client()",
]


def _assert_clean_error(result: object, *needles: str) -> None:
    """Exit 2, one stderr line holding every needle, no traceback, and nothing linted."""
    err = getattr(result, "err", None) or getattr(result, "stderr", "")
    out = getattr(result, "out", None) or getattr(result, "stdout", "")
    assert getattr(result, "exit_code", getattr(result, "returncode", 0)) == 2, err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    for needle in needles:
        assert needle in lines[0], lines[0]
    assert out == ""


# Through real flake8


def test_select_reports_at_the_match_start(flake8_path: Flake8Path) -> None:
    (flake8_path / "pyproject.toml").write_text(LEGACY)
    (flake8_path / "mod.py").write_text(SOURCE)
    result = flake8_path.run_flake8(["--select", "HR901"])
    assert result.out_lines == EXPECTED
    assert result.exit_code == 1
    assert flake8_path.run_flake8(["--select", "HR9"]).out_lines == EXPECTED
    assert flake8_path.run_flake8(["--select", "HR1"]).out_lines == []


def test_noqa_extend_ignore_and_per_file_ignores(flake8_path: Flake8Path) -> None:
    (flake8_path / "pyproject.toml").write_text(LEGACY)
    source = SOURCE.replace("(retries=3)", "(retries=3)  # noqa: HR901")
    (flake8_path / "mod.py").write_text(source.replace("legacy_client()", "legacy_client()  # noqa: HR101"))
    assert flake8_path.run_flake8(["--select", "HR"]).out_lines == [EXPECTED[1]]
    assert flake8_path.run_flake8(["--select", "HR", "--extend-ignore", "HR901"]).out_lines == []
    (flake8_path / "legacy").mkdir()
    (flake8_path / "legacy" / "old.py").write_text(SOURCE)
    (flake8_path / "setup.cfg").write_text("[flake8]\nper-file-ignores =\n    legacy/*.py: HR901\n")
    paths = {line.split(":")[0] for line in flake8_path.run_flake8(["--select", "HR"]).out_lines}
    assert paths == {"./mod.py"}


def test_pattern_file_from_the_command_line_and_setup_cfg(flake8_path: Flake8Path) -> None:
    (flake8_path / "lint").mkdir()
    (flake8_path / "lint" / "house.toml").write_text(LEGACY.replace("tool.flake8-house-rules.patterns.", ""))
    (flake8_path / "mod.py").write_text(SOURCE)
    result = flake8_path.run_flake8(["--select", "HR9", "--hr-pattern-file", "lint/house.toml"])
    assert result.out_lines == EXPECTED
    (flake8_path / "setup.cfg").write_text("[flake8]\nhr-pattern-file = lint/house.toml\n")
    assert flake8_path.run_flake8(["--select", "HR9"]).out_lines == EXPECTED


def test_pattern_file_in_pyproject_is_relative_to_it(flake8_path: Flake8Path) -> None:
    (flake8_path / "lint").mkdir()
    (flake8_path / "lint" / "house.toml").write_text(LEGACY.replace("tool.flake8-house-rules.patterns.", ""))
    (flake8_path / "pyproject.toml").write_text('[tool.flake8-house-rules]\npattern-file = "lint/house.toml"\n')
    (flake8_path / "pkg").mkdir()
    (flake8_path / "pkg" / "mod.py").write_text(SOURCE)
    command = [sys.executable, "-m", "flake8", "--select", "HR9", "."]
    result = subprocess.run(command, cwd=flake8_path / "pkg", capture_output=True, text=True, check=False)
    assert result.stdout.splitlines() == EXPECTED
    assert result.stderr == ""


def test_yaml_pattern_file_and_rules_from_both_places(flake8_path: Flake8Path) -> None:
    pytest.importorskip("yaml")
    (flake8_path / "house.yaml").write_text(
        textwrap.dedent(
            """\
            HR902:
              name: print-in-app
              message: log instead of printing
              rule:
                pattern: print($$$ARGS)
                not: {inside: {kind: if_statement, stopBy: end}}
            """
        )
    )
    (flake8_path / "pyproject.toml").write_text(LEGACY)
    (flake8_path / "mod.py").write_text(SOURCE + "print(1)\nif client:\n    print(2)\n")
    result = flake8_path.run_flake8(["--select", "HR9", "--hr-pattern-file", "house.yaml"])
    assert result.out_lines == [*EXPECTED, "./mod.py:7:1: HR902 log instead of printing"]


def test_include_and_exclude_globs_with_stdin_display_name(flake8_path: Flake8Path) -> None:
    scoped = LEGACY + 'include = ["app/*"]\nexclude = ["*_test.py", "app/legacy/*"]\n'
    (flake8_path / "pyproject.toml").write_text(scoped)
    for path, reported in (
        ("app/billing.py", True),
        ("app/sub/billing.py", True),
        ("app/billing_test.py", False),
        ("app/legacy/client.py", False),
        ("scripts/billing.py", False),
        ("stdin", False),
    ):
        command = [sys.executable, "-m", "flake8", "--select", "HR9", "--stdin-display-name", path, "-"]
        result = subprocess.run(command, input=SOURCE, cwd=flake8_path, capture_output=True, text=True, check=False)
        assert bool(result.stdout) is reported, (path, result.stdout, result.stderr)


def test_parallel_jobs(flake8_path: Flake8Path) -> None:
    (flake8_path / "pyproject.toml").write_text(LEGACY)
    for index in range(4):
        (flake8_path / f"mod{index}.py").write_text(SOURCE)
    command = [sys.executable, "-m", "flake8", "--select", "HR9", "--jobs", "2", "."]
    result = subprocess.run(command, cwd=flake8_path, capture_output=True, text=True, check=False)
    assert len(result.stdout.splitlines()) == 8
    assert result.stderr == ""


@pytest.mark.parametrize(
    ("declaration", "needles"),
    [
        (LEGACY.replace("HR901]", "HR101]"), ["'HR101'", "HR900 to HR999"]),
        (LEGACY.replace('"legacy_client($$$ARGS)"', '"legacy_client($$$ARGS"'), ["HR901", "'pattern'", "valid Python"]),
        (LEGACY.replace("note =", "notes ="), ["HR901", "'notes'"]),
        (LEGACY.replace('fix = "shared_client($$$ARGS)"', "fix = 3"), ["HR901", "'fix'", "string"]),
    ],
)
def test_bad_declarations_stop_flake8_before_linting(
    flake8_path: Flake8Path, declaration: str, needles: list[str]
) -> None:
    (flake8_path / "pyproject.toml").write_text(declaration)
    (flake8_path / "mod.py").write_text(SOURCE + "from typing import Optional\n")
    _assert_clean_error(flake8_path.run_flake8(["--select", "HR"]), *needles)


def test_bad_pattern_files_stop_flake8(flake8_path: Flake8Path) -> None:
    (flake8_path / "mod.py").write_text(SOURCE)
    result = flake8_path.run_flake8(["--select", "HR", "--hr-pattern-file", "missing.toml"])
    _assert_clean_error(result, "hr-pattern-file", "missing.toml")
    (flake8_path / "house.json").write_text("{}")
    _assert_clean_error(flake8_path.run_flake8(["--select", "HR", "--hr-pattern-file", "house.json"]), ".toml")
    (flake8_path / "house.toml").write_text(LEGACY.replace("tool.flake8-house-rules.patterns.", ""))
    (flake8_path / "pyproject.toml").write_text(LEGACY)
    result = flake8_path.run_flake8(["--select", "HR", "--hr-pattern-file", "house.toml"])
    _assert_clean_error(result, "HR901", "declared twice", "pyproject.toml", "house.toml")


def _modules_after_run(cwd: Path) -> subprocess.CompletedProcess[str]:
    code = (
        "import sys\n"
        "from flake8.main.application import Application\n"
        "app = Application()\n"
        "app.run(['--select', 'HR', '--jobs', '1', '.'])\n"
        "print('ast_grep_py' in sys.modules, 'yaml' in sys.modules, file=sys.stderr)\n"
    )
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, check=False)


def test_ast_grep_is_imported_only_when_rules_are_declared(flake8_path: Flake8Path) -> None:
    (flake8_path / "mod.py").write_text(SOURCE)
    assert _modules_after_run(flake8_path).stderr.split() == ["False", "False"]
    (flake8_path / "pyproject.toml").write_text(LEGACY)
    assert _modules_after_run(flake8_path).stderr.split() == ["True", "False"]


# In-process: validation


def _config(tmp_path: Path, pyproject: str, options: dict[str, object] | None = None) -> object:
    (tmp_path / "pyproject.toml").write_text(pyproject)
    return build_config(dict(options or {}), frozenset(load_rules()), cwd=str(tmp_path))


def _error(tmp_path: Path, pyproject: str, options: dict[str, object] | None = None) -> str:
    with pytest.raises(ConfigError) as info:
        _config(tmp_path, pyproject, options)
    message = str(info.value)
    assert "\n" not in message
    return message


RULE_HEAD = '[tool.flake8-house-rules.patterns.HR903]\nname = "n"\nmessage = "m"\n'


def rule(toml: str) -> str:
    """A declaration of HR903 with this `rule` table."""
    return f"{RULE_HEAD}rule = {toml}\n"


@pytest.mark.parametrize(
    ("pyproject", "expected"),
    [
        # codes
        (LEGACY.replace("HR901]", "HR9001]"), "key 'HR9001' is not a pattern rule code"),
        (LEGACY.replace("HR901]", "hr901]"), "key 'hr901' is not a pattern rule code"),
        ("[tool.flake8-house-rules]\npatterns = 3\n", "must be a table of pattern rules keyed by code"),
        ("[tool.flake8-house-rules.patterns]\nHR901 = 'x'\n", "pattern rule HR901 in pyproject.toml: key 'HR901'"),
        # keys and types
        (LEGACY.replace('name = "legacy-client-call"\n', ""), "HR901 in pyproject.toml: key 'name' is required"),
        (LEGACY.replace('name = "legacy-client-call"', 'name = "Legacy_Client"'), "key 'name' must be kebab-case"),
        (LEGACY.replace('message = "use', "message = 3 #"), "key 'message' must be a string, not a number (3)"),
        (LEGACY.replace('message = "use the shared', 'message = " "#'), "key 'message' must not be empty"),
        (LEGACY + 'rule = { pattern = "x" }\n', "key 'pattern' give either `pattern` or `rule`"),
        (LEGACY.replace('pattern = "legacy_client($$$ARGS)"', ""), "key 'pattern' give either `pattern` or `rule`"),
        (LEGACY + "include = [1]\n", "key 'include' must be a string or a list of strings"),
        (LEGACY + "severity = 'high'\n", "key 'severity' is not a pattern rule key; known keys: name, message"),
        (rule("{ patern = 'x' }"), "key 'rule.patern' is not an ast-grep rule key"),
        (rule("{ matches = 'x' }"), "key 'rule.matches' is not an ast-grep rule key (`matches` needs"),
        (rule("{ pattern = 'x', stopBy = 'end' }"), "key 'rule.stopBy' is not an ast-grep rule key"),
        (
            rule("{ pattern = 'x', inside = { kind = 'call', stopBy = 'top' } }"),
            "'rule.inside.stopBy' must be 'neighbor', 'end'",
        ),
        (rule("{ any = [] }"), "key 'rule.any' must be a non-empty list of rule tables"),
        (rule("{ any = ['x'] }"), "key 'rule.any[0]' must be a rule table, not a string"),
        (rule("{ pattern = { selector = 'call' } }"), "key 'rule.pattern' needs a `context`"),
        (rule("{}"), "key 'rule' is an empty rule"),
        # what ast-grep says
        (LEGACY.replace("$$$ARGS)", "$$$ARGS"), "key 'pattern' is not valid Python code"),
        (LEGACY.replace("legacy_client($$$ARGS)", "if $X:"), "key 'pattern' is incomplete Python code"),
        (LEGACY.replace("legacy_client($$$ARGS)", "a b"), "key 'pattern' is not valid Python code"),
        (
            rule("{ pattern = 'f($X)', inside = { kind = 'function_def' } }"),
            "'rule.inside.kind' does not compile: Kind `function_def` is invalid.",
        ),
        (rule("{ kind = 'call', regex = '((' }"), "key 'rule.regex' does not compile: regex parse error"),
        (
            rule("{ all = [{ kind = 'call' }, { has = { pattern = 'f(' } }] }"),
            "key 'rule.all[1].has.pattern' is not valid Python code",
        ),
        (rule("{ not = { kind = 'call' } }"), "key 'rule' has only `not`"),
        (
            rule('{ pattern = { context = "class A:\\n  x: int = 1", selector = "nope" } }'),
            "key 'rule.pattern' does not compile",
        ),
        # names
        (
            LEGACY + LEGACY.replace("HR901", "HR902"),
            "HR902 in pyproject.toml: key 'name' 'legacy-client-call' is already HR901's",
        ),
    ],
)
def test_validation_names_the_rule_and_the_key(tmp_path: Path, pyproject: str, expected: str) -> None:
    assert expected in _error(tmp_path, pyproject)


def test_duplicate_tables_and_yaml_keys(tmp_path: Path) -> None:
    assert "cannot read" in _error(tmp_path, LEGACY + LEGACY)
    pytest.importorskip("yaml")
    (tmp_path / "house.yaml").write_text("HR901:\n  name: a\n  message: b\n  pattern: f()\nHR901:\n  name: c\n")
    message = _error(tmp_path, "", {"hr-pattern-file": "house.yaml"})
    assert "house.yaml" in message and "'HR901' is declared twice (line 5)" in message


def test_yaml_without_pyyaml_says_what_to_install(tmp_path: Path) -> None:
    (tmp_path / "house.yaml").write_text("{}\n")
    script = (
        "import sys\n"
        "sys.modules['yaml'] = None\n"
        "from flake8_house_rules.config import ConfigError, build_config\n"
        "try:\n"
        "    build_config({'hr-pattern-file': 'house.yaml'}, frozenset({'HR101'}), cwd='.')\n"
        "except ConfigError as exc:\n"
        "    print(exc)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, check=True)
    assert "needs PyYAML: install flake8-house-rules[yaml]" in result.stdout


def test_hr_enable_accepts_pattern_codes(tmp_path: Path) -> None:
    config = _config(tmp_path, LEGACY, {"hr-enable": "HR901,HR9"})
    assert config.enable == frozenset({"HR901", "HR9"})  # type: ignore[attr-defined] - a Config


# In-process: rules, docs, prefilter


def test_pattern_rules_stay_out_of_the_registry_and_are_built_once(tmp_path: Path) -> None:
    config = _config(tmp_path, LEGACY)
    rules = pattern_rules(config)  # type: ignore[arg-type] - a Config
    assert list(rules) == ["HR901"]
    assert "HR901" not in REGISTRY and "HR901" not in load_rules()
    assert pattern_rules(config) == rules  # type: ignore[arg-type] - a Config
    assert list(all_rules(config))[-1] == "HR901"  # type: ignore[arg-type] - a Config
    rule = rules["HR901"]
    assert issubclass(rule, PatternRule)
    assert (rule.code, rule.name, rule.tier, rule.fix) == ("HR901", "legacy-client-call", "default", "unsafe")
    assert rule.words == ("legacy_client",)


def test_rule_page(tmp_path: Path) -> None:
    config = _config(tmp_path, LEGACY + 'include = ["app/*"]\n')
    page = rule_page(pattern_rules(config)["HR901"])  # type: ignore[arg-type] - a Config
    for needle in (
        "# HR901 legacy-client-call",
        "Message: `HR901 use the shared client instead of legacy_client()`",
        "## What it does",
        '{"pattern": "legacy_client($$$ARGS)"}',
        "## Why is this bad?\nThe legacy client has no retries.",
        "Only modules whose path matches `app/*`.",
        "Fix template (ast-grep rewrite, applied by `house-rules check --fix --unsafe-fixes`): "
        "`shared_client($$$ARGS)`",
        "declared in `pyproject.toml`",
    ):
        assert needle in page


def test_lint_source_with_a_pattern_file(tmp_path: Path) -> None:
    (tmp_path / "house.toml").write_text(LEGACY.replace("tool.flake8-house-rules.patterns.", ""))
    found = lint_source(SOURCE, options={"hr-pattern-file": str(tmp_path / "house.toml")})
    assert [(v.line, v.col, v.code) for v in found] == [(5, 9, "HR901"), (6, 20, "HR901")]


@pytest.mark.parametrize(
    "pattern",
    [
        "legacy_client($$$ARGS)",
        "$A.$B($$$)",
        "def $F($$$ARGS): $$$BODY",
        "async def $F($$$ARGS) -> $R: $$$BODY",
        "class $C($$$BASES): $$$BODY",
        "@$DECORATOR\ndef $F($$$ARGS): $$$BODY",
        "from $M import $$$NAMES",
        "import $M",
        "raise $E from $CAUSE",
        "raise",
        "return",
        "await $X",
        "lambda: $X",
        "x = $$$",
        "$X: int = $V",
        "with $CM as $V: $$$",
        "for $X in $Y: $$$",
        "try:\n    $$$\nexcept $E:\n    $$$",
        "f'{$X}'",
        '"literal"',
        "$X if $C else $Y",
        "[$X for $X in $Y]",
        "print",
    ],
)
def test_valid_patterns_pass_the_syntax_check(pattern: str) -> None:
    assert syntax_error(pattern) is None


def test_what_a_rule_needs() -> None:
    assert pattern_needs("legacy_client($$$ARGS)") == {("legacy_client",)}
    assert pattern_needs("$A.$B($$$)") == frozenset()
    assert pattern_needs('log.info("user $NAME created", extra=$E)  # comment') == {
        ("log",),
        ("info",),
        ("extra",),
        ("log", ".", "info"),
    }
    assert pattern_needs("raise Exception($$$ARGS)") == {("Exception",), ("raise", "Exception")}
    assert pattern_needs("$A if $B else $C") == frozenset()
    assert pattern_needs("from . import $X") == frozenset()
    assert pattern_needs("from m import x") == {("m",), ("x",)}  # `from m import (x)` matches too
    assert pattern_needs("x.$Y.z") == {("x",), ("z",)}
    rule = {
        "pattern": "$X.run($$$A)",
        "inside": {"pattern": "async def $F(): $$$", "stopBy": {"kind": "function_definition"}},
        "any": [{"pattern": "asyncio.run($X)"}, {"pattern": "asyncio.run($X, debug=$D)"}],
        "not": {"pattern": "never_seen()"},
    }
    assert required_words(rule) == {"run", "asyncio"}
    assert [phrase.regex.pattern for phrase in required_phrases(rule)] == [
        r"async(?:\s|\\|#[^\n]*+\n)*+def",
        r"asyncio(?:\s|\\|#[^\n]*+\n)*+\.(?:\s|\\|#[^\n]*+\n)*+run",
    ]
    assert required_words({"kind": "call", "regex": "^x"}) == frozenset()


PREFILTER_RULES = [
    {"pattern": "legacy_client($$$ARGS)"},
    {"pattern": "$A.info($$$)"},
    {"pattern": "os.path.join($$$)"},
    {"pattern": "raise $E from $C"},
    {"pattern": "raise ValueError($$$A)"},
    {"pattern": "async def $F($$$A): $$$B"},
    {"pattern": "def $F(self): $$$B"},
    {"pattern": "return self.$X"},
    {"pattern": "from typing import $X"},
    {"pattern": "await $X", "inside": {"pattern": "for $A in $B: $$$", "stopBy": "end"}},
    {"any": [{"pattern": "import asyncio"}, {"pattern": "from asyncio import $$$N"}]},
]
ODD_SOURCE = """\
import  asyncio
from typing import (Any)
import os . path
async  def  f( a ,b ):
    for x in y:
        await   z
    raise \\
        ValueError(1)
    return self . \\
      x
v = (os  # a comment ### with # signs
     .path.join(a))
legacy_client ( )
log .info("x")
class K:
    def  method( self ):
        pass
"""


@pytest.mark.parametrize("rule", PREFILTER_RULES)
def test_prefilter_never_skips_a_module_that_matches(rule: dict[str, object]) -> None:
    sources = [path.read_text(encoding="utf-8") for path in sorted(Path("flake8_house_rules").rglob("*.py"))]
    sources.append(ODD_SOURCE)
    words, phrases = required_words(rule), required_phrases(rule)
    matched = 0
    for source in sources:
        if parse(source).find_all({"rule": rule}):
            matched += 1
            assert all(word in source for word in words), (rule, words)
            assert all(phrase.found_in(source) for phrase in phrases), (rule, phrases)
    assert matched


def test_engine_reports_columns_in_characters_and_survives_odd_text(tmp_path: Path) -> None:
    config = _config(tmp_path, LEGACY)
    engine = Engine(config, all_rules(config).values(), strict=True)  # type: ignore[arg-type] - a Config

    def lint(source: str) -> list[tuple[int, int]]:
        import ast  # noqa: PLC0415 - local to the helper

        lines = source.splitlines(keepends=True)
        found = engine.lint(ast.parse(source), lines, "app/mod.py")
        return [(v.line, v.col) for v in found if v.code == "HR901"]

    assert lint("ü = 'ß'; legacy_client()\n") == [(1, 9)]
    assert lint("x = 1\r\ny = legacy_client()\r\n") == [(2, 4)]
    assert lint("x = 1\n") == []
    deep = "y = " + "(" * 150 + "legacy_client()" + ")" * 150 + "\n"
    assert lint(deep) == [(1, 154)]


def test_phrase_search_is_linear_on_comment_banners() -> None:
    [phrase] = required_phrases({"pattern": "raise Exception($$$A)"})
    source = "raise  # " + "#" * 5000 + "\n" + ("raise # " + "# " * 2000 + "\n") * 50 + "raise Exception()\n"
    assert phrase.found_in(source)
    assert not phrase.found_in(source.replace("raise Exception", "raise ValueError"))
