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


def pragma(conn, table: str, mode: str) -> None:
    conn.execute(text(f"PRAGMA table_info({table})"))
    conn.exec_driver_sql(f"BEGIN {mode}")
"""


UNBINDABLE = (
    "quote an identifier with the dialect's `identifier_preparer.quote(...)`, render a literal with "
    "`literal(value).compile(compile_kwargs={'literal_binds': True})` or convert a number with `int(...)` "
    "before formatting it in"
)


def test_sql_formatting_messages_say_what_fits_the_position(flake8_path: Flake8Path) -> None:
    (flake8_path / "ddl.py").write_text(DDL)
    result = flake8_path.run_flake8(["--select", "HR613"])
    assert result.out_lines == [
        "./ddl.py:5:18: HR613 bound parameters cannot stand in `SET`: " + UNBINDABLE,
        "./ddl.py:9:18: HR613 bound parameters cannot stand in `DROP`: " + UNBINDABLE,
        "./ddl.py:13:18: HR613 quote the identifier with the dialect's `identifier_preparer.quote(...)` before "
        "formatting it into the SQL: a bound parameter cannot stand for a name",
        "./ddl.py:17:18: HR613 pass values as bound parameters (`text('... :name')`), not by an f-string of the SQL",
        "./ddl.py:21:18: HR613 bound parameters cannot stand in `PRAGMA`: " + UNBINDABLE,
        "./ddl.py:22:5: HR613 bound parameters cannot stand in `BEGIN`: " + UNBINDABLE,
    ]


def _lint(source: str, codes: str) -> list[str]:
    rules = load_rules()
    config = build_config({"hr-enable": "HR"}, frozenset(rules), cwd="/")
    engine = Engine(config, [rule for code, rule in rules.items() if code.startswith(codes)], strict=True)
    return [v.code for v in engine.lint(ast.parse(source), source.splitlines(True), "app/mod.py")]


def test_sql_provenance_is_bounded_on_long_chains() -> None:
    """Values reached through long chains of assignments and deep concatenations cost a bounded amount each:
    twenty times the functions cost about twenty times the time.
    """

    def function(k: int) -> str:
        chain = "".join(f"    v{i} = v{i - 1} + 'x'\n" for i in range(1, 40))
        parts = " + ".join(f"a{i}" for i in range(80))
        return (
            f"def f{k}(conn, v0, a79):\n{chain}    conn.execute(text(f'SELECT {{v39}}'))\n"
            f"    conn.execute(text('SELECT ' + {parts}))\n"
        )

    rules = load_rules()
    config = build_config({"hr-enable": "HR"}, frozenset(rules), cwd="/")
    engine = Engine(config, [rules["HR613"]], strict=True)

    def best(count: int) -> float:
        source = "from sqlalchemy import text\n\n" + "".join(function(k) for k in range(count))
        tree, lines = ast.parse(source), source.splitlines(True)
        times = []
        for _ in range(3):
            start = time.perf_counter()
            found = engine.lint(tree, lines, "app/mod.py")
            times.append(time.perf_counter() - start)
        # past the depth bound `v39` is unknown, not reported; the parameter `a79` is reported
        assert [violation.code for violation in found] == ["HR613"] * count
        return min(times)

    small, big = best(40), best(400)
    assert big < small * 10 * 4  # 10 times the input: linear with room for noise (quadratic would be 100)


STORE_WITH_BASE = """from sqlalchemy.orm import Session

from app.secrets.base import SecretsBackend


class SecretsStore(SecretsBackend):
    def __init__(self, session: Session) -> None:
        self.session = session

    def get_secret(self, key: str) -> str | None:
        return None
"""


def test_a_method_an_imported_base_may_name_is_advised_override(flake8_path: Flake8Path) -> None:
    (flake8_path / "app").mkdir()
    (flake8_path / "app" / "store.py").write_text(STORE_WITH_BASE)
    result = flake8_path.run_flake8(["--select", "HR609"])
    assert result.out_lines == [
        "./app/store.py:10:5: HR609 mark `get_secret` `@typing.override` if a base class names it, or rename it "
        "to `get_one`, `get_list` or `get_plist`: the house names of store and service methods"
    ]


ROUTER_NAMED_STORE = """from fastapi import APIRouter, HTTPException
from sqlalchemy.exc import NoResultFound
from sqlalchemy.orm import Session

router = APIRouter()


@router.put("/{key}", status_code=204)
def set_value(key: str, session: Session) -> None:
    try:
        session.commit()
    except NoResultFound as e:
        raise HTTPException(status_code=404) from e
"""


def test_a_module_of_two_layers_gets_no_layer_rule(flake8_path: Flake8Path) -> None:
    (flake8_path / "app" / "routes").mkdir(parents=True)
    (flake8_path / "app" / "routes" / "job_state_store.py").write_text(ROUTER_NAMED_STORE)
    (flake8_path / "app" / "job_store.py").write_text(ROUTER_NAMED_STORE)
    result = flake8_path.run_flake8(["--select", "HR605,HR606,HR609,HR610,HR612", "--hr-enable", "HR610"])
    assert sorted(line.split(": ")[0] + " " + line.split(" ")[1] for line in result.out_lines) == [
        "./app/job_store.py:10:5 HR606",
        "./app/job_store.py:11:9 HR605",
        "./app/job_store.py:13:9 HR612",
    ]
