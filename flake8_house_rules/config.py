"""One frozen `Config` per project, built from flake8's options, `[tool.flake8-house-rules]`, and defaults.

Every option is declared once in `OPTIONS`; that table registers the flake8 options (`--hr-*`, also readable
from `setup.cfg`, `tox.ini` and `.flake8`), names the `pyproject.toml` keys, validates values, and generates
`docs/configuration.md`. A value given to flake8 (command line or flake8 config file) wins over the project's
`pyproject.toml` table, which wins over the default; the `house-rules` command reads a `[flake8]` section
below the table (`fallback`). Each value travels with where it came from, so that a bad one raises
`ConfigError` with one line naming the option (or key), its origin and the value; the front ends turn it
into that line on stderr and exit status 2. Where the files are and how they are read is `sources.py`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from flake8_house_rules.errors import ConfigError
from flake8_house_rules.patterns.spec import PatternSpec, pattern_specs
from flake8_house_rules.sources import (
    PYPROJECT_TABLE,
    Flake8File,
    Table,
    find_pyproject,
    find_table,
    glob_problem,
    load_pyproject_table,
    split_list,
)

__all__ = [
    "OPTIONS",
    "OPTIONS_BY_NAME",
    "OWNED_KEYS",
    "PYPROJECT_TABLE",
    "Config",
    "ConfigError",
    "OptionSpec",
    "build_config",
    "find_pyproject",
    "load_pyproject_table",
    "parse_version",
    "split_list",
]

OptionKind = Literal[
    "codes", "version", "patterns", "modules", "names", "identifiers", "numbers", "integer", "choice", "path"
]

CODE_PREFIX_RE = re.compile(r"^HR[0-9]{0,3}$")
DOTTED_RE = re.compile(r"^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$")
VERSION_RE = re.compile(r"^(?:py)?3\.?([0-9]{1,2})$")
IDENTIFIER_RE = re.compile(r"^[A-Za-z_]\w*$")
#: The Python versions a target version may name (as ruff's py37 to py315).
OLDEST_VERSION, NEWEST_VERSION = (3, 7), (3, 15)
#: A value and where it came from, as messages name it (`option '--hr-enable'`, `key 'enable' in ...`).
Sourced = tuple[object, str]


@dataclass(frozen=True, slots=True)
class OptionSpec:
    """One `--hr-*` option: its name, kind, default (as written in a config file), and help text."""

    name: str
    kind: OptionKind
    default: str
    help: str
    choices: tuple[str, ...] = ()

    @property
    def dest(self) -> str:
        """The attribute name argparse gives the option (`hr_enable`)."""
        return self.name.replace("-", "_")

    @property
    def pyproject_key(self) -> str:
        """The key in `[tool.flake8-house-rules]`: the option name without its `hr-` prefix."""
        return self.name.removeprefix("hr-")


OPTIONS: tuple[OptionSpec, ...] = (
    OptionSpec(
        "hr-enable",
        "codes",
        "",
        "Comma-separated opt-in codes or prefixes to report as well as the default tier (e.g. HR112,HR6).",
    ),
    OptionSpec(
        "hr-target-version",
        "version",
        "",
        "Python version the code targets (e.g. 3.12). When unset: from the nearest pyproject.toml that "
        "gives one, its [tool.ruff] target-version, else its [project] requires-python lower bound; "
        "else the running Python.",
    ),
    OptionSpec(
        "hr-test-modules",
        "patterns",
        "test_*.py,*_test.py,conftest.py,*/tests/*",
        "Path patterns of test modules (a pattern without '/' matches the file name).",
    ),
    OptionSpec(
        "hr-settings-modules",
        "patterns",
        "*settings.py,*config.py,*/settings/*",
        "Path patterns of settings modules, where environment reads belong.",
    ),
    OptionSpec(
        "hr-store-modules",
        "patterns",
        "*store.py,*stores.py,*repository.py,*/stores/*,*/repositories/*",
        "Path patterns of the store (repository) layer.",
    ),
    OptionSpec(
        "hr-service-modules",
        "patterns",
        "*service.py,*services.py,*/services/*",
        "Path patterns of the service layer.",
    ),
    OptionSpec(
        "hr-router-modules",
        "patterns",
        "*routes.py,*router.py,*routers.py,*/routes/*,*/routers/*,*/api/*",
        "Path patterns of the router (HTTP handler) layer.",
    ),
    OptionSpec(
        "hr-http-client-modules",
        "modules",
        "httpx,httpx2",
        "Comma-separated modules whose Client/AsyncClient and request functions the HTTP rules check.",
    ),
    OptionSpec(
        "hr-structlog-factories",
        "names",
        "core.logger.get_logger",
        "Comma-separated dotted names of house functions that return a structlog logger "
        "(also matched under a package prefix: app.core.logger.get_logger for core.logger.get_logger).",
    ),
    OptionSpec(
        "hr-logging-library",
        "choice",
        "",
        "The one logging library the project uses: structlog, loguru or stdlib. Unset: HR301 is inactive.",
        ("structlog", "loguru", "stdlib"),
    ),
    OptionSpec(
        "hr-print-allowed",
        "patterns",
        "scripts/*,*/scripts/*,*/__main__.py",
        "Path patterns of modules where print() is allowed (HR003).",
    ),
    OptionSpec(
        "hr-allowed-numbers",
        "numbers",
        "-1,0,1,2,100,1000",
        "Comma-separated numbers that are never magic (HR005).",
    ),
    OptionSpec(
        "hr-singleton-allowed",
        "identifiers",
        "FastAPI,APIRouter,Limiter,TTLCache,LRUCache,Lock,Semaphore,Event,TypeVar,ParamSpec,ContextVar",
        "Class names that may be instantiated at module level (infrastructure; HR010). Logger factories and "
        "settings accessors are always allowed.",
    ),
    OptionSpec(
        "hr-module-naming",
        "choice",
        "snake",
        "How module file names are spelled (HR012): snake (user_service.py) or kebab (user-service.py).",
        ("snake", "kebab"),
    ),
    OptionSpec(
        "hr-max-statements",
        "integer",
        "50",
        "The most statements a function body may hold (HR013).",
    ),
    OptionSpec(
        "hr-upsert-columns",
        "identifiers",
        "updated_at",
        "Columns every on_conflict_do_update(set_=...) must refresh (HR604).",
    ),
    OptionSpec(
        "hr-limiter-names",
        "identifiers",
        "limiter",
        "Names of rate limiter objects whose .limit(...) decorator marks a rate-limited route (HR507).",
    ),
    OptionSpec(
        "hr-max-extra-params",
        "integer",
        "1",
        "How many parameters a store/service method may take besides self and its payload (HR610).",
    ),
    OptionSpec(
        "hr-model-suffixes",
        "identifiers",
        "Payload,Response,Params,Filter,Base",
        "Suffixes a pydantic model name in a types.py/schemas.py module must end with (HR611).",
    ),
    OptionSpec(
        "hr-base-exceptions",
        "identifiers",
        "AppError,ServiceError,APIError,HTTPException",
        "Class names every project exception must inherit from (HR703).",
    ),
    OptionSpec(
        "hr-asyncio-mode",
        "choice",
        "",
        "pytest-asyncio mode: auto (async tests need no marker) or strict. Unset: read asyncio_mode from the "
        "project's pytest configuration (HR803).",
        ("auto", "strict"),
    ),
    OptionSpec(
        "hr-pattern-file",
        "path",
        "",
        "A TOML or YAML file of project pattern rules (HR900-HR999, see docs/patterns.md), besides "
        "[tool.flake8-house-rules.patterns] in pyproject.toml. A relative path is taken from the folder of the "
        "file that names it (pyproject.toml, or flake8's configuration file), or the working directory on a "
        "command line.",
    ),
    OptionSpec(
        "hr-self-documenting-types",
        "identifiers",
        "",
        "Class names whose parameters a docstring's Args: section may skip, as self-documenting from the type "
        "(e.g. AsyncSession,Request; HR002). Unset: every parameter needs its Args: entry.",
    ),
)
OPTIONS_BY_NAME = {spec.name: spec for spec in OPTIONS}


@dataclass(frozen=True, slots=True)
class Config:
    """The validated settings of one flake8 run, shared by every module's context."""

    enable: frozenset[str] = frozenset()
    target_version: tuple[int, int] | None = None
    test_modules: tuple[str, ...] = ()
    settings_modules: tuple[str, ...] = ()
    store_modules: tuple[str, ...] = ()
    service_modules: tuple[str, ...] = ()
    router_modules: tuple[str, ...] = ()
    http_client_modules: tuple[str, ...] = ()
    structlog_factories: tuple[str, ...] = ()
    logging_library: str = ""
    print_allowed: tuple[str, ...] = ()
    allowed_numbers: frozenset[float] = frozenset()
    singleton_allowed: tuple[str, ...] = ()
    module_naming: str = "snake"
    max_statements: int = 50
    upsert_columns: tuple[str, ...] = ()
    limiter_names: tuple[str, ...] = ()
    max_extra_params: int = 1
    model_suffixes: tuple[str, ...] = ()
    base_exceptions: tuple[str, ...] = ()
    asyncio_mode: str = ""
    self_documenting_types: tuple[str, ...] = ()
    pattern_file: str = ""
    #: The project's pattern rules (HR900-HR999), validated and sorted by code.
    patterns: tuple[PatternSpec, ...] = ()
    #: The project's root, which module paths are relative to: the folder of the `pyproject.toml` whose table
    #: configures the project, else the working directory (the name is older than per-project configuration).
    cwd: str = ""
    stdin_display_name: str = "stdin"

    def is_enabled(self, code: str, tier: str) -> bool:
        """Whether a rule of this code and tier reports: default-tier always, opt-in when `hr-enable` names it."""
        return tier == "default" or any(code.startswith(prefix) for prefix in self.enable)


def parse_version(text: str) -> tuple[int, int]:
    """Parse `3.12`, `py312` or `312` (ASCII digits) into `(3, 12)`; raise `ValueError` otherwise."""
    match = VERSION_RE.match(text.strip())
    if match is None:
        msg = f"not a Python 3 version: {text!r}"
        raise ValueError(msg)
    return (3, int(match.group(1)))


def _fail(where: str, value: object, why: str) -> ConfigError:
    return ConfigError(f"{where} has a bad value {value!r}: {why}")


def cli_where(spec: OptionSpec) -> str:
    """How messages name an option given on a command line: `option '--hr-enable'`."""
    return f"option '--{spec.name}'"


def convert_value(spec: OptionSpec, raw: object, where: str, known_codes: frozenset[str]) -> object:
    """Check one raw option value and convert it to the `Config` field's type; `where` names its origin."""
    if spec.kind == "version":
        text = str(raw).strip()
        if not text:
            return None
        try:
            version = parse_version(text)
        except ValueError:
            raise _fail(where, raw, "expected a Python 3 version such as 3.12") from None
        if not OLDEST_VERSION <= version <= NEWEST_VERSION:
            oldest, newest = (".".join(map(str, bound)) for bound in (OLDEST_VERSION, NEWEST_VERSION))
            raise _fail(where, raw, f"expected a Python version from {oldest} to {newest}, such as 3.12")
        return version
    if spec.kind == "choice":
        text = str(raw).strip().lower()
        if text and text not in spec.choices:
            raise _fail(where, raw, f"expected one of {', '.join(spec.choices)}")
        return text
    if spec.kind == "path":
        return str(raw).strip()
    if spec.kind == "integer":
        text = str(raw).strip()
        if not (text.isascii() and text.isdigit()):  # `isdigit` alone takes superscripts, which `int` refuses
            raise _fail(where, raw, "expected a whole number such as 50")
        return int(text)
    items = split_list(raw)
    if spec.kind == "numbers":
        numbers: set[float] = set()
        for item in items:
            try:
                if not item.isascii():  # `float` takes Arabic-Indic and other Unicode digits
                    raise ValueError(item)
                numbers.add(float(item))
            except ValueError:
                raise _fail(where, item, "expected a number such as 100 or 0.5") from None
        return frozenset(numbers)
    if spec.kind == "patterns":
        items = [item.removeprefix("./") for item in items]
        for item in items:
            if (problem := glob_problem(item)) is not None:
                raise _fail(where, item, f"a path pattern with {problem}")
    if spec.kind == "identifiers":
        for item in items:
            if not IDENTIFIER_RE.match(item):
                raise _fail(where, item, "expected a Python identifier")
    if spec.kind == "codes":
        for item in items:
            code = item.upper()
            if not CODE_PREFIX_RE.match(code) or not any(known.startswith(code) for known in known_codes):
                raise _fail(where, item, "no HR rule has that code or prefix")
        return frozenset(item.upper() for item in items)
    if spec.kind in {"modules", "names"}:
        for item in items:
            if not DOTTED_RE.match(item) or (spec.kind == "names" and "." not in item):
                expected = "a dotted name such as core.logger.get_logger" if spec.kind == "names" else "a module"
                raise _fail(where, item, f"expected {expected}")
    return tuple(items)


#: Keys of `[tool.flake8-house-rules]` that are not `--hr-*` options. Their owners read them (the
#: `house-rules` command's selection and file discovery, the project's pattern rules); option validation
#: leaves them alone.
OWNED_KEYS = frozenset(
    {"select", "ignore", "extend-select", "extend-ignore", "per-file-ignores", "exclude", "extend-exclude", "patterns"}
    | {"fix", "unsafe-fixes", "fixable", "unfixable"}  # read by `house-rules check` (cli/fix.py)
)


def _numbers_as_text(value: object) -> object:
    """TOML numbers (`max-statements = 60`, `allowed-numbers = [0, 1, 60]`) as the text flake8 would give."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, list):
        return [_numbers_as_text(item) for item in value]
    return value


def table_options(table: Table | None) -> dict[str, Sourced]:
    """The `--hr-*` options a `[tool.flake8-house-rules]` table sets, by option name, each with its origin."""
    if table is None:
        return {}
    by_key = {spec.pyproject_key: spec for spec in OPTIONS}
    values: dict[str, Sourced] = {}
    for key, value in table.values.items():
        if key in OWNED_KEYS:
            continue
        spec = by_key.get(key) or OPTIONS_BY_NAME.get(key)
        if spec is None:
            known = ", ".join(sorted({*by_key, *OWNED_KEYS}))
            msg = f"unknown key {key!r} in [tool.{PYPROJECT_TABLE}] of {table.path} (known keys: {known})"
            raise ConfigError(msg)
        value = _numbers_as_text(value) if spec.kind in {"integer", "numbers"} else value  # noqa: PLW2901
        if not isinstance(value, str) and not (
            isinstance(value, list) and all(isinstance(item, str) for item in value)
        ):
            raise _fail(table.where(key), value, "expected a string or a list of strings")
        if spec.kind == "path" and isinstance(value, str) and value.strip() and table.root is not None:
            value = os.path.join(table.root, value.strip())  # noqa: PLW2901 - from the pyproject.toml's folder
        values[spec.name] = (value, table.where(key))
    return values


def read_pyproject_table(start: str) -> dict[str, object]:
    """The `--hr-*` options of the nearest `[tool.flake8-house-rules]` at or above `start`, by option name."""
    return {name: value for name, (value, _) in table_options(find_table(start)).items()}


def flake8_file_options(found: Flake8File | None) -> dict[str, Sourced]:
    """The `hr-*` options a flake8 configuration file sets, by option name, each with its origin.

    A relative `hr-pattern-file` is taken from the file's folder, as flake8 takes the paths it reads there.
    """
    if found is None or found.path is None:
        return {}
    values: dict[str, Sourced] = {}
    for spec in OPTIONS:
        if spec.name in found.values:
            value: object = found.values[spec.name]
            if spec.kind == "path" and str(value).strip():
                value = os.path.join(found.path.parent, str(value).strip())
            values[spec.name] = (value, found.where(spec.name))
    return values


def build_config(
    flake8_values: Mapping[str, object],
    known_codes: frozenset[str],
    *,
    cwd: str | None = None,
    stdin_display_name: str = "stdin",
    origins: Mapping[str, str] | None = None,
    table: Table | Literal["find"] | None = "find",
    fallback: Mapping[str, Sourced] | None = None,
) -> Config:
    """Merge flake8's values (`None` when unset) over the table over `fallback` over defaults, and validate.

    `cwd` is the project root (default: the working directory); `table` the project's table (default: the
    nearest at or above `cwd`). `origins` says where each of `flake8_values` came from, for messages (default:
    the command line, `option '--hr-enable'`). A relative `hr-pattern-file` among `flake8_values` is taken
    from `cwd` (the table's `pattern-file` from its pyproject.toml's folder, a `fallback` one as given).
    """
    cwd = cwd or os.getcwd()
    found = find_table(cwd) if table == "find" else table
    layered: dict[str, Sourced] = dict(fallback or {})
    layered.update(table_options(found))
    for name, value in flake8_values.items():
        if value is not None and name in OPTIONS_BY_NAME:
            layered[name] = (value, (origins or {}).get(name) or cli_where(OPTIONS_BY_NAME[name]))
    pattern_file, where = layered.get("hr-pattern-file", ("", ""))
    pattern_path = None
    if isinstance(pattern_file, str) and pattern_file.strip():
        pattern_path = os.path.join(cwd, pattern_file.strip())  # the other sources made theirs absolute
    patterns = pattern_specs(found, pattern_path, cwd, where)
    known_codes = known_codes | {spec.code for spec in patterns}
    fields: dict[str, Any] = {}  # Any: one converted value per Config field, each of its own type
    for spec in OPTIONS:
        raw, where = layered.get(spec.name, (spec.default, f"the default of '{spec.name}'"))
        fields[spec.dest.removeprefix("hr_")] = convert_value(spec, raw, where, known_codes)
    return Config(**fields, patterns=patterns, cwd=cwd, stdin_display_name=stdin_display_name)
