"""The engine: one walk of each module, dispatched to every enabled rule.

`ModuleContext` walks the tree once and indexes the nodes by type, in source order. The engine builds, per
module, a table from node type to the `visit_<Node>` methods of the rules that apply to the module, and
calls each method once per node of that type, so node types no rule handles cost nothing after the walk.
Nodes arrive type by type (in source order within a type): a rule that combines facts from several node
types does so in `finish()`. No rule walks the tree itself.

A rule that raises is switched off for the rest of that file and the failure is written to stderr as one
line naming the rule and place; the other rules and files still lint, because an exception escaping a
plugin would abort the whole flake8 run for every file. Tests pass `strict=True` to see the exception.
A caller that reports failures itself (the `house-rules` command) passes `on_error`, which then receives
that line instead of stderr.
"""

from __future__ import annotations

import ast
import logging
import sys
from typing import TYPE_CHECKING

from flake8_house_rules.config import Config, build_config
from flake8_house_rules.context import ModuleContext
from flake8_house_rules.rule import Rule, Violation, load_rules

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping, Sequence

LOG = logging.getLogger("flake8_house_rules")


class Engine:
    """Lints modules with the enabled rules of one configuration."""

    def __init__(
        self,
        config: Config,
        rules: Iterable[type[Rule]],
        *,
        strict: bool = False,
        on_error: Callable[[str], None] | None = None,
    ) -> None:
        self.config = config
        self.rules = tuple(rule for rule in rules if config.is_enabled(rule.code, rule.tier))
        self.strict = strict
        self.on_error = on_error

    def lint(self, tree: ast.AST, lines: Sequence[str], filename: str) -> list[Violation]:
        """All violations in one module, sorted by position."""
        violations: list[Violation] = []
        try:
            ctx = ModuleContext(tree, lines, filename, self.config)
        except Exception as exc:
            if self.strict:
                raise
            self._warn("the module context", filename, 1, exc)
            return violations
        instances: list[Rule] = []
        table: dict[type[ast.AST], list[Callable[[ast.AST], None]]] = {}
        for rule_class in self.rules:
            if not rule_class.applies_to(ctx):
                continue
            rule = rule_class(ctx, violations.append)
            instances.append(rule)
            for node_type, attr in rule_class.handlers:
                table.setdefault(node_type, []).append(getattr(rule, attr))
        broken: set[str] = set()
        for node_type, callbacks in table.items():
            for node in ctx.nodes.get(node_type, ()):
                for callback in callbacks:
                    try:
                        callback(node)
                    except Exception as exc:
                        self._disable(callback, table, broken, filename, node, exc)
        for rule in instances:
            if rule.code in broken:
                continue
            try:
                rule.finish()
            except Exception as exc:
                self._disable(rule.finish, table, broken, filename, ctx.tree, exc)
        violations = [violation for violation in violations if violation.code not in broken]
        violations.sort(key=lambda violation: (violation.line, violation.col, violation.code))
        return violations

    def _disable(
        self,
        callback: Callable[[ast.AST], None] | Callable[[], None],
        table: dict[type[ast.AST], list[Callable[[ast.AST], None]]],
        broken: set[str],
        filename: str,
        node: ast.AST,
        exc: Exception,
    ) -> None:
        if self.strict:
            raise exc
        rule = getattr(callback, "__self__", None)
        code = getattr(rule, "code", "?")
        broken.add(code)
        for callbacks in table.values():
            callbacks[:] = [other for other in callbacks if getattr(other, "__self__", None) is not rule]
        self._warn(f"rule {code}", filename, getattr(node, "lineno", 1), exc)

    def _warn(self, what: str, filename: str, line: int, exc: Exception) -> None:
        message = (
            f"flake8-house-rules: internal error in {what} at {filename}:{line}: "
            f"{type(exc).__name__}: {exc}; it is skipped for this file (please report this)"
        )
        LOG.error(message)
        if self.on_error is not None:
            self.on_error(message)
        else:
            sys.stderr.write(message + "\n")


def lint_source(
    source: str,
    path: str = "app/module.py",
    options: Mapping[str, str] | None = None,
    *,
    strict: bool = True,
) -> list[Violation]:
    """Lint a source string in-process as flake8 would, with `--hr-*` option values given by name.

    For tests, docs and tools. Options not given take their defaults, except that the target version is
    3.13 unless set, so results do not depend on the interpreter or on any `pyproject.toml` nearby.
    """
    values: dict[str, object] = {"hr-target-version": "3.13", **(options or {})}
    rules = load_rules()
    config = build_config(values, frozenset(rules), cwd="/nonexistent-house-rules-cwd")
    lines = source.splitlines(keepends=True)
    return Engine(config, rules.values(), strict=strict).lint(ast.parse(source), lines, path)
