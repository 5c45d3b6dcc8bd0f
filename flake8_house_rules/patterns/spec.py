"""Read and validate a project's pattern rule declarations into frozen `PatternSpec`s.

Declarations come from `[tool.flake8-house-rules.patterns.HR9xx]` tables in the nearest `pyproject.toml` and
from the file named by `hr-pattern-file` (TOML, or YAML when PyYAML is installed), whose top-level keys are the
codes. Everything is checked before anything is linted: codes, keys, types, and (through `grep.check_rule`)
that every pattern compiles. The first problem raises `ConfigError` with one line naming the rule and the key.

This module does not import ast-grep; `grep.py` does, and only when at least one rule is declared.
"""

from __future__ import annotations

import dataclasses
import os
import posixpath
import re
import tomllib
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

from flake8_house_rules.errors import ConfigError
from flake8_house_rules.sources import Table, find_table, glob_problem, split_list

PATTERN_CODE_RE = re.compile(r"^HR9\d\d$")
NAME_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
#: The keys of one declaration and the type each must have ("strings": a string or a list of strings).
SPEC_KEYS: dict[str, str] = {
    "name": "string",
    "message": "string",
    "pattern": "string",
    "rule": "table",
    "include": "strings",
    "exclude": "strings",
    "note": "string",
    "fix": "string",
}
#: ast-grep rule object keys (`matches` is left out: it refers to `utils`, which declarations do not have).
ATOMIC_KEYS = ("pattern", "kind", "regex", "nthChild", "range")
RELATION_KEYS = ("inside", "has", "precedes", "follows")
COMPOSITE_KEYS = ("all", "any", "not")
RULE_KEYS = (*ATOMIC_KEYS, *RELATION_KEYS, *COMPOSITE_KEYS)
RELATION_ONLY_KEYS = ("stopBy", "field")
PATTERN_OBJECT_KEYS = ("context", "selector", "strictness")


@dataclass(frozen=True, slots=True)
class PatternSpec:
    """One validated pattern rule declaration. Hashable: the ast-grep rule object is kept as canonical JSON."""

    code: str
    name: str
    message: str
    #: The ast-grep rule object as JSON (`{"pattern": ...}` when the declaration gives a `pattern`).
    rule_json: str
    #: The `pattern` as declared, or "" when the declaration gives a `rule` object.
    pattern: str = ""
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    note: str = ""
    fix: str = ""
    #: The file that declares it, relative to the working directory when under it.
    origin: str = ""

    @property
    def rule(self) -> dict[str, Any]:  # Any: an ast-grep rule object of nested tables, lists and strings
        """The ast-grep rule object, as a fresh dict."""
        import json  # noqa: PLC0415 - only with a pattern file

        return json.loads(self.rule_json)

    def applies_to_path(self, path: str | None) -> bool:
        """Whether `include`/`exclude` let the rule run on a module with this normalised path."""
        if self.include and not glob_match(path, self.include):
            return False
        return not (self.exclude and glob_match(path, self.exclude))


def glob_match(path: str | None, globs: tuple[str, ...]) -> bool:
    """Whether a module path (relative to the project root when under it) matches any glob.

    A glob without `/` matches the file name (`*_test.py`); one with `/` the whole path (`app/routers/*`),
    and also the path with a leading `/`, so `*/routers/*` matches `routers/users.py` too. `*` crosses
    folders. A module without a path (stdin with no display name) matches nothing.
    """
    if path is None:
        return False
    base = posixpath.basename(path)
    for glob in globs:
        if "/" not in glob:
            if fnmatchcase(base, glob):
                return True
        elif fnmatchcase(path, glob) or fnmatchcase("/" + path, glob):
            return True
    return False


class _Problem(Exception):
    """A problem in one declaration: the key path and what is wrong, completed into a `ConfigError`."""

    def __init__(self, key: str, problem: str) -> None:
        super().__init__(key, problem)
        self.key = key
        self.problem = problem


def _type_name(value: object) -> str:
    names = {bool: "a boolean", int: "a number", float: "a number", str: "a string", list: "a list", dict: "a table"}
    return names.get(type(value), type(value).__name__)


def _check_type(key: str, value: object, kind: str) -> None:
    if kind == "string" and not isinstance(value, str):
        raise _Problem(key, f"must be a string, not {_type_name(value)} ({value!r})")
    if kind == "table" and not isinstance(value, dict):
        raise _Problem(key, f"must be a table, not {_type_name(value)} ({value!r})")
    if kind == "strings" and not (
        isinstance(value, str) or (isinstance(value, list) and all(isinstance(item, str) for item in value))
    ):
        raise _Problem(key, f"must be a string or a list of strings, not {value!r}")


def check_rule_shape(rule: object, key: str, *, relation: bool = False) -> None:
    """Check the keys and value types of an ast-grep rule object; `grep.check_rule` checks what they mean."""
    if not isinstance(rule, dict):
        raise _Problem(key, f"must be a rule table, not {_type_name(rule)} ({rule!r})")
    allowed = (*RULE_KEYS, *RELATION_ONLY_KEYS) if relation else RULE_KEYS
    if not rule:
        raise _Problem(key, "is an empty rule: give at least one of " + ", ".join(RULE_KEYS))
    if not set(rule) - {"not", *RELATION_ONLY_KEYS}:
        raise _Problem(key, "has only `not`, which would match nearly every node: add `pattern`, `kind` or another key")
    for name, value in rule.items():
        sub = f"{key}.{name}"
        if name not in allowed:
            hint = " (`matches` needs `utils`, which pattern rules do not have)" if name == "matches" else ""
            raise _Problem(sub, f"is not an ast-grep rule key{hint}; known keys: {', '.join(allowed)}")
        if name == "pattern" and isinstance(value, dict):
            for pattern_key, pattern_value in value.items():
                if pattern_key not in PATTERN_OBJECT_KEYS:
                    known = ", ".join(PATTERN_OBJECT_KEYS)
                    raise _Problem(f"{sub}.{pattern_key}", f"is not a pattern object key; known keys: {known}")
                _check_type(f"{sub}.{pattern_key}", pattern_value, "string")
            if "context" not in value:
                raise _Problem(sub, "needs a `context` when it is a table")
        elif name in {"pattern", "kind", "regex", "field"}:
            _check_type(sub, value, "string")
        elif name in {"nthChild", "range"}:
            if not isinstance(value, int | str | dict) or isinstance(value, bool):
                raise _Problem(sub, f"must be a number, a string or a table, not {value!r}")
        elif name in RELATION_KEYS:
            check_rule_shape(value, sub, relation=True)
        elif name == "not":
            check_rule_shape(value, sub)
        elif name in {"all", "any"}:
            if not isinstance(value, list) or not value:
                raise _Problem(sub, f"must be a non-empty list of rule tables, not {value!r}")
            for index, item in enumerate(value):
                check_rule_shape(item, f"{sub}[{index}]")
        elif name == "stopBy":
            if isinstance(value, dict):
                check_rule_shape(value, sub)
            elif value not in {"neighbor", "end"}:
                raise _Problem(sub, f"must be 'neighbor', 'end' or a rule table, not {value!r}")


def _validate(code: str, raw: object) -> PatternSpec:
    """Check one declaration (shape only) and freeze it."""
    if not isinstance(raw, dict):
        raise _Problem(code, f"must be a table of name, message and pattern or rule, not {raw!r}")
    for key, value in raw.items():
        if key not in SPEC_KEYS:
            raise _Problem(key, f"is not a pattern rule key; known keys: {', '.join(SPEC_KEYS)}")
        _check_type(key, value, SPEC_KEYS[key])
    for key in ("name", "message"):
        if key not in raw:
            raise _Problem(key, "is required")
        if not raw[key].strip():
            raise _Problem(key, "must not be empty")
    if not NAME_RE.match(raw["name"]):
        raise _Problem("name", f"must be kebab-case (like legacy-client-call), not {raw['name']!r}")
    if ("pattern" in raw) == ("rule" in raw):
        raise _Problem("pattern", "give either `pattern` or `rule` (an ast-grep rule table), exactly one")
    if "pattern" in raw:
        if not raw["pattern"].strip():
            raise _Problem("pattern", "must not be empty")
        rule: dict[str, Any] = {"pattern": raw["pattern"]}  # Any: a rule object of nested values
    else:
        rule = raw["rule"]
        check_rule_shape(rule, "rule")
    for key in ("include", "exclude"):
        for glob in split_list(raw.get(key, [])):
            if (problem := glob_problem(glob)) is not None:
                raise _Problem(key, f"has a path pattern with {problem}: {glob!r}")
    return PatternSpec(
        code=code,
        name=raw["name"],
        message=raw["message"].strip(),
        rule_json=_json_text(rule),
        pattern=raw.get("pattern", ""),
        include=tuple(split_list(raw.get("include", []))),
        exclude=tuple(split_list(raw.get("exclude", []))),
        note=raw.get("note", "").strip(),
        fix=raw.get("fix", ""),
    )


def parse_declarations(table: object, origin: str, container: str) -> list[PatternSpec]:
    """Validate a table of declarations keyed by code; `container` names that table in messages."""
    if not isinstance(table, dict):
        msg = f"{container} must be a table of pattern rules keyed by code (HR900 to HR999), not {table!r}"
        raise ConfigError(msg)
    specs: list[PatternSpec] = []
    for code, raw in table.items():
        if not PATTERN_CODE_RE.match(str(code)):
            msg = f"{container}: key {code!r} is not a pattern rule code: use HR900 to HR999"
            raise ConfigError(msg)
        try:
            spec = _validate(code, raw)
        except _Problem as problem:
            msg = f"pattern rule {code} in {origin}: key {problem.key!r} {problem.problem}"
            raise ConfigError(msg) from None
        specs.append(dataclasses.replace(spec, origin=origin))
    return specs


def _display(path: Path, cwd: str) -> str:
    """A path as messages show it: relative to the working directory when under it, else absolute."""
    try:
        relative = os.path.relpath(os.path.abspath(path), os.path.abspath(cwd))
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path) if relative.startswith("..") else Path(relative).as_posix()


def read_pattern_file(path: Path, cwd: str, where: str = "option 'hr-pattern-file'") -> list[PatternSpec]:
    """The declarations of a TOML or YAML pattern file, whose top-level keys are the codes.

    `where` names the option (or key) that names the file, and where it was set, for messages.
    """
    origin = _display(path, cwd)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        msg = f"{where} names a file that cannot be read: {origin}: {reason}"
        raise ConfigError(msg) from None
    suffix = path.suffix.lower()
    if suffix == ".toml":
        try:
            table: object = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            msg = f"cannot read pattern file {origin}: {exc}"
            raise ConfigError(msg) from None
    elif suffix in {".yaml", ".yml"}:
        table = _load_yaml(text, origin)
    else:
        msg = f"{where} has a bad value {origin!r}: expected a .toml, .yaml or .yml file"
        raise ConfigError(msg)
    return parse_declarations(table if table is not None else {}, origin, f"pattern file {origin}")


def _load_yaml(text: str, origin: str) -> object:
    """Parse YAML with PyYAML's safe loader, refusing duplicate keys (PyYAML would keep the last silently)."""
    try:
        import yaml  # noqa: PLC0415 - optional: only YAML pattern files need it
    except ImportError:
        msg = (
            f"pattern file {origin} is YAML, which needs PyYAML: install flake8-house-rules[yaml] "
            "(or pyyaml), or write the rules in TOML"
        )
        raise ConfigError(msg) from None

    class UniqueKeyLoader(yaml.SafeLoader):
        def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:  # Any: PyYAML's untyped nodes
            seen: set[object] = set()
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=deep)
                if key in seen:
                    line = key_node.start_mark.line + 1
                    msg = f"cannot read pattern file {origin}: key {key!r} is declared twice (line {line})"
                    raise ConfigError(msg)
                seen.add(key)
            return super().construct_mapping(node, deep=deep)

    try:
        return yaml.load(text, Loader=UniqueKeyLoader)  # a SafeLoader: no arbitrary objects
    except yaml.YAMLError as exc:
        msg = f"cannot read pattern file {origin}: {' '.join(str(exc).split())}"
        raise ConfigError(msg) from None


def pattern_file_path(
    cwd: str,
    flake8_value: object,
    pyproject: Path | None,
    table: dict[str, Any],  # Any: raw TOML values
) -> Path | None:
    """The pattern file a configuration names, or `None`.

    `hr-pattern-file` is taken from the working directory; unset, `pattern-file` of the pyproject table is
    taken from that file's folder.
    """
    value, base = flake8_value, Path(cwd)
    if value is None and pyproject is not None:
        value, base = table.get("pattern-file"), pyproject.parent
    if isinstance(value, str) and value.strip():
        return base / value.strip()
    return None


def load_pattern_specs(cwd: str, flake8_value: object = None) -> tuple[PatternSpec, ...]:
    """Every pattern rule of the configuration found from `cwd`, validated and compiled once, sorted by code.

    `flake8_value` is `hr-pattern-file` as flake8 gives it (`None` when unset): a relative path is taken from
    the working directory. Unset, `pattern-file` of the nearest `[tool.flake8-house-rules]` is used, relative
    to that `pyproject.toml`'s folder.
    """
    table = find_table(cwd)
    path = pattern_file_path(cwd, flake8_value, table.path if table else None, table.values if table else {})
    return pattern_specs(table, str(path) if path is not None else None, cwd)


def pattern_specs(
    table: Table | None, pattern_file: str | None, cwd: str, where: str = "option 'hr-pattern-file'"
) -> tuple[PatternSpec, ...]:
    """The pattern rules of a project's table and of a pattern file (an absolute path, or `None`).

    Messages name the files relative to the working directory when they are under it, else to `cwd`;
    `where` says which option (or key) named the pattern file, and where it was set.
    """
    display_base = cwd
    if table is not None and table.path is not None and _display(table.path, os.getcwd()) != str(table.path):
        display_base = os.getcwd()
    specs: list[PatternSpec] = []
    if table is not None and table.path is not None and "patterns" in table.values:
        origin = _display(table.path, display_base)
        container = f"[tool.flake8-house-rules.patterns] in {origin}"
        specs.extend(parse_declarations(table.values["patterns"], origin, container))
    if pattern_file is not None:
        specs.extend(read_pattern_file(Path(pattern_file), display_base, where))
    if not specs:
        return ()
    first_origin: dict[str, str] = {}
    for spec in specs:
        if spec.code in first_origin:
            msg = f"pattern rule {spec.code} is declared twice: in {first_origin[spec.code]} and in {spec.origin}"
            raise ConfigError(msg)
        first_origin[spec.code] = spec.origin
    names: dict[str, str] = {}
    for spec in specs:
        if spec.name in names:
            msg = f"pattern rule {spec.code} in {spec.origin}: key 'name' {spec.name!r} is already {names[spec.name]}'s"
            raise ConfigError(msg)
        names[spec.name] = spec.code
    from flake8_house_rules.patterns.grep import check_rule  # noqa: PLC0415 - imports ast-grep: only with rules

    for spec in specs:
        problem = check_rule(spec.rule, "pattern" if spec.pattern else "rule")
        if problem is not None:
            key, why = problem
            msg = f"pattern rule {spec.code} in {spec.origin}: key {key!r} {why}"
            raise ConfigError(msg)
    return tuple(sorted(specs, key=lambda spec: spec.code))


def _json_text(rule: object) -> str:
    """A pattern rule's ast-grep rule as canonical JSON text."""
    import json  # noqa: PLC0415 - only with a pattern file

    return json.dumps(rule, sort_keys=True, separators=(",", ":"))
