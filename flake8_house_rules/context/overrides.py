"""Override facts: whether a method of one of the module's classes provably overrides a method of a base.

`ctx.fact(Overrides).base_defining(cls, "transform_request")` names the base that defines the method, or is
`None` when no base is proven to: unknown stays unknown. A base counts when it is

- a class of the same module (its body is read: `def name`, directly or under an `if`/`try` there);
- a project class in another module, through the project model's summaries (`context/summary.py`: a
  class entry names the methods its body defines), followed through that class's own bases, a bounded
  number of classes;
- a known library class, whose overridable methods are listed in `LIBRARY_METHODS` below (the standard
  library's logging, `json`, `ast`, `threading`, `html.parser`, `http.server`, SQLAlchemy's
  `TypeDecorator`, Starlette's `BaseHTTPMiddleware`): any other library class's methods are unknown.

Rules use it for names a base dictates (HR001: the base documents the method; HR008: the base's name is not
the author's choice), and `class_methods` for what a project class defines (HR010's `__new__`).
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flake8_house_rules.context import ModuleContext

#: How many project classes one question may read across modules.
MAX_CLASSES = 50
FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
BLOCKS = (ast.If, ast.Try, ast.TryStar)

_HANDLER = frozenset({"emit", "flush", "close", "handle", "format", "filter", "acquire", "release", "setFormatter"})
_FORMATTER = frozenset({"format", "formatTime", "formatException", "formatStack", "formatMessage", "usesTime"})
_VISITOR = frozenset({"visit", "generic_visit"})
_HTML_PARSER = frozenset(
    {
        "handle_starttag",
        "handle_endtag",
        "handle_startendtag",
        "handle_data",
        "handle_comment",
        "handle_entityref",
        "handle_charref",
        "handle_decl",
        "handle_pi",
        "unknown_decl",
        "feed",
        "close",
        "reset",
    }
)
_REQUEST_HANDLER = frozenset({"do_GET", "do_POST", "do_PUT", "do_DELETE", "do_HEAD", "do_PATCH", "do_OPTIONS"})
_TYPE_DECORATOR = frozenset(
    {
        "process_bind_param",
        "process_result_value",
        "process_literal_param",
        "load_dialect_impl",
        "coerce_compared_value",
        "copy",
        "bind_processor",
        "result_processor",
        "literal_processor",
        "compare_values",
        "python_type",
    }
)
#: Known library classes and the methods their subclasses override, as the library documents them.
LIBRARY_METHODS: dict[str, frozenset[str]] = {
    "logging.Handler": _HANDLER,
    "logging.StreamHandler": _HANDLER,
    "logging.FileHandler": _HANDLER,
    "logging.handlers.RotatingFileHandler": _HANDLER | {"shouldRollover", "doRollover"},
    "logging.handlers.TimedRotatingFileHandler": _HANDLER | {"shouldRollover", "doRollover"},
    "logging.handlers.QueueHandler": _HANDLER | {"enqueue", "prepare"},
    "logging.handlers.BufferingHandler": _HANDLER | {"shouldFlush"},
    "logging.handlers.MemoryHandler": _HANDLER | {"shouldFlush"},
    "logging.Formatter": _FORMATTER,
    "logging.Filter": frozenset({"filter"}),
    "logging.LoggerAdapter": frozenset({"process"}),
    "json.JSONEncoder": frozenset({"default", "encode", "iterencode"}),
    "json.encoder.JSONEncoder": frozenset({"default", "encode", "iterencode"}),
    "json.JSONDecoder": frozenset({"decode", "raw_decode"}),
    "ast.NodeVisitor": _VISITOR,
    "ast.NodeTransformer": _VISITOR,
    "threading.Thread": frozenset({"run"}),
    "multiprocessing.Process": frozenset({"run"}),
    "html.parser.HTMLParser": _HTML_PARSER,
    "http.server.BaseHTTPRequestHandler": _REQUEST_HANDLER | {"log_message", "log_request", "log_error"},
    "http.server.SimpleHTTPRequestHandler": _REQUEST_HANDLER | {"log_message", "log_request", "log_error"},
    "argparse.Action": frozenset({"format_usage"}),
    "argparse.HelpFormatter": frozenset({"format_help", "add_usage", "add_argument", "start_section"}),
    "string.Formatter": frozenset({"format", "vformat", "get_value", "format_field", "convert_field", "parse"}),
    "sqlalchemy.types.TypeDecorator": _TYPE_DECORATOR,
    "sqlalchemy.TypeDecorator": _TYPE_DECORATOR,
    "sqlalchemy.sql.type_api.TypeDecorator": _TYPE_DECORATOR,
    "starlette.middleware.base.BaseHTTPMiddleware": frozenset({"dispatch"}),
}


def _own_methods(node: ast.ClassDef) -> set[str]:
    """The names of the functions a class body defines, directly or under an `if`/`try` there."""
    found: set[str] = set()
    for statement in node.body:
        if isinstance(statement, FUNCTIONS):
            found.add(statement.name)
        elif isinstance(statement, BLOCKS):
            branches = [*statement.body, *statement.orelse, *getattr(statement, "finalbody", ())]
            for handler in getattr(statement, "handlers", ()):
                branches.extend(handler.body)
            found.update(item.name for item in branches if isinstance(item, FUNCTIONS))
    return found


class Overrides:
    """Which methods of the module's classes override a base's method. Built on first use, once per module."""

    def __init__(self, ctx: ModuleContext) -> None:
        self.ctx = ctx
        self._methods: dict[ast.ClassDef, set[str]] = {}
        self._project: dict[str, tuple[tuple[str, ...], frozenset[str]] | None] = {}

    def base_defining(self, cls: ast.ClassDef, name: str) -> str | None:
        """The name of a base of `cls` that provably defines the method `name`, or `None` (see the module)."""
        hierarchy = self.ctx.classes
        for local in hierarchy.ancestry(cls).classes:
            if name in self._local_methods(local):
                return local.name
        for node in (cls, *hierarchy.ancestry(cls).classes):
            for base in node.bases:
                resolved = hierarchy.base_name(base)
                if isinstance(resolved, str) and not resolved.startswith("builtins."):
                    found = self._outside_base_defining(resolved, name)
                    if found is not None:
                        return found
        return None

    def class_methods(self, dotted: str) -> frozenset[str] | None:
        """The methods a project class (an imported dotted name) defines in its own body; `None`: unknown."""
        found = self._project_class(dotted)
        return None if found is None else found[1]

    def _local_methods(self, node: ast.ClassDef) -> set[str]:
        found = self._methods.get(node)
        if found is None:
            found = self._methods[node] = _own_methods(node)
        return found

    def _outside_base_defining(self, dotted: str, name: str) -> str | None:
        """A library or project class, followed through the project's summaries, that defines `name`."""
        pending = [dotted]
        seen = {dotted}
        while pending and len(seen) <= MAX_CLASSES:
            current = pending.pop()
            if name in LIBRARY_METHODS.get(current, ()):
                return current
            found = self._project_class(current)
            if found is None:
                continue
            bases, methods = found
            if name in methods:
                return current
            for base in bases:
                if base and base not in seen and not base.startswith("builtins."):
                    seen.add(base)
                    pending.append(base)
        return None

    def _project_class(self, dotted: str) -> tuple[tuple[str, ...], frozenset[str]] | None:
        """`(bases, methods)` of a project class from its module's summary; `None` when it is none."""
        if dotted in self._project:
            return self._project[dotted]
        result = None
        in_project = self.ctx.in_project
        absolute = in_project.absolute(dotted)
        if in_project.project is not None and absolute is not None:
            found = in_project.project.resolve(absolute)
            if isinstance(found, tuple) and found[2][0] == "class" and len(found[2]) > 3:
                result = (tuple(found[2][1]), frozenset(found[2][3]))
        self._project[dotted] = result
        return result
