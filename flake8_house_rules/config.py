"""One frozen `Config` built from flake8's options and `[tool.flake8-house-rules]` in `pyproject.toml`.

Every option is declared once in `OPTIONS`; that table registers the flake8 options (`--hr-*`, also readable
from `setup.cfg`, `tox.ini` and `.flake8`), names the `pyproject.toml` keys, validates values, and generates
`docs/configuration.md`. A value given to flake8 (command line or flake8 config file) wins over the
`pyproject.toml` table, which wins over the default. Bad values raise `ConfigError`, whose message names the
option and the value; the plugin turns it into one line on stderr and exit status 2.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from flake8_house_rules.patterns.spec import PatternSpec

OptionKind = Literal[
    "codes", "version", "patterns", "modules", "names", "identifiers", "numbers", "integer", "choice", "path"
]

CODE_PREFIX_RE = re.compile(r"^HR\d{0,3}$")
DOTTED_RE = re.compile(r"^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$")
VERSION_RE = re.compile(r"^(?:py)?3\.?(\d{1,2})$")
IDENTIFIER_RE = re.compile(r"^[A-Za-z_]\w*$")
PYPROJECT_TABLE = "flake8-house-rules"


class ConfigError(Exception):
    """A configuration value the pack cannot use; the message names the option and the value."""


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
        "Python version the code targets (e.g. 3.12). When unset: the nearest pyproject.toml's "
        "[tool.ruff] target-version, else its [project] requires-python lower bound, else the running Python.",
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
        "[tool.flake8-house-rules.patterns] in pyproject.toml. A relative path is taken from the working "
        "directory (as pattern-file in pyproject.toml: from that file's folder).",
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
    cwd: str = ""
    stdin_display_name: str = "stdin"

    def is_enabled(self, code: str, tier: str) -> bool:
        """Whether a rule of this code and tier reports: default-tier always, opt-in when `hr-enable` names it."""
        return tier == "default" or any(code.startswith(prefix) for prefix in self.enable)


def split_list(value: object) -> list[str]:
    """Split a comma- or newline-separated string (or a TOML list) into stripped, non-empty items."""
    if isinstance(value, str):
        items: list[object] = re.split(r"[,\s]+", value)
    elif isinstance(value, list | tuple):
        items = list(value)
    else:
        return [str(value)]
    return [str(item).strip() for item in items if str(item).strip()]


def parse_version(text: str) -> tuple[int, int]:
    """Parse `3.12`, `py312` or `312` into `(3, 12)`; raise `ValueError` otherwise."""
    match = VERSION_RE.match(text.strip())
    if match is None:
        msg = f"not a Python 3 version: {text!r}"
        raise ValueError(msg)
    return (3, int(match.group(1)))


def _fail(spec: OptionSpec, value: object, why: str) -> ConfigError:
    return ConfigError(f"option '{spec.name}' has a bad value {value!r}: {why}")


def _convert(spec: OptionSpec, raw: object, known_codes: frozenset[str]) -> object:
    """Check one raw option value and convert it to the `Config` field's type."""
    if spec.kind == "version":
        text = str(raw).strip()
        if not text:
            return None
        try:
            version = parse_version(text)
        except ValueError:
            raise _fail(spec, raw, "expected a Python 3 version such as 3.12") from None
        return version
    if spec.kind == "choice":
        text = str(raw).strip().lower()
        if text and text not in spec.choices:
            raise _fail(spec, raw, f"expected one of {', '.join(spec.choices)}")
        return text
    if spec.kind == "path":
        return str(raw).strip()
    if spec.kind == "integer":
        text = str(raw).strip()
        if not text.isdigit():
            raise _fail(spec, raw, "expected a whole number such as 50")
        return int(text)
    items = split_list(raw)
    if spec.kind == "numbers":
        numbers: set[float] = set()
        for item in items:
            try:
                numbers.add(float(item))
            except ValueError:
                raise _fail(spec, item, "expected a number such as 100 or 0.5") from None
        return frozenset(numbers)
    if spec.kind == "identifiers":
        for item in items:
            if not IDENTIFIER_RE.match(item):
                raise _fail(spec, item, "expected a Python identifier")
    if spec.kind == "codes":
        for item in items:
            code = item.upper()
            if not CODE_PREFIX_RE.match(code) or not any(known.startswith(code) for known in known_codes):
                raise _fail(spec, item, "no HR rule has that code or prefix")
        return frozenset(item.upper() for item in items)
    if spec.kind in {"modules", "names"}:
        for item in items:
            if not DOTTED_RE.match(item) or (spec.kind == "names" and "." not in item):
                expected = "a dotted name such as core.logger.get_logger" if spec.kind == "names" else "a module"
                raise _fail(spec, item, f"expected {expected}")
    return tuple(items)


def find_pyproject(start: str) -> Path | None:
    """The nearest `pyproject.toml` at or above `start`."""
    here = Path(start).resolve()
    for folder in (here, *here.parents):
        candidate = folder / "pyproject.toml"
        try:
            if candidate.is_file():
                return candidate
        except OSError:  # an unreadable folder on the way up holds no configuration we can use
            return None
    return None


#: Keys of `[tool.flake8-house-rules]` that are not `--hr-*` options. Their owners read them (the
#: `house-rules` command's selection and file discovery, the project's pattern rules); option validation
#: leaves them alone.
OWNED_KEYS = frozenset(
    {"select", "ignore", "extend-select", "extend-ignore", "per-file-ignores", "exclude", "extend-exclude", "patterns"}
)


def load_pyproject_table(start: str) -> tuple[Path | None, dict[str, Any]]:  # Any: TOML values of every type
    """The nearest `pyproject.toml` and its raw `[tool.flake8-house-rules]` table (`{}` when it has none)."""
    path = find_pyproject(start)
    if path is None:
        return None, {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        msg = f"cannot read {path}: {exc}"
        raise ConfigError(msg) from None
    tool = data.get("tool", {})
    table = tool.get(PYPROJECT_TABLE, {}) if isinstance(tool, dict) else {}
    if not isinstance(table, dict):
        msg = f"[tool.{PYPROJECT_TABLE}] in {path} must be a table, not {table!r}"
        raise ConfigError(msg)
    return path, table


def _numbers_as_text(value: object) -> object:
    """TOML numbers (`max-statements = 60`, `allowed-numbers = [0, 1, 60]`) as the text flake8 would give."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, list):
        return [_numbers_as_text(item) for item in value]
    return value


def read_pyproject_table(start: str) -> dict[str, object]:
    """Read the `--hr-*` options from `[tool.flake8-house-rules]` of the nearest `pyproject.toml`, by option name."""
    path, table = load_pyproject_table(start)
    by_key = {spec.pyproject_key: spec for spec in OPTIONS}
    values: dict[str, object] = {}
    for key, value in table.items():
        if key in OWNED_KEYS:
            continue
        spec = by_key.get(key) or OPTIONS_BY_NAME.get(key)
        if spec is None:
            known = ", ".join(sorted({*by_key, *OWNED_KEYS}))
            msg = f"unknown key {key!r} in [tool.{PYPROJECT_TABLE}] of {path} (known keys: {known})"
            raise ConfigError(msg)
        value = _numbers_as_text(value) if spec.kind in {"integer", "numbers"} else value  # noqa: PLW2901
        if not isinstance(value, str) and not (
            isinstance(value, list) and all(isinstance(item, str) for item in value)
        ):
            raise _fail(spec, value, f"in {path}, expected a string or a list of strings")
        values[spec.name] = value
    return values


def build_config(
    flake8_values: Mapping[str, object],
    known_codes: frozenset[str],
    *,
    cwd: str | None = None,
    stdin_display_name: str = "stdin",
) -> Config:
    """Merge flake8's values (`None` when unset) over the pyproject table over defaults, and validate."""
    cwd = cwd or os.getcwd()
    pyproject = read_pyproject_table(cwd)
    from flake8_house_rules.patterns.spec import load_pattern_specs  # noqa: PLC0415 - it imports this module

    patterns = load_pattern_specs(cwd, flake8_values.get("hr-pattern-file"))
    known_codes = known_codes | {spec.code for spec in patterns}
    fields: dict[str, Any] = {}  # Any: one converted value per Config field, each of its own type
    for spec in OPTIONS:
        raw = flake8_values.get(spec.name)
        if raw is None:
            raw = pyproject.get(spec.name, spec.default)
        fields[spec.dest.removeprefix("hr_")] = _convert(spec, raw, known_codes)
    return Config(**fields, patterns=patterns, cwd=cwd, stdin_display_name=stdin_display_name)
