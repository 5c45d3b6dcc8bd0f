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

### The project the rules see across modules

Rules that ask what an imported name is (a model from a project base, a house logger factory, a session
factory from `app/db.py`: see [architecture.md](architecture.md), "The project model") read other modules
of the file's **code project**, which is found on its own terms, the same way in both front ends and with
no option:

- **Its root** is the nearest folder at or above the file that holds any of `pyproject.toml` (with or
  without a `[tool.flake8-house-rules]` table), `setup.cfg`, `tox.ini`, `.flake8` or `.git`. In the
  monorepo above, `worker/jobs/sub/pyproject.toml` takes no configuration part, but it does make
  `worker/jobs/sub/` the root of the modules under it. A file in a package with no marker above it (an
  unpacked wheel, an installed package) takes the folder above its topmost package as its root; any other
  file (a bare buffer on stdin, a script with no marker above it) is in no project, and every name it
  imports from elsewhere stays unknown.
- **Module names** come from the `__init__.py` files above a module (`app/users/store.py` under
  `app/__init__.py` and `app/users/__init__.py` is `app.users.store`); up to two folders in a row without
  `__init__.py` inside a package are namespace subpackages of it (`litellm/proxy/guardrails/hooks/x/` under
  `litellm/proxy/` is `litellm.proxy.guardrails.hooks.x`); a module outside any package is
  named from the root, or from `src/` when it sits there. An import is looked up under the importer's own
  packages' start, the root, then `src/`; relative imports against the importer's package. Star imports,
  import cycles, names bound several ways and modules that do not parse stay unknown. Only the modules an
  import reaches are read; a library is never read (only the libraries the pack knows mean anything, by
  name).
- **An editor buffer** (`--stdin-display-name PATH`, `--stdin-filename PATH`) is linted with the rest of
  its project read from disk.

### The summary cache

What each module defines (its summary) is read once and kept on disk, keyed by the module's path and
checked by its stamp (size, modification and change times, inode, as git's index keeps them; a file
changed in the last two seconds has none) and otherwise by its content digest; results that used a
summary go stale when it changes. Where it lives:

- **flake8 plugin**: `<root>/.house_rules_cache/<version>/summaries`, one file per code project root.
  `HOUSE_RULES_SUMMARY_CACHE=DIR` moves it to `DIR` (for every project); `HOUSE_RULES_SUMMARY_CACHE=off`
  (also `0`, `false`, `no` or empty) turns it off.
- **`house-rules check`**: beside its result cache, `--cache-dir`, else `HOUSE_RULES_CACHE_DIR`, else
  `.house_rules_cache/` at the project root (see [cli.md](cli.md)); `--no-cache` (or
  `HOUSE_RULES_SUMMARY_CACHE=off`) turns it off.

The folder holds a `.gitignore` of `*` and a `CACHEDIR.TAG`. A tree with no root marker above it is never
written to. A read-only project (or a cache folder that cannot be written) still lints: the summaries are
then built once per process and not kept. The file is `marshal` data of plain tuples and strings (loading
it runs no code), written under a temporary name and renamed, so concurrent runs do not corrupt it
(each merges what the others wrote meanwhile). Deleting the folder is always safe.

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
