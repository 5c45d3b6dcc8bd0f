"""The text of `docs/configuration.md`: how a file's project and configuration are found, and every option.

It lives beside the configuration code (`config.py`, `sources.py`) that it describes; `docs.py` writes it
with the other generated pages, and a test fails while the file on disk is stale.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from flake8_house_rules.config import (
    NEWEST_VERSION,
    OLDEST_VERSION,
    OPTIONS,
    OPTIONS_BY_NAME,
    ConfigError,
    cli_where,
    convert_value,
)
from flake8_house_rules.sources import Flake8File, Table

if TYPE_CHECKING:
    from collections.abc import Callable

    from flake8_house_rules.config import OptionSpec

INTRO = """\
# Configuration

Every option is an ordinary flake8 option: pass it on the command line (`--hr-enable=HR112`) or
write it in flake8's config (`[flake8]` in `setup.cfg`, `tox.ini` or `.flake8`, as `hr-enable = HR112`).
The same options can live in `pyproject.toml`, in a `[tool.flake8-house-rules]` table, keyed by the
option name without its `hr-` prefix:

```toml
[tool.flake8-house-rules]
enable = ["HR112", "HR6"]
target-version = "3.12"
logging-library = "structlog"
print-allowed = ["scripts/*", "*/__main__.py", "app/cli/*"]
```

Lists are comma-separated in flake8's config and on the command line, and TOML lists (or one
comma-separated string) in `pyproject.toml`; numbers may be TOML numbers (`max-statements = 60`).

## How a file's project and configuration are found

Each file is linted under the configuration of its own project, as ruff takes each file's closest
configuration, in the flake8 plugin and in the `house-rules` command alike:

1. **The project's table.** From the file's folder upwards, the first `pyproject.toml` that has a
   `[tool.flake8-house-rules]` table. A `pyproject.toml` without the table (a sub-package's packaging
   file) is passed over, so it does not hide the configuration above it. That file's folder is the
   file's **project root**.
2. **No table above the file.** The file takes the configuration found from the working directory, and
   its paths are relative to the working directory's project: the folder of the nearest `pyproject.toml`
   at or above the working directory (for the flake8 plugin also of flake8's own configuration file,
   whichever is nearer), else the working directory itself.

So a monorepo checked from its root, as pre-commit runs hooks, uses each part's own settings:

```text
repo/
  .pre-commit-config.yaml
  backend/pyproject.toml      [tool.flake8-house-rules]  print-allowed = ["app/cli/*"]
  backend/app/cli/main.py     print() allowed: backend's table, "app/cli/*" from backend/
  worker/pyproject.toml       [tool.flake8-house-rules]  logging-library = "structlog"
  worker/jobs/run.py          worker's table
  worker/jobs/sub/pyproject.toml   (no table: passed over, worker's table applies)
```

An editor linting a buffer (`flake8 --stdin-display-name PATH -`, `house-rules check --stdin-filename
PATH -`) gets the project of `PATH`, from whichever folder it runs. The flake8 plugin builds one
configuration (and one engine) per project root and reads every project's table under the paths it is
given before it lints anything, so that a bad value in any of them stops the run at once.

## Precedence

For each option, the first of these that sets it wins. In the flake8 plugin:

1. flake8's value: its command line, else its configuration file (`[flake8]`);
2. the project's `[tool.flake8-house-rules]` table;
3. the default.

In the `house-rules` command:

1. the command line (`--hr-*` flags);
2. the project's `[tool.flake8-house-rules]` table;
3. flake8's configuration: the `hr-*` options of the first `setup.cfg`, `tox.ini` or `.flake8` with a
   `[flake8]` section, searched upwards from the project root as flake8 searches from its working
   directory;
4. the default.

flake8 hands the plugin its merged values, command line over configuration file; they apply to every
project of the run. The command's step 3 lets a flake8 user try `house-rules check` without moving
configuration: `hr-*` options set for flake8 are read where the table does not set them.

A relative `hr-pattern-file` is taken from the folder of the file that names it: the `pyproject.toml`
folder for `pattern-file` in the table, the configuration file's folder for a `[flake8]` value, the
working directory on a command line.

## Path patterns

The role options (`test-modules`, `settings-modules`, `store-modules`, `service-modules`,
`router-modules`) and `print-allowed` are path patterns, matched against the module's path relative to
its project root, as `fnmatch` matches (`*` crosses folders):

- a pattern without `/` matches the file name: `test_*.py`, `*settings.py`;
- a pattern with `/` matches the whole path from the project root: `scripts/*` matches `scripts/run.py`
  but not `tools/scripts/run.py`; `app/db/*` matches `app/db/session.py`; a leading `./` or `/` changes
  nothing (`./scripts/*`, `/scripts/*`);
- a pattern starting with `*/` matches at any depth, the root's own folder included: `*/tests/*` matches
  `tests/test_x.py` and `pkg/tests/test_x.py`.

A file outside its project root (linted from elsewhere) keeps its absolute path: only file-name and `*/`
patterns can match it. A buffer linted from stdin takes its path from `--stdin-display-name`
(`--stdin-filename` for the command); without one it has no path and so no role, and no rule that
depends on a role fires.

## Errors

A bad value stops the run with one line naming the option or key, where the value came from, and the
value, and exit status 2 (never a traceback):

```text
{examples}
```

Whole numbers take ASCII digits only (a superscript or an Arabic-Indic digit is refused, not misread);
target versions run from {oldest} to {newest} (`3.12`, `py312`, `312`); a path pattern may not leave a `[`
unclosed.

## Options
"""

OUTRO = """
The `house-rules` command reads the same table and options, and also the keys `select`,
`extend-select`, `ignore`, `extend-ignore`, `per-file-ignores`, `exclude` and `extend-exclude`, which
the flake8 plugin leaves to flake8's own settings: see [cli.md](cli.md).
"""


def _examples() -> str:
    """Real error lines, made by the validation itself from three bad values and where they came from."""
    cases = (
        (
            "flake8-house-rules",
            Table(Path("/repo/worker/pyproject.toml")).where("max-statements"),
            "hr-max-statements",
            "abc",
        ),
        (
            "flake8-house-rules",
            Flake8File(Path("/repo/setup.cfg")).where("hr-target-version"),
            "hr-target-version",
            "3.99",
        ),
        ("house-rules", cli_where(OPTIONS_BY_NAME["hr-test-modules"]), "hr-test-modules", "tests/["),
    )
    lines = []
    for program, where, name, value in cases:
        try:
            convert_value(OPTIONS_BY_NAME[name], value, where, frozenset())
        except ConfigError as exc:
            lines.append(f"{program}: error: {exc}")
    return "\n".join(lines)


def page(option_default: Callable[[OptionSpec], str]) -> str:
    """The whole page; `option_default` renders an option's default as the other generated pages do."""
    oldest, newest = (".".join(map(str, version)) for version in (OLDEST_VERSION, NEWEST_VERSION))
    parts = [INTRO.format(oldest=oldest, newest=newest, examples=_examples()).rstrip(), ""]
    parts += ["| flake8 option | pyproject key | Default | Meaning |", "|---|---|---|---|"]
    for spec in OPTIONS:
        parts.append(f"| `--{spec.name}` | `{spec.pyproject_key}` | {option_default(spec)} | {spec.help} |")
    return "\n".join(parts) + "\n" + OUTRO
