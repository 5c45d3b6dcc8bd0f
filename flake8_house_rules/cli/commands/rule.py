"""`house-rules rule CODE`: one rule's documentation, as `docs/rules/CODE.md` shows it."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from flake8_house_rules.cli.common import PROG, UsageError
from flake8_house_rules.cli.parser import add_configuration

if TYPE_CHECKING:
    import argparse

    from flake8_house_rules.cli.invocation import Invocation
    from flake8_house_rules.rule import Rule

HELP = "print one rule's documentation (or every rule's, with --all)"


def arguments(parser: argparse.ArgumentParser) -> None:
    """The flags of `rule`."""
    parser.add_argument("code", metavar="CODE", nargs="?", help="the rule's code (HR210)")
    parser.add_argument("--all", action="store_true", help="every rule of this configuration, in code order")
    add_configuration(parser)  # a project's pattern rules (HR9xx) come from its configuration
    parser.add_argument("--output-format", choices=("text", "json"), default="text")


def rule_data(rule: type[Rule], *, enabled: bool | None = None) -> dict[str, object]:
    """A rule's facts and documentation, as `rule` and `rules` print them in JSON."""
    import inspect  # noqa: PLC0415 - only the rule listings read docstrings

    data: dict[str, object] = {
        "code": rule.code,
        "name": rule.name,
        "message": rule.message,
        "tier": rule.tier,
        "fix": rule.fix,
        "source": rule.source,
        "options": list(rule.options),
    }
    if enabled is not None:
        data["enabled"] = enabled
    data["explanation"] = inspect.cleandoc(rule.__doc__ or "")
    return data


def run(invocation: Invocation) -> int:
    """Print the rule's page."""
    import json  # noqa: PLC0415 - only for --output-format json

    from flake8_house_rules.docs import rule_page  # noqa: PLC0415 - documentation is only for this command

    code, every = invocation.extra.get("code"), bool(invocation.extra.get("all"))
    if every == (code is not None):
        msg = "give one rule's CODE, or --all"
        raise UsageError(msg)
    if every:
        rules = list(invocation.registry.values())
    else:
        rule = invocation.registry.get(str(code).upper())
        if rule is None:
            msg = f"unknown rule code {code!r} (`{PROG} rules` lists them)"
            raise UsageError(msg)
        rules = [rule]
    if invocation.output.format == "json":
        data = [rule_data(rule) for rule in rules]
        sys.stdout.write(json.dumps(data if every else data[0], indent=2) + "\n")
    else:
        sys.stdout.write("\n".join(rule_page(rule) for rule in rules))
    return 0
