"""The FastAPI family through real flake8: locations, noqa on the decorator line, options, test modules."""

from __future__ import annotations

from pytest_flake8_path import Flake8Path

ROUTES = (
    "from fastapi import APIRouter\n"
    "\n"
    "router = APIRouter(prefix='/items', tags=['items'])\n"
    "\n"
    "\n"
    "@router.get('/{item_id}', summary='One item')\n"
    "async def get_item(item_id: str) -> dict[str, str]:\n"
    "    return {'id': item_id}\n"
    "\n"
    "\n"
    "@router.get('/stats', summary='Stats')\n"
    "@throttle.limit('5/minute')\n"
    "async def stats() -> dict[str, int]:\n"
    "    return {}\n"
)


def test_shadowed_route_reports_at_the_later_decorator_and_names_the_earlier(flake8_path: Flake8Path) -> None:
    (flake8_path / "routes.py").write_text(ROUTES)
    result = flake8_path.run_flake8(["--select", "HR5"])
    assert result.out_lines == [
        "./routes.py:11:2: HR506 route `/stats` can never be reached: `/{item_id}` (line 6) on the same router "
        "matches it first; declare it before that route",
    ]


def test_noqa_on_the_decorator_line_and_test_modules(flake8_path: Flake8Path) -> None:
    decorator = "@router.get('/stats', summary='Stats')"
    (flake8_path / "routes.py").write_text(ROUTES.replace(decorator, decorator + "  # noqa: HR506"))
    (flake8_path / "tests").mkdir()
    (flake8_path / "tests" / "test_routes.py").write_text(ROUTES)
    assert flake8_path.run_flake8(["--select", "HR5"]).out_lines == []


def test_limiter_names_option_from_setup_cfg(flake8_path: Flake8Path) -> None:
    (flake8_path / "setup.cfg").write_text("[flake8]\nhr-enable = HR507\nhr-limiter-names = throttle\n")
    (flake8_path / "routes.py").write_text(ROUTES)
    result = flake8_path.run_flake8(["--select", "HR507"])
    assert [line.split(" ")[0] for line in result.out_lines] == ["./routes.py:6:2:"]
