"""The committed docs are what the generator produces from the code."""

from __future__ import annotations

from pathlib import Path

from flake8_house_rules.docs import expected_files

ROOT = Path(__file__).resolve().parent.parent


def test_generated_docs_are_current() -> None:
    stale = []
    for relative, text in expected_files().items():
        path = ROOT / relative
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            stale.append(relative)
    extra = [
        path.name
        for path in (ROOT / "docs" / "rules").glob("HR*.md")
        if f"docs/rules/{path.name}" not in expected_files()
    ]
    assert not stale and not extra, f"stale docs {stale}, extra {extra}: run `uv run python -m flake8_house_rules.docs`"
