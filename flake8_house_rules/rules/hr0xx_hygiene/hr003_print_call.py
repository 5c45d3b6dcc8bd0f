"""HR003 print-call."""

from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING

from flake8_house_rules.paths import matches
from flake8_house_rules.rule import Example, Rule
from flake8_house_rules.rules.hr0xx_hygiene.common import COMMAND_LINE_FRAMEWORKS as CLI_FRAMEWORKS
from flake8_house_rules.rules.hr0xx_hygiene.common import (
    is_demonstration,
    is_inline_script,
    is_main_guard,
    is_migration,
    is_tool_configuration,
)

if TYPE_CHECKING:
    from flake8_house_rules.context import ModuleContext

CONSOLE_STREAMS = frozenset({"sys.stdout", "sys.stderr"})
#: Where command-line modules live, whatever `hr-print-allowed` says: their standard output is the product.
COMMAND_LINE_PATHS = ("*/cli/*", "*/commands/*", "cli.py", "*_cli.py", "cli_*.py")
#: Command-line frameworks: a module importing one parses a command line, and prints its answers.
COMMAND_LINE_FRAMEWORKS = CLI_FRAMEWORKS | {
    "hatchling",  # a build hook or `setup.py`: its output is the build's console
    "setuptools",
}
#: What a module's text must spell to import one of them (a module that spells none is not parsed to see).
FRAMEWORK_WORDS = tuple(sorted(name.encode() for name in COMMAND_LINE_FRAMEWORKS))


#: Terminal user interfaces: a module drawing on the terminal with one (letta's streaming CLI renderer with
#: `rich.console.Console`) writes its output there; `rich.logging` and the like are no such thing.
TERMINAL_UI_MODULES = (
    "rich.console",
    "rich.live",
    "rich.prompt",
    "prompt_toolkit",
    "questionary",
    "curses",
    "textual",
)
#: Calls that make a module an interactive program: it asks its user, and prints its side of the dialogue.
PROMPT_CALLS = ("input(", "getpass(")
PROMPT_NAMES = frozenset({"builtins.input", "getpass.getpass"})
STDIN = "sys.stdin"
ARGV = "sys.argv"
#: ruff's and flake8-print's codes for a print: a noqa comment naming T201 says the project decided it stays.
PRINT_WAIVER_RE = re.compile(r"#\s*noqa:[\s,A-Z0-9]*\bT20[1-3]?\b", re.IGNORECASE)
#: The same waiver for the whole file: ruff's file-level noqa comment naming T201, on a line of its own.
FILE_WAIVER_RE = re.compile(r"^[ \t]*#\s*(?:ruff|flake8)\s*[:=]\s*noqa\s*:[\s,A-Z0-9]*\bT20[1-3]?\b", re.I | re.M)


def is_command_line_module(ctx: ModuleContext) -> bool:
    """Whether a module is a command line or a script, whose standard output is what it is for.

    It sits where commands live, is a tool's configuration file (Sphinx's `conf.py`: what it prints is the
    build's console output), imports a command-line framework or a terminal user interface, has a module-level
    `if __name__ == "__main__":` block (a script), or calls `input()` or `getpass()` or reads `sys.stdin` (an
    interactive program: `select.select([sys.stdin], ...)` then `sys.stdin.readline()`).
    """
    if matches(ctx.path, COMMAND_LINE_PATHS) or is_tool_configuration(ctx) or is_inline_script(ctx):
        return True
    name = ctx.path.rpartition("/")[2] if ctx.path is not None else ""
    if name.endswith(".py") and not name[:-3].replace("_", "a").isalnum():
        return True  # `i18n-check.py`: no import statement can name it, so it is run as a script
    if any(
        origin.partition(".")[0] in COMMAND_LINE_FRAMEWORKS
        or any(origin == module or origin.startswith(module + ".") for module in TERMINAL_UI_MODULES)
        for origins in ctx.import_names.values()
        for origin in origins
    ):
        return True
    tree = ctx.tree
    if isinstance(tree, ast.Module) and any(
        is_main_guard(statement) or _calls_local_main(ctx, statement) for statement in tree.body
    ):
        return True
    source = ctx.source()
    if "stdin" in source and _reads_stdin(ctx):
        return True
    if "argv" in source and _reads_argv_at_module_level(ctx):
        return True
    return any(call in source for call in PROMPT_CALLS) and any(
        ctx.call_name(call) in PROMPT_NAMES for call in ctx.nodes_of(ast.Call)
    )


def _reads_argv_at_module_level(ctx: ModuleContext) -> bool:
    """Whether the module reads `sys.argv` outside any function: a script parsing its own command line."""
    return any(
        node.attr == "argv" and ctx.qualname(node) == ARGV and ctx.enclosing_function(node) is None
        for node in ctx.nodes_of(ast.Attribute)
    ) or any(
        node.id == "argv" and ctx.qualname(node) == ARGV and ctx.enclosing_function(node) is None
        for node in ctx.nodes_of(ast.Name)
    )


def _reads_stdin(ctx: ModuleContext) -> bool:
    """Whether the module uses `sys.stdin`: `sys.stdin.readline()`, `for line in sys.stdin`, `from sys import stdin`."""
    return any(node.attr == "stdin" and ctx.qualname(node) == STDIN for node in ctx.nodes_of(ast.Attribute)) or any(
        node.id == "stdin" and ctx.qualname(node) == STDIN for node in ctx.nodes_of(ast.Name)
    )


def _calls_local_main(ctx: ModuleContext, statement: ast.stmt) -> bool:
    """A module-level `main()` calling the module's own `def main`: a script run without a `__main__` guard."""
    if not isinstance(statement, ast.Expr) or not isinstance(statement.value, ast.Call):
        return False
    func = statement.value.func
    if not isinstance(func, ast.Name) or func.id != "main":
        return False
    bindings = ctx.lookup(func) or ()
    return len(bindings) == 1 and bindings[0].kind == "def"


#: Bases of the logging machinery itself: its own failure cannot be logged, so it is written to stderr
#: (as the standard library's `Handler.handleError` does).
LOGGING_MACHINERY = frozenset({"logging.Formatter", "logging.Handler", "logging.StreamHandler", "logging.Filter"})


def calls_command_line_helpers(ctx: ModuleContext) -> bool:
    """Whether the module calls a function imported from a project module that imports a command-line framework.

    Such a module writes a command's output through the command line's helpers (`echo_green(...)` of a
    module importing `click`). Each imported module's summary is read once; a library module is not followed.
    """
    in_project = ctx.in_project
    project = in_project.project
    if project is None:
        return False
    imported = {origin for origins in ctx.import_names.values() for origin in origins}
    verdicts: dict[str, bool] = {}
    for call in ctx.nodes_of(ast.Call):
        name = ctx.call_name(call)
        if name is None or name not in imported:
            continue
        module = in_project.absolute(name.rpartition(".")[0])
        if not module:
            continue
        if module not in verdicts:
            located = project.locate(module, in_project.start)
            verdicts[module] = (
                located is not None
                and located.path is not None
                and not project.lacks_words(located, FRAMEWORK_WORDS, defines=False)
                and any(
                    origin.partition(".")[0] in COMMAND_LINE_FRAMEWORKS for origin in project.summary(located).imports
                )
            )
        if verdicts[module]:
            return True
    return False


class PrintCall(Rule):
    """## What it does
    Checks for calls of the builtin `print(...)` (a local function or import called `print` is not the builtin)
    outside the modules matched by `hr-print-allowed` (by default `scripts/*`, `*/scripts/*` and
    `*/__main__.py`, where output is the point). The rule does not run at all in those modules, nor in
    command-line modules, whose standard output is what scripts and users read ("use the logger" is the wrong
    advice there): a module under a `cli/` or `commands/` folder, named `cli.py`, `*_cli.py` or `cli_*.py`,
    importing a command-line framework (`argparse`, `click`, `typer`, `cyclopts`, `fire`, `docopt`,
    `rich_click`, `cleo`), a build tool (`hatchling`, `setuptools`: a build hook's or `setup.py`'s output is
    the build's console) or a terminal user interface (`rich.console`, `rich.live`, `rich.prompt`,
    `prompt_toolkit`, `questionary`, `curses`, `textual`: letta's streaming renderer prints beside its `rich`
    console; not `colorama`, which colours log formatters as often), with a module-level `if __name__ ==
    "__main__":` block (a script, the in-module twin of `__main__.py`) or a bare module-level `main()` of its
    own `def main` (a script shipped to run as a task: mlrun's Databricks cancel task), calling `input()` or
    `getpass.getpass()` or reading `sys.stdin` (an interactive program, which prints its side of the
    dialogue: zenml's prompt waits with `select.select([sys.stdin], ...)`), a tool's configuration file
    (Sphinx's `conf.py`, `gunicorn.conf.py`, alembic's `env.py`: what it prints is that tool's console output),
    or a standalone
    script: one with PEP 723 inline metadata (`# /// script`), one whose file name holds a character no
    import statement can spell (`i18n-check.py`; a leading digit is fine: frameworks load `0079_x.py`),
    or one reading `sys.argv` outside any function. Nor in migration
    scripts (the `migration` role, and Django migrations), whose output is the migration tool's console and
    whose code is frozen history, nor in test modules (`hr-test-modules`) and the helpers beside them, whose
    output pytest captures for the test report, nor in demonstrations: a folder or file of the project named
    as an example, sample, demo, fake or dummy (airflow's `example_dags/`, whose printed lines are what the
    tutorial shows its reader; a folder above the project's root says nothing). And a module that calls a
    function imported from a project module which imports a command-line framework (`from app.common.utils
    import echo_green`, where `utils` imports `click`): it writes a command's console output through the
    command line's own helpers, so its prints are that output too (read from the project model; a helper of
    a library is not followed).

    Three kinds of `print` are not output for a log, and are not reported:
    - a print in a method of a logging formatter, handler or filter (a class deriving from `logging.Formatter`,
      `logging.Handler`, `logging.StreamHandler` or `logging.Filter`): the logging machinery's own failure
      cannot go through it, so it goes to stderr, as the standard library's `Handler.handleError` does;
    - a print with a `file=` argument other than `sys.stdout` or `sys.stderr`: that writes to a file or a
      stream object (`print(row, file=report)`), which is I/O, not a stand-in for logging;
    - a print whose line says `# noqa: T201` (ruff's and flake8-print's code for the same check), or in a
      module whose own line is ruff's file-level noqa naming `T201`: the project has already decided that it stays.

    A print to `sys.stderr` counts: it is the classic home-made warning log. Put other command-line modules
    in `hr-print-allowed` (for example `tools/*`).

    ## Why is this bad?
    `print` output has no level, no timestamp, no structure, and cannot be routed or silenced. 004's code
    review checklist: "Logging instead of print statements"; 000 allows it only where it belongs: "Allow
    `print()` in scripts (T201 ignored)".

    ## Example
    ```python
    def sync_users(users: list[User]) -> None:
        for user in users:
            print(f"syncing {user.id}")
    ```

    Use instead:
    ```python
    logger = structlog.get_logger()

    def sync_users(users: list[User]) -> None:
        for user in users:
            logger.info("users.sync.started", user_id=user.id)
    ```
    """

    code = "HR003"
    name = "print-call"
    message = "use the logger instead of `print(...)`"
    source = "004 Code Review Checklist; 000 Code Style (ruff T201)"
    options = ("hr-print-allowed", "hr-test-modules")
    valid = (
        # airflow's tutorial DAGs: the printed line is what the example shows
        Example(
            "def hello() -> None:\n    print('Hello world from the example task')\n",
            path="src/airflow/example_dags/example_python_operator.py",
        ),
        # lnbits' tools: a script reading its command line at module level, one no import can name
        Example(
            "import sys\n\nkey = sys.argv[1] if len(sys.argv) > 1 else None\nif not key:\n"
            "    print('missing key')\n    sys.exit(1)\n",
            path="tools/create_fake_admin.py",
        ),
        Example("for name in ['a', 'b']:\n    print(name)\n", path="tools/i18n-check.py"),
        # zenml: a prompt answered on standard input; feast: Sphinx's configuration prints to the build console
        "import select\nimport sys\n\ndef ask() -> str | None:\n    print('Press Enter to continue.')\n"
        "    ready, _, _ = select.select([sys.stdin], [], [], 5)\n    return sys.stdin.readline() if ready else None\n",
        Example(
            "import subprocess\n\nresult = subprocess.run(['make'], capture_output=True)\nprint(result.stdout)\n"
            "project = 'feast'\n",
            path="docs/conf.py",
        ),
        # airflow: alembic runs its migrations' `env.py` and shows what it prints
        Example(
            "from alembic import context\n\ndef process_revision_directives(context, revision, directives):\n"
            "    print('No change detected in ORM schema, skipping revision.')\n",
            path="app/migrations/env.py",
        ),
        # mlrun: the logging machinery's own failure; a task script without a `__main__` guard
        "import logging\nimport sys\n\nclass Formatter(logging.Formatter):\n    def format(self, record) -> str:\n"
        "        try:\n            return super().format(record)\n        except Exception as e:\n"
        "            print(f'formatter failed: {e}', file=sys.stderr)\n            return record.getMessage()\n",
        "def main() -> None:\n    print('Cancelling task has succeeded.')\n\nmain()\n",
        # chainlit: a hatch build hook's console
        "from hatchling.builders.hooks.plugin.interface import BuildHookInterface\n\n"
        "def build() -> None:\n    print('-- Building frontend')\n",
        "import logging\n\nlogger = logging.getLogger(__name__)\nlogger.info('done')",
        Example("print('usage: sync USERS')", path="scripts/sync.py"),
        Example("print('running')", path="app/__main__.py"),
        # letta: a terminal renderer that draws with rich and streams tokens with print
        "from rich.console import Console\n\nclass StreamingCLIInterface:\n"
        "    def process_chunk(self, delta) -> None:\n        print(delta.content, end='', flush=True)\n",
        Example("print('running')", path="tools/cli.py", options={"hr-print-allowed": "*/cli.py"}),
        "from rich import print\n\nprint('[bold]done[/bold]')",
        "def print(*args: object) -> None:\n    pass\n\nprint('shadowed')",
        "def write(rows: list[str], handle) -> None:\n    for row in rows:\n        print(row, file=handle)",
        "def main() -> None:\n    pass\n\nif __name__ == '__main__':\n    print('running')\n    main()",
        "callbacks = [print]",
        "def warn(message: str) -> None:\n    print(message)  # noqa: T201",
        "def warn(message: str) -> None:\n    print(  # noqa: E501,T201\n        message\n    )",
        "def ask() -> str:\n    print('Your name?')\n    return input()",
        "import getpass\n\ndef ask() -> str:\n    print('Password for the proxy:')\n    return getpass.getpass()",
        "def run() -> None:\n    print('x')\n\nif __name__ == '__main__':\n    run()",
        Example('from alembic import op\n\ndef upgrade() -> None:\n    print("synced")', path="app/db/0001.py"),
        Example("import logging\n\ndef dump(path: str) -> None:\n    print(open(path).read())", path="tests/infra.py"),
        Example(
            "import json\n\ndef show(run: dict) -> None:\n    print(json.dumps(run))", path="app/cli/commands/show.py"
        ),
        Example("def main() -> None:\n    print('done')", path="app/cli.py"),
        Example("def main() -> None:\n    print('done')", path="app/export_cli.py"),
        "import argparse\n\ndef main() -> None:\n    args = argparse.ArgumentParser().parse_args()\n    print(args)",
        "import typer\n\napp = typer.Typer()\n\n@app.command()\ndef hello(name: str) -> None:\n    print(name)",
        "from click import command\n\n@command()\ndef hello() -> None:\n    print('hello')",
    )
    invalid = (
        # `sys.argv` read inside a function of a library module: no script
        "import sys\n\ndef show() -> None:\n    print(sys.argv)  # error: HR003\n",
        # a module that only mentions standard input in a string is no interactive program
        "def report(name: str) -> None:\n    print(f'reading {name} from stdin')  # error: HR003\n",
        # a class that only formats, a module-level call of another function
        "class Report:\n    def format(self) -> str:\n        print('formatting')  # error: HR003\n        return ''\n",
        "def run() -> None:\n    print('running')  # error: HR003\n\nrun()\n",
        "import logging\n\ndef sync(users: list[str]) -> None:\n    for user in users:\n"
        "        print(user)  # error: HR003",
        # rich's log handler is no terminal interface
        "import logging\nfrom rich.logging import RichHandler\n\nlogging.basicConfig(handlers=[RichHandler()])\n"
        "print('started')  # error: HR003",
        "import sys\nimport structlog\n\ndef main() -> int:\n    print('bad input', file=sys.stderr)  # error: HR003\n"
        "    return 2",
        "import builtins\nfrom loguru import logger\n\nbuiltins.print('x')  # error: HR003",
        "from app.core.log import logger\n\nprint('x', file=None)  # error: HR003",
        "from app.log import verbose_logger\n\nprint('module import side effect')  # error: HR003",
        "import logging\n\ndef run() -> None:\n    print('x')  # noqa: E501  # error: HR003",
        "import logging\n\ndef ask() -> None:\n    input_text = read()\n    print(input_text)  # error: HR003",
        Example("import logging\n\nprint('x')  # error: HR003", path="app/scripts_helpers.py"),
        Example("import logging\n\nprint('x')  # error: HR003", path="app/clients.py"),
        "import logging\nimport argparse_helpers\n\nprint('x')  # error: HR003",
        "def sync(users: list[str]) -> None:\n    for user in users:\n        print(user)  # error: HR003",
    )

    calls = frozenset({"builtins.print"})

    @classmethod
    def applies_to(cls, ctx: ModuleContext) -> bool:
        """Modules other than tests, migrations, demonstrations and allowed paths (command lines and scripts: see
        `visit_call`).
        """
        return not (
            matches(ctx.path, ctx.config.print_allowed)
            or is_migration(ctx)
            or ctx.is_test_module()
            or is_demonstration(ctx)
        )

    def visit_call(self, node: ast.Call, name: str) -> None:
        """Report a print to the console outside the module's `__main__` block, unless waived for ruff.

        Whether the module is a command line or a script is asked only of a module that prints.
        """
        if self.ctx.derived("hr003.command_line", lambda: is_command_line_module(self.ctx)):
            return
        for keyword in node.keywords:
            if keyword.arg == "file" and not self._to_console(keyword.value):
                return
        if any(PRINT_WAIVER_RE.search(comment) for _, comment in self.ctx.comments_on(node.lineno)):
            return
        for ancestor in self.ctx.ancestors_in_function(node):
            if is_main_guard(ancestor) and isinstance(self.ctx.parent(ancestor), ast.Module):
                return
        if self.ctx.derived("hr003.file_waiver", lambda: FILE_WAIVER_RE.search(self.ctx.source()) is not None):
            return
        if self.ctx.derived("hr003.command_line_helpers", lambda: calls_command_line_helpers(self.ctx)):
            return
        if self._in_logging_machinery(node):
            return
        self.report(node)

    def _in_logging_machinery(self, node: ast.Call) -> bool:
        """Whether the print is in a method of a logging formatter, handler or filter (`logging.Formatter`)."""
        cls = self.ctx.enclosing_class(node)
        return cls is not None and any(self.ctx.qualname(base) in LOGGING_MACHINERY for base in cls.bases)

    def _to_console(self, stream: ast.expr) -> bool:
        """Whether a `file=` argument is the console: `sys.stdout`, `sys.stderr` or `None`."""
        if isinstance(stream, ast.Constant):
            return stream.value is None
        return self.ctx.qualname(stream) in CONSOLE_STREAMS
