"""Measure the language server over the real protocol: diagnostics latency after an edit, and memory over edits.

Usage: `uv run python scripts/lsp_bench.py [FILE] [--edits 20] [--soak 1000]`

Starts `house-rules server` as an editor does (stdio), opens a buffer (FILE, or a generated module of about
4,000 lines with findings on many lines), then edits it `--edits` times, one at a time, and for each edit
measures the time from sending `textDocument/didChange` to receiving the `textDocument/publishDiagnostics`
for that version (the server's debounce included): the message read and its JSON parsed, as an editor
receives it, and (second figure) after pygls has also built its Python objects, which is this client's own
cost. Prints the medians and the spread. Then sends `--soak` edits, waiting for each one's diagnostics, and
prints the server's resident memory (RSS) at the start and after each quarter of them.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient

BLOCK = '''

class Store{n}:
    """A store."""

    def get_one(self, item_id: int, name: typing.Optional[str] = None) -> dict[str, int]:
        """One item."""
        if item_id > 10:
            print("big", item_id)
        return {{"id": item_id}}

    async def save(self, payload: "Payload") -> None:
        """Save it."""
        try:
            await self.session.flush()
        except Exception:
            pass
'''


def generated(lines: int) -> str:
    """A module of about `lines` lines with a few findings every twenty lines."""
    parts = ['"""A generated module."""\n\nimport typing\n']
    n = 0
    while sum(part.count("\n") for part in parts) < lines:
        parts.append(BLOCK.format(n=n))
        n += 1
    return "".join(parts)


def rss_kib(pid: int) -> int:
    """The resident memory of a process, in KiB (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def project() -> Path:
    """A throw-away project folder with a pyproject table, for the buffer's configuration."""
    folder = Path(tempfile.mkdtemp())
    (folder / "pyproject.toml").write_text('[project]\nname = "bench"\n\n[tool.flake8-house-rules]\n')
    (folder / "app").mkdir()
    return folder


def timed_arrivals(client: LanguageClient) -> dict[int, float]:
    """When each version's diagnostics were read and their JSON parsed, before pygls builds objects of them."""
    received: dict[int, float] = {}
    structure = client.protocol.structure_message

    def on_message(data: dict[str, object]) -> object:
        if data.get("method") == types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS:
            params = data.get("params")
            version = params.get("version") if isinstance(params, dict) else None
            if isinstance(version, int):
                received[version] = time.perf_counter()
        return structure(data)

    client.protocol.structure_message = on_message  # type: ignore[method-assign] - json.loads looks it up per message
    return received


async def bench(folder: Path, text: str, edits: int, soak: int) -> None:
    """Run the measurements and print them."""
    client = LanguageClient("house-rules-bench", "1")
    arrived: dict[int, float] = {}
    received = timed_arrivals(client)
    waiters: dict[int, asyncio.Future[None]] = {}
    counts: dict[str, int] = {}

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def diagnostics(params: types.PublishDiagnosticsParams) -> None:
        if params.version is not None:
            arrived[params.version] = time.perf_counter()
            counts["last"] = len(params.diagnostics)
            waiter = waiters.pop(params.version, None)
            if waiter is not None and not waiter.done():
                waiter.set_result(None)

    @client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams) -> None:
        return None

    await client.start_io(sys.executable, "-m", "flake8_house_rules.cli", "server")
    uri = (folder / "app" / "stores.py").as_uri()
    capabilities = types.ClientCapabilities(
        text_document=types.TextDocumentClientCapabilities(
            publish_diagnostics=types.PublishDiagnosticsClientCapabilities()
        )
    )
    await client.initialize_async(types.InitializeParams(capabilities=capabilities, root_uri=folder.as_uri()))
    client.initialized(types.InitializedParams())
    loop = asyncio.get_running_loop()

    async def send(version: int, body: str) -> tuple[float, float]:
        waiters[version] = loop.create_future()
        sent = time.perf_counter()
        if version == 1:
            item = types.TextDocumentItem(uri=uri, language_id="python", version=1, text=body)
            client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=item))
        else:
            client.text_document_did_change(
                types.DidChangeTextDocumentParams(
                    text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                    content_changes=[types.TextDocumentContentChangeWholeDocument(text=body)],
                )
            )
        await asyncio.wait_for(waiters[version], timeout=30)
        return received.get(version, arrived[version]) - sent, arrived[version] - sent

    first, _ = await send(1, text)
    latencies, built = [], []
    version = 1
    for index in range(edits):
        version += 1
        at, objects = await send(version, text + f"\nvalue_{index} = {index}\n")
        latencies.append(at)
        built.append(objects)
    server = client._server  # the subprocess pygls started, for its memory
    pid = server.pid if server else 0
    memory = [(0, rss_kib(pid))]
    for index in range(soak):
        version += 1
        await send(version, text + f"\nsoak_{index} = {index}\n")
        if (index + 1) % max(1, soak // 4) == 0 or index + 1 == soak:
            memory.append((index + 1, rss_kib(pid)))
    report(text.count("\n"), counts.get("last", 0), first, latencies, built, memory)
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()


def report(
    lines: int, count: int, first: float, latencies: list[float], built: list[float], memory: list[tuple[int, int]]
) -> None:
    """Print the figures: latency after an edit (median, spread), and memory along the soak."""
    print(f"buffer: {lines} lines, {count} diagnostics; first diagnostics after open: {first * 1000:.0f} ms")
    print(
        f"after an edit ({len(latencies)} edits): median {statistics.median(latencies) * 1000:.0f} ms, "
        f"min {min(latencies) * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms "
        f"(with pygls's objects built too: median {statistics.median(built) * 1000:.0f} ms)"
    )
    if len(memory) > 1:
        shown = ", ".join(f"{done}: {kib / 1024:.1f}" for done, kib in dict(memory).items())
        print(f"server RSS in MiB after N of {memory[-1][0]} edits: {shown}")


def main() -> int:
    """Parse the arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", help="a Python file to edit (default: a generated 4,000-line module)")
    parser.add_argument("--edits", type=int, default=20, help="edits timed one by one (default 20)")
    parser.add_argument("--soak", type=int, default=1000, help="edits for the memory figure (default 1000)")
    parser.add_argument("--lines", type=int, default=4000, help="size of the generated module (default 4000)")
    args = parser.parse_args()
    text = Path(args.file).read_text(encoding="utf-8") if args.file else generated(args.lines)
    asyncio.run(bench(project(), text, args.edits, args.soak))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
