"""HR601 legacy-query-api."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from flake8_house_rules.context.sqlalchemy import Sessions, imports_sql_package
from flake8_house_rules.rule import Rule

if TYPE_CHECKING:
    from flake8_house_rules.context import ModuleContext


class LegacyQueryApi(Rule):
    """## What it does
    Checks for `<session>.query(...)`, the SQLAlchemy 1.x query API, where the receiver is provably a
    SQLAlchemy session: a parameter, variable or `self.<attr>` annotated `Session`/`AsyncSession` (from
    `sqlalchemy.orm`, `sqlalchemy.ext.asyncio` or `sqlmodel`) or a scoped session, or a name bound from
    `Session(...)`, a `sessionmaker(...)`/`async_sessionmaker(...)` factory, or `with factory() as session`.

    A name or `self.<attr>` bound in several places counts when one binding is a proven session and every
    other is a name imported from another module (its value is out of sight: unknown, not something else)
    or `None`; one bound to a session and to something the module builds otherwise is not reported.

    `.query(...)` on anything else is not reported: a search client, a pandas frame, a Django manager, and
    a session whose origin the module does not show (an unannotated parameter, a session maker imported
    from another module) are unknown, and the rule stays silent on them.

    ## Why is this bad?
    `Query` is the legacy API: SQLAlchemy 2.0 builds statements with `select()` and runs them with
    `session.execute(...)`/`session.scalars(...)`, the same way for sync and async sessions
    (`AsyncSession` has no `.query`). Style guide 001 (SQLAlchemy Patterns): "Use `select()` style queries
    (SQLAlchemy 2.0 syntax)"; 002 (Query Optimization): "Use `select()` with explicit column selection".

    ## Example
    ```python
    from sqlalchemy.orm import Session

    def find_user(db: Session, email: str) -> User | None:
        return db.query(User).filter(User.email == email).first()
    ```

    Use instead:
    ```python
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    def find_user(db: Session, email: str) -> User | None:
        return db.scalars(select(User).where(User.email == email)).first()
    ```
    """

    code = "HR601"
    name = "legacy-query-api"
    message = "use `select()` with `session.execute(...)`/`session.scalars(...)` instead of `session.query(...)`"
    source = "001 SQLAlchemy Patterns; 002 Query Optimization"
    valid = (
        "from sqlalchemy import select\nfrom sqlalchemy.orm import Session\n\n"
        "def find(db: Session) -> list:\n    return list(db.scalars(select(User)))",
        # a search client and a data frame have `.query(...)` too
        "from elasticsearch import Elasticsearch\n\ndef search(es: Elasticsearch) -> dict:\n"
        "    return es.query(index='users')",
        "import pandas as pd\n\ndef adults(frame: pd.DataFrame) -> pd.DataFrame:\n    return frame.query('age > 17')",
        # khoj: Django managers and querysets
        "from django.db.models import Q\n\ndef entries(user):\n    return Entry.objects.filter(Q(user=user)).query",
        # khoj's text search and litellm's SAML XML helper, in modules that use SQLAlchemy too
        "import sqlalchemy\nfrom khoj.search_type import text_search\n\nasync def search(q: str):\n"
        "    return await text_search.query(q, limit=5)",
        "import sqlalchemy\nfrom onelogin.saml2.xml_utils import OneLogin_Saml2_XML\n\ndef issuers(root):\n"
        "    return OneLogin_Saml2_XML.query(root, '//saml:Issuer')",
        # a session whose origin the module does not show
        "from app.db import SessionLocal\n\ndef count() -> int:\n    with SessionLocal() as s:\n"
        "        return s.query(User).count()",
        "def count(session) -> int:\n    return session.query(User).count()",
        # the same name bound two ways
        "from sqlalchemy.orm import Session\n\ndef f(db: Session, flag: bool):\n    if flag:\n"
        "        db = make_client()\n    return db.query('x')",
        "from myorm import Session\n\ndef f(db: Session):\n    return db.query(User).all()",
        # one binding a session, another something the module builds otherwise
        "from sqlalchemy.orm import scoped_session, sessionmaker\nfrom elasticsearch import Elasticsearch\n\n"
        "class Index:\n    def __init__(self, url, search: bool) -> None:\n"
        "        self.backend = Elasticsearch(url) if search else None\n"
        "        if not search:\n            self.backend = scoped_session(sessionmaker())\n\n"
        "    def find(self, q):\n        return self.backend.query(q)",
    )
    invalid = (
        "from sqlalchemy.orm import Session\n\ndef find(db: Session, email: str):\n"
        "    return db.query(User).filter(User.email == email).first()  # error: HR601",
        "from sqlalchemy.orm import sessionmaker\n\nSessionLocal = sessionmaker(bind=engine)\n\n"
        "def count() -> int:\n    with SessionLocal() as session:\n"
        "        return session.query(User).count()  # error: HR601",
        "from sqlalchemy.orm import sessionmaker\n\nSessionLocal = sessionmaker(bind=engine)\n\n"
        "def count() -> int:\n    session = SessionLocal()\n    return session.query(User).count()  # error: HR601",
        "from __future__ import annotations\nfrom typing import Optional\nimport sqlalchemy.orm as orm\n\n"
        "class UserStore:\n    db: orm.Session\n\n    def get_one(self, user_id: int):\n"
        "        return self.db.query(User).get(user_id)  # error: HR601",
        "from sqlalchemy.ext.asyncio import AsyncSession\n\nclass Repo:\n"
        "    def __init__(self, session: 'AsyncSession | None') -> None:\n        self.session = session\n\n"
        "    def rows(self):\n        return self.session.query(Row).all()  # error: HR601",
        "from sqlalchemy.orm import Session, scoped_session, sessionmaker\n\n"
        "db_session = scoped_session(sessionmaker(bind=engine))\n\n"
        "def users():\n    return db_session.query(User).all()  # error: HR601",
        "from sqlmodel import Session\n\ndef users(engine):\n    with Session(engine) as session:\n"
        "        return session.query(User).all()  # error: HR601",
        # bound in more than one place: a proven scoped session, and an import whose value is out of sight
        "from sqlalchemy import create_engine\nfrom sqlalchemy.orm import scoped_session, sessionmaker\n"
        "from app.db import ScopedSession\n\n\nclass VectorStore:\n"
        "    def __init__(self, url: str | None) -> None:\n        if not url:\n"
        "            self.session = ScopedSession\n        else:\n"
        "            self.session = scoped_session(sessionmaker(bind=create_engine(url)))\n\n"
        "    def first(self, model):\n        return self.session.query(model).first()  # error: HR601",
    )

    methods = frozenset({"query"})

    @classmethod
    def applies_to(cls, ctx: ModuleContext) -> bool:
        """Only modules that import SQLAlchemy or SQLModel can hold a proven session."""
        return imports_sql_package(ctx)

    def start(self) -> None:
        """Per module: the values assigned to each `self.<attr>` of each class, built when first needed."""
        self._attributes: dict[tuple[ast.ClassDef, str], list[ast.expr]] | None = None

    def visit_method_call(self, node: ast.Call, method: str) -> None:
        """Report `.query(...)` on a proven session, or on a name or attribute bound to one and otherwise only
        to values whose origin is out of sight (an imported name, `None`).
        """
        func = node.func
        if not isinstance(func, ast.Attribute):
            return
        receiver = func.value
        sessions = self.ctx.fact(Sessions)
        if sessions.is_session(receiver) or self._session_among_unknowns(sessions, receiver):
            self.report(node)

    def _session_among_unknowns(self, sessions: Sessions, receiver: ast.expr) -> bool:
        values: list[ast.expr] = []
        if isinstance(receiver, ast.Name):
            for binding in self.ctx.lookup(receiver) or ():
                if binding.kind != "assign" or binding.value is None:
                    return False
                values.append(binding.value)
        elif (
            isinstance(receiver, ast.Attribute)
            and isinstance(receiver.value, ast.Name)
            and receiver.value.id == "self"
            and (cls := self.ctx.enclosing_class(receiver)) is not None
        ):
            values = self._assigned(cls, receiver.attr)
        if len(values) < 2:
            return False
        proven = False
        for value in values:
            if sessions.kind(value) == "session":
                proven = True
            elif not (_is_none(value) or self._imported(value)):
                return False
        return proven

    def _imported(self, value: ast.expr) -> bool:
        """A name imported from another module: its value is out of sight, so unknown, not something else."""
        return isinstance(value, ast.Name | ast.Attribute) and self.ctx.qualname(value) is not None

    def _assigned(self, cls: ast.ClassDef, attr: str) -> list[ast.expr]:
        """The values `self.<attr> = value` assigns in the methods of a class."""
        if self._attributes is None:
            found: dict[tuple[ast.ClassDef, str], list[ast.expr]] = {}
            for statement in self.ctx.nodes_of(ast.Assign):
                for target in statement.targets:
                    if (
                        isinstance(target, ast.Attribute)
                        and isinstance(target.value, ast.Name)
                        and target.value.id == "self"
                        and (owner := self.ctx.enclosing_class(statement)) is not None
                    ):
                        found.setdefault((owner, target.attr), []).append(statement.value)
            self._attributes = found
        return self._attributes.get((cls, attr), [])


def _is_none(value: ast.expr) -> bool:
    return isinstance(value, ast.Constant) and value.value is None
