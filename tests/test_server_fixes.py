"""The language server's fixes, over stdio with a real client: each code action applied and the result re-checked."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient
from test_server import OPTIONAL, change, client, codes, open_and_wait, project, pushed, start

from flake8_house_rules.cli.results import Diagnostic
from flake8_house_rules.fixes.model import Edit, Fix
from flake8_house_rules.server.fixing import Snapshot, quick_fixes
from flake8_house_rules.server.linting import Linters
from flake8_house_rules.server.protocol import Units

__all__ = ["client"]  # the fixture every test here takes

pytestmark = pytest.mark.asyncio

#: A module with three safe fixes (HR101, HR103, HR110) and findings without one (HR106, HR003).
SEVERAL = '''"""Doc."""

import typing


def total(items: typing.List[int], limit: typing.Optional[int] = None):
    """Sum."""
    return sum(items)


def check(value: "int") -> None:
    """Check."""
    print(value)
'''


def apply_edits(text: str, edits: list[types.TextEdit]) -> str:
    """Apply LSP text edits (UTF-16 positions, lines split at CRLF, CR or LF) as a client does."""
    lines = text.splitlines(keepends=True)
    starts, offset = [], 0
    for line in lines:
        starts.append(offset)
        offset += len(line)
    starts.append(offset)

    def to_offset(position: types.Position) -> int:
        if position.line >= len(lines):
            return len(text)
        line = lines[position.line].rstrip("\r\n")
        units = 0
        for index, char in enumerate(line):
            if units >= position.character:
                return starts[position.line] + index
            units += 2 if ord(char) > 0xFFFF else 1
        return starts[position.line] + len(line)

    spans = sorted(((to_offset(e.range.start), to_offset(e.range.end), e.new_text) for e in edits), reverse=True)
    for begin, end, new_text in spans:
        text = text[:begin] + new_text + text[end:]
    return text


def edits_of(action: types.CodeAction, uri: str) -> list[types.TextEdit]:
    """The text edits of an action's workspace edit for one document (`changes` or `documentChanges`)."""
    assert action.edit is not None
    if action.edit.changes:
        return list(action.edit.changes[uri])
    found = []
    for item in action.edit.document_changes or ():
        assert isinstance(item, types.TextDocumentEdit)
        assert item.text_document.uri == uri
        found.extend(item.edits)
    return found


async def actions_for(
    client: LanguageClient,
    uri: str,
    found: list[types.Diagnostic],
    only: list[str] | None = None,
    area: types.Range | None = None,
) -> list[types.CodeAction]:
    """The code actions the server offers for some diagnostics (or a range), as an editor asks."""
    area = area or (found[0].range if found else types.Range(types.Position(0, 0), types.Position(0, 0)))
    context = types.CodeActionContext(diagnostics=found, only=only, trigger_kind=types.CodeActionTriggerKind.Invoked)
    params = types.CodeActionParams(text_document=types.TextDocumentIdentifier(uri=uri), range=area, context=context)
    result = await client.text_document_code_action_async(params)
    return [item for item in result or () if isinstance(item, types.CodeAction)]


async def recheck(client: LanguageClient, uri: str, text: str, version: int) -> list[types.Diagnostic]:
    """Send the fixed text as the next version and wait for its diagnostics."""
    waiting = asyncio.ensure_future(pushed(client, uri))
    await asyncio.sleep(0)
    change(client, uri, text, version)
    return await waiting


async def test_a_safe_fix_is_a_preferred_quick_fix_that_removes_the_finding(
    client: LanguageClient, tmp_path: Path
) -> None:
    root = project(tmp_path)
    await start(client, root)
    uri, found = await open_and_wait(client, root / "app" / "users.py", OPTIONAL)
    offered = await actions_for(client, uri, found)
    assert [a.kind for a in offered] == ["quickfix", "quickfix", "source.fixAll.house-rules"]
    fixes = [a for a in offered if a.kind == "quickfix" and not a.title.startswith("Disable")]
    assert len(fixes) == 1
    fix = fixes[0]
    assert fix.kind == types.CodeActionKind.QuickFix
    assert fix.is_preferred is True
    assert "(unsafe)" not in fix.title
    assert fix.title.startswith("HR101")
    assert list(fix.diagnostics or ()) == [found[0]]
    fixed = apply_edits(OPTIONAL, edits_of(fix, uri))
    assert fixed == OPTIONAL.replace("typing.Optional[int]", "int | None")
    assert await recheck(client, uri, fixed, 2) == []


async def test_a_quick_fix_after_non_ascii_text_lands_in_utf16_units(client: LanguageClient, tmp_path: Path) -> None:
    root = project(tmp_path)
    await start(client, root)
    text = '"""Doc."""\n\nimport typing\n\nnamé: "\U0001d4b3" = 1; x: typing.Optional[int] = None  # é\n'
    uri, found = await open_and_wait(client, root / "app" / "users.py", text)
    hr101 = [item for item in found if item.code == "HR101"]
    fix = next(a for a in await actions_for(client, uri, hr101) if a.title.startswith("HR101"))
    fixed = apply_edits(text, edits_of(fix, uri))
    assert fixed.splitlines()[4] == 'namé: "\U0001d4b3" = 1; x: int | None = None  # é'
    assert "HR101" not in codes(await recheck(client, uri, fixed, 2))


async def test_an_unsafe_fix_only_when_the_client_allows_it(client: LanguageClient, tmp_path: Path) -> None:
    root = project(tmp_path)
    (root / "app" / "__init__.py").write_text("", encoding="utf-8")
    text = '"""Doc."""\n\nfrom .models import User\n\n__all__ = ["User"]\n'
    await start(client, root, options={"fix-unsafe": True})
    uri, found = await open_and_wait(client, root / "app" / "users.py", text)
    assert codes(found) == ["HR011"]
    fix = next(a for a in await actions_for(client, uri, found) if a.title.startswith("HR011"))
    assert fix.title.endswith("(unsafe)")
    assert not fix.is_preferred
    fixed = apply_edits(text, edits_of(fix, uri))
    assert "from app.models import User\n" in fixed
    assert await recheck(client, uri, fixed, 2) == []


async def test_an_unsafe_fix_is_absent_by_default(client: LanguageClient, tmp_path: Path) -> None:
    root = project(tmp_path)
    (root / "app" / "__init__.py").write_text("", encoding="utf-8")
    text = '"""Doc."""\n\nfrom .models import User\n\n__all__ = ["User"]\n'
    await start(client, root)
    uri, found = await open_and_wait(client, root / "app" / "users.py", text)
    assert codes(found) == ["HR011"]
    titles = [a.title for a in await actions_for(client, uri, found)]
    assert titles == ["Disable HR011 for this line"]  # no quick fix, and no fix-all with nothing safe to fix
    assert await actions_for(client, uri, found, only=["source.fixAll"]) == []


async def test_the_projects_unsafe_fixes_key_allows_them(client: LanguageClient, tmp_path: Path) -> None:
    root = project(tmp_path, "unsafe-fixes = true\n")
    (root / "app" / "__init__.py").write_text("", encoding="utf-8")
    text = '"""Doc."""\n\nfrom .models import User\n\n__all__ = ["User"]\n'
    await start(client, root)
    uri, found = await open_and_wait(client, root / "app" / "users.py", text)
    titles = [a.title for a in await actions_for(client, uri, found)]
    assert any(title.startswith("HR011") and title.endswith("(unsafe)") for title in titles)


def fixed_by_the_command(root: Path, text: str) -> str:
    """What `house-rules check --fix -` prints for the buffer, run in the project."""
    command = [sys.executable, "-m", "flake8_house_rules.cli", "check", "--fix", "--stdin-filename", "app/users.py"]
    done = subprocess.run([*command, "-"], input=text, capture_output=True, text=True, cwd=root, check=False)
    return done.stdout


async def test_fix_all_applies_every_safe_fix_as_the_command_does(client: LanguageClient, tmp_path: Path) -> None:
    root = project(tmp_path)
    await start(client, root)
    uri, found = await open_and_wait(client, root / "app" / "users.py", SEVERAL)
    assert sorted(codes(found)) == ["HR003", "HR101", "HR103", "HR106", "HR110"]
    actions = await actions_for(client, uri, [], only=["source.fixAll.house-rules"])
    assert [a.kind for a in actions] == ["source.fixAll.house-rules"]
    edits = edits_of(actions[0], uri)
    assert len(edits) == 1
    fixed = apply_edits(SEVERAL, edits)
    assert fixed == fixed_by_the_command(root, SEVERAL)
    assert "from __future__ import annotations" in fixed
    assert "list[int]" in fixed
    assert "int | None" in fixed
    assert sorted(codes(await recheck(client, uri, fixed, 2))) == ["HR003", "HR106"]
    plain = await actions_for(client, uri, [], only=["source.fixAll"])
    assert plain == []  # nothing left to fix


async def test_plain_source_fix_all_and_the_source_menu(client: LanguageClient, tmp_path: Path) -> None:
    root = project(tmp_path)
    await start(client, root)
    uri, _ = await open_and_wait(client, root / "app" / "users.py", SEVERAL)
    plain = await actions_for(client, uri, [], only=["source.fixAll"])
    assert [a.kind for a in plain] == ["source.fixAll"]
    menu = await actions_for(client, uri, [], only=["source"])
    assert [a.kind for a in menu] == ["source.fixAll.house-rules"]
    assert await actions_for(client, uri, [], only=["source.organizeImports"]) == []


async def test_fix_all_keeps_the_buffers_crlf_line_ends(client: LanguageClient, tmp_path: Path) -> None:
    root = project(tmp_path)
    await start(client, root)
    text = SEVERAL.replace("\n", "\r\n")
    uri, _ = await open_and_wait(client, root / "app" / "users.py", text)
    actions = await actions_for(client, uri, [], only=["source.fixAll"])
    fixed = apply_edits(text, edits_of(actions[0], uri))
    assert "\n" not in fixed.replace("\r\n", "")
    assert fixed.replace("\r\n", "\n") == fixed_by_the_command(root, SEVERAL)


async def test_unfixable_codes_get_no_fix(client: LanguageClient, tmp_path: Path) -> None:
    root = project(tmp_path, 'unfixable = ["HR103"]\n')
    await start(client, root)
    uri, found = await open_and_wait(client, root / "app" / "users.py", SEVERAL)
    hr103 = [item for item in found if item.code == "HR103"]
    fixes = [a.title for a in await actions_for(client, uri, hr103) if a.kind == "quickfix"]
    assert fixes == ["Disable HR103 for this line"]
    actions = await actions_for(client, uri, [], only=["source.fixAll"])
    fixed = apply_edits(SEVERAL, edits_of(actions[0], uri))
    assert "typing.List[int]" in fixed
    assert "int | None" in fixed
    assert sorted(codes(await recheck(client, uri, fixed, 2))) == ["HR003", "HR103", "HR106"]


async def test_nothing_is_offered_on_an_unparsable_buffer(client: LanguageClient, tmp_path: Path) -> None:
    root = project(tmp_path)
    await start(client, root)
    text = '"""Doc."""\n\nimport typing\n\nx: typing.Optional[int] = None\n\ndef f(:\n'
    uri, found = await open_and_wait(client, root / "app" / "users.py", text)
    assert codes(found) == ["E999"]
    whole = types.Range(types.Position(0, 0), types.Position(7, 0))
    assert await actions_for(client, uri, found, area=whole) == []
    assert await actions_for(client, uri, [], area=whole) == []
    assert await actions_for(client, uri, [], only=["source.fixAll"]) == []


async def test_fix_all_offered_unprompted_is_resolved_when_chosen(client: LanguageClient, tmp_path: Path) -> None:
    root = project(tmp_path)
    await start(client, root)  # VS Code's capabilities: it can resolve an action's edit
    uri, found = await open_and_wait(client, root / "app" / "users.py", SEVERAL)
    context = types.CodeActionContext(diagnostics=[], trigger_kind=types.CodeActionTriggerKind.Automatic)
    params = types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), range=found[0].range, context=context
    )
    offered = await client.text_document_code_action_async(params)
    lazy = next(a for a in offered or () if isinstance(a, types.CodeAction) and a.kind == "source.fixAll.house-rules")
    assert lazy.edit is None
    resolved = await client.code_action_resolve_async(lazy)
    assert apply_edits(SEVERAL, edits_of(resolved, uri)) == fixed_by_the_command(root, SEVERAL)


async def test_the_apply_autofix_command_sends_the_edit(client: LanguageClient, tmp_path: Path) -> None:
    applied: list[types.ApplyWorkspaceEditParams] = []

    @client.feature(types.WORKSPACE_APPLY_EDIT)
    def apply_edit(params: types.ApplyWorkspaceEditParams) -> types.ApplyWorkspaceEditResult:
        applied.append(params)
        return types.ApplyWorkspaceEditResult(applied=True)

    root = project(tmp_path)
    await start(client, root)
    uri, _ = await open_and_wait(client, root / "app" / "users.py", SEVERAL)
    await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="house-rules.applyAutofix", arguments=[{"uri": uri}])
    )
    assert len(applied) == 1
    action = types.CodeAction(title="", edit=applied[0].edit)
    assert apply_edits(SEVERAL, edits_of(action, uri)) == fixed_by_the_command(root, SEVERAL)


async def test_a_fix_whose_result_does_not_parse_is_never_offered(tmp_path: Path) -> None:
    root = project(tmp_path)
    path = str(root / "app" / "users.py")
    text = "x = (1)\n"
    breaking = Fix.safe("Drop the parenthesis", Edit("", (1, 6), (1, 7)))
    found = Diagnostic(1, 4, 1, 7, "HR101", "made up", 1, "", "", breaking.to_data())
    lines = [text]
    units = Units()
    diagnostic = types.Diagnostic(
        range=types.Range(types.Position(0, 4), types.Position(0, 7)), message="made up", code="HR101"
    )
    snapshot = Snapshot(1, text, text, lines, (found,), [diagnostic])
    linter = Linters().linter_for(path)
    assert not isinstance(linter, Exception)
    assert quick_fixes(snapshot, [diagnostic], linter, path, "file:///x", units) == []
    keeping = Fix.safe("Drop the parentheses", Edit("1", (1, 4), (1, 7)))
    snapshot = Snapshot(1, text, text, lines, (found._replace(fix=keeping.to_data()),), [diagnostic])
    assert [a.title for a in quick_fixes(snapshot, [diagnostic], linter, path, "file:///x", units)] == [
        "HR101: Drop the parentheses"
    ]
