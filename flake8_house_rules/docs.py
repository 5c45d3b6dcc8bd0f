"""Generate `docs/rules/HR###.md`, the rule index and `docs/configuration.md` from the code.

Run `uv run python -m flake8_house_rules.docs` after changing a rule or an option; a test fails while the
committed pages differ from what this produces.
"""

from __future__ import annotations

import inspect
import re
import sys
from pathlib import Path

from flake8_house_rules.config import OPTIONS_BY_NAME, OptionSpec
from flake8_house_rules.patterns import PatternRule, pattern_page
from flake8_house_rules.rule import Rule, load_rules

MARKER_RE = re.compile(r"\s*#\s*error:\s*HR\d{3}(?:\s*,\s*HR\d{3})*\s*$")
FAMILIES = {
    "HR0": "General hygiene",
    "HR1": "Typing",
    "HR2": "Async, HTTP clients and caching",
    "HR3": "Logging",
    "HR4": "Configuration and pydantic",
    "HR5": "FastAPI",
    "HR6": "Data access and layering",
    "HR7": "Errors and exceptions",
    "HR8": "Tests",
}
FIX_TEXT = {
    "safe": "Safe: `house-rules check --fix` rewrites it (the fix keeps behaviour).",
    "unsafe": (
        "Unsafe: it may change behaviour, so `house-rules check --fix` applies it only with `--unsafe-fixes`"
        " (review the diff: `--diff`)."
    ),
    "-": "No automatic fix: the change needs a person's judgement.",
}


def _option_default(spec: OptionSpec) -> str:
    return f"`{spec.default}`" if spec.default else "unset"


def _version(rule: type[Rule]) -> str:
    major, minor = rule.min_target_version or (3, 0)
    return f"{major}.{minor}"


def _source_file(rule: type[Rule]) -> str:
    path = Path(inspect.getfile(rule)).resolve()
    package = Path(__file__).resolve().parent.parent
    return path.relative_to(package).as_posix()


def rule_page(rule: type[Rule]) -> str:
    """The Markdown page of one rule (a project pattern rule's page comes from its declaration)."""
    if issubclass(rule, PatternRule):
        return pattern_page(rule)
    doc = inspect.cleandoc(rule.__doc__ or "")
    tier = "default (`flake8 --select HR`)" if rule.tier == "default" else f"opt-in (`hr-enable = {rule.code}`)"
    parts = [
        f"# {rule.code} {rule.name}",
        "",
        "| Code | Name | Tier | Fix | Source |",
        "|---|---|---|---|---|",
        f"| {rule.code} | {rule.name} | {tier} | {rule.fix} | {rule.source} |",
        "",
        f"Message: `{rule.code} {rule.message}`",
        "",
        *([f"Applies when the target Python is {_version(rule)} or later.", ""] if rule.min_target_version else []),
        doc,
        "",
        "## Options",
    ]
    if rule.options:
        parts.extend(["", "| Option | Default | Meaning |", "|---|---|---|"])
        for name in rule.options:
            spec = OPTIONS_BY_NAME[name]
            parts.append(f"| `{spec.name}` | {_option_default(spec)} | {spec.help} |")
    else:
        parts.extend(["", "None besides `hr-enable` and the usual flake8 selection and `# noqa`."])
    parts.extend(["", "## Fix", "", FIX_TEXT[rule.fix], *_fix_examples(rule), "", "## Source", ""])
    parts.append(f"Style guides: {rule.source}. Implemented in `{_source_file(rule)}`.")
    return "\n".join(parts).rstrip() + "\n"


def _fix_examples(rule: type[Rule]) -> list[str]:
    """The rule's before/after fix examples, as Markdown (markers removed)."""
    parts: list[str] = []
    for example in rule.fixes:
        before = "\n".join(MARKER_RE.sub("", line) for line in example.before.splitlines())
        parts.extend(["", "Before:", "```python", before.rstrip(), "```", "", "After:", "```python"])
        parts.extend([example.after.rstrip(), "```"])
    return parts


def index_page(rules: dict[str, type[Rule]]) -> str:
    """The table of every rule, by family."""
    parts = ["# Rules", "", "Every rule the pack ships, generated from the rule classes.", ""]
    for prefix, title in FAMILIES.items():
        family = [rule for code, rule in rules.items() if code.startswith(prefix)]
        if not family:
            continue
        parts.extend([f"## {prefix}xx: {title}", "", "| Code | Name | Message | Tier | Fix |", "|---|---|---|---|---|"])
        for rule in family:
            parts.append(f"| [{rule.code}]({rule.code}.md) | {rule.name} | {rule.message} | {rule.tier} | {rule.fix} |")
        parts.append("")
    return "\n".join(parts).rstrip() + "\n"


def configuration_page() -> str:
    """Every option: its flake8 spelling, its pyproject key, default, and meaning; how configuration is found."""
    from flake8_house_rules import config_docs  # noqa: PLC0415 - the page's text lives beside the configuration

    return config_docs.page(_option_default)


def expected_files() -> dict[str, str]:
    """Every generated file, by path relative to the repository root."""
    rules = load_rules()
    files = {f"docs/rules/{code}.md": rule_page(rule) for code, rule in rules.items()}
    files["docs/rules/README.md"] = index_page(rules)
    files["docs/configuration.md"] = configuration_page()
    return files


def main(root: str = ".") -> int:
    """Write the generated docs under `root`, removing rule pages of rules that no longer exist."""
    base = Path(root)
    files = expected_files()
    rules_dir = base / "docs" / "rules"
    rules_dir.mkdir(parents=True, exist_ok=True)
    for stale in rules_dir.glob("HR*.md"):
        if f"docs/rules/{stale.name}" not in files:
            stale.unlink()
    for relative, text in files.items():
        (base / relative).write_text(text, encoding="utf-8")
    sys.stdout.write(f"wrote {len(files)} files under {base / 'docs'}\n")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main(*sys.argv[1:]))
