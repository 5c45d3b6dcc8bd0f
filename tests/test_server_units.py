"""The server's column conversion and edits, without a client: units in each position encoding, line edits."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from flake8_house_rules.server.fixing import Snapshot, whole_lines_edit
from flake8_house_rules.server.protocol import Units
from flake8_house_rules.server.server import HouseRulesServer

if TYPE_CHECKING:
    from collections.abc import Iterator

LINE = 'namé = "\U0001d4b3"; x = 1'


def test_an_ascii_line_keeps_its_columns_in_every_encoding() -> None:
    for encoding in (None, "utf-16", "utf-8", "utf-32", types.PositionEncodingKind.Utf8):
        units = Units(encoding)
        assert units.of("x = 1", 4) == 4
        assert units.column("x = 1", 4) == 4


def test_units_before_non_ascii_text() -> None:
    column = LINE.index("x")
    assert Units().of(LINE, column) == column + 1  # U+1D4B3 is two UTF-16 units
    assert Units(types.PositionEncodingKind.Utf16).of(LINE, column) == column + 1
    assert Units(types.PositionEncodingKind.Utf8).of(LINE, column) == len(LINE[:column].encode("utf-8"))
    assert Units(types.PositionEncodingKind.Utf32).of(LINE, column) == column
    for encoding in (None, types.PositionEncodingKind.Utf8, types.PositionEncodingKind.Utf32):
        units = Units(encoding)
        assert units.column(LINE, units.of(LINE, column)) == column
    assert Units().column(LINE, 10_000) == len(LINE)


def test_positions_clamp_to_the_line_or_wrap_to_the_next() -> None:
    lines = ["ab\n", "cd\n"]
    units = Units()
    assert units.position(lines, 1, 9) == types.Position(0, 2)
    assert units.position(lines, 1, 3, wrap=True) == types.Position(1, 0)
    assert units.position(lines, 9, 0) == types.Position(2, 0)  # the end of the text
    assert units.position(["ab\n", "cd"], 9, 0) == types.Position(1, 2)
    assert units.position([], 1, 0) == types.Position(0, 0)


def snapshot(text: str) -> Snapshot:
    normal = text.replace("\r\n", "\n")
    return Snapshot(1, text, normal, normal.splitlines(keepends=True), (), [])


def test_the_fix_all_edit_spans_only_the_lines_that_change() -> None:
    old = "a\nb\nc\nd\n"
    edit = whole_lines_edit(snapshot(old), "a\nB\nC\nd\n", Units())
    assert edit == types.TextEdit(types.Range(types.Position(1, 0), types.Position(3, 0)), "B\nC\n")
    assert whole_lines_edit(snapshot(old), old, Units()) is None


def test_the_fix_all_edit_at_the_end_of_a_text_without_a_final_newline() -> None:
    edit = whole_lines_edit(snapshot("a\nb"), "a\nB", Units())
    assert edit == types.TextEdit(types.Range(types.Position(1, 0), types.Position(1, 1)), "B")
    inserted = whole_lines_edit(snapshot("a\n"), "import x\na\n", Units())
    assert inserted == types.TextEdit(types.Range(types.Position(0, 0), types.Position(0, 0)), "import x\n")


def test_the_fix_all_edit_keeps_crlf() -> None:
    edit = whole_lines_edit(snapshot("a\r\nb\r\n"), "a\nB\n", Units())
    assert edit is not None
    assert edit.new_text == "B\r\n"


def test_handled_notifications_leave_no_futures_behind() -> None:
    """pygls files a future per notification a generator handler runs; the server's protocol lets them go."""
    server = HouseRulesServer()
    seen: list[object] = []

    @server.feature("house-rules/ping")
    def ping(params: object) -> Iterator[None]:  # a generator, as pygls' own didOpen/didChange handlers are
        seen.append(params)
        yield from ()

    for number in range(50):
        server.protocol._handle_notification("house-rules/ping", number)
    assert seen == list(range(50))
    assert server.protocol._request_futures == {}
