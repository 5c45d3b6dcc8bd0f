"""Time `house-rules check` against `flake8 --select HR -j auto` on real code, cold and warm.

Usage: `uv run python scripts/bench_cli.py CORPUS_DIR [CORPUS_DIR ...] [--repeat N]`

Runs, from the folders' common parent (so both tools see the same configuration), the installed commands of
this environment:

- `flake8 --select HR -j auto DIRS` (flake8 runs every installed plugin and keeps the HR reports);
- `house-rules check --no-cache DIRS` (cold, no cache at all);
- `house-rules check` with a fresh, empty cache folder (cold, writing the cache);
- the same again (warm: every file unchanged).

The four run in turn, `--repeat` rounds (so that a busy machine slows them alike), and each counts its best
round; the cold cache run starts from an empty folder every round. It prints
the seconds, the number of violations each reported (they must agree: one engine), and the ratios the
product promises: cold at most a third of flake8, warm at most a tenth of cold. Last, the share of a cold
check that building the project model's module summaries takes (at most 15%): one more cold check, with
an empty cache folder, in a single process (`--jobs 1`, so that the project model's own clock,
`BUILD_STATS`, sees every summary built, judged or taken from a linted module's tree), its summary seconds
over the whole check's seconds. Not a test: timings depend on the machine and its load. The commands run
with Python allowed to write bytecode caches (as an installed package has them), whatever
`PYTHONDONTWRITEBYTECODE` says here, and one round runs untimed first.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
#: Run in a fresh interpreter: one cold check in this process, then the summary seconds and the check's seconds.
SHARE = """
import contextlib, io, sys, time
from flake8_house_rules.cli.app import main
from flake8_house_rules.context import project
start = time.perf_counter()
with contextlib.redirect_stdout(io.StringIO()):
    main(sys.argv[1:])
print(project.BUILD_STATS["seconds"] + project.BUILD_STATS["offered"], time.perf_counter() - start)
"""


def run(command: list[str], cwd: str) -> tuple[float, int]:
    """Seconds the command took, and how many `path:line:col: HR...` lines it printed."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False, env=env)
    elapsed = time.perf_counter() - start
    if result.returncode not in {0, 1}:
        sys.stderr.write(result.stderr)
        msg = f"{command[0]} failed with status {result.returncode}"
        raise SystemExit(msg)
    return elapsed, sum(1 for line in result.stdout.splitlines() if ": HR" in line)


def summary_share(targets: list[str], cwd: str, repeat: int) -> tuple[float, float]:
    """Seconds of summaries and of the whole check in a cold one-process `house-rules check` (best round)."""
    best = (float("inf"), float("inf"))
    for _ in range(repeat):
        cache = tempfile.mkdtemp(prefix="house-rules-share-")
        try:
            command = [sys.executable, "-c", SHARE, "check", "--quiet", "--jobs", "1", "--cache-dir", cache, *targets]
            result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=True)
        finally:
            shutil.rmtree(cache, ignore_errors=True)
        summaries, total = (float(word) for word in result.stdout.split()[-2:])
        best = min(best, (summaries, total), key=lambda pair: pair[1])
    return best


def main() -> int:
    """Run the four timings and print them with their ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dirs", nargs="+", metavar="CORPUS_DIR")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    dirs = [os.path.abspath(path) for path in args.dirs]
    cwd = os.path.commonpath(dirs) if len(dirs) > 1 else os.path.dirname(dirs[0])
    targets = [os.path.relpath(path, cwd) for path in dirs]
    flake8 = [str(BIN / "flake8"), "--select", "HR", "-j", "auto", *targets]
    house = [str(BIN / "house-rules"), "check", "--output-format", "concise", "--quiet", *targets]
    cache = tempfile.mkdtemp(prefix="house-rules-bench-")
    cached = [*house, "--cache-dir", cache]
    commands = {"flake8": flake8, "nocache": [*house, "--no-cache"], "cold": cached, "warm": cached}
    times: dict[str, float] = {}
    counts: dict[str, int] = {}
    try:
        for round_number in range(args.repeat + 1):
            for name, command in commands.items():
                if name == "cold":
                    shutil.rmtree(cache, ignore_errors=True)
                elapsed, counts[name] = run(command, cwd)
                if round_number:  # the first round writes bytecode caches and warms the file system
                    times[name] = min(elapsed, times.get(name, elapsed))
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    flake8_time, nocache_time, cold_time, warm_time = (times[name] for name in commands)
    lines = sum(
        sum(1 for _ in open(os.path.join(folder, name), "rb"))  # noqa: SIM115 - counted and closed at once
        for path in dirs
        for folder, _, names in os.walk(path)
        for name in names
        if name.endswith(".py")
    )
    print(f"corpus: {', '.join(targets)} ({lines:,} lines), cores: {os.cpu_count()}, best of {args.repeat}")
    rows = [
        ("flake8 --select HR -j auto", flake8_time, counts["flake8"]),
        ("house-rules check --no-cache", nocache_time, counts["nocache"]),
        ("house-rules check (cold cache)", cold_time, counts["cold"]),
        ("house-rules check (warm cache)", warm_time, counts["warm"]),
    ]
    for name, seconds, count in rows:
        print(f"  {name:<32} {seconds:8.3f} s  {count:6d} violations")
    print(
        f"cold/flake8: {nocache_time / flake8_time:.3f} (no cache), {cold_time / flake8_time:.3f} (writing the cache)"
        "  [target <= 0.333]"
    )
    print(f"warm/cold:   {warm_time / cold_time:.3f}  [target <= 0.10]")
    summaries, total = summary_share(targets, cwd, args.repeat)
    print(
        f"summaries:   {summaries:.3f} s of a cold one-process check of {total:.3f} s: "
        f"{summaries / total:.1%}  [target <= 15%]"
    )
    if len({count for _, _, count in rows}) != 1:
        print("warning: the runs disagree on the number of violations")
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
