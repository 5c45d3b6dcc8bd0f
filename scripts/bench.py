"""Benchmark the pack on a tree of real code, and count what each rule reports there.

Usage: `uv run python scripts/bench.py DIR [DIR ...] [--repeat N] [--show CODE --sample N]`

Files are read and parsed first (flake8 does that, not the pack); then the timer covers only the pack's work
on the parsed trees, with every rule enabled (`hr-enable = HR`), and, for reference, a bare `ast.walk` over
the same trees. Results are in milliseconds per 1,000 lines, comparable with the reference points in the
README (flake8-bugbear: 16.6 ms). An exception in any rule is counted and printed: the run is strict.
"""

from __future__ import annotations

import argparse
import ast
import collections
import random
import sys
import time
import warnings
from pathlib import Path

from flake8_house_rules.config import build_config
from flake8_house_rules.engine import Engine
from flake8_house_rules.rule import Violation, load_rules


def load(paths: list[str]) -> list[tuple[str, list[str], ast.AST]]:
    """Every parseable `.py` file under the paths, as `(name, lines, tree)`."""
    modules = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for root in paths:
            for path in sorted(Path(root).rglob("*.py")):
                try:
                    source = path.read_bytes().decode("utf-8")
                    tree = ast.parse(source)
                except (SyntaxError, UnicodeDecodeError, ValueError, RecursionError, MemoryError):
                    continue
                modules.append((str(path), source.splitlines(keepends=True), tree))
    return modules


def main() -> int:
    """Run the benchmark and print timings, crashes and per-code counts."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--show", help="print a random sample of this code's reports")
    parser.add_argument("--sample", type=int, default=10)
    args = parser.parse_args()

    modules = load(args.paths)
    total_lines = sum(len(lines) for _, lines, _ in modules)
    rules = load_rules()
    config = build_config({"hr-enable": "HR"}, frozenset(rules), cwd=str(Path.cwd()))
    engine = Engine(config, rules.values(), strict=True)

    best = float("inf")
    counts: collections.Counter[str] = collections.Counter()
    found: list[tuple[str, Violation]] = []
    crashes = 0
    for _ in range(max(1, args.repeat)):
        counts.clear()
        found.clear()
        crashes = 0
        start = time.perf_counter()
        for name, lines, tree in modules:
            try:
                violations = engine.lint(tree, lines, name)
            except Exception as exc:
                crashes += 1
                sys.stdout.write(f"CRASH {name}: {type(exc).__name__}: {exc}\n")
                continue
            for violation in violations:
                counts[violation.code] += 1
                found.append((name, violation))
        best = min(best, time.perf_counter() - start)

    start = time.perf_counter()
    for _, _, tree in modules:
        for _node in ast.walk(tree):
            pass
    walk = time.perf_counter() - start

    per_k = 1000 / max(total_lines, 1) * 1000
    sys.stdout.write(f"{len(modules)} files, {total_lines} lines, {len(engine.rules)} rules, {crashes} crashes\n")
    sys.stdout.write(f"pack: {best * per_k:.2f} ms per 1,000 lines (bare ast.walk: {walk * per_k:.2f} ms)\n")
    for code, count in sorted(counts.items()):
        sys.stdout.write(f"  {code} {rules[code].name}: {count}\n")
    if args.show:
        hits = [(name, v) for name, v in found if v.code == args.show]
        for name, violation in random.Random(0).sample(hits, min(args.sample, len(hits))):
            line = Path(name).read_text(encoding="utf-8").splitlines()[violation.line - 1].strip()
            sys.stdout.write(f"{name}:{violation.line}: {violation.message}\n    {line[:140]}\n")
    return 1 if crashes else 0


if __name__ == "__main__":
    raise SystemExit(main())
