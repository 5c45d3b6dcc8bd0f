"""HR014 unused-noqa."""

from __future__ import annotations

import io
import re
import tokenize
from typing import TYPE_CHECKING

from flake8_house_rules.fixes import Edit, Fix
from flake8_house_rules.rule import FixExample, Rule

if TYPE_CHECKING:
    from flake8_house_rules.rule import Violation

#: A noqa comment as flake8 reads it; its codes group as flake8 splits it.
NOQA_RE = re.compile(r"# noqa(?::[\s]?(?P<codes>([A-Z]+[0-9]+(?:[,\s]+)?)+))?", re.IGNORECASE)
SPLIT_RE = re.compile(r"[,\s]+")
HR_CODE_RE = re.compile(r"HR[0-8]\d\d")
NOQA_SPELLINGS = ("noqa", "NOQA", "Noqa", "NoQA")


class UnusedNoqa(Rule):
    """## What it does
    Checks `# noqa: HR...` comments for HR codes that silence nothing on their line: the rule of that code
    ran on the module and reported nothing there. Like ruff's RUF100, for the pack's own codes.

    The `house-rules` command applies `# noqa` itself and knows every HR finding of the module, so it runs
    this rule after all the others (flake8 applies `# noqa` on its own, and the plugin leaves HR014 to the
    command; the in-process `lint_source` runs it as the command does). It stays silent on everything it
    cannot prove unused: codes of other tools (`E501`, `B008`), prefixes (`HR1`), codes of rules that are
    not enabled in this run (an opt-in rule, a project pattern rule), codes of a rule that failed on the
    module, and a blanket `# noqa`. A `# noqa` after a multi-line string or a backslash continuation covers
    every line of it, as flake8 reads it.

    ## Why is this bad?
    A stale `# noqa` hides the next real finding on its line and tells the reader something that is no
    longer true. 001 Special Comments: "`# noqa` — always include rule: `# noqa: E501`", which only helps
    while the rule named is the one that fires.

    ## Example
    ```python
    from app.types import UserId  # noqa: HR104
    ```

    Use instead:
    ```python
    from app.types import UserId
    ```

    ## Fix
    Safe: the unused codes are removed from the comment, and the whole `# noqa` when no code is left
    (text before it on the line stays). A comment with text after its codes is left alone when it would
    lose all of them.
    """

    code = "HR014"
    name = "unused-noqa"
    message = "remove the unused `# noqa` code"
    fix = "safe"
    source = "001 Special Comments"
    valid = (
        "from typing import Optional  # noqa: HR104",
        "import os  # noqa: E402, F401",
        "from typing import List  # noqa: HR1",
        "x = 1  # noqa",
        "x = 'not a comment # noqa: HR104'",
        "x = '''\n# noqa: HR104\n'''",
        "from typing import Optional  # noqa: HR112",
        "print(1)  # noqa: HR003",
        "s = '''\nprint(1)\n'''.format(x)  # noqa: HR302",
        "from typing import (  # noqa: HR104\n    Optional,\n)",
    )
    invalid = (
        "import os  # noqa: HR104  # error: HR014",
        "import os  # noqa: E402, HR104  # error: HR014",
        "from typing import Optional  # NOQA:HR104,HR201  # error: HR014",
        "x = 1  # type: ignore[misc]  # noqa: HR101  # error: HR014",
        "from typing import (\n    Optional,  # noqa: HR104  # error: HR014\n)",
    )

    def review(self, violations: list[Violation], ran: frozenset[str]) -> None:
        """Report the HR codes of each `# noqa:` comment that match no violation on the lines it covers."""
        ctx = self.ctx
        candidates = []
        for line, _, text, _ in ctx.hash_lines():
            if not any(spelling in text for spelling in NOQA_SPELLINGS) and "noqa" not in text.lower():
                continue
            found = NOQA_RE.search(text)
            if found is None or found.group("codes") is None or ctx.in_multiline_string(line):
                continue
            comments = ctx.comments_on(line)
            if not comments:
                continue
            column, comment = comments[0]
            match = NOQA_RE.search(comment)
            if match is None or match.group("codes") is None:
                continue
            candidates.append((line, column, comment, match))
        if not candidates:
            return
        reported: dict[int, set[str]] = {}
        for violation in violations:
            reported.setdefault(violation.line, set()).add(violation.code)
        ranges: dict[int, tuple[int, int]] | None = None
        for line, column, comment, match in candidates:
            codes = [code for code in SPLIT_RE.split(match.group("codes")) if code]
            checked = [code for code in codes if code in ran and code != self.code and HR_CODE_RE.fullmatch(code)]
            if not checked:
                continue
            seen = reported.get(line, set())
            unused = [code for code in checked if code not in seen]
            if unused:
                if ranges is None:
                    ranges = _token_ranges(ctx.source())
                first, last = ranges.get(line, (line, line))
                seen = set().union(*(reported.get(number, set()) for number in range(first, last + 1)))
                unused = [code for code in checked if code not in seen]
            if unused:
                message = f"unused `# noqa` code{'s' if len(unused) > 1 else ''}: {', '.join(unused)}"
                arguments = (ctx.lines[line - 1], line, column, comment, match, unused)
                self.report((line, column), message, lambda arguments=arguments: _fix(*arguments))

    fixes = (
        FixExample("import os  # noqa: HR104  # error: HR014", "import os"),
        FixExample("import os  # noqa: E402, HR104  # error: HR014", "import os  # noqa: E402"),
        FixExample(
            "x = 1  # type: ignore[misc]  # noqa: HR101  # error: HR014",
            "x = 1  # type: ignore[misc]",
        ),
    )


def _fix(line_text: str, line: int, column: int, comment: str, match: re.Match[str], unused: list[str]) -> Fix | None:
    """Drop the unused codes from the comment; the whole `# noqa` (and the blanks before it) when none is left."""
    codes = [code for code in SPLIT_RE.split(match.group("codes")) if code]
    kept = [code for code in codes if code not in unused]
    start, end = match.span("codes")
    if kept:
        written = comment[start:end]
        trailing = written[len(written.rstrip()) :]
        edit = Edit(", ".join(kept) + trailing, (line, column + start), (line, column + end))
        return Fix.safe("Remove the unused codes", edit)
    if comment[end:].strip():
        return None
    before = comment[: match.start()].rstrip()
    if before:  # a comment before the noqa stays
        return Fix.safe(
            "Remove the unused `# noqa`", Edit("", (line, column + len(before)), (line, column + len(comment)))
        )
    code = line_text[:column].rstrip()
    if not code:  # a comment alone on its line: the line goes
        return Fix.safe("Remove the unused `# noqa`", Edit("", (line, 0), (line + 1, 0)))
    return Fix.safe("Remove the unused `# noqa`", Edit("", (line, len(code)), (line, column + len(comment))))


def _token_ranges(source: str) -> dict[int, tuple[int, int]]:
    """Each line's (first, last) line of its token range, as flake8 maps a `# noqa` onto lines."""
    ranges: dict[int, tuple[int, int]] = {}
    first, last = 10**9, -1
    try:
        for kind, _, (start, _), (end, _), _ in tokenize.generate_tokens(io.StringIO(source).readline):
            if kind in {tokenize.ENDMARKER, tokenize.DEDENT}:
                continue
            first, last = min(first, start), max(last, end)
            if kind in {tokenize.NL, tokenize.NEWLINE}:
                for number in range(first, last + 1):
                    ranges[number] = (first, last)
                first, last = 10**9, -1
    except (tokenize.TokenError, SyntaxError):
        return {}
    return ranges
