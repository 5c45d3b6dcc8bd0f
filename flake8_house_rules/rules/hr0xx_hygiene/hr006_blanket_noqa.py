"""HR006 blanket-noqa."""

from __future__ import annotations

import ast
import re

from flake8_house_rules.context import find_comment
from flake8_house_rules.rule import Rule

#: A `noqa` comment as flake8 reads it (with codes when the colon comes right after `noqa`: `noqa: E501`), and as
#: ruff reads it (no space after the hash). The codes group is absent for a blanket noqa.
INLINE_RE = re.compile(r"#\s*noqa(?P<codes>:\s?[A-Z]+[0-9]+)?", re.IGNORECASE)
#: The file-wide forms for flake8 (which then skips the whole file, codes or not) and for ruff, which also
#: honours a space before the colon (which flake8 does not: its spaced form silences nothing).
FILE_RE = re.compile(
    r"^#\s*(?:(?P<tool>flake8)[:=]|(?P<ruff>ruff)\s*:)\s*noqa(?P<codes>:\s?[A-Z]+[0-9]+)?", re.IGNORECASE
)
#: `noqa` in the casings people write (flake8 reads any casing; these cover `noqa`, `Noqa`, `NOQA`, `NoQA`).
NOQA_SPELLINGS = ("oqa", "OQA", "oQA")
#: Codes written after `noqa` without the colon flake8 needs (`
SPACED_CODES_RE = re.compile(r"\s*:?\s*(?P<codes>[A-Z]+[0-9]+(?:\s*,\s*[A-Z]+[0-9]+)*)")
FILE_MESSAGE = "replace the file-wide `# {tool}: noqa` with per-file-ignores for the codes it should silence"


class BlanketNoqa(Rule):
    """## What it does
    Checks for `# noqa` comments that name no code: `# noqa`, and the spellings flake8 reads as a bare
    `# noqa` because the colon does not follow `noqa` directly (`# noqa E501`, `# noqa : E501`). Also
    reported: the file-wide `# flake8: noqa` (flake8 skips the whole file, even when codes follow it) and
    `# ruff: noqa` (or `# ruff : noqa`, which ruff honours too) without codes. Only real comments count,
    not text in strings. flake8 reads `noqa` in any casing; the rule reads the casings people write
    (`noqa`, `Noqa`, `NOQA`, `NoQA`).

    flake8 itself honours a blanket `# noqa` by silencing every code on that line, this one included, so
    under flake8 the rule shows only with `flake8 --disable-noqa` (run it that way in CI, or use the
    in-process API); a file with `# flake8: noqa` is reported the same way. Ruff users get the same check as
    PGH004.

    ## Why is this bad?
    A blanket `# noqa` silences every current and future error on the line, including ones nobody has
    looked at. 001 Special Comments: "`# noqa` — always include rule: `# noqa: E501`".

    ## Example
    ```python
    from app.models import *  # noqa
    ```

    Use instead:
    ```python
    from app.models import *  # noqa: F403 - re-exported for the plugin API
    ```
    """

    code = "HR006"
    name = "blanket-noqa"
    message = "name the codes the `# noqa` silences, such as `# noqa: E501`"
    source = "001 Special Comments"
    valid = (
        "import os  # noqa: F401",
        "import os  # noqa:F401,E501",
        "import os  # NOQA: F401 - re-exported",
        "text = '# noqa'",
        "# ruff: noqa: E501\nx = 1",
        "# ruff : noqa: E501\n# flake8 : noqa\nx = 1",
        "x = 1  # the noqa comments here name their codes",
        'def f() -> None:\n    """Docs.\n\n    import os  # noqa\n    """',
    )
    invalid = (
        "import os  # noqa  # error: HR006",
        "import os  # NOQA  # error: HR006",
        "import os  # noqa E501  # error: HR006",
        "import os  # noqa : E501  # error: HR006",
        "import os  #noqa  # error: HR006",
        "x = f()  # type: ignore[arg-type] - stub  # noqa  # error: HR006",
        "# flake8: noqa  # error: HR006\nimport os",
        "# ruff: noqa  # error: HR006\nimport os",
        "# ruff : noqa  # error: HR006\nimport os",
    )

    def visit_Module(self, node: ast.Module) -> None:
        """Read the comments of the lines that mention `noqa`, from the module's lines that hold a `#`."""
        source = self.ctx.source()
        if not any(spelling in source for spelling in NOQA_SPELLINGS):
            return  # three substring searches of the whole text spare listing its `#` lines
        lines = self.ctx.lines
        for line, _, rest, _ in self.ctx.hash_lines():
            if not any(spelling in rest for spelling in NOQA_SPELLINGS) or line > len(lines):
                continue
            text = lines[line - 1]
            col = find_comment(text)
            if col is None or not self._blanket(text[col:].rstrip("\r\n")):
                continue
            if self.ctx.in_multiline_string(line):  # rare: let the tokenizer say what is a comment there
                for col_in_string, comment in self.ctx.comments_on(line):
                    self._check(line, col_in_string, comment)
            else:
                self._check(line, col, text[col:].rstrip("\r\n"))

    def _blanket(self, comment: str) -> bool:
        """Whether a comment holds a blanket `noqa` form (before any check of where the comment is)."""
        found = FILE_RE.match(comment)
        if found is not None:
            return found.group("codes") is None or found.group("tool") is not None
        return any(match.group("codes") is None for match in INLINE_RE.finditer(comment))

    def _check(self, line: int, col: int, comment: str) -> None:
        """Report the blanket `noqa` forms in one comment."""
        found = FILE_RE.match(comment)
        if found is not None:
            if found.group("codes") is None or found.group("tool") is not None:
                tool = "flake8" if found.group("tool") is not None else "ruff"
                self.report((line, col), FILE_MESSAGE.format(tool=tool))
            return
        for match in INLINE_RE.finditer(comment):
            if match.group("codes") is None:
                spaced = SPACED_CODES_RE.match(comment, match.end())
                if spaced is not None:
                    codes = ",".join(code.strip() for code in spaced.group("codes").split(","))
                    message = f"put the colon right after `noqa`, or flake8 silences every code: `# noqa: {codes}`"
                    self.report((line, col + match.start()), message)
                else:
                    self.report((line, col + match.start()))
                return
