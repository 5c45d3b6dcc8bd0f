"""`house-rules rules`: every rule, its tier and fix, and whether this configuration enables it."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from flake8_house_rules.cli.commands.rule import rule_data
from flake8_house_rules.cli.parser import add_configuration

if TYPE_CHECKING:
    import argparse

    from flake8_house_rules.cli.invocation import Invocation

HELP = "list every rule: tier, fix, and whether it is enabled here"


def arguments(parser: argparse.ArgumentParser) -> None:
    """The flags of `rules`."""
    add_configuration(parser)
    parser.add_argument("--output-format", choices=("text", "json"), default="text")


def run(invocation: Invocation) -> int:
    """Print the listing."""
    import json  # noqa: PLC0415 - only for --output-format json

    registry = invocation.registry
    codes = invocation.settings.codes
    if invocation.output.format == "json":
        rows = [rule_data(rule, enabled=code in codes) for code, rule in registry.items()]
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
        return 0
    width = max((len(rule.name) for rule in registry.values()), default=4)
    lines = [f"{'code':<6}  {'name':<{width}}  {'tier':<7}  {'fix':<6}  enabled"]
    for code, rule in registry.items():
        enabled = "yes" if code in codes else "no"
        lines.append(f"{code:<6}  {rule.name:<{width}}  {rule.tier:<7}  {rule.fix:<6}  {enabled}")
    sys.stdout.write("\n".join(lines) + "\n")
    return 0
