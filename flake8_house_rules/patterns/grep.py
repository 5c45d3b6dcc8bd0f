"""Everything that touches ast-grep: compile checks, the words a rule needs, and parsing a module.

Importing this module imports `ast_grep_py`, so only configurations that declare pattern rules import it.

ast-grep-py builds its matcher from the rule object on each `find_all` call (about 10 microseconds for a
small rule); it has no compiled-rule object to keep. What is done once per run instead: validation and a
trial compile of every rule (`check_rule`), the rule object and the words it needs (`required_words`),
which let a module skip ast-grep entirely when no enabled rule can match its text.
"""

from __future__ import annotations

import io
import re
import tokenize
from typing import TYPE_CHECKING, Any

from ast_grep_py import SgRoot

from flake8_house_rules.patterns.spec import ATOMIC_KEYS, RELATION_KEYS

if TYPE_CHECKING:
    from ast_grep_py import SgNode

LANGUAGE = "python"
#: ast-grep reads `$` metavariables in Python patterns as this character (Python code cannot contain `$`).
EXPANDO = "µ"
METAVARIABLE_RE = re.compile(r"\$+[A-Z_][A-Z0-9_]*|\$\$\$")
_EMPTY: list[SgNode] = []


def _ast_grep_message(exc: BaseException) -> str:
    """ast-grep's error as one line: its innermost cause, without the Rust backtrace."""
    text = str(exc).split("Stack backtrace:")[0]
    causes: list[str] = []
    for line in text.splitlines():
        numbered = re.match(r"^\s*\d+:\s*(.*)$", line)
        if numbered:
            causes.append(numbered.group(1))
        elif causes and line.strip():
            causes[-1] += " " + line.strip()  # a cause that spans lines (a regex error's caret)
    innermost = causes[-1] if causes else text
    return " ".join(innermost.split()) or type(exc).__name__


def compile_error(rule: dict[str, Any]) -> str | None:  # Any: a rule object of nested values
    """ast-grep's complaint about a rule object, or `None` when it compiles."""
    try:
        SgRoot("", LANGUAGE).root().find_all({"rule": rule})
    except Exception as exc:  # ast-grep raises RuntimeError, TypeError or plain Exception for bad rules
        return _ast_grep_message(exc)
    return None


def syntax_error(pattern: str) -> str | None:
    """Why a pattern's code is not one complete piece of Python, or `None` when tree-sitter parses it cleanly.

    ast-grep accepts such patterns but they silently match nothing, so they are refused up front.
    """
    root = SgRoot(pattern.replace("$", EXPANDO), LANGUAGE).root()
    if root.find(kind="ERROR") is not None:
        return "is not valid Python code (tree-sitter finds a syntax error in it)"
    stack = [root]
    while stack:
        node = stack.pop()
        children = node.children()
        if not children and node is not root and node.range().start.index == node.range().end.index:
            return f"is incomplete Python code (tree-sitter had to insert a missing {node.kind()!r})"
        stack.extend(children)
    return None


def _patterns(rule: dict[str, Any], key: str) -> list[tuple[str, str]]:  # Any: nested rule values
    """Every pattern text inside a rule object (including pattern objects' `context`), with its key path."""
    found: list[tuple[str, str]] = []
    for name, value in rule.items():
        sub = f"{key}.{name}"
        if name == "pattern":
            found.append((sub, value) if isinstance(value, str) else (f"{sub}.context", value["context"]))
        elif name in (*RELATION_KEYS, "not") or (name == "stopBy" and isinstance(value, dict)):
            found.extend(_patterns(value, sub))
        elif name in {"all", "any"}:
            for index, item in enumerate(value):
                found.extend(_patterns(item, f"{sub}[{index}]"))
    return found


def _locate(rule: dict[str, Any], key: str) -> tuple[str, str] | None:  # Any: nested rule values
    """The deepest part of a rule that does not compile on its own, with ast-grep's message."""
    for name, value in rule.items():
        sub = f"{key}.{name}"
        if name in ATOMIC_KEYS:
            error = compile_error({name: value})
            if error is not None:
                return sub, error
        elif name in RELATION_KEYS:
            inner = {k: v for k, v in value.items() if k not in {"stopBy", "field"}}
            found = _locate(inner, sub) if inner else None
            if found is None and isinstance(value.get("stopBy"), dict):
                found = _locate(value["stopBy"], f"{sub}.stopBy")
            if found is None and (error := compile_error({name: value})) is not None:
                found = sub, error
            if found is not None:
                return found
        elif name == "not" and (found := _locate(value, sub)) is not None:
            return found
        elif name in {"all", "any"}:
            for index, item in enumerate(value):
                if (found := _locate(item, f"{sub}[{index}]")) is not None:
                    return found
    return None


def check_rule(rule: dict[str, Any], key: str) -> tuple[str, str] | None:  # Any: nested rule values
    """`(key path, problem)` for the first problem in a declared rule, or `None` when it compiles.

    `key` is the declaration's key holding it: `pattern` (the rule is `{"pattern": ...}`) or `rule`.
    """
    for path, text in _patterns(rule, "rule"):
        if not text.strip():
            return _declared(path, key), "must not be empty"
        error = syntax_error(text)
        if error is not None:
            return _declared(path, key), f"{error}: {text!r}"
    error = compile_error(rule)
    if error is None:
        return None
    located = _locate(rule, "rule")
    path, why = located if located is not None else ("rule", error)
    return _declared(path, key), f"does not compile: {why}"


def _declared(path: str, key: str) -> str:
    """A key path inside the rule object as the user wrote it: `pattern` for `{"pattern": ...}`."""
    return "pattern" if key == "pattern" else path


def pattern_words(pattern: str) -> frozenset[str]:
    """Names a plain pattern spells outside metavariables, strings and comments.

    ast-grep compares a pattern's leaves with the code's text, so every such name appears in the text of each
    match: a module whose text lacks one of them cannot match. An empty set when the pattern cannot be
    tokenized (then no module is skipped).
    """
    text = METAVARIABLE_RE.sub(" ", pattern).replace("$", " ")
    words: set[str] = set()
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.NAME and token.string.isidentifier():
                words.add(token.string)
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return frozenset()
    return frozenset(words)


def required_words(rule: dict[str, Any]) -> frozenset[str]:  # Any: nested rule values
    """Names that any module matching the rule must contain: a cheap test before parsing.

    A rule object's keys all hold (`all` too), so their words add up; of `any`, only the words common to every
    branch count; `not`, `kind`, `regex`, pattern objects (which may relax strictness) and positions add none.
    A relation (`inside`, `has`, ...) needs a node matching its rule somewhere, so its words count.
    """
    words: set[str] = set()
    for name, value in rule.items():
        if name == "pattern" and isinstance(value, str):
            words |= pattern_words(value)
        elif name in RELATION_KEYS:
            words |= required_words({k: v for k, v in value.items() if k not in {"stopBy", "field"}})
        elif name == "all":
            for item in value:
                words |= required_words(item)
        elif name == "any":
            branches = [required_words(item) for item in value]
            words |= frozenset.intersection(*branches) if branches else frozenset()
    return frozenset(words)


def parse(source: str) -> SgNode:
    """The root node of a module's source, parsed once for every pattern rule that runs on it."""
    return SgRoot(source, LANGUAGE).root()


def matches(root: SgNode, rule: dict[str, Any]) -> list[SgNode]:  # Any: nested rule values
    """Every node the rule matches, in source order (nested matches included)."""
    return root.find_all({"rule": rule}) if rule else _EMPTY
