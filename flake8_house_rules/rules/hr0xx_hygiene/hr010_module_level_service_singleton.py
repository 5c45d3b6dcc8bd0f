"""HR010 module-level-service-singleton."""

from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING

from flake8_house_rules.context.overrides import Overrides
from flake8_house_rules.rule import Example, Rule
from flake8_house_rules.rules.hr0xx_hygiene.common import is_main_guard

if TYPE_CHECKING:
    from flake8_house_rules.context import ModuleContext

#: Words that mark infrastructure in a variable or class name: the app, routers, loggers, locks, caches,
#: settings and their kin are meant to be module-level.
INFRASTRUCTURE_WORDS = frozenset(
    {
        "app",
        "application",
        "router",
        "routes",
        "blueprint",
        "logger",
        "log",
        "logging",
        "lock",
        "rlock",
        "semaphore",
        "cache",
        "settings",
        "config",
        "configuration",
        "limiter",
        "registry",
        "metric",
        "metrics",
        "counter",
        "histogram",
        "gauge",
        "tracer",
        "meter",
        "event",
        "var",
        "templates",
    }
)
#: Classes whose instances are values, not services, when they are the module's own.
VALUE_BASES = (
    "enum.Enum",
    "pydantic.BaseModel",
    "pydantic_settings.BaseSettings",
    "typing.NamedTuple",
    "typing.TypedDict",
    "builtins.BaseException",
    "builtins.Exception",
)
#: Local classes that are logging infrastructure (a handler, filter or formatter instance is configuration).
INFRASTRUCTURE_BASES = ("logging.Handler", "logging.Filter", "logging.Formatter")
#: The name endings of service classes: what 004 calls business logic (`STTClient`, `VoiceService`).
SERVICE_SUFFIXES = (
    "Service",
    "Client",
    "Handler",
    "Manager",
    "Repository",
    "Repo",
    "Store",
    "Provider",
    "Processor",
    "Gateway",
    "Adapter",
    "API",
    "Api",
    "Controller",
    "Agent",
    "Orchestrator",
    "Tracker",
    "Index",
    "Dao",
    "DAO",
    "Helper",
    "Worker",
)
DATACLASS = frozenset({"dataclasses.dataclass", "attrs.define", "attrs.frozen", "attr.s", "attr.dataclass"})
PASCAL_RE = re.compile(r"^[A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*$")
UPPER_RE = re.compile(r"^_*[A-Z][A-Z0-9_]*$")
WORD_RE = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")


def words(name: str) -> set[str]:
    """The lower-case words of a snake_case or PascalCase name: `RateLimiter` -> `{"rate", "limiter"}`."""
    return {word.lower() for word in WORD_RE.findall(name)}


def module_assignments(module: ast.Module) -> list[ast.Assign | ast.AnnAssign]:
    """The module's own assignments, also under module-level `if` and `try` (not the `__main__` block)."""
    found: list[ast.Assign | ast.AnnAssign] = []
    pending = [module.body]
    while pending:
        for statement in pending.pop():
            kind = type(statement)
            if kind is ast.Assign or kind is ast.AnnAssign:
                found.append(statement)
            elif kind is ast.If:
                if not is_main_guard(statement):
                    pending.extend((statement.body, statement.orelse))
            elif kind is ast.Try or kind is ast.TryStar:
                pending.extend((statement.body, statement.orelse, statement.finalbody))
    return found


def _defines_new(node: ast.ClassDef) -> bool:
    """Whether a class defines `__new__`: a singleton whose constructor hands out the one instance."""
    return any(isinstance(item, ast.FunctionDef) and item.name == "__new__" for item in node.body)


class ModuleLevelServiceSingleton(Rule):
    """## What it does
    Checks for a module-level instance of one of the project's own service classes: `stt_client =
    STTClient()` at the top of a module, where `STTClient` is a class defined in the module or imported
    from the project (a relative import, or an absolute one whose top package is a folder on the module's
    own path, as `app.services` is for `app/api/routes.py`), and its name says it is a service: it ends
    with `Service`, `Client`, `Handler`, `Manager`, `Repository`/`Repo`, `Store`, `Provider`, `Processor`,
    `Gateway`, `Adapter`, `API`, `Controller`, `Agent`, `Orchestrator`, `Tracker`, `Index`, `DAO`, `Helper`
    or `Worker`. Other PascalCase classes are too often values (descriptors, column specs, time zones,
    palettes, lazy loaders: about half of all module-level instances in real code) to report without
    knowing the class. Reported at the assignment.

    Infrastructure is meant to live at module level and is never reported: classes named in
    `hr-singleton-allowed` (by default FastAPI, APIRouter, Limiter, TTLCache, LRUCache, Lock, Semaphore,
    Event, TypeVar, ParamSpec, ContextVar; a class whose name ends with one of them counts too), and any
    variable or class whose name says it is an app, router, logger, lock, semaphore, cache, settings or
    config object, a limiter, registry, metric, tracer, event, context variable or template set, and the
    module's own logging handlers, filters and formatters. Third-party
    classes (`httpx.AsyncClient()`, which 001 asks to share at module level; `Redis(...)`;
    `Jinja2Templates(...)`) are not the project's business classes, and calls of lower-case factories
    (`get_settings()`, `structlog.get_logger()`) are accessors. Also silent: UPPER_CASE names (a constant
    value object such as `DEFAULT_PAGE = Page(size=20)`), the module's own enums, pydantic models, named
    tuples, typed dicts, dataclasses and exceptions (values, not services), the `if __name__ == "__main__":`
    block, and test modules. A class that defines `__new__` (a process-wide singleton whose every call
    returns the same instance), of the module or of another project module (read from the project model),
    is not reported either: calling it is an accessor, and nothing can be injected at import time.

    ## Why is this bad?
    A module-level service is created at import time, shared by every caller and every test, and cannot be
    swapped: tests must monkeypatch the module. 004 Dependency Injection: "Use DI pattern - no global
    singletons", with `stt_client = STTClient()  # Module-level singleton` as the bad example; 000:
    "Dependency Injection — always Depends(), never singletons".

    ## Example
    ```python
    from app.clients.stt import STTClient

    stt_client = STTClient()

    class VoiceService:
        def __init__(self) -> None:
            self.stt_client = stt_client
    ```

    Use instead:
    ```python
    from app.clients.stt import STTClient

    class VoiceService:
        def __init__(self, stt_client: STTClient) -> None:
            self.stt_client = stt_client
    ```
    """

    code = "HR010"
    name = "module-level-service-singleton"
    message = (
        "inject the service (a `Depends(...)` provider or a constructor argument) instead of a module-level instance"
    )
    tier = "opt-in"
    source = "004 Dependency Injection; 000 FastAPI Patterns"
    options = ("hr-singleton-allowed", "hr-test-modules")
    valid = (
        Example("from fastapi import APIRouter, FastAPI\n\napp = FastAPI()\nrouter = APIRouter()", path="app/main.py"),
        Example("import httpx\n\nclient = httpx.AsyncClient(timeout=10)", path="app/clients.py"),
        Example("from app.core.config import get_settings\n\nsettings = get_settings()", path="app/main.py"),
        Example("from app.core.config import Settings\n\nsettings = Settings()", path="app/main.py"),
        Example("from .limits import RateLimiter\n\nlimiter = RateLimiter(per_minute=60)", path="app/api/deps.py"),
        Example("from .cache import ResponseCache\n\nresponses = ResponseCache()", path="app/api/deps.py"),
        Example("from app.models import Page\n\nDEFAULT_PAGE = Page(size=20)", path="app/api/deps.py"),
        Example("from .pickle import ArgumentDescriptor\n\nfloatnl = ArgumentDescriptor(name='floatnl')"),
        Example(
            "import logging\n\nclass RoutingHandler(logging.Handler):\n    pass\n\nhandler = RoutingHandler()",
            path="app/log_setup.py",
        ),
        Example(
            "from enum import Enum\n\nclass Color(Enum):\n    RED = 1\n\nfavourite = Color(1)", path="app/colors.py"
        ),
        Example(
            "from dataclasses import dataclass\n\n@dataclass\nclass Window:\n    size: int\n\nwindow = Window(5)",
            path="app/window.py",
        ),
        Example(
            "from app.services import UserService\n\nif __name__ == '__main__':\n    service = UserService()",
            path="app/tool.py",
        ),
        Example("from app.services import UserService\n\nservice = UserService()", path="tests/test_users.py"),
        Example(
            "class PluginManager:\n    _instance = None\n\n    def __new__(cls):\n        if cls._instance is None:\n"
            "            cls._instance = super().__new__(cls)\n        return cls._instance\n\n\n"
            "plugin_manager = PluginManager()",
            path="app/plugins.py",
        ),
        Example("from app.services import UserService\n\ndef build() -> None:\n    service = UserService()"),
        Example(
            "from .flags import FeatureStore\n\nflags = FeatureStore()",
            path="app/api/deps.py",
            options={"hr-singleton-allowed": "FeatureStore"},
        ),
    )
    invalid = (
        Example(
            "from app.clients.stt import STTClient\n\nstt_client = STTClient()  # error: HR010", path="app/voice.py"
        ),
        Example("from .services import UserService\n\nuser_service = UserService()  # error: HR010"),
        Example(
            "class EmailService:\n    pass\n\n\nemail_service: EmailService = EmailService()  # error: HR010",
            path="app/email.py",
        ),
        Example(
            "import app.services.billing as billing\n\nbilling_service = billing.BillingService()  # error: HR010",
            path="app/api/billing.py",
        ),
    )

    @classmethod
    def applies_to(cls, ctx: ModuleContext) -> bool:
        """Test modules are not checked."""
        return not ctx.is_test_module()

    def visit_Module(self, node: ast.Module) -> None:
        """Check the module's own assignments of a call."""
        for statement in module_assignments(node):
            if type(statement.value) is ast.Call:
                self._check(statement, statement.value)

    def _check(self, statement: ast.Assign | ast.AnnAssign, call: ast.Call) -> None:
        targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
        names = [target.id for target in targets if isinstance(target, ast.Name)]
        if len(names) != len(targets) or any(UPPER_RE.match(name) for name in names):
            return
        func = call.func
        class_name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if not PASCAL_RE.match(class_name) or not class_name.endswith(SERVICE_SUFFIXES):
            return
        if self._infrastructure(class_name, names):
            return
        if self._project_class(func):
            self.report(
                statement,
                f"inject the `{class_name}` service (a `Depends(...)` provider or a constructor argument) "
                "instead of a module-level instance",
            )

    def _infrastructure(self, class_name: str, names: list[str]) -> bool:
        """Whether the class or a variable name says infrastructure, or the options allow the class."""
        if any(class_name.endswith(allowed) for allowed in self.ctx.config.singleton_allowed):
            return True
        return any(words(name) & INFRASTRUCTURE_WORDS for name in (class_name, *names))

    def _project_class(self, func: ast.expr) -> bool:
        """Whether a callee is a business class of this project (a local class that is no value type)."""
        if isinstance(func, ast.Name):
            bindings = self.ctx.lookup(func)
            if bindings and len(bindings) == 1 and isinstance(bindings[0].node, ast.ClassDef):
                node = bindings[0].node
                return not self._value_class(node) and not _defines_new(node)
        origin = self.ctx.qualname(func)
        if origin is None:
            return False
        methods = self.ctx.fact(Overrides).class_methods(origin)
        if methods is not None and "__new__" in methods:
            return False  # a project singleton read from its module's summary: calling it is an accessor
        if origin.startswith("."):
            return True
        top = origin.partition(".")[0]
        path = self.ctx.path
        return path is not None and top in path.split("/")[:-1]

    def _value_class(self, node: ast.ClassDef) -> bool:
        """Whether a local class is a value type: an enum, model, named tuple, typed dict, dataclass, exception."""
        if any(self.ctx.qualname(getattr(item, "func", item)) in DATACLASS for item in node.decorator_list):
            return True
        return self.ctx.classes.inherits(node, *VALUE_BASES, *INFRASTRUCTURE_BASES) is True
