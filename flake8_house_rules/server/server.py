"""The `house-rules server` language server, built on pygls: diagnostics as you type, code actions, hover.

- Diagnostics for open documents on open, change (debounced) and save, from the in-memory buffer. A client that
  can pull diagnostics (`textDocument/diagnostic`) gets them when it asks; any other gets them pushed
  (`textDocument/publishDiagnostics`), never both, so an editor shows each finding once.
- Code actions: "Disable HRxxx for this line" adds the code to the line's `# noqa` (or writes one).
- Hover on a finding, or on a code inside `# noqa: ...`, shows the rule's summary and what to write instead.
- Configuration: each document under its own project's `[tool.flake8-house-rules]`; the client's settings
  (`initializationOptions`, or the `house-rules` section of `workspace/didChangeConfiguration`) for `select`,
  `extend-select`, `ignore` and `fix-unsafe` override it; a changed `pyproject.toml` (watched files) is read again.
"""

from __future__ import annotations

import asyncio
import gc
import os
from typing import TYPE_CHECKING

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from flake8_house_rules import __version__
from flake8_house_rules.cli.results import PROBLEM_NAMES
from flake8_house_rules.server.linting import ClientSettings, Linters, Outcome
from flake8_house_rules.server.protocol import (
    SOURCE,
    hover_text,
    noqa_code_at,
    noqa_edit,
    to_diagnostic,
)

if TYPE_CHECKING:
    from pygls.workspace import TextDocument

#: How long after the last keystroke a changed buffer is linted again.
DEBOUNCE_SECONDS = 0.025
#: The files whose change may change a document's configuration.
CONFIG_FILES = ("pyproject.toml", "setup.cfg", "tox.ini", ".flake8")
DISABLE_KIND = types.CodeActionKind.QuickFix


class HouseRulesServer(LanguageServer):
    """The language server: one `Linters` for the session, the latest diagnostics of each open document."""

    def __init__(self) -> None:
        super().__init__("house-rules", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.linters = Linters()
        self.latest: dict[str, list[types.Diagnostic]] = {}
        self.pending: dict[str, asyncio.TimerHandle] = {}
        self.pull = False

    def document_path(self, uri: str) -> str | None:
        """The absolute file-system path of a document, or `None` for one that is not a file."""
        path = to_fs_path(uri)
        return os.path.abspath(path) if path else None

    def diagnose(self, document: TextDocument) -> list[types.Diagnostic]:
        """Lint a document's buffer now and keep the diagnostics for code actions and hover."""
        path = self.document_path(document.uri)
        if path is None:
            return []
        lines = document.lines
        outcome: Outcome = self.linters.lint(path, document.source)
        codec = self.workspace.position_codec
        found = [to_diagnostic(item, lines, codec) for item in outcome.diagnostics]
        for problem in outcome.problems:
            self.window_log_message(types.LogMessageParams(type=types.MessageType.Warning, message=problem))
        self.latest[document.uri] = found
        gc.collect(0)  # a module's records are garbage as a whole once it is linted
        return found

    def publish(self, uri: str) -> None:
        """Lint and push a document's diagnostics (for clients that do not pull them)."""
        self.pending.pop(uri, None)
        try:
            document = self.workspace.get_text_document(uri)
        except KeyError:
            return
        if uri not in self.workspace.text_documents:
            return
        found = self.diagnose(document)
        if not self.pull:
            params = types.PublishDiagnosticsParams(uri=uri, diagnostics=found, version=document.version)
            self.text_document_publish_diagnostics(params)

    def schedule(self, uri: str, delay: float = DEBOUNCE_SECONDS) -> None:
        """Lint a document after `delay` seconds, unless another change comes first."""
        previous = self.pending.pop(uri, None)
        if previous is not None:
            previous.cancel()
        if self.pull:
            return  # the client asks when it wants them
        loop = asyncio.get_running_loop()
        self.pending[uri] = loop.call_later(delay, self.publish, uri)

    def refresh_all(self) -> None:
        """Configuration changed: lint every open document again (or ask a pulling client to ask again)."""
        self.linters.reset()
        if self.pull:
            refresh = self.client_capabilities.workspace
            if refresh and refresh.diagnostics and refresh.diagnostics.refresh_support:
                self.workspace_diagnostic_refresh(None)
            return
        for uri in list(self.workspace.text_documents):
            self.publish(uri)


SERVER = HouseRulesServer()


def _folders(params: types.InitializeParams) -> list[str]:
    uris = [folder.uri for folder in params.workspace_folders or ()]
    if not uris and params.root_uri:
        uris.append(params.root_uri)
    return [path for path in map(to_fs_path, uris) if path]


@SERVER.feature(types.INITIALIZE)
def initialize(server: HouseRulesServer, params: types.InitializeParams) -> None:
    """Read the client's settings and workspace folders; decide between pushed and pulled diagnostics."""
    text_document = params.capabilities.text_document
    server.pull = bool(text_document and text_document.diagnostic)
    server.linters.reset(ClientSettings.from_data(params.initialization_options), _folders(params))


@SERVER.feature(types.INITIALIZED)
def initialized(server: HouseRulesServer, params: types.InitializedParams) -> None:
    """Ask to be told when a configuration file changes, where the client lets servers register for it."""
    workspace = server.client_capabilities.workspace
    watched = workspace.did_change_watched_files if workspace else None
    if watched and watched.dynamic_registration:
        watchers = [types.FileSystemWatcher(glob_pattern=f"**/{name}") for name in CONFIG_FILES]
        registration = types.Registration(
            id="house-rules-config-files",
            method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
            register_options=types.DidChangeWatchedFilesRegistrationOptions(watchers=watchers),
        )
        server.client_register_capability(types.RegistrationParams(registrations=[registration]))


@SERVER.feature(types.TEXT_DOCUMENT_DID_OPEN)
def did_open(server: HouseRulesServer, params: types.DidOpenTextDocumentParams) -> None:
    """A document opened: lint it at once."""
    server.publish(params.text_document.uri)


@SERVER.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def did_change(server: HouseRulesServer, params: types.DidChangeTextDocumentParams) -> None:
    """A document changed: lint it when the typing pauses."""
    server.schedule(params.text_document.uri)


@SERVER.feature(types.TEXT_DOCUMENT_DID_SAVE)
def did_save(server: HouseRulesServer, params: types.DidSaveTextDocumentParams) -> None:
    """A document saved: lint it at once (the rest of the project on disk may have changed too)."""
    name = os.path.basename(server.document_path(params.text_document.uri) or "")
    if name in CONFIG_FILES:
        server.refresh_all()
        return
    server.schedule(params.text_document.uri, delay=0)


@SERVER.feature(types.TEXT_DOCUMENT_DID_CLOSE)
def did_close(server: HouseRulesServer, params: types.DidCloseTextDocumentParams) -> None:
    """A document closed: forget its diagnostics and clear them in the editor."""
    uri = params.text_document.uri
    pending = server.pending.pop(uri, None)
    if pending is not None:
        pending.cancel()
    server.latest.pop(uri, None)
    if not server.pull:
        server.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))


@SERVER.feature(
    types.TEXT_DOCUMENT_DIAGNOSTIC,
    types.DiagnosticOptions(identifier=SOURCE, inter_file_dependencies=True, workspace_diagnostics=False),
)
def diagnostic(server: HouseRulesServer, params: types.DocumentDiagnosticParams) -> types.DocumentDiagnosticReport:
    """A pulling client asks for a document's diagnostics."""
    document = server.workspace.get_text_document(params.text_document.uri)
    return types.RelatedFullDocumentDiagnosticReport(items=server.diagnose(document))


@SERVER.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
def did_change_watched_files(server: HouseRulesServer, params: types.DidChangeWatchedFilesParams) -> None:
    """A configuration file changed on disk: read configurations again and lint open documents again."""
    server.refresh_all()


@SERVER.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
def did_change_configuration(server: HouseRulesServer, params: types.DidChangeConfigurationParams) -> None:
    """The client's settings changed: they override each project's selection from now on."""
    server.linters.reset(ClientSettings.from_data(params.settings))
    server.refresh_all()


@SERVER.feature(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
def did_change_folders(server: HouseRulesServer, params: types.DidChangeWorkspaceFoldersParams) -> None:
    """Workspace folders came or went: documents outside any `pyproject.toml` take their folder as project."""
    folders = {path for path in map(to_fs_path, (f.uri for f in server.workspace.folders.values())) if path}
    server.linters.reset(folders=sorted(folders))
    server.refresh_all()


def _in_range(diagnostic: types.Diagnostic, area: types.Range) -> bool:
    start, end = diagnostic.range.start, diagnostic.range.end
    return (start.line, start.character) <= (area.end.line, area.end.character) and (area.start.line, 0) <= (
        end.line,
        end.character,
    )


@SERVER.feature(
    types.TEXT_DOCUMENT_CODE_ACTION,
    types.CodeActionOptions(code_action_kinds=[DISABLE_KIND], resolve_provider=False),
)
def code_action(server: HouseRulesServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    """For each of the pack's findings in the range: "Disable HRxxx for this line"."""
    uri = params.text_document.uri
    document = server.workspace.get_text_document(uri)
    lines = document.lines
    codec = server.workspace.position_codec
    asked = [d for d in params.context.diagnostics if d.source == SOURCE and d.code]
    if not asked:
        asked = [d for d in server.latest.get(uri, ()) if d.code and _in_range(d, params.range)]
    actions: list[types.CodeAction] = []
    done: set[tuple[str, int]] = set()
    for found in asked:
        code = str(found.code)
        if code in PROBLEM_NAMES:
            continue
        data = found.data if isinstance(found.data, dict) else {}
        row = int(data.get("noqa_row", found.range.start.line + 1))
        if (code, row) in done:
            continue
        done.add((code, row))
        edit = noqa_edit(lines, row, code)
        if edit is None:
            continue
        edit.range = codec.range_to_client_units(list(lines), edit.range)
        change = types.WorkspaceEdit(changes={uri: [edit]})
        title = f"Disable {code} for this line"
        actions.append(types.CodeAction(title=title, kind=DISABLE_KIND, diagnostics=[found], edit=change))
    return actions


@SERVER.feature(types.TEXT_DOCUMENT_HOVER)
def hover(server: HouseRulesServer, params: types.HoverParams) -> types.Hover | None:
    """The rule's summary, on one of its findings or on its code inside a `# noqa: ...` comment."""
    from flake8_house_rules.rule import load_rules  # noqa: PLC0415 - loaded by the first lint already

    uri = params.text_document.uri
    document = server.workspace.get_text_document(uri)
    lines = document.lines
    at = params.position
    code = None
    if at.line < len(lines):
        point = server.workspace.position_codec.position_from_client_units(list(lines), at)
        code = noqa_code_at(lines[at.line], point.character)
    if code is None:
        for found in server.latest.get(uri, ()):
            start, end = found.range.start, found.range.end
            if (start.line, start.character) <= (at.line, at.character) <= (end.line, end.character) and found.code:
                code = str(found.code)
                break
    rule = load_rules().get(code or "")
    if rule is None:
        return None
    return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=hover_text(rule)))


def serve() -> int:
    """Speak the protocol over standard input and output until the client says exit."""
    SERVER.start_io()
    return 0
