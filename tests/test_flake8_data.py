"""HR6xx through real flake8: messages that say what fits where (HR613's identifiers and `SET`), and cost."""

from __future__ import annotations

import ast
import time
from typing import TYPE_CHECKING

from flake8_house_rules.config import build_config
from flake8_house_rules.engine import Engine
from flake8_house_rules.rule import load_rules

if TYPE_CHECKING:
    from pytest_flake8_path import Flake8Path

DDL = """from sqlalchemy import text


def set_lock_timeout(conn, seconds: int) -> None:
    conn.execute(text(f"SET LOCAL lock_timeout = '{seconds}s'"))


def drop_archive(conn, table: str) -> None:
    conn.execute(text(f"DROP TABLE IF EXISTS {table}"))


def rows(conn, table: str) -> None:
    conn.execute(text(f"SELECT * FROM {table}"))


def find(conn, name: str) -> None:
    conn.execute(text(f"SELECT * FROM users WHERE name = '{name}'"))
"""


def test_sql_formatting_messages_say_what_fits_the_position(flake8_path: Flake8Path) -> None:
    (flake8_path / "ddl.py").write_text(DDL)
    result = flake8_path.run_flake8(["--select", "HR613"])
    assert result.out_lines == [
        "./ddl.py:5:18: HR613 bound parameters cannot stand in `SET`: quote an identifier with the dialect's "
        "`identifier_preparer.quote(...)` and convert a number with `int(...)` before formatting it in",
        "./ddl.py:9:18: HR613 bound parameters cannot stand in `DROP`: quote an identifier with the dialect's "
        "`identifier_preparer.quote(...)` and convert a number with `int(...)` before formatting it in",
        "./ddl.py:13:18: HR613 quote the identifier with the dialect's `identifier_preparer.quote(...)` before "
        "formatting it into the SQL: a bound parameter cannot stand for a name",
        "./ddl.py:17:18: HR613 pass values as bound parameters (`text('... :name')`), not by an f-string of the SQL",
    ]


def _lint(source: str, codes: str) -> list[str]:
    rules = load_rules()
    config = build_config({"hr-enable": "HR"}, frozenset(rules), cwd="/")
    engine = Engine(config, [rule for code, rule in rules.items() if code.startswith(codes)], strict=True)
    return [v.code for v in engine.lint(ast.parse(source), source.splitlines(True), "app/mod.py")]


def test_sql_provenance_is_bounded_on_long_chains() -> None:
    """A value reached through thousands of assignments, or a huge concatenation, costs linear time."""

    def module(n: int) -> str:
        chain = "".join(f"    v{i} = v{i - 1} + 'x'\n" for i in range(1, n))
        parts = " + ".join(f"a{i}" for i in range(n // 10))
        return (
            "from sqlalchemy import text\n\ndef f(conn, v0):\n"
            + chain
            + f"    conn.execute(text(f'SELECT {{v{n - 1}}}'))\n"
            f"    conn.execute(text('SELECT ' + {parts}))\n"
        )

    def best(source: str) -> float:
        times = []
        for _ in range(3):
            start = time.perf_counter()
            _lint(source, "HR613")
            times.append(time.perf_counter() - start)
        return min(times)

    small, big = best(module(200)), best(module(4000))
    assert big < small * 20 * 4  # 20 times the input: linear with room for noise (quadratic would be 400)
