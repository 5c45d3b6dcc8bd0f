"""The HR4xx family through real flake8: settings modules from options and pyproject, field lines and noqa,
test modules, the opt-in HR412, and HR409 only on known models."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pytest_flake8_path import Flake8Path

ENV_READ = '"""Reads the environment."""\n\nimport os\n\nTIMEOUT = os.getenv("TIMEOUT", "10")\nCLIENT = Client(base_url="https://id.acme.io/api")\n'
MODELS = (
    '"""Models."""\n'
    "\n"
    "from enum import StrEnum\n"
    "\n"
    "from pydantic import BaseModel, Field, SecretStr\n"
    "\n"
    "\n"
    "class Color(StrEnum):\n"
    '    """Colours."""\n'
    "\n"
    '    RED = "red"\n'
    "\n"
    "\n"
    "class Item(BaseModel):\n"
    '    """An item."""\n'
    "\n"
    '    name: str = Field(description="Display name")\n'
    "    color: Color\n"
    "    api_key: SecretStr\n"
)


def test_settings_modules_option_from_setup_cfg_and_test_modules(flake8_path: Flake8Path) -> None:
    for name in ("env.py", "settings.py", "worker.py"):
        (flake8_path / name).write_text(ENV_READ)
    (flake8_path / "tests").mkdir()
    (flake8_path / "tests" / "test_env.py").write_text(ENV_READ)
    (flake8_path / "setup.cfg").write_text("[flake8]\nhr-settings-modules = env.py\nhr-enable = HR410\n")
    result = flake8_path.run_flake8(["--select", "HR401,HR410"])
    assert sorted(line.split(":")[0] + " " + line.split(" ")[1] for line in result.out_lines) == [
        "./settings.py HR401",
        "./settings.py HR410",
        "./worker.py HR401",
        "./worker.py HR410",
    ]


def test_settings_modules_from_pyproject(flake8_path: Flake8Path) -> None:
    (flake8_path / "pyproject.toml").write_text('[tool.flake8-house-rules]\nsettings-modules = ["*/conf/*"]\n')
    (flake8_path / "conf").mkdir()
    (flake8_path / "conf" / "env.py").write_text(ENV_READ)
    (flake8_path / "worker.py").write_text(ENV_READ)
    result = flake8_path.run_flake8(["--select", "HR401"])
    assert result.out_lines == [
        "./worker.py:5:11: HR401 read configuration from the settings object (`get_settings().<field>`), "
        "not from `os.environ`"
    ]


def test_field_rules_report_at_the_field_line_and_noqa_there_works(flake8_path: Flake8Path) -> None:
    (flake8_path / "models.py").write_text(MODELS)
    result = flake8_path.run_flake8(["--select", "HR4"])
    assert [line.split(" ")[0] + " " + line.split(" ")[1] for line in result.out_lines] == [
        "./models.py:18:5: HR403",
        "./models.py:19:5: HR403",
    ]
    quiet = MODELS.replace("    color: Color\n", "    color: Color  # noqa: HR403\n")
    (flake8_path / "models.py").write_text(quiet)
    assert [line.split(" ")[1] for line in flake8_path.run_flake8(["--select", "HR4"]).out_lines] == ["HR403"]


def test_enum_values_rule_is_opt_in(flake8_path: Flake8Path) -> None:
    (flake8_path / "models.py").write_text(MODELS)
    (flake8_path / "pyproject.toml").write_text('[tool.flake8-house-rules]\nenable = ["HR412"]\n')
    result = flake8_path.run_flake8(["--select", "HR412"])
    assert [line.split(" ")[0] + " " + line.split(" ")[1] for line in result.out_lines] == ["./models.py:14:1: HR412"]


def test_v1_api_only_on_models_the_module_shows(flake8_path: Flake8Path) -> None:
    source = (
        '"""Dumps."""\n\nimport httpx\nfrom pydantic import BaseModel, Field\n\nfrom app.models import Other\n\n\n'
        'class User(BaseModel):\n    """A user."""\n\n    name: str = Field(description="Name")\n\n\n'
        "def dump(user: User, other: Other, response: httpx.Response) -> list[object]:\n"
        '    """Dump them."""\n'
        "    return [user.dict(), other.dict(), response.json()]\n"
    )
    (flake8_path / "dump.py").write_text(source)
    result = flake8_path.run_flake8(["--select", "HR409"])
    assert result.out_lines == [
        "./dump.py:17:13: HR409 use `.model_dump()` (pydantic v2) instead of `.dict()`",
    ]


def test_v1_call_over_several_lines_reports_at_the_method_line(flake8_path: Flake8Path) -> None:
    source = (
        '"""Sync."""\n\nfrom pydantic import BaseModel, Field\n\n\n'
        'class SyncResponse(BaseModel):\n    """A sync."""\n\n    worker_id: str = Field(description="Worker")\n\n\n'
        "def publish(worker_id: str) -> dict[str, str]:\n"
        '    """Publish."""\n'
        "    return SyncResponse(\n"
        "        worker_id=worker_id,\n"
        "    ).dict()  # noqa: HR409\n"
    )
    (flake8_path / "sync.py").write_text(source)
    assert flake8_path.run_flake8(["--select", "HR409"]).out_lines == []
    (flake8_path / "sync.py").write_text(source.replace("  # noqa: HR409", ""))
    assert [line.split(" ")[0] for line in flake8_path.run_flake8(["--select", "HR409"]).out_lines] == [
        "./sync.py:16:6:"
    ]


def test_url_in_a_call_on_a_line_of_its_own_is_reported(flake8_path: Flake8Path) -> None:
    source = (
        '"""Health."""\n\nimport httpx\nimport requests\n\n\n'
        "async def ping(client: httpx.AsyncClient) -> None:\n"
        '    """Ping."""\n'
        '    requests.get("https://api.acme.io/health", timeout=5)\n'
        '    await client.post("https://api.acme.io/ping")\n'
    )
    (flake8_path / "health.py").write_text(source)
    result = flake8_path.run_flake8(["--select", "HR410", "--hr-enable=HR410"])
    assert [line.split(" ")[0] for line in result.out_lines] == ["./health.py:9:18:", "./health.py:10:23:"]
