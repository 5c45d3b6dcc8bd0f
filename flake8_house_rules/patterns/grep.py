"""Everything that touches ast-grep: compile checks, the words a rule needs, and parsing a module.

Importing this module imports `ast_grep_py`, so only configurations that declare pattern rules import it.

ast-grep-py builds its matcher from the rule object on each `find_all` call (about 10 microseconds for a
small rule); it has no compiled-rule object to keep. What is done once per run instead: validation and a
trial compile of every rule (`check_rule`), the rule object and the words it needs (`required_words`),
which let a module skip ast-grep entirely when no enabled rule can match its text.
"""

from __future__ import annotations

import io
import keyword
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
#: Stands for a metavariable while a pattern is tokenized: it breaks a run of names.
BREAK = "__house_rules_metavariable__"
#: Keywords whose next name no token can separate from them (a parenthesis makes a node of its own).
RUN_KEYWORDS = frozenset({"raise", "await", "return", "assert", "def", "class"})
#: What Python allows between two tokens of a name or keyword run: whitespace, line continuations, comments.
GAP = r"(?:\s|\\|#[^\n]*+\n)*+"  # each alternative starts with its own character: no backtracking
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
    except Exception as exc:  # noqa: HR701 - ast-grep raises RuntimeError, TypeError or a plain Exception
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


def pattern_needs(pattern: str) -> frozenset[tuple[str, ...]]:
    """What a module's text must contain for a plain pattern to match in it: names, and runs of names.

    ast-grep compares a pattern's leaves with the code's text, so each name the pattern spells (outside
    metavariables, strings and comments) is in the text of every match. So is each run of leaves that code
    cannot separate with anything but whitespace, a line continuation or a comment: an attribute chain or
    dotted name (`asyncio.ensure_future`), and a name after `raise`, `await`, `return`, `assert`, `def`,
    `class` or `async def`. (Other keywords can be separated from the next name by tokens ast-grep skips, as
    in `from m import (x)`, so they start no run.) Empty when the pattern cannot be tokenized: then no module
    is skipped.
    """
    text = METAVARIABLE_RE.sub(" " + BREAK + " ", pattern).replace("$", " " + BREAK + " ")
    needs: set[tuple[str, ...]] = set()
    run: list[str] = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            word = token.string if token.type == tokenize.NAME and token.string != BREAK else None
            if word is not None and not keyword.iskeyword(word):
                needs.add((word,))
            if run and _continues(run[-1], token.string if word is not None or token.string == "." else None):
                run.append(token.string)
                continue
            _close(run, needs)
            if word is not None:
                run.append(word)
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return frozenset()
    _close(run, needs)
    return frozenset(needs)


def _continues(previous: str, current: str | None) -> bool:
    """Whether code can put nothing but whitespace, continuations and comments between these two leaves."""
    if current is None:
        return False
    if current == ".":
        return previous.isidentifier() and not keyword.iskeyword(previous)
    if previous == ".":
        return not keyword.iskeyword(current)
    if previous == "async":
        return current == "def"
    return previous in RUN_KEYWORDS and not keyword.iskeyword(current)


def _close(run: list[str], needs: set[tuple[str, ...]]) -> None:
    """Keep a finished run when it holds two names or more (dots left at its end dropped); start a new one."""
    while run and run[-1] == ".":
        run.pop()
    if sum(token != "." for token in run) > 1:
        needs.add(tuple(run))
    run.clear()


def required_needs(rule: dict[str, Any]) -> frozenset[tuple[str, ...]]:  # Any: nested rule values
    """What any module matching the rule must contain (see `pattern_needs`): a cheap test before parsing.

    A rule object's keys all hold (`all` too), so their needs add up; of `any`, only the needs common to every
    branch count; `not`, `kind`, `regex`, pattern objects (which may relax strictness) and positions add none.
    A relation (`inside`, `has`, ...) needs a node matching its rule somewhere, so its needs count.
    """
    needs: set[tuple[str, ...]] = set()
    for name, value in rule.items():
        if name == "pattern" and isinstance(value, str):
            needs |= pattern_needs(value)
        elif name in RELATION_KEYS:
            needs |= required_needs({k: v for k, v in value.items() if k not in {"stopBy", "field"}})
        elif name == "all":
            for item in value:
                needs |= required_needs(item)
        elif name == "any":
            branches = [required_needs(item) for item in value]
            needs |= frozenset.intersection(*branches) if branches else frozenset()
    return frozenset(needs)


def required_words(rule: dict[str, Any]) -> frozenset[str]:  # Any: nested rule values
    """The names any module matching the rule must contain."""
    return frozenset(need[0] for need in required_needs(rule) if len(need) == 1)


class Phrase:
    """A run of names a module's text must contain, allowing what Python allows between its tokens.

    Found by `str.find` of its first token and an anchored regex match at each place: much faster than a
    regex search over the whole text, which Python's `re` scans character by character.
    """

    __slots__ = ("first", "regex")

    def __init__(self, tokens: tuple[str, ...]) -> None:
        self.first = tokens[0]
        self.regex = re.compile(GAP.join(re.escape(token) for token in tokens))

    def found_in(self, source: str) -> bool:
        """Whether the text holds the run."""
        match, first = self.regex.match, self.first
        index = source.find(first)
        while index != -1:
            if match(source, index):
                return True
            index = source.find(first, index + 1)
        return False

    def __repr__(self) -> str:
        return f"Phrase({self.regex.pattern!r})"


def required_phrases(rule: dict[str, Any]) -> tuple[Phrase, ...]:  # Any: nested rule values
    """The runs of two names or more that any module matching the rule must contain."""
    return tuple(Phrase(need) for need in sorted(required_needs(rule)) if len(need) > 1)


def parse(source: str) -> SgNode:
    """The root node of a module's source, parsed once for every pattern rule that runs on it."""
    return SgRoot(source, LANGUAGE).root()


def matches(root: SgNode, rule: dict[str, Any]) -> list[SgNode]:  # Any: nested rule values
    """Every node the rule matches, in source order (nested matches included)."""
    return root.find_all({"rule": rule}) if rule else _EMPTY
