"""HR105 missing-parameter-annotation."""

from __future__ import annotations

import ast

from flake8_house_rules.rule import Rule

EXEMPT_FIRST = frozenset({"self", "cls"})


class MissingParameterAnnotation(Rule):
    """## What it does
    Checks for function and method parameters without a type annotation, `*args` and `**kwargs`
    included. The first parameter of a function when it is named `self` or `cls`, and any parameter named
    `_`, are exempt. Lambdas cannot be annotated and are not checked.

    ## Why is this bad?
    Unannotated parameters are where type checking stops. "Functions: annotate all parameters and return
    type" (000); "Use type hints for all function signatures" (001); "Type all function parameters" (003);
    "Type hints on all functions" (004 checklist).

    ## Example
    ```python
    async def process_audio(chunk, session_id, vad_threshold=0.5) -> Transcript: ...
    ```

    Use instead:
    ```python
    async def process_audio(chunk: bytes, session_id: str, vad_threshold: float = 0.5) -> Transcript: ...
    ```
    """

    code = "HR105"
    name = "missing-parameter-annotation"
    message = "annotate this parameter"
    source = "000 Type Annotations; 001 Style; 003 Type Hints; 004 Type Hints"
    valid = (
        "def f(x: int, *args: str, **kwargs: object) -> None: ...",
        "class A:\n    def m(self, x: int) -> None: ...\n\n    @classmethod\n    def c(cls) -> None: ...",
        "def f(_, y: int) -> None: ...",
        "handler = lambda event: event",
        "from pydantic import BaseModel, Field\n\nclass M(BaseModel):\n"
        "    tags: list[str] = Field(default_factory=lambda: [])",
        "from typing import Annotated\nimport typer\n\n"
        "def main(name: Annotated[str, typer.Argument(callback=lambda value: value)]) -> None: ...",
    )
    invalid = (
        "def f(x, y: int) -> None: ...  # error: HR105",
        "async def f(\n"
        "    chunk,  # error: HR105\n"
        "    *args,  # error: HR105\n"
        "    **kwargs,  # error: HR105\n"
        ") -> None: ...",
        "def register(name: str, cls) -> None: ...  # error: HR105",
        "def outer() -> None:\n    def inner(self, value) -> None: ...  # error: HR105",
    )

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        """Report each unannotated parameter at the parameter itself."""
        args = node.args
        positional = [*args.posonlyargs, *args.args]
        for index, arg in enumerate(positional):
            if index == 0 and arg.arg in EXEMPT_FIRST:
                continue
            self._check(arg, arg.arg)
        for arg in args.kwonlyargs:
            self._check(arg, arg.arg)
        if args.vararg is not None:
            self._check(args.vararg, f"*{args.vararg.arg}")
        if args.kwarg is not None:
            self._check(args.kwarg, f"**{args.kwarg.arg}")

    visit_AsyncFunctionDef = visit_FunctionDef

    def _check(self, arg: ast.arg, shown: str) -> None:
        if arg.annotation is None and arg.arg != "_":
            self.report(arg, f"annotate parameter `{shown}`")
