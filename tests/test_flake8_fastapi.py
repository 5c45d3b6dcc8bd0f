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
        "./routes.py:11:1: HR506 route `/stats` can never be reached: `/{item_id}` (line 6) on the same router "
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
    assert [line.split(" ")[0] for line in result.out_lines] == ["./routes.py:6:1:"]


def test_route_rules_report_at_the_decorators_at_sign(flake8_path: Flake8Path) -> None:
    source = (
        "from fastapi import FastAPI\n"
        "\n"
        "\n"
        "def create_app() -> FastAPI:\n"
        '    """Build the app."""\n'
        "    app = FastAPI()\n"
        "\n"
        "    @app.post('/items')\n"
        "    async def create_item():\n"
        "        return {'id': 1}\n"
        "\n"
        "    return app\n"
        "\n"
        "\n"
        "top = FastAPI()\n"
        "\n"
        "\n"
        "@top.post('/things')  # noqa: HR504\n"
        "async def create_thing():\n"
        "    return {'id': 1}\n"
    )
    (flake8_path / "app.py").write_text(source)
    result = flake8_path.run_flake8(["--select", "HR502,HR503,HR504"])
    assert [line.split(" ")[0] + " " + line.split(" ")[1] for line in result.out_lines] == [
        "./app.py:8:5: HR502",
        "./app.py:8:5: HR503",
        "./app.py:8:5: HR504",
        "./app.py:18:1: HR502",
        "./app.py:18:1: HR503",
    ]


def test_explicit_200_post_and_the_oauth_token_endpoint(flake8_path: Flake8Path) -> None:
    source = (
        "from fastapi import APIRouter\n"
        "\n"
        "router = APIRouter(prefix='/auth', tags=['auth'])\n"
        "\n"
        "\n"
        "@router.post('/token', status_code=200, summary='Token')  # RFC 6749 5.1\n"
        "async def token() -> dict[str, str]:\n"
        "    return {'access_token': '...', 'token_type': 'bearer'}\n"
        "\n"
        "\n"
        "@router.post('/refresh', summary='Refresh')\n"
        "async def refresh() -> dict[str, str]:\n"
        "    return {}\n"
    )
    (flake8_path / "auth.py").write_text(source)
    result = flake8_path.run_flake8(["--select", "HR504"])
    assert result.out_lines == [
        "./auth.py:11:1: HR504 answer a POST with `status_code=201` (or write the 200/202/204 it answers instead)",
    ]
