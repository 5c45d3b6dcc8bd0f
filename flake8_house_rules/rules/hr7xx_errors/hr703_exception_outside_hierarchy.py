"""HR703 exception-outside-hierarchy."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from flake8_house_rules.rule import Example, Rule
from flake8_house_rules.rules.hr7xx_errors.common import BUILTIN_EXCEPTIONS

if TYPE_CHECKING:
    from flake8_house_rules.context import ModuleContext

SUFFIXES = ("Error", "Exception")


class ExceptionOutsideHierarchy(Rule):
    """## What it does
    Checks for an exception class whose name ends in `Error` or `Exception` and that does not inherit,
    directly or through other classes, from one of the project's base exceptions (`hr-base-exceptions`,
    default `AppError`, `ServiceError`, `APIError`, `HTTPException`). The base classes themselves are exempt.

    Bases are resolved with the module's class facts: through the module's own classes and its imports. A
    base name matches a configured name by its last dotted segment (`app.errors.AppError` and
    `starlette.exceptions.HTTPException` match `AppError` and `HTTPException`), or as a class of the module.
    The rule reports only what it can prove:

    - the class must be an exception: among its known ancestors is a builtin exception class (`Exception`,
      `ValueError`, ...); a schema named `ValidationError(BaseModel)` is not one;
    - every base on the way must be known: a class imported from elsewhere (`httpx.HTTPError`,
      `app.errors.DomainError`) may inherit from the project's base out of sight, so such a class is
      unknown and not reported, unless a configured name is already among its bases;
    - test modules (`hr-test-modules`) are skipped: exceptions defined there are test doubles, not domain
      errors.

    ## Why is this bad?
    A global exception handler maps the base class to a response; an exception outside the hierarchy
    escapes it and becomes a bare 500. Style guide 002 (Custom Exception Hierarchy): "Create a base
    `AppError` class that all domain exceptions inherit from"; 000 derives `ThreadNotFoundError` and
    `RateLimitError` from `ServiceError`; 004 builds on `APIError`.

    ## Example
    ```python
    class AppError(Exception): ...

    class QuotaExceededError(Exception): ...
    ```

    Use instead:
    ```python
    class AppError(Exception): ...

    class QuotaExceededError(AppError): ...
    ```
    """

    code = "HR703"
    name = "exception-outside-hierarchy"
    message = "derive the exception from the project's base exception (`hr-base-exceptions`, e.g. `AppError`)"
    tier = "opt-in"
    source = "002 Error Handling (Custom Exception Hierarchy); 000 Error Handling; 004 Error Handling Pattern"
    options = ("hr-base-exceptions", "hr-test-modules")
    valid = (
        "class AppError(Exception): ...\n\nclass NotFoundError(AppError): ...\n\nclass GoneError(NotFoundError): ...",
        "from app.errors import AppError\n\nclass QuotaError(AppError): ...",
        "from fastapi import HTTPException\n\nclass ForbiddenError(HTTPException): ...",
        "import httpx\n\nclass UpstreamError(httpx.HTTPError): ...",
        "from app.errors import DomainError\n\nclass QuotaError(DomainError): ...",
        "from pydantic import BaseModel\n\nclass ValidationError(BaseModel):\n    detail: str",
        "class ParseError:\n    pass",
        "class ServiceError(Exception): ...",
        "class Quota(Exception): ...",
        "class QuotaError(make_base()): ...",
        Example("class FakeError(Exception): ...", path="tests/test_quota.py"),
        Example(
            "class KhojError(Exception): ...\n\nclass QuotaError(KhojError): ...",
            options={"hr-base-exceptions": "KhojError"},
        ),
    )
    invalid = (
        "class QuotaExceededError(Exception): ...  # error: HR703",
        "class Base(ValueError): ...\n\nclass ParseError(Base): ...  # error: HR703",
        "class LimitException(RuntimeError):  # error: HR703\n    pass",
        "class KhojError(Exception): ...  # error: HR703",
        Example("class AppError(Exception): ...  # error: HR703", options={"hr-base-exceptions": "KhojError"}),
    )

    @classmethod
    def applies_to(cls, ctx: ModuleContext) -> bool:
        """Not in test modules."""
        return not ctx.is_test_module()

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        """Report an exception class whose known ancestry misses every configured base."""
        if not node.name.endswith(SUFFIXES) or not node.bases:
            return
        bases = self.ctx.config.base_exceptions
        if node.name in bases:
            return
        ancestry = self.ctx.classes.ancestry(node)
        if any(name.rpartition(".")[2] in bases for name in ancestry.names):
            return
        if ancestry.complete and not ancestry.names.isdisjoint(BUILTIN_EXCEPTIONS):
            self.report(node)
