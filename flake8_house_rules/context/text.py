"""The module's source text: short node segments and comments.

Comments are found per line: a small quote-aware scanner reads only lines that contain `#`. A line the AST
shows may start inside a multi-line string is read by the tokenizer, from the nearest line above that starts
in code, not from the top of the module (tests check both agree with the tokenizer on real code). Nothing
is tokenized until a rule asks.
"""

from __future__ import annotations

import ast
import contextlib
import re
import tokenize
from itertools import compress
from operator import attrgetter, lt
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections import defaultdict
    from collections.abc import Sequence

COMMENT_MARKER_RE = re.compile(
    r"(noqa(:[\s,A-Z0-9]*)?|type:\s*ignore(\[[^\]]*\])?|pragma:[^#]*|#|(?-i:\b[A-Z]+[0-9]+\b))", re.IGNORECASE
)
LINENO = attrgetter("lineno")
END_LINENO = attrgetter("end_lineno")
WORD_RE = re.compile(r"[A-Za-z]{2,}")
#: Words that acknowledge without explaining (`# OK`), or name a tool rather than a reason.
#: How many brackets a tokenized fragment may be wrapped in (the tokenizer refuses 200 nested brackets).
MAX_FRAGMENT_DEPTH = 150
NOT_REASONS = frozenset({"ok", "okay", "fine", "todo", "fixme", "xxx", "hack", "nosec", "noqa", "any", "ignore"})


def find_comment(text: str) -> int | None:
    """The column of the comment on a line that starts in code, or `None`: skips `#` inside strings."""
    first = text.find("#")
    if first < 0:
        return None
    if "'" not in text[:first] and '"' not in text[:first]:
        return first  # no string opens before the first `#`: the common case, without the scanner
    index, size = 0, len(text)
    while index < size:
        char = text[index]
        if char == "#":
            return index
        if char in "'\"":
            quote = text[index : index + 3] if text[index : index + 3] in ('"""', "'''") else char
            index += len(quote)
            while index < size:
                if text[index] == "\\":
                    index += 2
                elif text.startswith(quote, index):
                    index += len(quote)
                    break
                else:
                    index += 1
            else:
                return None  # the string goes on past this line, so nothing after it is a comment
            continue
        index += 1
    return None


def explains(comment: str) -> bool:
    """Whether a comment's text says why in words (see `SourceText.has_explaining_comment`)."""
    words = WORD_RE.findall(COMMENT_MARKER_RE.sub(" ", comment))
    return sum(word.lower() not in NOT_REASONS for word in words) >= 2


class SourceText:
    """The text of the module and its comments (a mixin of `ModuleContext`)."""

    lines: Sequence[str]
    nodes: defaultdict[type[ast.AST], list[Any]]  # Any: each list holds nodes of its key's type
    _comments: dict[int, list[tuple[int, str]]] | None
    _multiline_strings: set[int] | None
    _comment_only_lines: list[tuple[int, int, str]] | None
    _hash_lines: list[tuple[int, int, str, bool]] | None
    _source: str | None

    def segment(self, node: ast.AST, limit: int = 60) -> str | None:
        """The source text of a one-line node, if it is at most `limit` characters; else `None`."""
        lineno = getattr(node, "lineno", None)
        end = getattr(node, "end_lineno", None)
        if lineno is None or end != lineno or not 0 < lineno <= len(self.lines):
            return None
        raw = self.lines[lineno - 1].encode("utf-8", "surrogatepass")
        text = raw[getattr(node, "col_offset", 0) : getattr(node, "end_col_offset", 0)].decode("utf-8", "replace")
        return text if len(text) <= limit else None

    @property
    def comments(self) -> dict[int, list[tuple[int, str]]]:
        """Every comment, by line: `{line: [(column, "# text"), ...]}`, from tokenizing the whole module.

        Costly on a large file: rules that look at given lines use `comments_on(line)` instead.
        """
        if self._comments is None:
            self._comments = {}
            lines = iter(self.lines)
            # a construct the tokenizer cannot finish ends the comments found so far
            with contextlib.suppress(tokenize.TokenError, SyntaxError):
                for token in tokenize.generate_tokens(lambda: next(lines, "")):
                    if token.type == tokenize.COMMENT:
                        self._comments.setdefault(token.start[0], []).append((token.start[1], token.string))
        return self._comments

    def comments_on(self, line: int) -> list[tuple[int, str]]:
        """The comment on one line as `[(column, "# text")]`, or `[]`; cheap for a line without `#`.

        A line that starts in code is scanned on its own; a line that may start inside a multi-line string
        (the AST says one spans it) is tokenized with the lines above it back to one that starts in code.
        """
        if not 0 < line <= len(self.lines):
            return []
        text = self.lines[line - 1]
        if "#" not in text:
            return []
        if self._comments is not None:
            return self._comments.get(line, [])
        if line in self.string_lines():
            return self._comments_after_string(line)
        col = find_comment(text)
        return [] if col is None else [(col, text[col:].rstrip("\r\n"))]

    def _comments_after_string(self, line: int) -> list[tuple[int, str]]:
        """The comments on a line that may start inside a multi-line string, from tokenizing a few lines only.

        The tokenizer starts at the nearest line above that starts in code (no multi-line string spans it),
        so it reads the same characters as a whole-module pass would from there on. The lines are fed inside
        enough open brackets that neither a closing bracket nor a smaller indent among them is an error.
        Nesting too deep for that: the whole module is tokenized once instead.
        """
        strings = self.string_lines()
        first = line
        while first > 1 and first in strings:
            first -= 1
        fragment = self.lines[first - 1 : line]
        depth = 1 + sum(text.count(")") + text.count("]") + text.count("}") for text in fragment)
        if depth > MAX_FRAGMENT_DEPTH:
            return self.comments.get(line, [])
        feed = iter(["(" * depth + "\n", *fragment])
        found: list[tuple[int, str]] = []
        offset = first - 2  # the tokenizer's line 2 is the fragment's first line
        # the fragment may end inside a string or a bracket: what was read up to there stands
        with contextlib.suppress(tokenize.TokenError, SyntaxError):
            for token in tokenize.generate_tokens(lambda: next(feed, "")):
                if token.type == tokenize.COMMENT and token.start[0] + offset == line:
                    found.append((token.start[1], token.string))
        return found

    def string_lines(self) -> set[int]:
        """Lines after the first of a string literal that spans several lines."""
        if self._multiline_strings is None:
            found: set[int] = set()
            for kind in (ast.Constant, ast.JoinedStr):
                nodes = self.nodes.get(kind, ())
                # only the few strings that span lines reach Python code: the mask is built at C level
                try:
                    spanning = list(compress(nodes, map(lt, map(LINENO, nodes), map(END_LINENO, nodes))))
                except (AttributeError, TypeError):  # a node built without positions: read them one by one
                    spanning = [
                        node for node in nodes if (getattr(node, "end_lineno", 0) or 0) > getattr(node, "lineno", 0)
                    ]
                for node in spanning:
                    found.update(range(node.lineno + 1, node.end_lineno + 1))
            self._multiline_strings = found
        return self._multiline_strings

    def has_explaining_comment(self, line: int) -> bool:
        """Whether a line carries a comment that says why in words.

        That is at least two words besides tool markers (`noqa`, `type: ignore`, `pragma`), bare codes
        (`ANN401`) and acknowledgements (`OK`, `TODO`).
        """
        return any(explains(text) for _, text in self.comments_on(line))

    def source(self) -> str:
        """The module's text in one string (the lines joined), built once."""
        if self._source is None:
            self._source = "".join(self.lines)
        return self._source

    def hash_lines(self) -> list[tuple[int, int, str, bool]]:
        """Every line that holds a `#`, as `(line, column, text, alone)`, in order; built once.

        `column` is where the line's first `#` is, `text` runs from it to the end of the line, and `alone` says
        whether only blanks precede it (a comment-only line). A scan of the source from `#` to `#`, with
        C-level searches, finds them; line numbers count newlines as the parser does. A `#` may be inside a
        string: `find_comment` tells for a line that starts in code, and a line inside a multi-line string
        (`in_multiline_string(line)`, computed only when asked) is no comment at all.
        """
        if self._hash_lines is None:
            text = self.source()
            found: list[tuple[int, int, str, bool]] = []
            line, counted = 1, 0
            position = text.find("#")
            while position >= 0:
                start = text.rfind("\n", 0, position) + 1
                end = text.find("\n", position)
                if end < 0:
                    end = len(text)
                line += text.count("\n", counted, start)
                counted = start
                alone = not text[start:position].strip(" \t\f")
                found.append((line, position - start, text[position:end].rstrip("\r"), alone))
                position = text.find("#", end)
            self._hash_lines = found
        return self._hash_lines

    def comment_only_lines(self) -> list[tuple[int, int, str]]:
        """Every line whose first non-blank character is `#`, as `(line, column, "# text")`, in order; built once.

        A line inside a multi-line string can look the same: a rule confirms a line it reports with
        `in_multiline_string(line)` (rarely needed, so the module's string lines are only computed then).
        """
        if self._comment_only_lines is None:
            if self._hash_lines is not None:
                found = [(line, col, text) for line, col, text, alone in self._hash_lines if alone]
            else:
                found = []
                text = self.source()
                line, counted = 1, 0
                position = text.find("#")
                while position >= 0:  # as in `hash_lines`, but lines count only for comment-only lines
                    start = text.rfind("\n", 0, position) + 1
                    end = text.find("\n", position)
                    if end < 0:
                        end = len(text)
                    if not text[start:position].strip(" \t\f"):
                        line += text.count("\n", counted, start)
                        counted = start
                        found.append((line, position - start, text[position:end].rstrip("\r")))
                    position = text.find("#", end)
            self._comment_only_lines = found
        return self._comment_only_lines

    def in_multiline_string(self, line: int) -> bool:
        """Whether a line lies inside a string literal that spans several lines (after its first line)."""
        return line in self.string_lines()

    def is_comment_only_line(self, line: int) -> bool:
        """Whether a line holds nothing but a comment."""
        return 0 < line <= len(self.lines) and self.lines[line - 1].lstrip().startswith("#")
