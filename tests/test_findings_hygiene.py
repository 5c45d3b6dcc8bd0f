"""Each finding of `precision.md` for HR0xx, HR7xx, HR8xx (issue 20): its snippet verbatim, at its path, in flake8.

Each snippet is linted as the findings were: `flake8 --select CODE --hr-enable CODE` at the path the finding
gives (many shapes depend on it: migration scripts, CLI modules, test modules). A test is named after its
finding; the expected result is what the finding says the pack should do (or, for a debatable shape, the
decision taken, written beside the test). The checklist is `/work/notes/hygiene-findings.md`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flake8_house_rules.rules.hr8xx_tests.hr801_patch_without_autospec import PatchWithoutAutospec

if TYPE_CHECKING:
    from pytest_flake8_path import Flake8Path


def lint(flake8_path: Flake8Path, files: dict[str, str], code: str, *extra: str, messages: bool = False) -> list[str]:
    """Write the files, run flake8 on one code; `path:line:col CODE` per report (whole lines with `messages`)."""
    for path, source in files.items():
        (flake8_path / path).parent.mkdir(parents=True, exist_ok=True)
        (flake8_path / path).write_text(source)
    lines = flake8_path.run_flake8(["--select", code, "--hr-enable", code, *extra]).out_lines
    return lines if messages else [" ".join(line.split(" ")[:2]).replace(": ", " ") for line in lines]


#: HR001 Migration functions. Noise. `migrations/versions/0001_add_users.py`
HR001_MIGRATION_FUNCTIONS = '''\
"""Add users table."""
from alembic import op

revision = "0001"
down_revision = None


def upgrade() -> None:
    op.drop_column("users", "legacy")
'''

#: HR001 Inner `class Meta:` / `class Config:`. Noise. `app/schemas.py`
HR001_NESTED_META_AND_CONFIG = '''\
"""Schemas."""
from marshmallow import Schema
from pydantic import BaseModel


class UserSchema(Schema):
    """Export row."""
    class Meta:
        ordered = True


class User(BaseModel):
    """A user."""
    class Config:
        frozen = True
'''

#: HR002 CLI parameters with their own help. Noise (debatable). `app/cli/rules.py`
HR002_CLI_PARAMETERS_WITH_THEIR_OWN_HELP = '''\
from typing import Annotated

import cyclopts

app = cyclopts.App()


@app.command
def resume(name: Annotated[str, cyclopts.Parameter(help="The rule's name")]) -> None:
    """Resume a rule."""
'''

#: HR003 CLI output. Noise. `app/cli/commands/show.py`
HR003_CLI_OUTPUT = '''\
import json


def show(run: dict) -> None:
    """`app show RUN --json`: the run as JSON on stdout, for scripts."""
    print(json.dumps(run))
'''

#: HR004 Multi-line call reported on an inner line. Wrong line. `app/jobs.py`
HR004_MULTI_LINE_CALL_REPORTED_ON_ITS_FIRST_LINE = """\
def downgrade() -> None:
    pass
    # op.execute(
    #     sa.sql.text("UPDATE instances SET status = 'STARTING'")
    # )
"""

#: HR004 A string line hides the block. Miss. `app/jobs.py`
HR004_STRING_LINE_DOES_NOT_HIDE_THE_BLOCK = """\
def upgrade() -> None:
    pass
    # op.execute(
    #     sa.sql.text(
    #         "UPDATE instances SET status = 'A' WHERE status = 'B'"
    #     )
    # )
    # op.execute(sa.sql.text("UPDATE instances SET status = 'IDLE'"))
"""

#: HR004 Prose that parses. False positive. `app/jobs.py`
HR004_PROSE_THAT_PARSES = """\
def score(score: float, grants: dict) -> float | None:
    if grants["is_public"]:
        # Public = NULL
        return None
    # IP: distance = 1 - inner_product
    return 1.0 - score
"""

#: HR004 Block after a `TODO` line. Miss. `app/jobs.py`
HR004_BLOCK_AFTER_A_TODO_LINE = """\
def handle(prompt: str, files: list) -> list:
    # TODO: re-enable URL extraction from prompt
    # urls = []
    # if prompt and len(prompt) < 500:
    #     urls = extract_urls(prompt)

    return files
"""

#: HR004 Old variant of the next line. Miss. `app/jobs.py`
HR004_OLD_VARIANT_OF_THE_NEXT_LINE = """\
def sync(client, payload, old_payload):
    # client.send(old_payload)
    client.send(payload)
"""

#: HR004 Commented `try:`/`else:` block. Miss. `app/jobs.py`
HR004_COMMENTED_TRY_BLOCK = """\
x = 1
# try:
#     save(user)
# except Exception as e:
#     print(e)
"""

#: HR005 HTTP status codes. Noise; contradicts HR504. `app/items.py`
HR005_HTTP_STATUS_CODES = """\
from fastapi import APIRouter, HTTPException

router = APIRouter()


@router.post("/", status_code=201)
async def create_item(name: str) -> dict:
    if not name:
        raise HTTPException(400, detail="name is empty")
    return {"name": name}


def is_missing(response) -> bool:
    return response.status_code == 404
"""

#: HR005 Version tuples. Noise. `app/compat.py`
HR005_VERSION_TUPLES = """\
import sys


def has_new_generics() -> bool:
    return sys.version_info >= (3, 12)
"""

#: HR005 Column sizes in migrations. Noise. `migrations/versions/0001_users.py`
HR005_COLUMN_SIZES_IN_MIGRATIONS = '''\
"""Add users."""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None


def upgrade() -> None:
    op.create_table("users", sa.Column("name", sa.String(length=255), nullable=False))
'''

#: HR006 Ruff's spaced spelling. Miss (minor). `app/jobs.py`
HR006_RUFF_SPACED_SPELLING = """\
# ruff : noqa
import os
import sys
"""

#: HR007 SQLAlchemy SQL-function classes. Noise. `app/db/functions.py`
HR007_SQLALCHEMY_SQL_FUNCTION_CLASSES = '''\
import datetime

from sqlalchemy.sql import functions


class date_diff(functions.GenericFunction[datetime.timedelta]):
    """SQLAlchemy emits the class name as the SQL function name."""

    inherit_cache = True
'''

#: HR007 Classes used as functions or decorators. Noise (debatable). `app/utils.py`
HR007_CLASSES_USED_AS_FUNCTIONS_OR_DECORATORS = '''\
class classproperty:
    """A decorator, named like the builtin `property` it mirrors."""

    def __init__(self, fget):
        self.fget = fget

    def __get__(self, obj, owner):
        return self.fget(owner)
'''

#: HR007 UPPER_SNAKE suggestion. Wrong message. `app/events.py`
HR007_UPPER_SNAKE_SUGGESTION = """\
from enum import Enum


class WEBHOOK_EVENTS(str, Enum):
    CREATED = "created"
"""

#: HR008 Names dictated by the standard library. False positive. `app/logs.py`
HR008_NAMES_DICTATED_BY_THE_STANDARD_LIBRARY = """\
import logging
from typing import Protocol


class PrefixFormatter(logging.Formatter):
    def formatMessage(self, record: logging.LogRecord) -> str:
        return "[app] " + super().formatMessage(record)


class LoggerLike(Protocol):  # the structural type of logging.Logger
    def isEnabledFor(self, level: int) -> bool: ...
"""

#: HR008 Override of a third-party method. Wrong message. `app/web/templates.py`
HR008_OVERRIDE_OF_A_THIRD_PARTY_METHOD = """\
from starlette.templating import Jinja2Templates


class Templates(Jinja2Templates):
    def TemplateResponse(self, *args, **kwargs):
        return super().TemplateResponse(*args, **kwargs)
"""

#: HR009 Migration metadata. Noise. `migrations/versions/0001_add_users.py`
HR009_MIGRATION_METADATA = '''\
"""Add users table."""
from alembic import op

revision = "0001"
down_revision = None
app_version = "3.0.0"


def upgrade() -> None:
    op.drop_column("users", "legacy")
'''

#: HR010 `__new__` singleton used at import time. Noise (debatable). `app/cli_parser.py`
HR010_NEW_SINGLETON_USED_AT_IMPORT_TIME = """\
# app/plugin_manager.py
class PluginManager:
    _instance = None

    def __new__(cls):  # process-wide singleton: every call returns the same instance
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

# app/cli_parser.py
from app.plugin_manager import PluginManager

plugin_manager = PluginManager()
plugin_manager.load_commands()
"""

#: HR011 Vendored trees that must import relatively. Noise. `app/_shared/metrics/stats.py`
HR011_VENDORED_TREES_THAT_MUST_IMPORT_RELATIVELY = '''\
"""Vendored into several distributions: must import relatively."""
from .base import NullMetrics

__all__ = ["NullMetrics"]
'''

#: HR011 Absolute module not named. Wrong message. `app/users/routes.py`
HR011_ABSOLUTE_MODULE_NAMED = '''\
"""User routes."""
from .models import User

__all__ = ["User"]
'''

#: HR012 Alembic file names. Noise. `migrations/versions/2023-08-28_initial_migration.py`
HR012_ALEMBIC_FILE_NAMES = '''\
"""Initial migration."""
from alembic import op

revision = "0001"
down_revision = None


def upgrade() -> None:
    """Drop the legacy column."""
    op.drop_column("users", "legacy")
'''

#: HR013 Linear migrations. Noise. `migrations/versions/0002_report_columns.py`
HR013_LINEAR_MIGRATIONS = '''\
"""Add the report columns."""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    op.add_column("reports", sa.Column("m0", sa.Integer()))
    op.add_column("reports", sa.Column("m1", sa.Integer()))
    # ... 58 more lines like the one above
'''

#: HR701 `NoReturn` helper. False positive. `app/creds.py`
HR701_NORETURN_HELPER = """\
from typing import NoReturn


def fail_credentials(field: str) -> NoReturn:
    raise ValueError(f"invalid {field}")


def validate(creds: object) -> None:
    try:
        authenticate(creds)
    except Exception:
        fail_credentials("creds")
"""

#: HR701 Exception kept for later. False positive. `app/crypto.py`
HR701_EXCEPTION_KEPT_FOR_LATER = """\
class Decrypted:
    def __init__(self, plaintext: str | None, exc: Exception | None = None) -> None:
        self.plaintext, self.exc = plaintext, exc  # .get() re-raises exc


def decrypt_value(value: str) -> Decrypted:
    try:
        return Decrypted(_decrypt(value))
    except Exception as e:
        return Decrypted(None, exc=e)
"""

#: HR701 `from logging import exception`. False positive. `app/load.py`
HR701_FROM_LOGGING_IMPORT_EXCEPTION = """\
from logging import exception


def load(parse, body):
    try:
        return parse(body)
    except Exception:
        exception("load failed")  # logs the traceback, like logging.exception(...)
        return None
"""

#: HR704 Routes raising `HTTPException`. Noise (debatable). `app/tasks.py`
HR704_ROUTES_RAISING_HTTPEXCEPTION = '''\
from fastapi import APIRouter, HTTPException

router = APIRouter()
TASKS: dict[str, str] = {}


@router.delete("/{task_id}", status_code=204)
async def delete_task(task_id: str) -> None:
    """Delete a task by id."""  # shown as the endpoint's OpenAPI description
    if TASKS.pop(task_id, None) is None:
        raise HTTPException(status_code=404)
'''

#: HR705 Optional import. Noise. `app/json_compat.py`
HR705_OPTIONAL_IMPORT = """\
try:
    import ujson as json  # optional speed-up
except ImportError:
    pass
"""

#: HR705 Where `suppress` cannot fit. Noise. `app/files.py`
HR705_WHERE_SUPPRESS_CANNOT_FIT = """\
import logging


def read_optional(path: str) -> str | None:
    try:
        f = open(path)
    except FileNotFoundError:
        pass
    except OSError:
        logging.exception("cannot read %s", path)
    else:
        return f.read()
    return None
"""

#: HR705 Skipping invalid loop items. Noise (debatable). `app/hosts.py`
HR705_SKIPPING_INVALID_LOOP_ITEMS = """\
from ipaddress import AddressValueError, IPv4Address


def valid_addresses(values: list[str]) -> list[IPv4Address]:
    result = []
    for value in values:
        try:
            result.append(IPv4Address(value))
        except AddressValueError:
            continue
    return result
"""

#: HR801 The "safe" fix breaks tests. Wrong fix kind. `tests/test_client.py`
HR801_SAFE_FIX_BREAKS_TESTS = """\
from unittest import mock


class Client:
    def send(self, payload: str) -> None:
        raise RuntimeError("network")


def test_send() -> None:
    with mock.patch.object(Client, "send") as send:
        Client().send("x")
        send.assert_called_once_with("x")
"""

#: HR802 Spies and recorders. Noise (debatable). `tests/test_callbacks.py`
HR802_SPIES_AND_RECORDERS = """\
from unittest import mock


def recorder(func):
    return mock.Mock(side_effect=func)


def test_on_eof_callback() -> None:
    on_eof = mock.Mock()
    stream_finished(on_eof)
    on_eof.assert_called_once_with()
"""

#: HR803 Plugin in `pytest_plugins`. False positive. `tests/test_client.py`
HR803_PLUGIN_IN_PYTEST_PLUGINS = """\
# tests/conftest.py
pytest_plugins = ["aiohttp.pytest_plugin"]

# tests/test_client.py
async def test_close(aiohttp_client) -> None:
    client = await aiohttp_client(make_app())
    assert client.server is not None
"""

#: HR803 `unittest.TestCase`. Miss. `tests/test_case.py`
HR803_UNITTEST_TESTCASE = """\
import unittest


class TestFetch(unittest.TestCase):
    async def test_fetch(self) -> None:
        self.assertTrue(False)  # never awaited: unittest.TestCase does not run coroutines
"""

#: HR805 Reported at the `def`. Wrong line. `tests/test_parse.py`
HR805_REPORTED_AT_THE_FOR_LINE = '''\
from app.parse import parse_bool


def test_parse_bool() -> None:
    """Truthy spellings."""
    for value in ["1", "yes", "true"]:
        assert parse_bool(value)
'''

#: HR805 Fields of one result. Noise (debatable). `tests/test_search.py`
HR805_FIELDS_OF_ONE_RESULT = """\
def test_info_fields(client) -> None:
    info = client.ft("idx").info()  # one index of 500 documents, built above
    for key in ["index_name", "num_docs", "num_terms"]:
        assert key in info
    assert info["num_docs"] == 500
"""


def test_hr001_migration_functions(flake8_path: Flake8Path) -> None:
    assert lint(flake8_path, {"migrations/versions/0001_add_users.py": HR001_MIGRATION_FUNCTIONS}, "HR001") == []


def test_hr001_nested_meta_and_config(flake8_path: Flake8Path) -> None:
    assert lint(flake8_path, {"app/schemas.py": HR001_NESTED_META_AND_CONFIG}, "HR001") == []


def test_hr002_cli_parameters_with_their_own_help(flake8_path: Flake8Path) -> None:
    assert lint(flake8_path, {"app/cli/rules.py": HR002_CLI_PARAMETERS_WITH_THEIR_OWN_HELP}, "HR002") == []


def test_hr003_cli_output(flake8_path: Flake8Path) -> None:
    files = {
        "app/cli/commands/show.py": HR003_CLI_OUTPUT,
        "app/cli.py": HR003_CLI_OUTPUT,
        "app/show_cli.py": HR003_CLI_OUTPUT,
    }
    assert lint(flake8_path, files, "HR003") == []
    assert lint(flake8_path, {"app/show.py": HR003_CLI_OUTPUT}, "HR003") == ["./app/show.py:6:5 HR003"]


def test_hr004_multi_line_call_reported_on_its_first_line(flake8_path: Flake8Path) -> None:
    assert lint(flake8_path, {"app/jobs.py": HR004_MULTI_LINE_CALL_REPORTED_ON_ITS_FIRST_LINE}, "HR004") == [
        "./app/jobs.py:3:5 HR004"
    ]


def test_hr004_string_line_does_not_hide_the_block(flake8_path: Flake8Path) -> None:
    assert lint(flake8_path, {"app/jobs.py": HR004_STRING_LINE_DOES_NOT_HIDE_THE_BLOCK}, "HR004") == [
        "./app/jobs.py:3:5 HR004"
    ]


def test_hr004_prose_that_parses(flake8_path: Flake8Path) -> None:
    assert lint(flake8_path, {"app/jobs.py": HR004_PROSE_THAT_PARSES}, "HR004") == []


def test_hr004_block_after_a_todo_line(flake8_path: Flake8Path) -> None:
    assert lint(flake8_path, {"app/jobs.py": HR004_BLOCK_AFTER_A_TODO_LINE}, "HR004") == ["./app/jobs.py:3:5 HR004"]


def test_hr004_old_variant_of_the_next_line(flake8_path: Flake8Path) -> None:
    assert lint(flake8_path, {"app/jobs.py": HR004_OLD_VARIANT_OF_THE_NEXT_LINE}, "HR004") == [
        "./app/jobs.py:2:5 HR004"
    ]


def test_hr004_commented_try_block(flake8_path: Flake8Path) -> None:
    assert lint(flake8_path, {"app/jobs.py": HR004_COMMENTED_TRY_BLOCK}, "HR004") == ["./app/jobs.py:2:1 HR004"]


def test_hr005_http_status_codes(flake8_path: Flake8Path) -> None:
    assert lint(flake8_path, {"app/items.py": HR005_HTTP_STATUS_CODES}, "HR005") == []


def test_hr005_version_tuples(flake8_path: Flake8Path) -> None:
    assert lint(flake8_path, {"app/compat.py": HR005_VERSION_TUPLES}, "HR005") == []


def test_hr005_column_sizes_in_migrations(flake8_path: Flake8Path) -> None:
    assert lint(flake8_path, {"migrations/versions/0001_users.py": HR005_COLUMN_SIZES_IN_MIGRATIONS}, "HR005") == []


def test_hr006_ruff_spaced_spelling(flake8_path: Flake8Path) -> None:
    assert lint(flake8_path, {"app/jobs.py": HR006_RUFF_SPACED_SPELLING}, "HR006", "--disable-noqa") == [
        "./app/jobs.py:1:1 HR006"
    ]


def test_hr007_sqlalchemy_sql_function_classes(flake8_path: Flake8Path) -> None:
    assert lint(flake8_path, {"app/db/functions.py": HR007_SQLALCHEMY_SQL_FUNCTION_CLASSES}, "HR007") == []


def test_hr007_classes_used_as_functions_or_decorators(flake8_path: Flake8Path) -> None:
    assert lint(flake8_path, {"app/utils.py": HR007_CLASSES_USED_AS_FUNCTIONS_OR_DECORATORS}, "HR007") == []


def test_hr007_upper_snake_suggestion(flake8_path: Flake8Path) -> None:
    assert lint(flake8_path, {"app/events.py": HR007_UPPER_SNAKE_SUGGESTION}, "HR007", messages=True) == [
        "./app/events.py:4:1: HR007 name the class in PascalCase: `WebhookEvents`"
    ]


def test_hr008_names_dictated_by_the_standard_library(flake8_path: Flake8Path) -> None:
    assert lint(flake8_path, {"app/logs.py": HR008_NAMES_DICTATED_BY_THE_STANDARD_LIBRARY}, "HR008") == []


def test_hr008_override_of_a_third_party_method(flake8_path: Flake8Path) -> None:
    assert lint(
        flake8_path, {"app/web/templates.py": HR008_OVERRIDE_OF_A_THIRD_PARTY_METHOD}, "HR008", messages=True
    ) == [
        "./app/web/templates.py:5:5: HR008 if `TemplateResponse` overrides a method of `Jinja2Templates`, mark it "
        "`@typing.override`; else name it in snake_case: `template_response`"
    ]


def test_hr009_migration_metadata(flake8_path: Flake8Path) -> None:
    assert lint(flake8_path, {"migrations/versions/0001_add_users.py": HR009_MIGRATION_METADATA}, "HR009") == []


def test_hr010_new_singleton_used_at_import_time(flake8_path: Flake8Path) -> None:
    """Reading (a) of the finding: a project class whose `__new__` hands out one instance is an accessor."""
    manager, parser = HR010_NEW_SINGLETON_USED_AT_IMPORT_TIME.split("\n# app/cli_parser.py\n")
    (flake8_path / "pyproject.toml").write_text("")
    files = {"app/__init__.py": "", "app/plugin_manager.py": manager, "app/cli_parser.py": parser}
    assert lint(flake8_path, files, "HR010") == []
    files["app/plugin_manager.py"] = manager.replace("__new__(cls)", "make(cls)")
    assert lint(flake8_path, files, "HR010") == ["./app/cli_parser.py:3:1 HR010"]


def test_hr011_vendored_trees_that_must_import_relatively(flake8_path: Flake8Path) -> None:
    """`_vendor`/`_vendored`/`vendor` folders are exempt by default; other trees take `per-file-ignores`."""
    snippet = HR011_VENDORED_TREES_THAT_MUST_IMPORT_RELATIVELY
    assert lint(flake8_path, {"app/_vendor/metrics/stats.py": snippet}, "HR011") == []
    assert lint(flake8_path, {"app/_shared/metrics/stats.py": snippet}, "HR011") == [
        "./app/_shared/metrics/stats.py:2:1 HR011"
    ]
    ignores = "--per-file-ignores=app/_shared/*:HR011"
    assert lint(flake8_path, {"app/_shared/metrics/stats.py": snippet}, "HR011", ignores) == []


def test_hr011_absolute_module_named(flake8_path: Flake8Path) -> None:
    assert lint(
        flake8_path,
        {"app/__init__.py": "", "app/users/__init__.py": "", "app/users/routes.py": HR011_ABSOLUTE_MODULE_NAMED},
        "HR011",
        messages=True,
    ) == [
        "./app/users/routes.py:2:1: HR011 use an absolute import instead of a relative one: "
        "`from app.users.models import User`"
    ]


def test_hr012_alembic_file_names(flake8_path: Flake8Path) -> None:
    assert (
        lint(flake8_path, {"migrations/versions/2023-08-28_initial_migration.py": HR012_ALEMBIC_FILE_NAMES}, "HR012")
        == []
    )


def test_hr013_linear_migrations(flake8_path: Flake8Path) -> None:
    """The snippet's `# ... 58 more lines like the one above` written out: 60 statements."""
    more = "".join(f'    op.add_column("reports", sa.Column("m{n}", sa.Integer()))\n' for n in range(2, 60))
    source = HR013_LINEAR_MIGRATIONS.replace("    # ... 58 more lines like the one above\n", more)
    assert lint(flake8_path, {"migrations/versions/0002_report_columns.py": source}, "HR013") == []
    assert lint(
        flake8_path, {"app/db/columns.py": source.replace("from alembic import op\n", "")}, "HR013", messages=True
    ) == [
        "./app/db/columns.py:8:1: HR013 split the function: its body has 60 statements, limit 50 (`hr-max-statements`)"
    ]


def test_hr701_noreturn_helper(flake8_path: Flake8Path) -> None:
    assert lint(flake8_path, {"app/creds.py": HR701_NORETURN_HELPER}, "HR701") == []


def test_hr701_exception_kept_for_later(flake8_path: Flake8Path) -> None:
    assert lint(flake8_path, {"app/crypto.py": HR701_EXCEPTION_KEPT_FOR_LATER}, "HR701") == []


def test_hr701_from_logging_import_exception(flake8_path: Flake8Path) -> None:
    assert lint(flake8_path, {"app/load.py": HR701_FROM_LOGGING_IMPORT_EXCEPTION}, "HR701") == []


def test_hr704_routes_raising_httpexception(flake8_path: Flake8Path) -> None:
    assert lint(flake8_path, {"app/tasks.py": HR704_ROUTES_RAISING_HTTPEXCEPTION}, "HR704") == []


def test_hr705_optional_import(flake8_path: Flake8Path) -> None:
    assert lint(flake8_path, {"app/json_compat.py": HR705_OPTIONAL_IMPORT}, "HR705") == []


def test_hr705_where_suppress_cannot_fit(flake8_path: Flake8Path) -> None:
    assert lint(flake8_path, {"app/files.py": HR705_WHERE_SUPPRESS_CANNOT_FIT}, "HR705") == []


def test_hr705_skipping_invalid_loop_items(flake8_path: Flake8Path) -> None:
    """Decision: still reported. The `try` ends the loop's body, so `continue` is a `pass` and
    `with contextlib.suppress(AddressValueError): result.append(...)` says the same (the rule's docs); a `continue`
    that skips the rest of the body is control flow and left alone (the rule's `valid` examples)."""
    assert lint(flake8_path, {"app/hosts.py": HR705_SKIPPING_INVALID_LOOP_ITEMS}, "HR705") == [
        "./app/hosts.py:9:9 HR705"
    ]


def test_hr801_safe_fix_breaks_tests(flake8_path: Flake8Path) -> None:
    """Still reported; the fix that adds `autospec=True` is unsafe (applied only with `--unsafe-fixes`)."""
    assert lint(flake8_path, {"tests/test_client.py": HR801_SAFE_FIX_BREAKS_TESTS}, "HR801") == [
        "./tests/test_client.py:10:10 HR801"
    ]
    assert PatchWithoutAutospec.fix == "unsafe"


def test_hr802_spies_and_recorders(flake8_path: Flake8Path) -> None:
    assert lint(flake8_path, {"tests/test_callbacks.py": HR802_SPIES_AND_RECORDERS}, "HR802") == []


def test_hr803_plugin_in_pytest_plugins(flake8_path: Flake8Path) -> None:
    conftest, test = HR803_PLUGIN_IN_PYTEST_PLUGINS.split("\n# tests/test_client.py\n")
    files = {"tests/conftest.py": conftest, "tests/test_client.py": test}
    assert lint(flake8_path, files, "HR803") == []
    files["tests/conftest.py"] = conftest.replace("aiohttp.pytest_plugin", "myplugin")
    assert lint(flake8_path, files, "HR803") == ["./tests/test_client.py:1:1 HR803"]


def test_hr803_unittest_testcase(flake8_path: Flake8Path) -> None:
    assert lint(flake8_path, {"tests/test_case.py": HR803_UNITTEST_TESTCASE}, "HR803", messages=True) == [
        "./tests/test_case.py:5:5: HR803 `unittest.TestCase` never awaits this coroutine test: "
        "derive the class from `unittest.IsolatedAsyncioTestCase`"
    ]


def test_hr805_reported_at_the_for_line(flake8_path: Flake8Path) -> None:
    assert lint(flake8_path, {"tests/test_parse.py": HR805_REPORTED_AT_THE_FOR_LINE}, "HR805") == [
        "./tests/test_parse.py:6:5 HR805"
    ]


def test_hr805_fields_of_one_result(flake8_path: Flake8Path) -> None:
    assert lint(flake8_path, {"tests/test_search.py": HR805_FIELDS_OF_ONE_RESULT}, "HR805") == []


def test_migration_role_by_alembic_import_covers_every_hygiene_rule(flake8_path: Flake8Path) -> None:
    """Root cause "Migration scripts": one predicate (`versions/` folder, or `alembic.op` imported) for all."""
    more = "".join(f'    op.add_column("reports", sa.Column("m{n}", sa.Integer(length=255)))\n' for n in range(60))
    source = (
        'import sqlalchemy as sa\nfrom alembic import op\n\napp_version = "3.0.0"\n\n\ndef upgrade() -> None:\n' + more
    )
    files = {"db/revisions/2023-08-28_initial.py": source}
    assert lint(flake8_path, files, "HR001,HR005,HR009,HR012,HR013") == []
    files = {"db/revisions/2023-08-28_initial.py": source.replace("from alembic import op\n", "")}
    assert sorted({line.split(" ")[1] for line in lint(flake8_path, files, "HR001,HR005,HR009,HR012,HR013")}) == [
        "HR001",
        "HR005",
        "HR009",
        "HR012",
        "HR013",
    ]


BASE_CONFIG = '''\
"""Provider configurations."""
from app.llms.root import RootConfig


class BaseConfig(RootConfig):
    """A provider's configuration."""

    def transform_request(self, data: dict) -> dict:
        """The provider's request body."""
        return data
'''
ROOT_CONFIG = '''\
"""The root of every configuration."""


class RootConfig:
    """Any configuration."""

    def get_api_key(self) -> str | None:
        """The key of the provider, if any."""
        return None
'''
PROVIDER = '''\
"""Hugging Face."""
from app.llms.base import BaseConfig
from .base import BaseConfig as Relative


class HuggingFaceConfig(BaseConfig):
    """Hugging Face."""

    def transform_request(self, data: dict) -> dict:
        return data

    def get_api_key(self) -> str | None:
        return None

    def own_helper(self) -> None:
        pass


class Other(Relative):
    """Imported relatively."""

    def transform_request(self, data: dict) -> dict:
        return data

    class Config:
        frozen = True
'''


def test_hr001_override_of_a_project_base_in_another_module(flake8_path: Flake8Path) -> None:
    """HR001 at 21/25 in the re-read: the false hits override a method of a project base of another module."""
    (flake8_path / "pyproject.toml").write_text("")
    files = {
        "app/__init__.py": '"""App."""\n',
        "app/llms/__init__.py": '"""LLMs."""\n',
        "app/llms/root.py": ROOT_CONFIG,
        "app/llms/base.py": BASE_CONFIG,
        "app/llms/hf.py": PROVIDER,
    }
    assert lint(flake8_path, files, "HR001") == ["./app/llms/hf.py:15:5 HR001"]
    files["app/llms/base.py"] = BASE_CONFIG.replace("def transform_request", "def transform_body")
    assert lint(flake8_path, files, "HR001") == [
        "./app/llms/hf.py:9:5 HR001",
        "./app/llms/hf.py:15:5 HR001",
        "./app/llms/hf.py:22:5 HR001",
    ]


def test_hr001_override_of_an_unreadable_base_is_reported(flake8_path: Flake8Path) -> None:
    """A base outside the project (not a known library class) shows no methods: unknown, so reported."""
    (flake8_path / "pyproject.toml").write_text("")
    files = {"app/__init__.py": '"""App."""\n', "app/llms/__init__.py": '"""LLMs."""\n', "app/llms/hf.py": PROVIDER}
    assert lint(flake8_path, files, "HR001") == [
        "./app/llms/hf.py:9:5 HR001",
        "./app/llms/hf.py:12:5 HR001",
        "./app/llms/hf.py:15:5 HR001",
        "./app/llms/hf.py:22:5 HR001",
    ]


DJANGO_MIGRATION = """\
from django.db import migrations, models


def forwards(apps, schema_editor):
    print("Processed 3 file objects")


class Migration(migrations.Migration):
    dependencies = [("database", "0078_previous")]
    operations = [migrations.AddField("entry", "size", models.CharField(max_length=200))]
"""


def test_django_migrations_are_migrations_for_every_hygiene_rule(flake8_path: Flake8Path) -> None:
    """Re-read of HR003 (khoj): Django's generated migrations print to `manage.py migrate`'s console."""
    files = {"khoj/database/migrations/0079_entry_file_object.py": DJANGO_MIGRATION}
    assert lint(flake8_path, files, "HR001,HR003,HR005,HR009,HR013") == []
    files = {
        "khoj/database/migrations/0079_entry_file_object.py": DJANGO_MIGRATION.replace("class Migration", "class Step")
    }
    assert {line.split(" ")[1] for line in lint(flake8_path, files, "HR001,HR003")} == {"HR001", "HR003"}


def test_hr003_prints_beside_the_command_lines_own_output_helpers(flake8_path: Flake8Path) -> None:
    """Re-read of HR003 (fides): `fides/core/*.py` print a command's output beside `echo_green` of a click module."""
    (flake8_path / "pyproject.toml").write_text("")
    push = '"""Push."""\nfrom fides.common.utils import echo_green\n\n\ndef push() -> None:\n'
    push += '    print("Processing resources...")\n    echo_green("PUSHED 3 resources")\n'
    files = {
        "fides/__init__.py": "",
        "fides/common/__init__.py": "",
        "fides/common/utils.py": "import click\n\n\ndef echo_green(text: str) -> None:\n    click.secho(text)\n",
        "fides/core/__init__.py": "",
        "fides/core/push.py": push,
    }
    assert lint(flake8_path, files, "HR003") == []
    files["fides/common/utils.py"] = "import logging\n\n\ndef echo_green(text: str) -> None:\n    logging.info(text)\n"
    assert lint(flake8_path, files, "HR003") == ["./fides/core/push.py:6:5 HR003"]
    files["fides/common/utils.py"] = files["fides/common/utils.py"].replace("logging", "click")
    files["fides/core/push.py"] = push.replace('    echo_green("PUSHED 3 resources")\n', "")
    assert lint(flake8_path, files, "HR003") == ["./fides/core/push.py:6:5 HR003"]


def test_hr011_names_the_module_through_a_namespace_folder_inside_a_package(flake8_path: Flake8Path) -> None:
    """Re-read of HR011 (litellm): `litellm/llms/azure_ai/` has no `__init__.py` but sits in `litellm.llms`."""
    files = {
        "litellm/__init__.py": "",
        "litellm/llms/__init__.py": "",
        "litellm/llms/azure_ai/router/__init__.py": "from .transformation import RouterConfig\n",
        "deep/__init__.py": "",
        "deep/a/b/c/mod.py": "from .x import y\n",
    }
    assert lint(flake8_path, files, "HR011", messages=True) == [
        "./deep/a/b/c/mod.py:1:1: HR011 use an absolute import instead of the relative `from .x import ...`",
        "./litellm/llms/azure_ai/router/__init__.py:1:1: HR011 use an absolute import instead of a relative one: "
        "`from litellm.llms.azure_ai.router.transformation import RouterConfig`",
    ]


def test_hr003_file_level_ruff_waiver_of_t201(flake8_path: Flake8Path) -> None:
    """Re-read of HR003 (mlflow's `store/fs2db`): the module waives ruff's T201 for the whole file."""
    source = "# ruff: noqa: T201\nimport warnings\n\n\ndef _log(msg: str) -> None:\n    print(msg)\n"
    assert lint(flake8_path, {"mlflow/store/fs2db/__init__.py": source}, "HR003") == []
    other = source.replace("T201", "E501")
    assert lint(flake8_path, {"mlflow/store/fs2db/__init__.py": other}, "HR003") == [
        "./mlflow/store/fs2db/__init__.py:6:5 HR003"
    ]
