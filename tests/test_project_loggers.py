"""House logger factories (HR302-HR305) through real flake8 and the real `house-rules` command.

A project function whose every `return` gives a `structlog.get_logger(...)` (or `logging.getLogger(...)`)
makes its results loggers of that library, with no `hr-structlog-factories` setting: defined in the module
that uses it, imported from another project module, or re-exported by an `__init__.py`. A factory that
returns something else, an `async def`, a generator or a function under a wrapping decorator stays unknown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.test_project_rules import both, flake8, write

if TYPE_CHECKING:
    from pathlib import Path

CODES = "HR302,HR303,HR304,HR305"
LOG = (
    '"""House logging."""\n\nimport functools\nimport logging\n\nimport structlog\n\nfrom app.deco import wrap\n\n\n'
    "def get_logger(name: str) -> structlog.stdlib.BoundLogger:\n"
    '    """Structlog, bound."""\n    return structlog.get_logger(name)\n\n\n'
    "@functools.cache\n"
    "def std_logger(name: str) -> logging.Logger:\n"
    '    """The standard library\'s, cached."""\n    return logging.getLogger(name)\n\n\n'
    "def make(name: str) -> dict[str, str]:\n"
    '    """Not a logger."""\n    return dict(name=name)\n\n\n'
    "def either(name: str, *, std: bool) -> object:\n"
    '    """One or the other: unknown."""\n'
    "    if std:\n        return logging.getLogger(name)\n    return structlog.get_logger(name)\n\n\n"
    "async def aget(name: str) -> structlog.stdlib.BoundLogger:\n"
    '    """A coroutine."""\n    return structlog.get_logger(name)\n\n\n'
    "@wrap\n"
    "def wrapped(name: str) -> structlog.stdlib.BoundLogger:\n"
    '    """Whatever `wrap` makes of it."""\n    return structlog.get_logger(name)\n'
)
DECO = '"""Decorators."""\n\n\ndef wrap(func: object) -> object:\n    """Wrap."""\n    return func\n'
INIT = (
    '"""Core."""\n\nfrom app.core.log import aget, either, get_logger, make, std_logger, wrapped\n\n'
    '__all__ = ["aget", "either", "get_logger", "make", "std_logger", "wrapped"]\n'
)


def uses(source: str) -> str:
    """A module that takes its loggers from `source` and logs on each (lines 15-21)."""
    return (
        f'"""Uses the house loggers."""\n\n{source}\n\n'
        "log = get_logger(__name__)\n"  # 5
        "slog = std_logger(__name__)\n"
        "other = make(__name__)\n"
        "mixed = either(__name__, std=True)\n"
        "alog = aget(__name__)\n"
        "wlog = wrapped(__name__)\n\n\n"  # 10
        "def work(user: str) -> None:\n"
        '    """Work."""\n'
        '    log.info(f"user {user}")\n'  # 15: HR302
        '    slog.info(f"user {user}")\n'  # 16: HR302
        '    other.info(f"user {user}")\n'
        '    mixed.info(f"user {user}")\n'
        '    alog.info(f"user {user}")\n'
        '    wlog.info(f"user {user}")\n'
        '    log.info("Audit done", extra={"user": user})\n'  # 21: HR303, HR305
    )


EXPECTED = ["app/work.py:15 HR302", "app/work.py:16 HR302", "app/work.py:21 HR303", "app/work.py:21 HR305"]


def test_factories_imported_from_another_module(tmp_path: Path) -> None:
    source = "from app.core.log import aget, either, get_logger, make, std_logger, wrapped"
    files = {"app/__init__.py": "", "app/core/__init__.py": "", "app/core/log.py": LOG, "app/deco.py": DECO}
    write(tmp_path, {**files, "app/work.py": uses(source)})
    assert both(tmp_path, CODES) == EXPECTED


def test_factories_re_exported_by_a_package(tmp_path: Path) -> None:
    source = "from app.core import aget, either, get_logger, make, std_logger, wrapped"
    files = {"app/__init__.py": "", "app/core/__init__.py": INIT, "app/core/log.py": LOG, "app/deco.py": DECO}
    write(tmp_path, {**files, "app/work.py": uses(source)})
    assert both(tmp_path, CODES) == EXPECTED


def test_factories_through_a_relative_import(tmp_path: Path) -> None:
    source = "from .core.log import aget, either, get_logger, make, std_logger, wrapped"
    files = {"app/__init__.py": "", "app/core/__init__.py": "", "app/core/log.py": LOG, "app/deco.py": DECO}
    write(tmp_path, {**files, "app/work.py": uses(source)})
    assert both(tmp_path, CODES) == EXPECTED


def test_factories_defined_in_the_same_module(tmp_path: Path) -> None:
    body = LOG.removeprefix('"""House logging."""\n\n')
    own = uses("").replace('"""Uses the house loggers."""\n\n\n', f'"""House logging, used."""\n\n{body}\n\n', 1)
    write(tmp_path, {"app/__init__.py": "", "app/deco.py": DECO, "app/work.py": own})
    offset = own.splitlines().index('    log.info(f"user {user}")') + 1 - 15
    expected = [f"app/work.py:{int(line.split(':')[1].split()[0]) + offset} {line.split()[1]}" for line in EXPECTED]
    assert both(tmp_path, CODES) == sorted(expected)


def test_a_generator_and_an_unknown_library_stay_unknown(tmp_path: Path) -> None:
    log = (
        '"""Not loggers."""\n\nfrom collections.abc import Iterator\n\nimport structlog\nimport vendorlog\n\n\n'
        "def stream(name: str) -> Iterator[str]:\n"
        '    """A generator."""\n    yield name\n    return structlog.get_logger(name)\n\n\n'
        "def vendor(name: str) -> object:\n"
        '    """A library the pack does not know."""\n    return vendorlog.get_logger(name)\n'
    )
    work = (
        '"""Uses them."""\n\nfrom app.log import stream, vendor\n\n\n'
        "def work(user: str) -> None:\n"
        '    """Work."""\n'
        '    stream(user).info(f"user {user}")\n'
        '    vendor(user).info(f"user {user}")\n'
    )
    write(tmp_path, {"app/__init__.py": "", "app/log.py": log, "app/work.py": work})
    assert both(tmp_path, CODES) == []


def test_an_editor_buffer_sees_the_factory_on_disk(tmp_path: Path) -> None:
    source = "from app.core import aget, either, get_logger, make, std_logger, wrapped"
    files = {"app/__init__.py": "", "app/core/__init__.py": INIT, "app/core/log.py": LOG, "app/deco.py": DECO}
    write(tmp_path, files)
    found = flake8(tmp_path, "--select", CODES, "--stdin-display-name", "app/work.py", stdin=uses(source))
    assert found == EXPECTED
