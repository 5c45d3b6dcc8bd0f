"""`house-rules server`: the pack as a language server (diagnostics as you type, quick fixes, rule docs).

`linting.py` finds each document's project and lints its buffer with the command's `Linter` (one engine per
project); `protocol.py` turns findings into the protocol's terms (positions in the client's encoding,
`# noqa` edits, hover text); `server.py` is the pygls server that wires them to the protocol's messages.
"""

from __future__ import annotations


def main() -> int:
    """Run the language server over standard input and output."""
    from flake8_house_rules.server.server import serve  # noqa: PLC0415 - pygls loads only for the server

    return serve()
