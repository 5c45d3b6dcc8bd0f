"""HR804 main-guard-without-pragma."""

from __future__ import annotations

import ast
import re

from flake8_house_rules.fixes import Fix, edits
from flake8_house_rules.paths import coverage_excludes
from flake8_house_rules.rule import FixExample, Rule
from flake8_house_rules.rules.hr0xx_hygiene.common import is_main_guard

#: coverage.py's own default exclusion pattern.
PRAGMA_RE = re.compile(r"#\s*pragma[:\s]?\s*no\s*cover", re.IGNORECASE)


class MainGuardWithoutPragma(Rule):
    """## What it does
    Checks, in every module (not only tests), for a module-level `if __name__ == "__main__":` (either way
    round, either quotes) whose line carries no `# pragma: no cover` comment. coverage.py's default exclusion pattern is
    what counts (`# pragma: no cover`, `#pragma:no cover`, any case); for a condition written over several
    lines, a pragma on any of its lines.

    Not reported when every statement of the guard's body carries the pragma itself (the body is excluded;
    the `if` line runs on import: `if __name__ == "__main__":  # pragma: no branch` with `main()  # pragma:
    no cover`), nor when the project's coverage configuration already excludes the line: a pattern in
    `exclude_lines` or `exclude_also` of the nearest `.coveragerc` (`[report]`), `.coveragerc.toml`
    (`[report]`, coverage 7.13), `setup.cfg` or `tox.ini` (`[coverage:report]`) or `pyproject.toml`
    (`[tool.coverage.report]`), searching upwards from the module's folder, matches the `if` line
    (`exclude_also = ['if __name__ == .__main__.:']`).

    ## Why is this bad?
    The block runs only when the file is executed as a script, never under the test runner, so it shows as
    uncovered code in every report and drags the coverage figure down for nothing. Style guide 001
    (Testing): "Use `# pragma: no cover` for `if __name__ == "__main__":` blocks".

    ## Example
    ```python
    if __name__ == "__main__":
        main()
    ```

    Use instead:
    ```python
    if __name__ == "__main__":  # pragma: no cover
        main()
    ```
    """

    code = "HR804"
    name = "main-guard-without-pragma"
    message = 'add `# pragma: no cover` to the `if __name__ == "__main__":` line'
    fix = "safe"
    source = "001 Testing"
    valid = (
        "if __name__ == '__main__':  # pragma: no cover\n    main()",
        'if "__main__" == __name__:  #pragma:no cover - script entry\n    main()',
        "if __name__ == '__main__':  # PRAGMA: NO COVER\n    main()",
        "if __name__ == 'app.main':\n    main()",
        "if __name__ != '__main__':\n    main()",
        "if __name__ == '__main__' and debug:\n    main()",
        "if (\n    __name__ == '__main__'  # pragma: no cover\n):\n    main()",
        "def f() -> None:\n    if __name__ == '__main__':\n        main()",
        "if __name__ == '__main__':  # pragma: no branch\n    main()  # pragma: no cover",
    )
    invalid = (
        "if __name__ == '__main__':  # error: HR804\n    main()",
        'if "__main__" == __name__:  # error: HR804\n    raise SystemExit(main())',
        "def run() -> None:\n    pass\n\nif __name__ == '__main__':  # run it  # error: HR804\n    run()",
        "if __name__ == '__main__':  # error: HR804\n    setup()  # pragma: no cover\n    main()",
    )

    def visit_Module(self, module: ast.Module) -> None:
        """Look at the module's own statements: that is where a main guard lives."""
        for statement in module.body:
            if is_main_guard(statement):
                self._check(statement)

    def _check(self, node: ast.If) -> None:
        """Report a main guard without the coverage pragma."""
        end = getattr(node.test, "end_lineno", None) or node.lineno
        for line in range(node.lineno, end + 1):
            if any(PRAGMA_RE.search(text) for _, text in self.ctx.comments_on(line)):
                return
        if self._body_excluded(node) or self._excluded_by_configuration(node.lineno):
            return
        self.report(node)

    def _body_excluded(self, node: ast.If) -> bool:
        """Whether every statement of the guard's body carries the pragma (on its first line): nothing is left
        uncovered, and the `if` line itself runs on import (`# pragma: no branch` there, as aiohttp writes).
        """
        return not node.orelse and all(
            any(PRAGMA_RE.search(text) for _, text in self.ctx.comments_on(statement.lineno)) for statement in node.body
        )

    def _excluded_by_configuration(self, line: int) -> bool:
        """Whether a pattern of the project's coverage configuration matches the line."""
        if not 0 < line <= len(self.ctx.lines):
            return False
        text = self.ctx.lines[line - 1]
        return any(pattern.search(text) for pattern in coverage_excludes(self.ctx.path, self.ctx.config))

    def fix_for(self, node: ast.AST | tuple[int, int]) -> Fix | None:
        """`  # pragma: no cover` at the end of the guard's line (after any comment already there)."""
        if not isinstance(node, ast.If) or node.test.end_lineno != node.lineno:
            return None
        text = self.ctx.lines[node.lineno - 1]
        if text.rstrip().endswith("\\"):
            return None
        end = len(text.rstrip("\r\n").rstrip())
        return Fix.safe("Add `# pragma: no cover`", edits.insert_at((node.lineno, end), "  # pragma: no cover"))

    fixes = (
        FixExample(
            "if __name__ == '__main__':  # error: HR804\n    main()",
            "if __name__ == '__main__':  # pragma: no cover\n    main()",
        ),
        FixExample(
            "def run() -> None:\n    pass\n\nif __name__ == '__main__':  # run it  # error: HR804\n    run()",
            "def run() -> None:\n    pass\n\nif __name__ == '__main__':  # run it  # pragma: no cover\n    run()",
        ),
    )
