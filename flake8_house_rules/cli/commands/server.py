"""`house-rules server`: the language server, over standard input and output (see `docs/editors.md`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse

    from flake8_house_rules.cli.invocation import Invocation

HELP = "run the language server (LSP over stdio) for editors"


def arguments(parser: argparse.ArgumentParser) -> None:
    """`server` takes no flags: editors configure it through the protocol and each project's pyproject.toml."""
    parser.add_argument("--stdio", action="store_true", help="speak over standard input and output (the default)")


def run(invocation: Invocation) -> int:
    """Serve until the client says exit."""
    from flake8_house_rules.server import main  # noqa: PLC0415 - pygls loads only for the server

    return main()
