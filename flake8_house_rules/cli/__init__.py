"""`house-rules`: the pack's rules as a ruff-style command, for teams that lint with ruff.

The command runs the same rules through the same `Engine`, with the same configuration, as the flake8 plugin:

    house-rules check [PATHS]           lint (default: the current folder); exit 0 clean, 1 violations, 2 error
    house-rules baseline [PATHS]        record today's violations; `check --baseline FILE` hides them
    house-rules rule HR210              one rule's documentation
    house-rules rules                   every rule, its tier and fix, and whether it is enabled here
    house-rules clean                   remove the cache folder

How the package is laid out:

- `app.main`: the entry point; `parser`: the command line, and the table of subcommands;
- `commands/<name>.py`: one module per subcommand (`HELP`, `arguments(parser)`, `run(invocation)`);
- `invocation.Invocation`: one run's settings, resolved once from the flags and the project and handed down;
- `run`: discovery, the cache and linting for `check` and `baseline`; `lint`: the linter and its workers;
- `settings`: the project's table and the selection; `discover`, `cache`, `baseline`, `noqa`, `output`.

See `docs/cli.md` for discovery, configuration, selection, output formats, the cache and baselines.
"""

from __future__ import annotations

from flake8_house_rules.cli.app import main

__all__ = ["main"]
