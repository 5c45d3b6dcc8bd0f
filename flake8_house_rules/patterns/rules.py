"""Pattern rules as `Rule` classes, one per declaration, so that the rest of the pack treats them as rules.

Selection, `# noqa`, per-file-ignores, baselines, listing and docs work on them as on built-in rules.

The classes belong to one configuration: `pattern_rules(config)` builds them once per set of declarations
and never adds them to the built-in `REGISTRY`. Per module, a pattern rule runs only when its `include` and
`exclude` globs let it and the module's text holds every name its rule spells (a substring test); the first
one that runs parses the module with ast-grep, and every other pattern rule reuses that tree.
"""

from __future__ import annotations

import functools
import inspect
import json
from typing import TYPE_CHECKING, Any, ClassVar

from flake8_house_rules.rule import Rule, Violation, load_rules

if TYPE_CHECKING:
    from flake8_house_rules.config import Config
    from flake8_house_rules.context import ModuleContext
    from flake8_house_rules.patterns.grep import Phrase
    from flake8_house_rules.patterns.spec import PatternSpec

SOURCE_KEY = "patterns.source"
ROOT_KEY = "patterns.root"


def _source(ctx: ModuleContext) -> str:
    return ctx.derived(SOURCE_KEY, lambda: "".join(ctx.lines))


class PatternRule(Rule):
    """Base class of the rules a project declares as ast-grep patterns (HR900-HR999).

    Subclasses get their `code` after the class statement, so `Rule.__init_subclass__` does not register them.
    """

    tier = "default"
    fix = "-"
    spec: ClassVar[PatternSpec]
    #: The ast-grep rule object, decoded once per run.
    rule_object: ClassVar[dict[str, Any]] = {}  # Any: nested rule values
    #: Names the module's text must contain for the rule to possibly match (see `grep.pattern_needs`).
    words: ClassVar[tuple[str, ...]] = ()
    #: Runs of names (`asyncio.ensure_future`, `raise Exception`) the module's text must contain.
    phrases: ClassVar[tuple[Phrase, ...]] = ()

    @classmethod
    def applies_to(cls, ctx: ModuleContext) -> bool:
        """Whether the path passes `include`/`exclude` and the text holds every name the rule spells."""
        if not cls.spec.applies_to_path(ctx.path):
            return False
        return not (cls.words or cls.phrases) or cls.may_match(_source(ctx))

    @classmethod
    def may_match(cls, source: str) -> bool:
        """Whether a module's text holds every name and run of names the rule spells; if not, it cannot match."""
        return all(word in source for word in cls.words) and all(phrase.found_in(source) for phrase in cls.phrases)

    def finish(self) -> None:
        """Report each match over its own range (lines, and columns in characters, as ast-grep counts them)."""
        from flake8_house_rules.patterns import grep  # noqa: PLC0415 - ast-grep only when a pattern rule runs

        ctx = self.ctx
        root = ctx.derived(ROOT_KEY, lambda: grep.parse(_source(ctx)))
        last_line = max(len(ctx.lines), 1)
        for node in grep.matches(root, self.rule_object):
            span = node.range()
            start, end = span.start, span.end
            line, end_line = min(start.line + 1, last_line), min(end.line + 1, last_line)
            fix = None
            if self.wants_fixes and self.spec.fix:  # the `fix` template, as the command's --fix applies it
                from flake8_house_rules.fixes.templates import template_fix  # noqa: PLC0415 - fixes only

                fix = template_fix(ctx.lines, node, self.spec.fix)
            self._sink(Violation(line, start.column, self.code, self.message, end_line, end.column, fix))


def _docstring(spec: PatternSpec) -> str:
    why = spec.note or "The project's configuration gives no `note` for this rule."
    return f"""
    ## What it does
    Reports code that matches this project's ast-grep rule (declared in `{spec.origin}`):

    ```json
    {_rule_text(spec)}
    ```

    ## Why is this bad?
    {why}
    """


def _rule_text(spec: PatternSpec) -> str:
    if spec.pattern:
        return json.dumps({"pattern": spec.pattern})
    return json.dumps(spec.rule, indent=2).replace("\n", "\n    ")


def one_line(message: str) -> str:
    """A declared message with each run of line breaks, tabs and other control characters made one space.

    Every output is read line by line (flake8's, `concise`, `github`): a newline would split a report.
    """
    if message.isprintable():
        return message
    return " ".join("".join(" " if not char.isprintable() else char for char in message).split())


def _class_name(spec: PatternSpec) -> str:
    return spec.code + "".join(part.capitalize() for part in spec.name.split("-"))


def build_rule(spec: PatternSpec) -> type[PatternRule]:
    """The `Rule` class of one declaration (not registered)."""
    from flake8_house_rules.patterns import grep  # noqa: PLC0415 - ast-grep only with declarations

    rule_object = spec.rule
    namespace = {
        "__doc__": _docstring(spec),
        "__module__": __name__,
        "__qualname__": _class_name(spec),
        "spec": spec,
        "rule_object": rule_object,
        "words": tuple(sorted(grep.required_words(rule_object))),
        "phrases": grep.required_phrases(rule_object),
        "name": spec.name,
        "message": one_line(spec.message),
        "source": f"project rule in {spec.origin}",
        "fix": "unsafe" if spec.fix else "-",
    }
    rule = type(_class_name(spec), (PatternRule,), namespace)
    rule.code = spec.code  # after creation: `Rule.__init_subclass__` registers classes that have a code
    return rule


@functools.lru_cache(maxsize=16)
def _build_all(specs: tuple[PatternSpec, ...]) -> dict[str, type[PatternRule]]:
    return {spec.code: build_rule(spec) for spec in specs}


def pattern_rules(config: Config) -> dict[str, type[PatternRule]]:
    """The pattern rules a configuration declares, by code; the same classes for the same declarations."""
    if not config.patterns:
        return {}
    return dict(_build_all(config.patterns))


def all_rules(config: Config) -> dict[str, type[Rule]]:
    """Every rule of a configuration by code, sorted: the pack's built-in rules and the project's pattern rules.

    The one call for any front end (the flake8 plugin, the `house-rules` command, the benchmark) that lints,
    lists or documents the rules of a configuration. Built-in codes are HR0-HR8, pattern codes HR9: they never
    collide.
    """
    return dict(sorted({**load_rules(), **pattern_rules(config)}.items()))


def pattern_page(rule: type[PatternRule]) -> str:
    """The Markdown page of a pattern rule, in the shape of a built-in rule's page."""
    spec = rule.spec
    where = []
    if spec.include:
        where.append("modules whose path matches " + ", ".join(f"`{glob}`" for glob in spec.include))
    if spec.exclude:
        where.append("not modules whose path matches " + ", ".join(f"`{glob}`" for glob in spec.exclude))
    fix = (
        f"Fix template (ast-grep rewrite, applied by `house-rules check --fix --unsafe-fixes`): `{spec.fix}`"
        if spec.fix
        else "No fix template."
    )
    parts = [
        f"# {rule.code} {rule.name}",
        "",
        "| Code | Name | Tier | Fix | Source |",
        "|---|---|---|---|---|",
        f"| {rule.code} | {rule.name} | default (`flake8 --select HR`) | {rule.fix} | {rule.source} |",
        "",
        f"Message: `{rule.code} {rule.message}`",
        "",
        inspect.cleandoc(rule.__doc__ or ""),
        "",
        "## Applies to",
        "",
        ("Only " + "; ".join(where) + "." if where else "Every module.")
        + " Pattern rules match syntax only: they do not resolve imports or names.",
        "",
        "## Fix",
        "",
        fix,
        "",
        "## Source",
        "",
        f"A project pattern rule, declared in `{spec.origin}`. See docs/patterns.md.",
    ]
    return "\n".join(parts).rstrip() + "\n"
