"""HR401 direct-environ-access."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from flake8_house_rules.rule import Example, Rule
from flake8_house_rules.rules.hr0xx_hygiene.common import is_demonstration, is_inline_script

if TYPE_CHECKING:
    from flake8_house_rules.context import ModuleContext


#: Variables the operating system sets for every process: where it keeps things, not application configuration.
#: `typing.cast(T, value)`: the value written back, as far as the environment is concerned.
CAST = "typing.cast"
CAST_ARGS = 2
PLATFORM_VARIABLES = frozenset(
    {
        "HOME",
        "HOSTNAME",
        "PATH",
        "PATHEXT",
        "USER",
        "USERNAME",
        "LOGNAME",
        "SHELL",
        "TERM",
        "PWD",
        "LANG",
        "TMPDIR",
        "TEMP",
        "TMP",
        "WINDIR",
        "SYSTEMROOT",
        "SYSTEMDRIVE",
        "COMSPEC",
        "APPDATA",
        "LOCALAPPDATA",
        "PROGRAMDATA",
        "PROGRAMFILES",
        "PROGRAMFILES(X86)",
        "USERPROFILE",
        "HOMEDRIVE",
        "HOMEPATH",
        # where a tool or library keeps its files, which it reads from the environment itself
        "KUBECONFIG",
        "PROMETHEUS_MULTIPROC_DIR",
        "SSL_CERT_FILE",
        "SSL_CERT_DIR",
        "REQUESTS_CA_BUNDLE",
        "CURL_CA_BUNDLE",
        "VIRTUAL_ENV",
        "CONDA_PREFIX",
        # the terminal's and the IDE's conventions (what the console can show), and tools' own locations
        "NO_COLOR",
        "FORCE_COLOR",
        "CLICOLOR",
        "CLICOLOR_FORCE",
        "COLUMNS",
        "LINES",
        "TERM_PROGRAM",
        "PYCHARM_HOSTED",
        "HADOOP_USER_NAME",
        "HADOOP_CONF_DIR",
        "JAVA_HOME",
        "SPARK_HOME",
        # the cloud SDKs' own profile, region and credential-file variables, which boto3 and google-auth read
        "AWS_PROFILE",
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
        "AWS_CONFIG_FILE",
        "AWS_SHARED_CREDENTIALS_FILE",
        "GOOGLE_APPLICATION_CREDENTIALS",
        "GOOGLE_CLOUD_PROJECT",
        "CLOUDSDK_CONFIG",
        # a CI service's facts about the build it runs (GitHub Actions' default variables, Azure's, GitLab's)
        "CI",
        "TF_BUILD",
        "GITLAB_CI",
        *(
            f"GITHUB_{name}"
            for name in [
                "ACTION",
                "ACTIONS",
                "ACTOR",
                "ACTOR_ID",
                "API_URL",
                "BASE_REF",
                "ENV",
                "EVENT_NAME",
                "EVENT_PATH",
                "GRAPHQL_URL",
                "HEAD_REF",
                "JOB",
                "OUTPUT",
                "PATH",
                "REF",
                "REF_NAME",
                "REF_PROTECTED",
                "REF_TYPE",
                "REPOSITORY",
                "REPOSITORY_ID",
                "REPOSITORY_OWNER",
                "RUN_ATTEMPT",
                "RUN_ID",
                "RUN_NUMBER",
                "SERVER_URL",
                "SHA",
                "STEP_SUMMARY",
                "TRIGGERING_ACTOR",
                "WORKFLOW",
                "WORKFLOW_REF",
                "WORKFLOW_SHA",
                "WORKSPACE",
            ]
        ),
        *(f"RUNNER_{name}" for name in ("OS", "ARCH", "NAME", "TEMP", "TOOL_CACHE", "DEBUG")),
    }
)
#: Prefixes a CI service reserves for what it says about the build (the XDG base directories too): GitLab's
#: `CI_COMMIT_SHA`, CircleCI's `CIRCLE_SHA1`, Buildkite's, Travis's, Bitbucket's. Not `GITHUB_`: an
#: application's own `GITHUB_COPILOT_API_BASE` is its configuration (GitHub's own names are listed above).
CI_PREFIXES = ("XDG_", "CI_", "CIRCLE_", "BUILDKITE_", "TRAVIS_", "BITBUCKET_")


class DirectEnvironAccess(Rule):
    """## What it does
    Checks for reads of the environment outside a settings module (`hr-settings-modules`, default
    `*settings.py,*config.py,*/settings/*`) and outside test modules: `os.environ[...]`,
    `os.environ.get(...)` and `os.getenv(...)`, resolved through imports (`from os import environ, getenv`
    too). Writes and deletions (`os.environ["X"] = ...`, `del os.environ["X"]`) are not configuration reads
    and are not reported; nor are other uses of `os.environ` (`"X" in os.environ`, `os.environ.copy()`,
    `os.environ.setdefault(...)`): the catalogue names three read forms and the rule keeps to them.

    Also left alone, for precision:

    - a save-and-restore: a read assigned to a name that the same module writes back to `os.environ[...]`
      (`saved = os.environ.get(key)`, later `os.environ[key] = saved`, also `= cast(str, saved)`): the code
      puts the environment back as it found it, it does not configure itself from it;
    - a copy into another mapping (`child_env[key] = os.environ[key]`, `{k: os.environ.get(k) for k in keys}`,
      or a read bound to a name first, `if value := os.environ.get(var): env[var] = value`): the environment
      handed on to a child process (or saved to be restored), not read for the code's own configuration;
    - a variable whose name (a literal, or a constant holding one, of the module or imported from another
      module of the project: mlflow's `MLFLOW_SERVER_JOB_PARAMS_ENV_VAR = "_MLFLOW_SERVER_JOB_PARAMS"`)
      starts with `_`: by convention
      private to the program, state it hands between its own calls or processes, not a setting;
    - the operating system's own variables, named by a literal (`HOME`, `PATH`, `USERPROFILE`, `APPDATA`,
      `WINDIR`, `SYSTEMROOT`, `TMPDIR`, `XDG_*`, ...), and those where a tool or library keeps its files and
      reads them itself (`KUBECONFIG`, `PROMETHEUS_MULTIPROC_DIR`, `SSL_CERT_FILE`, `REQUESTS_CA_BUNDLE`,
      `VIRTUAL_ENV`, `HADOOP_USER_NAME`, `JAVA_HOME`, the cloud SDKs' `AWS_PROFILE`, `AWS_DEFAULT_REGION`,
      `GOOGLE_APPLICATION_CREDENTIALS`, ...), the terminal's conventions (`NO_COLOR`,
      `FORCE_COLOR`, `CLICOLOR_FORCE`, `COLUMNS`, `PYCHARM_HOSTED`: what the console can show), and a CI
      service's facts about the build (`CI`, `CI_COMMIT_SHA`, `GITHUB_SHA`,
      `BUILDKITE_*`, ...: prefect reads them to describe the version it runs): where the platform keeps
      things, or what it says of itself, is not the application's configuration, no settings class would
      declare them, and a copy in the settings could drift from what the library sees;
    - a read keyed by a parameter of its function (`def get_secret(secret_name): return
      os.getenv(secret_name)`), or by a loop variable over something read from a parameter (prefect's
      templates: `for name in find_placeholders(template): os.environ.get(name)`), or by a name built from
      such a parameter, ending in it (airflow's `os.environ.get(f"{VAR_ENV_PREFIX}_" + key.upper())`, or
      a call on it: `self._env_var_name(section, key)`, also bound once to a local first; not `prefix +
      "CLIENT_ID"`, a fixed variable under a prefix, which a settings class's `env_prefix` declares), unless
      that function
      also writes `os.environ`: a lookup by a name its callers choose (litellm resolves `os.environ/NAME`
      references of its configuration so), whose variables no settings class could declare; which
      variable is read is decided where it is called.

    Demonstrations (a folder or file name from the project's root with `example(s)`, `sample(s)`, `demo(s)`,
    `fake(s)` or `dummy`: dstack's `examples/`), which read the environment as simply as they can and have no
    settings object to read instead, and standalone scripts with PEP 723 inline metadata (`# /// script`),
    which run outside the application, are not checked.

    ## Why is this bad?
    A value read from the environment in the middle of the code is configuration nobody can find, validate
    or document: its name, type and default live in that one call. Style guide 003 (Configuration): "NEVER:
    `os.environ.get()` directly" and "ALWAYS: Use `pydantic-settings` BaseSettings"; 000 (Configuration):
    "Always via Pydantic Settings — never hardcoded".

    ## Example
    ```python
    import os

    def get_client() -> Client:
        return Client(timeout=float(os.getenv("CLIENT_TIMEOUT", "10")))
    ```

    Use instead:
    ```python
    from app.core.settings import get_settings

    def get_client() -> Client:
        return Client(timeout=get_settings().client_timeout)
    ```
    """

    code = "HR401"
    name = "direct-environ-access"
    message = "read configuration from the settings object (`get_settings().<field>`), not from `os.environ`"
    source = "003 Configuration (NEVER list); 000 Configuration"
    options = ("hr-settings-modules", "hr-test-modules")
    valid = (
        Example("import os\n\nDEBUG = os.environ.get('DEBUG', '0') == '1'\n", path="app/core/settings.py"),
        Example("import os\n\nDEBUG = os.getenv('DEBUG')\n", path="app/config.py"),
        Example("import os\n\ndef test_env() -> None:\n    assert os.environ['HOME']\n", path="tests/test_env.py"),
        # httpx's test helpers and mlflow's launchers set variables for child processes
        "import os\n\ndef configure(token: str) -> None:\n    os.environ['API_TOKEN'] = token\n"
        "    del os.environ['OLD_TOKEN']\n    os.environ.update({'A': '1'})\n",
        "import os\n\ndef child_env() -> dict[str, str]:\n    return os.environ.copy()\n",
        "from app import environ\n\nvalue = environ.get('X')\n",
        "import os\n\ndef getenv(name: str) -> str: ...\n\nvalue = getenv('X')\n",
        Example(
            "import os\n\nvalue = os.getenv('X')\n",
            path="app/core/env.py",
            options={"hr-settings-modules": "*/env.py"},
        ),
        # a settings package
        Example(
            "import os\n\ndef profiles_path() -> str:\n    return os.getenv('APP_PROFILES_PATH', '~/.app/p.toml')\n",
            path="app/settings/sources.py",
        ),
        # the platform's own variables; a save-and-restore around a call
        "import os\n\ndef ssh_exe() -> str | None:\n    windir = os.getenv('WINDIR')\n"
        "    return windir and windir + 'ssh.exe'\n\nHOME = os.environ['HOME']\n"
        "CACHE = os.environ.get('XDG_CACHE_HOME', '~/.cache')\n",
        "import os\n\ndef version() -> str | None:\n    return os.getenv('CI_COMMIT_SHA') or os.getenv('GITHUB_SHA')\n",
        # dstack: an example and a standalone script read the environment directly
        Example("import os\n\nAPI_KEY = os.environ['OPENAI_API_KEY']\n", path="examples/misc/spark/words.py"),
        '# /// script\n# dependencies = []\n# ///\nimport os\n\nTOKEN = os.environ.get("GITHUB_TOKEN_FOR_NOTES")\n',
        # feast: the region boto3 would read itself, handed to pyarrow's S3 file system
        "import os\n\ndef region(configured: str | None) -> str:\n"
        "    return configured or os.environ.get('AWS_DEFAULT_REGION', 'us-east-1')\n",
        "import os\n\ndef run_with_env(key: str, value: str, run) -> None:\n"
        "    saved = os.environ.get(key)\n    os.environ[key] = value\n    run()\n"
        "    if saved is None:\n        del os.environ[key]\n    else:\n        os.environ[key] = saved\n",
        "import os\n\ndef child_env(keys: list[str]) -> dict[str, str]:\n    env = {}\n    for key in keys:\n"
        "        env[key] = os.environ[key]\n    return env | {k: os.environ[k] for k in keys}\n",
        # mlflow: variables handed on to a sandbox, saved around an update; its own private state
        "import os\n\nPASSTHROUGH = ('OPENAI_API_KEY', 'HTTPS_PROXY')\n\ndef child_env() -> dict[str, str]:\n"
        "    env: dict[str, str] = {}\n    for var in PASSTHROUGH:\n        if value := os.environ.get(var):\n"
        "            env[var] = rewrite(value) if var == 'URL' else value\n    return env\n\n"
        "def saved(update: dict[str, str]) -> dict[str, str | None]:\n"
        "    return {k: os.environ.get(k) for k in update}\n",
        # litellm's secret manager: a lookup by the name its caller gives; a library's own variable
        # prefect: a save-and-restore through `typing.cast`; names a template's placeholders give
        "import os\nfrom typing import cast\n\ndef run(entry: str, go) -> None:\n"
        "    saved = os.environ.get('APP_ENTRY')\n    try:\n        os.environ['APP_ENTRY'] = entry\n        go()\n"
        "    finally:\n        os.environ['APP_ENTRY'] = cast(str, saved)\n",
        "import os\n\ndef render(template: str) -> list[str]:\n    found = []\n"
        "    for name in placeholders(template):\n        found.append(os.environ.get(name, ''))\n    return found\n",
        # airflow: a secrets backend resolving `AIRFLOW_VAR_<KEY>` for the key its caller asks for
        "import os\n\nPREFIX = 'AIRFLOW_VAR'\n\nclass Backend:\n    def get_variable(self, key: str) -> str | None:\n"
        "        return os.environ.get(f'{PREFIX}_' + key.upper())\n\n"
        "    def option(self, section: str, key: str) -> str | None:\n"
        "        env_var = self._name(section, key)\n        return os.environ.get(env_var)\n",
        "import os\n\ndef get_secret(secret_name: str, default: str | None = None) -> str | None:\n"
        "    return os.getenv(secret_name) or default\n\n"
        "def multiprocess() -> bool:\n    return bool(os.environ.get('PROMETHEUS_MULTIPROC_DIR'))\n",
        "import os\n\n_TMP_DIR_ENV = '_APP_AUTOLOG_TMP_DIR'\n\ndef tempdir() -> str | None:\n"
        "    return os.environ.get(_TMP_DIR_ENV) or os.environ.get('_APP_STATE')\n",
    )
    invalid = (
        "import os\n\ndef timeout() -> float:\n    return float(os.getenv('TIMEOUT', '10'))  # error: HR401\n",
        "import os\n\nPREFIX = 'APP'\n\ndef debug() -> str | None:\n"
        "    return os.environ.get(PREFIX + '_DEBUG')  # error: HR401\n",
        # litellm: fixed variables under a prefix its caller gives, which `env_prefix` declares
        "import os\n\ndef oauth(prefix: str) -> str:\n"
        "    return os.environ.get(prefix + 'CLIENT_ID', '')  # error: HR401\n",
        "import os\n\nURL = os.environ['DATABASE_URL']  # error: HR401\n",
        "from os import environ, getenv\n\nA = environ.get('A')  # error: HR401\nB = getenv('B')  # error: HR401\n",
        "import os as system\n\nKEY = system.environ.get('KEY', '')  # error: HR401\n",
        # a platform-looking name that is the application's, and a read kept, not restored
        "import os\n\nAPP_HOME = os.getenv('APP_HOME')  # error: HR401\n\ndef run(key: str) -> str:\n"
        "    saved = os.environ.get(key)  # error: HR401\n    os.environ[key] = 'x'\n    return saved\n",
        # a read bound to a name that is stored under another key
        "import os\n\ndef env(other: str) -> dict[str, str]:\n    var = 'API_URL'\n"
        "    value = os.environ.get(var)  # error: HR401\n    return {other: value}\n",
        # the class's own list of variables, or the module's filtered: no caller chooses them
        "import os\n\nclass Checks:\n    REQUIRED = ('API_URL', 'AUTH_URL')\n\n    def missing(self) -> list[str]:\n"
        "        return [name for name in self.REQUIRED if not os.environ.get(name)]  # error: HR401\n",
        "import os\n\nNAMES = ('API_URL', 'AUTH_URL')\n\ndef found(verbose: bool) -> list[str]:\n"
        "    return [os.environ.get(name, '') for name in sorted(NAMES, reverse=verbose)]  # error: HR401\n",
        # a `cast` of something else written back is no restore of what was read
        "import os\nfrom typing import cast\n\ndef swap() -> None:\n"
        "    saved = os.environ.get('APP_A')  # error: HR401\n    os.environ['APP_A'] = cast(str, 'x')\n",
        # an application's own variable under a CI service's name
        "import os\n\nBASE = os.getenv('GITHUB_COPILOT_API_BASE')  # error: HR401\n",
        # a loop over the application's own names, not over what a parameter gives
        "import os\n\ndef urls(template: str) -> list[str]:\n    found = []\n"
        "    for name, fallback in (('API_URL', template), ('AUTH_URL', template)):\n"
        "        found.append(os.environ.get(name, fallback))  # error: HR401\n"
        "    return found\n",
    )

    calls = frozenset({"os.getenv", "os.environ.get"})
    references = frozenset({"os.environ"})

    @classmethod
    def applies_to(cls, ctx: ModuleContext) -> bool:
        """Neither settings modules, test modules, demonstrations nor standalone scripts."""
        if {"settings", "test"} & ctx.path_roles:
            return False
        return not is_demonstration(ctx) and not is_inline_script(ctx)

    def start(self) -> None:
        """Per module: the reads seen, and the values written back to `os.environ[...]`."""
        self._reads: list[ast.expr] = []
        self._restored: set[int] = set()
        self._writers: set[ast.AST | None] = set()  # the functions that write `os.environ[...]`
        self._stores: set[tuple[ast.AST | None, str, str]] | None = None

    def visit_call(self, node: ast.Call, name: str) -> None:
        """Note `os.getenv(...)` and `os.environ.get(...)`, unless they name a platform variable."""
        key = node.args[0] if node.args else None
        if not _platform_variable(key) and not self._private(key) and not self._copied(node):
            self._reads.append(node)

    def visit_reference(self, node: ast.Name | ast.Attribute, name: str) -> None:
        """Note `os.environ[...]` when it is read, and the names written back to it."""
        parent = self.ctx.parent(node)
        if not isinstance(parent, ast.Subscript) or parent.value is not node:
            return
        if isinstance(parent.ctx, ast.Load):
            if not _platform_variable(parent.slice) and not self._private(parent.slice) and not self._copied(parent):
                self._reads.append(parent)
            return
        self._writers.add(self.ctx.enclosing_function(parent))
        statement = self.ctx.parent(parent)
        value = statement.value if isinstance(statement, ast.Assign) else None
        if isinstance(value, ast.Call) and len(value.args) == CAST_ARGS and self.ctx.qualname(value.func) == CAST:
            value = value.args[1]  # `os.environ[key] = cast(str, saved)`: still the saved value
        if isinstance(value, ast.Name):
            for binding in self.ctx.lookup(value) or ():
                if binding.value is not None:
                    self._restored.add(id(binding.value))

    def _private(self, key: ast.expr | None) -> bool:
        """Whether the variable's name starts with `_`: a literal, a name bound once to one, or a constant
        imported from another module of the project (`from app.jobs import PARAMS_ENV_VAR`).
        """
        if isinstance(key, ast.Name | ast.Attribute):
            qualname = self.ctx.qualname(key)
            if qualname is not None:
                text = self.ctx.in_project.text(qualname)
                return text is not None and text.startswith("_")
        if isinstance(key, ast.Name):
            bindings = self.ctx.lookup(key) or ()
            key = bindings[0].value if len(bindings) == 1 else None
        return isinstance(key, ast.Constant) and isinstance(key.value, str) and key.value.startswith("_")

    def _copied(self, read: ast.expr) -> bool:
        """`env[key] = os.environ[key]`, `{k: os.environ.get(k) for k in keys}`, `value = os.environ.get(var)`
        then `env[var] = value`: the environment copied into another mapping, not configuration read.
        """
        holder = self.ctx.parent(read)
        if isinstance(holder, ast.DictComp) and holder.value is read:
            return True
        if isinstance(holder, ast.Assign) and holder.value is read:
            if all(isinstance(target, ast.Subscript) for target in holder.targets):
                return True
            names = [target.id for target in holder.targets if isinstance(target, ast.Name)]
        elif isinstance(holder, ast.NamedExpr) and holder.value is read and isinstance(holder.target, ast.Name):
            names = [holder.target.id]
        else:
            return False
        key = read.args[0] if isinstance(read, ast.Call) and read.args else getattr(read, "slice", None)
        if not isinstance(key, ast.Name) or not names:
            return False
        stores = self._subscript_stores()
        function = self.ctx.enclosing_function(read)
        return any((function, key.id, name) in stores for name in names)

    def _subscript_stores(self) -> set[tuple[ast.AST | None, str, str]]:
        """`(function, key, name)` for each `mapping[key] = <expression reading name>` of the module, built once."""
        found = self._stores
        if found is None:
            found = self._stores = set()
            for statement in self.ctx.nodes_of(ast.Assign):
                keys = [
                    target.slice.id
                    for target in statement.targets
                    if isinstance(target, ast.Subscript) and isinstance(target.slice, ast.Name)
                ]
                if not keys:
                    continue
                function = self.ctx.enclosing_function(statement)
                names = [node.id for node in ast.walk(statement.value) if isinstance(node, ast.Name)]
                found.update((function, key, name) for key in keys for name in names)
        return found

    def finish(self) -> None:
        """Report each read that is not only saved to be written back."""
        for node in self._reads:
            if id(node) not in self._restored and not self._looked_up_by_parameter(node):
                self.report(node)
        self._reads = []

    def _looked_up_by_parameter(self, read: ast.expr) -> bool:
        """`os.getenv(name)` with `name` a parameter of a function that never writes `os.environ`, or a
        loop variable over something read from one (`for name in placeholders(template):`).
        """
        key = read.args[0] if isinstance(read, ast.Call) and read.args else getattr(read, "slice", None)
        if isinstance(key, ast.JoinedStr | ast.BinOp | ast.Call):
            if not any(self._from_parameter(name) for name in _key_names(key)):
                return False
            return self.ctx.enclosing_function(read) not in self._writers
        if not isinstance(key, ast.Name):
            return False
        bindings = self.ctx.lookup(key) or ()
        if len(bindings) != 1:
            return False
        if bindings[0].kind != "param" and not self._over_parameter(bindings[0].node) and not self._from_parameter(key):
            return False
        return self.ctx.enclosing_function(read) not in self._writers

    def _from_parameter(self, name: ast.Name) -> bool:
        """Whether a name in a built key is a parameter its callers give, or a local bound once to a value
        built from one (`env_var = self._env_var_name(section, key)`).
        """
        if self._caller_given(name):
            return True
        bindings = self.ctx.lookup(name) or ()
        if len(bindings) != 1 or bindings[0].kind != "assign" or bindings[0].value is None:
            return False
        value = bindings[0].value
        return isinstance(value, ast.JoinedStr | ast.BinOp | ast.Call) and any(
            self._caller_given(part) for part in _key_names(value)
        )

    def _over_parameter(self, target: ast.AST) -> bool:
        """Whether a name is bound by a loop (or comprehension) over what a parameter gives.

        Not over a literal display that merely holds parameters beside the names (litellm's
        `for value, env_var in ((aws_key, "AWS_ACCESS_KEY_ID"), ...)`): those names are the code's own.
        """
        node = self.ctx.parent(target)
        while isinstance(node, ast.Tuple | ast.List | ast.Starred):
            node = self.ctx.parent(node)
        if not isinstance(node, ast.For | ast.AsyncFor | ast.comprehension):
            return False
        source = node.iter
        if isinstance(source, ast.Call):  # `placeholders(template)`, `mapping.items()`
            func = source.func
            source = source.args[0] if source.args else func.value if isinstance(func, ast.Attribute) else None
        elif isinstance(source, ast.Attribute):  # `config.names`
            source = source.value
        return isinstance(source, ast.Name) and self._caller_given(source)

    def _caller_given(self, name: ast.Name) -> bool:
        """Whether a name is a parameter of a `def` that its callers give (not `self`/`cls`, not a lambda's)."""
        bindings = self.ctx.lookup(name) or ()
        if len(bindings) != 1 or bindings[0].kind != "param" or name.id in {"self", "cls"}:
            return False
        return not isinstance(bindings[0].scope.node, ast.Lambda)


def _key_names(key: ast.expr) -> list[ast.Name]:
    """The names the variable part of a built key is made of: its last part, where the name a caller chooses
    goes (`f"{PREFIX}_" + key.upper()`, `(prefix + key).upper()`), or a call's arguments (`build(section,
    key)`). A key ending in a constant (`prefix + "CLIENT_ID"`) has none: a fixed variable under a prefix,
    which a settings class declares with its `env_prefix`.
    """
    node: ast.AST = key
    for _ in range(8):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and not node.args:
            node = node.func.value  # `key.upper()`
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            node = node.right
        elif isinstance(node, ast.JoinedStr) and node.values:
            node = node.values[-1]
        elif isinstance(node, ast.FormattedValue):
            node = node.value
        else:
            break
    if isinstance(node, ast.Name):
        return [node]
    if isinstance(node, ast.Call):
        return [arg for arg in node.args if isinstance(arg, ast.Name)]
    return []


def _platform_variable(key: ast.expr | None) -> bool:
    """Whether a key is a literal naming one of the operating system's variables (`HOME`, `XDG_*`)."""
    if not isinstance(key, ast.Constant) or not isinstance(key.value, str):
        return False
    return key.value.upper() in PLATFORM_VARIABLES or key.value.startswith(CI_PREFIXES)
