"""`house-rules clean`: remove the cache folder."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from flake8_house_rules.cli.common import PROG

if TYPE_CHECKING:
    import argparse

    from flake8_house_rules.cli.invocation import Invocation

HELP = "remove the cache folder"


def arguments(parser: argparse.ArgumentParser) -> None:
    """The flags of `clean`."""
    parser.add_argument("--cache-dir", metavar="DIR")


def run(invocation: Invocation) -> int:
    """Remove the folder, if there is one."""
    from flake8_house_rules.cli.cache import clean  # noqa: PLC0415 - only this command

    folder = invocation.cache_folder
    if clean(folder):
        sys.stdout.write(f"{PROG}: removed {folder}\n")
    return 0
