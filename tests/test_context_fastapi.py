"""FastAPI facts: apps and routers resolved through bindings, routes in registration order, path matching."""

from __future__ import annotations

import ast

import pytest
from test_context import context

from flake8_house_rules.context.fastapi import FastAPIRoutes, Route, compile_path, shadows


def facts(source: str) -> FastAPIRoutes:
    return context(source).fact(FastAPIRoutes)


def routes_by_function(source: str) -> dict[str, list[Route]]:
    found: dict[str, list[Route]] = {}
    for route in facts(source).routes:
        found.setdefault(route.function.name, []).append(route)
    return found


def test_apps_and_routers_through_imports_aliases_parameters_and_annotations() -> None:
    found = routes_by_function(
        "import fastapi\nfrom fastapi import APIRouter, FastAPI\nfrom fastapi.routing import APIRouter as R\n"
        "app = fastapi.FastAPI()\nfeature_router = R(prefix='/f')\nrouter = feature_router\n"
        "typed: APIRouter = make_router()\n"
        "@app.get('/a')\ndef a(): ...\n"
        "@router.post('/b')\ndef b(): ...\n"
        "@feature_router.put('/c')\ndef c(): ...\n"
        "@typed.patch('/d')\ndef d(): ...\n"
        "@app.router.delete('/e')\ndef e(): ...\n"
        "def register(r: APIRouter, server: FastAPI) -> None:\n"
        "    @r.websocket('/f')\n    async def f(ws): ...\n"
        "    @server.head('/g')\n    def g(): ...\n"
    )
    assert sorted(found) == ["a", "b", "c", "d", "e", "f", "g"]
    assert found["a"][0].router.kind == "app"
    assert found["b"][0].router is found["c"][0].router  # an alias is the same router
    assert found["b"][0].router.name == "feature_router"
    assert found["e"][0].router is found["a"][0].router  # `app.router` holds the app's routes
    assert found["f"][0].router.kind == "router"
    assert found["f"][0].is_websocket
    assert found["g"][0].router.kind == "app"
    assert found["d"][0].router.unique


def test_self_attributes_only_when_every_assignment_is_a_router() -> None:
    found = routes_by_function(
        "from fastapi import FastAPI\n"
        "class Server:\n"
        "    def __init__(self):\n        self.app = FastAPI()\n        self.other = FastAPI()\n"
        "    def reset(self):\n        self.other = make()\n"
        "    def routes(self):\n"
        "        @self.app.get('/a')\n        def a(): ...\n"
        "        @self.other.get('/b')\n        def b(): ...\n"
        "    @staticmethod\n    def static(self):\n"
        "        @self.app.get('/c')\n        def c(): ...\n"
        "class Another:\n    def routes(self):\n"
        "        @self.app.get('/d')\n        def d(): ...\n"
    )
    assert sorted(found) == ["a"]
    assert found["a"][0].router.name == "self.app"


def test_unknown_objects_are_not_routers() -> None:
    found = routes_by_function(
        "from fastapi import APIRouter\nfrom app.main import app\nfrom starlette.routing import Router\n"
        "factory = make_router()\nstarlette = Router()\nmaybe = APIRouter() if x else other\n"
        "twice = APIRouter()\ntwice = build()\n"
        "@app.get('/a')\ndef a(): ...\n"
        "@factory.get('/c')\ndef c(): ...\n"
        "@starlette.get('/d')\ndef d(): ...\n"
        "@maybe.get('/e')\ndef e(): ...\n"
        "@twice.get('/f')\ndef f(): ...\n"
        "def g(router):\n    @router.get('/g')\n    def inner(): ...\n"
        "@APIRouter().get('/h')\ndef h(): ...\n"
    )
    assert found == {}


def test_a_name_bound_to_several_routers_is_a_router_but_not_a_known_one() -> None:
    source = (
        "from fastapi import APIRouter\nrouter = APIRouter(prefix='/a')\n@router.get('/x')\ndef a(): ...\n"
        "router = APIRouter(prefix='/b')\n@router.get('/y')\ndef b(): ...\n"
    )
    found = routes_by_function(source)
    assert found["a"][0].router.kind == "router"
    # at module level a decorator sees the binding above it: two different routers, each known
    assert found["a"][0].router.unique
    assert found["a"][0].router is not found["b"][0].router
    inside = routes_by_function(
        "from fastapi import APIRouter\nrouter = APIRouter()\ndef reset():\n    global router\n"
        "    router = APIRouter()\n@router.get('/x')\ndef a(): ...\n"
    )
    assert not inside["a"][0].router.unique  # a binding in a function may run at any time


def test_an_app_wrapped_after_its_routes_keeps_them_and_subclasses_are_routers() -> None:
    found = routes_by_function(
        "from fastapi import APIRouter, FastAPI\napp = FastAPI()\n@app.get('/a')\ndef a(): ...\n"
        "class AppRouter(APIRouter): ...\nclass Versioned(AppRouter): ...\nrouter = Versioned(prefix='/v')\n"
        "@router.post('/b')\ndef b(): ...\napp = SomeMiddleware(app)\n"
    )
    assert found["a"][0].router.kind == "app"
    assert found["b"][0].router.kind == "router"


def test_modules_without_fastapi_have_no_routes() -> None:
    assert facts("from flask import Flask\napp = Flask()\n@app.get('/a')\ndef a(): ...\n").routes == []


def test_routes_in_registration_order_with_methods_paths_and_keywords() -> None:
    routes = facts(
        "from fastapi import APIRouter\nrouter = APIRouter()\n"
        "@router.get('/top')\n@limiter.limit('1/s')\n@router.post(path='/bottom', status_code=201)\ndef both(): ...\n"
        "@router.api_route('/default')\ndef default(): ...\n"
        "@router.api_route('/many', methods=['get', 'Post'])\ndef many(): ...\n"
        "@router.api_route('/unknown', methods=METHODS)\ndef unknown(): ...\n"
        "@router.api_route('/splat', **options)\ndef splat(): ...\n"
        "@router.get(PATH)\ndef constant(): ...\n"
    ).routes
    assert [(route.function.name, route.path) for route in routes] == [
        ("both", "/bottom"),
        ("both", "/top"),
        ("default", "/default"),
        ("many", "/many"),
        ("unknown", "/unknown"),
        ("splat", "/splat"),
        ("constant", None),
    ]
    methods = [route.methods for route in routes]
    assert methods[:4] == [{"POST"}, {"GET"}, {"GET"}, {"GET", "POST"}]
    assert methods[4] is None
    assert methods[5] is None  # `**options` may carry `methods=`
    assert isinstance(routes[0].keyword("status_code"), ast.Constant)
    assert routes[5].may_have("summary")
    assert not routes[0].may_have("summary")


def test_registered_before_follows_statement_order_not_branches_or_functions() -> None:
    source = (
        "from fastapi import APIRouter\nrouter = APIRouter()\n"
        "@router.get('/1')\ndef first(): ...\n"
        "if flag:\n    @router.get('/2')\n    def in_if(): ...\nelse:\n    @router.get('/3')\n    def in_else(): ...\n"
        "def register():\n    @router.get('/4')\n    def in_function(): ...\n"
        "@router.get('/5')\n@router.get('/6')\ndef last(): ...\n"
    )
    ctx = facts(source)
    by_path = {route.path: route for route in ctx.routes}
    before = ctx.registered_before
    assert before(by_path["/1"], by_path["/2"])
    assert before(by_path["/1"], by_path["/3"])
    assert not before(by_path["/2"], by_path["/3"])  # another branch
    assert not before(by_path["/1"], by_path["/4"])  # another function: called who knows when
    assert not before(by_path["/4"], by_path["/5"])
    assert before(by_path["/6"], by_path["/5"])  # the lower decorator registers first
    assert not before(by_path["/5"], by_path["/6"])
    assert before(by_path["/2"], by_path["/5"]) is False  # the `if` may not run: not always first


def test_returns_are_the_function_s_own() -> None:
    source = (
        "from fastapi import APIRouter\nrouter = APIRouter()\n@router.get('/')\n"
        "def f():\n    def g():\n        return 1\n    if x:\n        return 2\n    return 3\n"
    )
    ctx = facts(source)
    route = ctx.routes[0]
    values = [node.value.value for node in ctx.returns(route.function)]
    assert values == [2, 3]


@pytest.mark.parametrize(
    ("earlier", "later", "expected"),
    [
        ("/items/{id}", "/items/stats", True),
        ("/items/{id:int}", "/items/stats", False),
        ("/items/{id:int}", "/items/0", True),
        ("/items/{id:float}", "/items/1.5", True),
        ("/items/{id:uuid}", "/items/stats", False),
        ("/{p:path}", "/anything/below", True),
        ("/files/{p:path}", "/files/", True),
        ("/files/{p:path}", "/files", False),
        ("/items/{id}", "/items/{name}", False),
        ("/items/{a}", "/items/{b:int}", True),
        ("/items/{a:int}", "/items/{b}", False),
        ("/files/{p:path}", "/files/{id}/raw", True),
        ("/{a}/{b}", "/x/{c}", True),
        ("/items/{id}", "/items/stats/", False),
        ("/items/{id}.json", "/items/a.json", True),
        ("/items/{id}.json", "/items/{x}.json", False),
        ("/u/{id}", "/u/{id}/x", False),
        ("/items/stats", "/items/stats", False),
        ("/{x:custom}", "/a", False),
        ("/{x}/{x}", "/a/b", False),
        ("/items/{p:path}/raw", "/items/a/b/raw", True),
        ("/items/{p:path}/raw", "/items/{a}/raw", False),
    ],
)
def test_starlette_path_matching(earlier: str, later: str, expected: bool) -> None:
    first, second = compile_path(earlier), compile_path(later)
    assert (first is not None and second is not None and shadows(first, second)) is expected
