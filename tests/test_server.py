"""The language server, driven over stdio by a real LSP client (pytest-lsp): what an editor sees."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

SERVER = ClientServerConfig(server_command=[sys.executable, "-m", "flake8_house_rules.cli", "server"])
OPTIONAL = '"""Doc."""\n\nimport typing\n\nx: typing.Optional[int] = None\n'
PYPROJECT = '[project]\nname = "app"\nrequires-python = ">=3.12"\n\n[tool.flake8-house-rules]\n'

pytestmark = pytest.mark.asyncio


@pytest_lsp.fixture(config=SERVER)
async def client(lsp_client: LanguageClient) -> None:
    """A server started for each test; the test initializes it with the capabilities it needs."""

    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams) -> None:
        lsp_client.registrations = [*getattr(lsp_client, "registrations", []), *params.registrations]

    yield
    if lsp_client.capabilities is not None and lsp_client.error is None:
        await lsp_client.shutdown_session()
    else:  # the test stopped before the session started, or the client failed: still let the server end
        lsp_client.exit(None)


def project(tmp_path: Path, table: str = "", name: str = "app") -> Path:
    """A project folder with a pyproject (its `[tool.flake8-house-rules]` table given) and a package."""
    root = tmp_path / name
    (root / "app").mkdir(parents=True)
    (root / "pyproject.toml").write_text(PYPROJECT + table, encoding="utf-8")
    return root


async def start(
    client: LanguageClient, *folders: Path, spec: str = "visual-studio-code", options: object = None
) -> None:
    """Initialize the session as the named editor, with the given workspace folders."""
    params = types.InitializeParams(
        capabilities=client_capabilities(spec),
        workspace_folders=[types.WorkspaceFolder(uri=f.as_uri(), name=f.name) for f in folders],
        root_uri=folders[0].as_uri() if folders else None,
        initialization_options=options,
    )
    await client.initialize_session(params)


def open_document(client: LanguageClient, path: Path, text: str, version: int = 1) -> str:
    """Open a buffer (the file on disk need not hold the same text) and return its URI."""
    uri = path.as_uri()
    item = types.TextDocumentItem(uri=uri, language_id="python", version=version, text=text)
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=item))
    return uri


async def pushed(client: LanguageClient, uri: str, timeout: float = 10.0) -> list[types.Diagnostic]:
    """The next diagnostics the server publishes for `uri`."""
    client.diagnostics.pop(uri, None)
    deadline = asyncio.get_running_loop().time() + timeout
    while uri not in client.diagnostics:
        if asyncio.get_running_loop().time() > deadline:
            pytest.fail(f"no diagnostics published for {uri}")
        await asyncio.sleep(0.01)
    return list(client.diagnostics[uri])


async def open_and_wait(client: LanguageClient, path: Path, text: str) -> tuple[str, list[types.Diagnostic]]:
    """Open a buffer and wait for its first diagnostics."""
    client.diagnostics.pop(path.as_uri(), None)
    uri = open_document(client, path, text)
    return uri, await pushed_after_open(client, uri)


async def pushed_after_open(client: LanguageClient, uri: str) -> list[types.Diagnostic]:
    """Diagnostics already published (or about to be) for a document just opened."""
    for _ in range(1000):
        if uri in client.diagnostics:
            return list(client.diagnostics[uri])
        await asyncio.sleep(0.01)
    pytest.fail(f"no diagnostics published for {uri}")


def change(client: LanguageClient, uri: str, text: str, version: int) -> None:
    """Replace the whole buffer."""
    params = types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
    )
    client.text_document_did_change(params)


def codes(found: list[types.Diagnostic]) -> list[str]:
    """The codes of diagnostics, in order."""
    return [str(item.code) for item in found]


async def test_diagnostics_on_open_carry_code_source_link_and_range(client: LanguageClient, tmp_path: Path) -> None:
    root = project(tmp_path)
    await start(client, root)
    _, found = await open_and_wait(client, root / "app" / "users.py", OPTIONAL)
    assert codes(found) == ["HR101"]
    item = found[0]
    assert item.source == "house-rules"
    assert item.severity == types.DiagnosticSeverity.Warning
    assert item.code_description is not None
    assert item.code_description.href.endswith("/docs/rules/HR101.md")
    assert (item.range.start.line, item.range.start.character) == (4, 3)
    assert (item.range.end.line, item.range.end.character) == (4, 23)
    assert "X | None" in item.message or "| None" in item.message


async def test_non_ascii_text_does_not_shift_the_range(client: LanguageClient, tmp_path: Path) -> None:
    root = project(tmp_path)
    await start(client, root)
    text = '"""Doc."""\n\nimport typing\n\nnamé: "\U0001d4b3" = 1; x: typing.Optional[int] = None\n'
    _, found = await open_and_wait(client, root / "app" / "users.py", text)
    hr101 = next(item for item in found if item.code == "HR101")
    line = text.splitlines()[4]
    utf16 = len(line[: line.index("typing.")].encode("utf-16-le")) // 2  # U+1D4B3 is two UTF-16 units
    assert hr101.range.start.character == utf16
    assert hr101.range.end.character == utf16 + len("typing.Optional[int]")


async def test_a_change_is_linted_again(client: LanguageClient, tmp_path: Path) -> None:
    root = project(tmp_path)
    await start(client, root)
    uri, found = await open_and_wait(client, root / "app" / "users.py", OPTIONAL)
    assert codes(found) == ["HR101"]
    waiting = asyncio.ensure_future(pushed(client, uri))
    await asyncio.sleep(0)
    change(client, uri, '"""Doc."""\n\nx: int | None = None\n', 2)
    assert await waiting == []


async def test_pulled_diagnostics_for_clients_that_pull(client: LanguageClient, tmp_path: Path) -> None:
    root = project(tmp_path)
    await start(client, root, spec="neovim@v0.10.0")
    uri = open_document(client, root / "app" / "users.py", OPTIONAL)
    report = await client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    assert codes(report.items) == ["HR101"]
    await asyncio.sleep(0.2)
    assert uri not in client.diagnostics  # pulled, so never pushed as well


async def test_disable_for_this_line_adds_a_noqa_that_silences_it(client: LanguageClient, tmp_path: Path) -> None:
    root = project(tmp_path)
    await start(client, root)
    uri, found = await open_and_wait(client, root / "app" / "users.py", OPTIONAL)
    params = types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        range=found[0].range,
        context=types.CodeActionContext(diagnostics=found),
    )
    actions = await client.text_document_code_action_async(params)
    assert actions is not None
    action = next(a for a in actions if isinstance(a, types.CodeAction) and a.title == "Disable HR101 for this line")
    assert action.edit is not None
    edit = action.edit.changes[uri][0]
    lines = OPTIONAL.splitlines(keepends=True)
    assert edit.range.start.line == 4
    new_line = lines[4].rstrip("\n")[: edit.range.start.character] + edit.new_text
    assert new_line == "x: typing.Optional[int] = None  # noqa: HR101"
    lines[4] = new_line + "\n"
    waiting = asyncio.ensure_future(pushed(client, uri))
    await asyncio.sleep(0)
    change(client, uri, "".join(lines), 2)
    assert await waiting == []


async def test_disable_extends_an_existing_noqa(client: LanguageClient, tmp_path: Path) -> None:
    root = project(tmp_path)
    await start(client, root)
    text = OPTIONAL.replace("= None\n", "= None  # noqa: E501\n")
    uri, found = await open_and_wait(client, root / "app" / "users.py", text)
    params = types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        range=found[0].range,
        context=types.CodeActionContext(diagnostics=found),
    )
    actions = await client.text_document_code_action_async(params)
    action = next(a for a in actions if a.title == "Disable HR101 for this line")
    edit = action.edit.changes[uri][0]
    line = text.splitlines()[4]
    first, last = edit.range.start.character, edit.range.end.character
    assert line[:first] + edit.new_text + line[last:] == "x: typing.Optional[int] = None  # noqa: E501, HR101"


async def test_hover_on_a_finding_and_on_a_noqa_code(client: LanguageClient, tmp_path: Path) -> None:
    root = project(tmp_path)
    await start(client, root)
    text = OPTIONAL + "print(1)  # noqa: HR003\n"
    uri, _ = await open_and_wait(client, root / "app" / "users.py", text)
    at_finding = await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(4, 5))
    )
    assert at_finding is not None
    assert "HR101" in at_finding.contents.value
    assert "optional-annotation" in at_finding.contents.value
    column = text.splitlines()[5].index("HR003") + 2
    at_noqa = await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(5, column))
    )
    assert at_noqa is not None
    assert "HR003" in at_noqa.contents.value
    nothing = await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(0, 1))
    )
    assert nothing is None


async def test_a_changed_pyproject_is_read_again(client: LanguageClient, tmp_path: Path) -> None:
    root = project(tmp_path)
    await start(client, root)
    uri, found = await open_and_wait(client, root / "app" / "users.py", OPTIONAL)
    assert codes(found) == ["HR101"]
    (root / "pyproject.toml").write_text(PYPROJECT + 'ignore = ["HR101"]\n', encoding="utf-8")
    waiting = asyncio.ensure_future(pushed(client, uri))
    await asyncio.sleep(0)
    event = types.FileEvent(uri=(root / "pyproject.toml").as_uri(), type=types.FileChangeType.Changed)
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[event]))
    assert await waiting == []


async def test_client_settings_override_the_project(client: LanguageClient, tmp_path: Path) -> None:
    root = project(tmp_path)
    await start(client, root, options={"ignore": ["HR101"]})
    _, found = await open_and_wait(client, root / "app" / "users.py", OPTIONAL)
    assert found == []


async def test_an_unparsable_buffer_gives_one_error_and_the_server_goes_on(
    client: LanguageClient, tmp_path: Path
) -> None:
    root = project(tmp_path)
    await start(client, root)
    uri, found = await open_and_wait(client, root / "app" / "users.py", '"""Doc."""\n\ndef f(:\n')
    assert codes(found) == ["E999"]
    assert found[0].severity == types.DiagnosticSeverity.Error
    assert found[0].range.start.line == 2
    waiting = asyncio.ensure_future(pushed(client, uri))
    await asyncio.sleep(0)
    change(client, uri, OPTIONAL, 2)
    assert codes(await waiting) == ["HR101"]


async def test_each_workspace_folder_under_its_own_configuration(client: LanguageClient, tmp_path: Path) -> None:
    backend = project(tmp_path, name="backend")
    worker = project(tmp_path, 'ignore = ["HR101"]\n', name="worker")
    await start(client, backend, worker)
    _, in_backend = await open_and_wait(client, backend / "app" / "users.py", OPTIONAL)
    _, in_worker = await open_and_wait(client, worker / "app" / "users.py", OPTIONAL)
    assert codes(in_backend) == ["HR101"]
    assert in_worker == []


async def test_a_bad_configuration_is_logged_not_fatal(client: LanguageClient, tmp_path: Path) -> None:
    root = project(tmp_path, 'target-version = "banana"\n')
    await start(client, root)
    _, found = await open_and_wait(client, root / "app" / "users.py", OPTIONAL)
    assert found == []
    for _ in range(100):
        if any("target-version" in m.message for m in client.log_messages):
            break
        await asyncio.sleep(0.01)
    assert any("target-version" in m.message for m in client.log_messages)
