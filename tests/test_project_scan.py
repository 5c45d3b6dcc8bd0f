"""Import targets judged from their text alone (`Project.lacks_words`), and only when their answer matters.

Each case checks that the text-only answer is the one the parsed summary gives (`target_roles` through the
summary), so skipping the parse changes nothing; and that what cannot be proven from the text is parsed.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

import pytest

from flake8_house_rules.config import build_config
from flake8_house_rules.context import ModuleContext
from flake8_house_rules.context import project as project_model
from flake8_house_rules.context.project import Located, Project
from flake8_house_rules.context.roles import ROUTER_WORDS, SESSION_WORDS, shows, target_roles
from flake8_house_rules.rule import load_rules

if TYPE_CHECKING:
    from pathlib import Path

STORE_ROLES = frozenset({"store"})
ROUTER_ROLES = frozenset({"router"})


def _located(tmp_path: Path, text: str | bytes, name: str = "target") -> Located:
    path = tmp_path / f"{name}.py"
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return Located(name, str(path), False, None)


def _parsed_answer(tmp_path: Path, located: Located, layer: str) -> bool:
    """What the summary itself says (a fresh project, so that it is built from the parsed file)."""
    summary = Project(str(tmp_path)).summary(located)
    return shows(Project(str(tmp_path)), summary, layer, None, None, deep=False)


@pytest.fixture(autouse=True)
def _stats() -> None:
    project_model.BUILD_STATS.update(modules=0, scanned=0, seconds=0.0)


@pytest.mark.parametrize(
    "text",
    [
        '"""Helpers."""\n\nimport json\n\n\ndef dump(value: object) -> str:\n    return json.dumps(value)\n',
        '"""Kinds."""\n\nfrom enum import Enum\n\n\n@unique\nclass Kind(Enum):\n    A = 1\n',
        "async def ping() -> None:\n    pass\n",
        '"""Ünïcode in NFKC form — fine."""\n\nclass Plain:\n    pass\n',
    ],
)
def test_a_module_that_defines_things_without_the_words_is_judged_unread(tmp_path: Path, text: str) -> None:
    located = _located(tmp_path, text)
    found = Project(str(tmp_path))
    assert found.lacks_words(located, SESSION_WORDS)
    assert target_roles(found, located, STORE_ROLES) == frozenset()
    assert project_model.BUILD_STATS["modules"] == 0  # never parsed
    assert _parsed_answer(tmp_path, located, "store") is False  # the parsed summary agrees


@pytest.mark.parametrize(
    ("text", "layer"),
    [
        # the words are there: the summary decides
        (
            '"""Store."""\n\nfrom sqlalchemy.orm import Session\n\n\ndef get(session: Session) -> None:\n    pass\n',
            "store",
        ),
        (
            '"""Routes."""\n\nfrom fastapi import APIRouter\n\nrouter = APIRouter()\n\n\ndef f() -> None:\n    pass\n',
            "router",
        ),
        # no definition of its own, only text that looks like one inside a docstring: it keeps its path's role
        ('"""A façade.\n\nclass Store\n    re-exported below.\n"""\n\nfrom app.impl import Store\n', "store"),
        ('"""Docs.\n\n@decorated\ndef f(): text\n"""\n\nimport app.impl\n', "router"),
        # a definition only after a line continuation, or inside brackets (not a statement): parsed
        ("x = [\n    1,\ndef f(): pass\n]\n", "store"),
        # an identifier that normalises (NFKC) into one of the words: parsed
        ("from \uff53qlalchemy.orm import Session\n\n\ndef get(session: Session) -> None:\n    pass\n", "store"),
        # no definition at all
        ('"""Only imports."""\n\nfrom app.impl import Store\n', "store"),
    ],
)
def test_what_the_text_cannot_prove_is_parsed(tmp_path: Path, text: str, layer: str) -> None:
    located = _located(tmp_path, text)
    found = Project(str(tmp_path))
    assert not found.lacks_words(located, ROUTER_WORDS if layer == "router" else SESSION_WORDS)
    roles = STORE_ROLES if layer == "store" else ROUTER_ROLES
    expected = roles if _parsed_answer(tmp_path, located, layer) else frozenset()
    assert target_roles(Project(str(tmp_path)), located, roles) == expected


def test_another_declared_encoding_is_parsed(tmp_path: Path) -> None:
    text = '# -*- coding: latin-1 -*-\n"""Caf\xe9."""\n\n\ndef f() -> None:\n    pass\n'.encode("latin-1")
    assert not Project(str(tmp_path)).lacks_words(_located(tmp_path, text), SESSION_WORDS)


def test_a_module_that_does_not_parse_gets_the_same_answer(tmp_path: Path) -> None:
    located = _located(tmp_path, "import os\n\n\ndef f(:\n    pass\n")
    assert target_roles(Project(str(tmp_path)), located, STORE_ROLES) == frozenset()
    assert _parsed_answer(tmp_path, located, "store") is False


def test_a_summary_at_hand_is_used_and_the_text_is_not_read(tmp_path: Path) -> None:
    located = _located(tmp_path, "def f() -> None:\n    pass\n")
    found = Project(str(tmp_path))
    found.summary(located)
    assert not found.lacks_words(located, SESSION_WORDS)
    assert project_model.BUILD_STATS["scanned"] == 0


def test_a_judged_module_is_recorded_as_used(tmp_path: Path) -> None:
    located = _located(tmp_path, "def f() -> None:\n    pass\n")
    found = Project(str(tmp_path))
    project_model.record_uses()
    assert found.lacks_words(located, SESSION_WORDS)
    uses = dict(project_model.recorded_uses())
    assert uses[located.path] == project_model.content_digest((tmp_path / "target.py").read_bytes())


def test_layer_evidence_is_read_only_when_a_rule_asks(tmp_path: Path) -> None:
    """A run without layer rules reads no other module to judge a `*_store.py` module's layer."""
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'app'\n", encoding="utf-8")
    package = tmp_path / "app"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "db.py").write_text(
        "from sqlalchemy.orm import sessionmaker\n\nSessionLocal = sessionmaker()\n", encoding="utf-8"
    )
    store = package / "user_store.py"
    store.write_text(
        "from app.db import SessionLocal\n\n\ndef load() -> None:\n"
        "    with SessionLocal() as session:\n        session.execute('select 1')\n",
        encoding="utf-8",
    )
    config = build_config({}, frozenset(load_rules()), cwd=str(tmp_path))
    source = store.read_text(encoding="utf-8")
    project_model.reset()
    ctx = ModuleContext(ast.parse(source), source.splitlines(keepends=True), str(store), config)
    assert "store" in ctx.path_roles
    assert project_model.BUILD_STATS["modules"] == 0  # nothing read yet
    assert "store" in ctx.roles  # asked: the session factory imported from app.db is the evidence
    assert project_model.BUILD_STATS["modules"] == 1


def test_migrations_and_test_modules_give_no_summary_in_advance(tmp_path: Path) -> None:
    """Nobody imports an alembic migration or a `test_*.py` module: their summaries are not built while linted."""
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'app'\n", encoding="utf-8")
    files = {
        "app/__init__.py": "",
        "app/models.py": "class User:\n    pass\n",
        "app/alembic/versions/0001_users.py": "from alembic import op\n\nrevision = '0001'\n",
        "tests/test_users.py": "def test_user() -> None:\n    assert True\n",
    }
    config = build_config({}, frozenset(load_rules()), cwd=str(tmp_path))
    project_model.reset()
    offered = {}
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        ctx = ModuleContext(ast.parse(text), text.splitlines(keepends=True), str(path), config)
        project = ctx.in_project.project
        offered[name] = project is not None and project.offered(str(path)) is not None
    assert offered == {
        "app/__init__.py": True,
        "app/models.py": True,
        "app/alembic/versions/0001_users.py": False,
        "tests/test_users.py": False,
    }


@pytest.mark.parametrize(
    ("text", "lacks"),
    [
        ('"""Helpers."""\n\nSTYLE = "bold"\n', True),  # defines nothing, spells no framework: judged unread
        ('"""Console."""\n\nimport click\n\n\ndef echo_green(text: str) -> None:\n    click.echo(text)\n', False),
        ('"""Mentions click in prose only."""\n', False),  # the word is there: the summary decides
        ('"""Wide."""\n\nimport \uff43\uff4c\uff49\uff43\uff4b\n', False),  # fullwidth: NFKC makes it `click`
    ],
)
def test_a_module_that_spells_no_command_line_framework_imports_none(tmp_path: Path, text: str, lacks: bool) -> None:
    """HR003's question (`defines=False`): a module's imports, without the need for a definition of its own."""
    from flake8_house_rules.rules.hr0xx_hygiene.hr003_print_call import (  # noqa: PLC0415 - the rule's words
        COMMAND_LINE_FRAMEWORKS,
        FRAMEWORK_WORDS,
    )

    located = _located(tmp_path, text)
    assert Project(str(tmp_path)).lacks_words(located, FRAMEWORK_WORDS, defines=False) is lacks
    if lacks:
        assert project_model.BUILD_STATS["modules"] == 0
        imports = Project(str(tmp_path)).summary(located).imports
        assert not any(origin.partition(".")[0] in COMMAND_LINE_FRAMEWORKS for origin in imports)
