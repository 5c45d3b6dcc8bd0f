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
from pygls.protocol import LanguageServerProtocol
from pygls.uris import to_fs_path

from flake8_house_rules import __version__
from flake8_house_rules.cli.results import PROBLEM_NAMES, split_lines
from flake8_house_rules.config import ConfigError
from flake8_house_rules.server.fixing import (
    NOTHING,
    Snapshot,
    fix_all,
    has_allowed_fix,
    quick_fixes,
    whole_lines_edit,
)
from flake8_house_rules.server.linting import ClientSettings, Linters, Outcome
from flake8_house_rules.server.protocol import (
    SOURCE,
    Converted,
    Units,
    hover_text,
    noqa_code_at,
    noqa_edit,
)

if TYPE_CHECKING:
    from pygls.workspace import TextDocument

#: How long after the last keystroke a changed buffer is linted again.
DEBOUNCE_SECONDS = 0.025
#: The files whose change may change a document's configuration.
CONFIG_FILES = ("pyproject.toml", "setup.cfg", "tox.ini", ".flake8")
DISABLE_KIND = types.CodeActionKind.QuickFix
#: The kind of the whole-document fix (a client asking for plain `source.fixAll` gets that kind).
FIX_ALL_KIND = f"{types.CodeActionKind.SourceFixAll.value}.{SOURCE}"
#: The command that applies the whole-document fix (`workspace/executeCommand`, arguments `[uri]`).
APPLY_AUTOFIX = "house-rules.applyAutofix"


class HouseRulesProtocol(LanguageServerProtocol):
    """pygls' protocol, without keeping a finished future for every notification.

    pygls 2.1 files the future of each notification it hands a generator, coroutine or thread handler (its
    own `didOpen`/`didChange`/`didSave` handlers are generators) under a fresh id in `_request_futures`; only
    answered requests are ever taken out. Over a session that is a future (with its lock and condition) per
    keystroke: about 0.7 KiB each, unbounded. Finished ones go once the notification is handled; a request in
    flight (not done) and an outgoing request waiting for its answer stay.
    """

    def _handle_notification(self, method_name: str, params: object) -> None:
        super()._handle_notification(method_name, params)
        futures = self._request_futures
        for key in [key for key, future in futures.items() if future.done()]:
            del futures[key]


class HouseRulesServer(LanguageServer):
    """The language server: one `Linters` for the session, the latest diagnostics of each open document."""

    def __init__(self) -> None:
        super().__init__(
            "house-rules",
            __version__,
            text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
            protocol_cls=HouseRulesProtocol,
        )
        self.linters = Linters()
        self.latest: dict[str, Snapshot] = {}
        self.converted: dict[str, Converted] = {}
        self.pending: dict[str, asyncio.TimerHandle] = {}
        self.pull = False

    @property
    def units(self) -> Units:
        """Columns in the position encoding agreed with the client."""
        encoding = self.workspace.position_encoding
        units = getattr(self, "_units", None)
        if units is None or units.name != encoding:
            units = self._units = Units(encoding)
        return units

    def document_path(self, uri: str) -> str | None:
        """The absolute file-system path of a document, or `None` for one that is not a file."""
        path = to_fs_path(uri)
        return os.path.abspath(path) if path else None

    def snapshot(self, document: TextDocument) -> Snapshot | None:
        """The document's lint at its current version: kept from the last lint when the text is the same."""
        kept = self.latest.get(document.uri)
        source = document.source
        if kept is not None and kept.version == document.version and kept.source == source:
            return kept
        path = self.document_path(document.uri)
        if path is None:
            return None
        outcome: Outcome = self.linters.lint(path, source)
        text = source.replace("\r\n", "\n").replace("\r", "\n") if "\r" in source else source
        lines = split_lines(text)
        units = self.units
        converted = self.converted.get(document.uri)
        if converted is None:
            converted = self.converted[document.uri] = Converted()
        found = converted.convert(outcome.diagnostics, lines, units)
        for problem in outcome.problems:
            self.window_log_message(types.LogMessageParams(type=types.MessageType.Warning, message=problem))
        kept = Snapshot(document.version, source, text, lines, outcome.diagnostics, found)
        self.latest[document.uri] = kept
        gc.collect(0)  # a module's records are garbage as a whole once it is linted
        return kept

    def diagnose(self, document: TextDocument) -> list[types.Diagnostic]:
        """Lint a document's buffer (unless its version was linted already); its diagnostics."""
        kept = self.snapshot(document)
        return [] if kept is None else kept.diagnostics

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
        self.latest.clear()  # each document's findings were under the old configuration
        self.converted.clear()
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
    server.converted.pop(uri, None)
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


def _wants(only: list[str] | None, kind: str) -> bool:
    """Whether a request's `only` kinds take actions of `kind` (a kind takes its sub-kinds: `source` takes all)."""
    return only is None or any(kind == asked or kind.startswith(asked + ".") for asked in only)


def _can_resolve(server: HouseRulesServer) -> bool:
    text_document = server.client_capabilities.text_document
    action = text_document.code_action if text_document else None
    support = action.resolve_support if action else None
    return bool(support and "edit" in support.properties)


@SERVER.feature(
    types.TEXT_DOCUMENT_CODE_ACTION,
    types.CodeActionOptions(
        code_action_kinds=[types.CodeActionKind.QuickFix, types.CodeActionKind.SourceFixAll, FIX_ALL_KIND],
        resolve_provider=True,
    ),
)
def code_action(server: HouseRulesServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    """For the pack's findings in the range: each one's fix and "Disable HRxxx for this line"; and fix-all."""
    uri = params.text_document.uri
    document = server.workspace.get_text_document(uri)
    snapshot = server.snapshot(document)
    path = server.document_path(uri)
    if snapshot is None or path is None:
        return []
    linter = server.linters.linter_for(path)
    if isinstance(linter, ConfigError):
        return []
    only = [str(getattr(kind, "value", kind)) for kind in params.context.only] if params.context.only else None
    actions: list[types.CodeAction] = []
    units = server.units
    if _wants(only, types.CodeActionKind.QuickFix.value):
        asked = [d for d in params.context.diagnostics if d.source == SOURCE and d.code]
        if not asked:
            asked = [d for d in snapshot.diagnostics if d.code and _in_range(d, params.range)]
        actions.extend(quick_fixes(snapshot, asked, linter, path, uri, units))
        actions.extend(_disable_actions(snapshot, asked, uri, units))
    fix_all_kind = (
        types.CodeActionKind.SourceFixAll.value if only == [types.CodeActionKind.SourceFixAll.value] else FIX_ALL_KIND
    )
    if _wants(only, fix_all_kind) and has_allowed_fix(snapshot, linter):
        title = "Fix all house-rules problems"
        automatic = params.context.trigger_kind != types.CodeActionTriggerKind.Invoked and only is None
        if automatic and _can_resolve(server):  # asked at every cursor move: worked out when chosen
            data = {"uri": uri, "version": document.version}
            actions.append(types.CodeAction(title=title, kind=fix_all_kind, data=data))
        else:
            change = _fix_all_edit(server, uri)
            if change is not None:
                actions.append(types.CodeAction(title=title, kind=fix_all_kind, edit=change))
    return actions


def _disable_actions(
    snapshot: Snapshot, asked: list[types.Diagnostic], uri: str, units: Units
) -> list[types.CodeAction]:
    """Each "Disable HRxxx for this line": the code added to the line's `# noqa` (or a new one)."""
    actions: list[types.CodeAction] = []
    done: set[tuple[str, int]] = set()
    lines = snapshot.lines
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
        text = lines[row - 1]
        edit.range = types.Range(
            types.Position(edit.range.start.line, units.of(text, edit.range.start.character)),
            types.Position(edit.range.end.line, units.of(text, edit.range.end.character)),
        )
        change = types.WorkspaceEdit(changes={uri: [edit]})
        title = f"Disable {code} for this line"
        actions.append(types.CodeAction(title=title, kind=DISABLE_KIND, diagnostics=[found], edit=change))
    return actions


def _fix_all_edit(server: HouseRulesServer, uri: str) -> types.WorkspaceEdit | None:
    """The whole-document fix of a document's current version as one edit, or `None` when there is none."""
    try:
        document = server.workspace.get_text_document(uri)
    except KeyError:
        return None
    path = server.document_path(uri)
    snapshot = server.snapshot(document)
    if path is None or snapshot is None or "\r" in snapshot.source.replace("\r\n", ""):
        return None  # mixed line ends: the command does not fix them either
    linter = server.linters.linter_for(path)
    if isinstance(linter, ConfigError):
        return None
    fixed, error = fix_all(snapshot, linter, path)
    if error is not None:
        message = f"house-rules: {os.path.basename(path)}: {error}; nothing is fixed"
        server.window_log_message(types.LogMessageParams(type=types.MessageType.Warning, message=message))
    if fixed == NOTHING:
        return None
    edit = whole_lines_edit(snapshot, fixed, server.units)
    if edit is None:
        return None
    identifier = types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=document.version)
    return types.WorkspaceEdit(document_changes=[types.TextDocumentEdit(text_document=identifier, edits=[edit])])


@SERVER.feature(types.CODE_ACTION_RESOLVE)
def code_action_resolve(server: HouseRulesServer, action: types.CodeAction) -> types.CodeAction:
    """Work out the edit of a fix-all offered without one (the document must not have changed since)."""
    data = action.data if isinstance(action.data, dict) else {}
    uri = data.get("uri")
    if isinstance(uri, str) and action.edit is None:
        try:
            version = server.workspace.get_text_document(uri).version
        except KeyError:
            version = None
        if version == data.get("version"):
            action.edit = _fix_all_edit(server, uri) or types.WorkspaceEdit(changes={uri: []})
    return action


@SERVER.command(APPLY_AUTOFIX)
async def apply_autofix(ls: HouseRulesServer, *arguments: object) -> None:
    """`house-rules.applyAutofix` with documents' URIs (or `{"uri": ...}`): each one's fix-all, sent to the client."""
    for argument in arguments:
        uri = argument.get("uri") if isinstance(argument, dict) else argument
        if not isinstance(uri, str):
            continue
        change = _fix_all_edit(ls, uri)
        if change is not None:
            params = types.ApplyWorkspaceEditParams(edit=change, label="house-rules: fix all")
            await ls.workspace_apply_edit_async(params)


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
        line = lines[at.line].rstrip("\r\n")
        code = noqa_code_at(line, server.units.column(line, at.character))
    kept = server.latest.get(uri)
    if code is None and kept is not None:
        for found in kept.diagnostics:
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
