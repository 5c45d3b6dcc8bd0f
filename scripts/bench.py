"""Benchmark the pack beside flake8-bugbear on real code, and count and sample what each rule reports.

Usage: `uv run python scripts/bench.py DIR [DIR ...] [--repeat N (default 3)] [--show CODE] [--sample N] [--seed S]`

Files are read and parsed first (flake8 does that, not the plugins); then, in the same run and on the same
parsed trees, three things are timed: the pack with every rule enabled (`hr-enable = HR`, opt-in rules
too), flake8-bugbear's checker (a dev dependency) run as flake8 runs it, and a bare `ast.walk`. Results are
milliseconds per 1,000 lines and the pack/bugbear ratio (the product's budget is 0.40). The best of
`--repeat` runs counts. The pack's figure includes building the project model's module summaries (every run
starts from none, with the on-disk summary cache off), which is also given as a figure of its own. An
exception in any rule is counted and printed: the run is strict.

The parsed trees of the whole corpus stay in memory for the run (millions of objects), which flake8 never
does: it holds one file's tree at a time. So that the garbage collector's full passes over that resident
corpus do not bill whichever checker happens to allocate when they trigger, the loaded trees are moved to
the collector's permanent generation (`gc.freeze()`) before anything is timed, for all three figures alike.

`--show CODE` prints a seeded random sample of that code's reports, each with two lines of context either
side, for reading whether the hits are true.

`--patterns FILE` adds the project pattern rules (HR9xx) of a TOML or YAML pattern file to the pack, and
reports their own cost per 1,000 lines: an engine with only the pattern rules, less an engine with no rules
(both build the module context, which the pattern rules do not need), in CPU time beside the built-in pack's,
and how many files ast-grep parsed.
"""

from __future__ import annotations

import argparse
import ast
import collections
import gc
import os
import random
import sys
import time
import warnings
from pathlib import Path

from flake8_house_rules.config import Config, build_config
from flake8_house_rules.context import project
from flake8_house_rules.engine import Engine
from flake8_house_rules.paths import normalise_path
from flake8_house_rules.patterns import all_rules, pattern_rules
from flake8_house_rules.rule import Violation, load_rules

BUDGET = 0.40
Module = tuple[str, list[str], ast.AST]


def load(paths: list[str]) -> list[Module]:
    """Every parseable `.py` file under the paths, as `(name, lines, tree)`; says how many were skipped."""
    modules = []
    skipped = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for root in paths:
            for path in sorted(Path(root).rglob("*.py")):
                try:
                    source = path.read_bytes().decode("utf-8")
                    tree = ast.parse(source)
                except (SyntaxError, UnicodeDecodeError, ValueError, RecursionError, MemoryError):
                    skipped += 1  # flake8 would report these itself (E999); no plugin sees them
                    continue
                modules.append((str(path), source.splitlines(keepends=True), tree))
    if skipped:
        sys.stdout.write(f"{skipped} files skipped: not UTF-8 or not parseable\n")
    return modules


def time_bugbear(modules: list[Module]) -> float | None:
    """Seconds flake8-bugbear's checker takes over the trees, as flake8 calls it; `None` if not installed."""
    try:
        from bugbear import BugBearChecker  # noqa: PLC0415 - optional, for the side-by-side figure
    except ImportError:
        return None
    start = time.perf_counter()
    for name, lines, tree in modules:
        try:
            for _ in BugBearChecker(tree=tree, filename=name, lines=lines).run():
                pass
        except Exception as exc:  # a bugbear failure on one file must not stop the benchmark: say so, go on
            sys.stdout.write(f"flake8-bugbear failed on {name}: {type(exc).__name__}: {exc}\n")
    return time.perf_counter() - start


def time_walk(modules: list[Module]) -> float:
    """Seconds a bare `ast.walk` takes over the trees."""
    start = time.perf_counter()
    for _, _, tree in modules:
        for _node in ast.walk(tree):
            pass
    return time.perf_counter() - start


def run_pack(engine: Engine, modules: list[Module]) -> tuple[float, list[tuple[str, Violation]], int]:
    """Seconds the pack takes, what it reports, and how many files crashed."""
    found: list[tuple[str, Violation]] = []
    crashes = 0
    start = time.perf_counter()
    for name, lines, tree in modules:
        try:
            violations = engine.lint(tree, lines, name)
        except Exception as exc:  # counted and printed: the run reports every crash
            crashes += 1
            sys.stdout.write(f"CRASH {name}: {type(exc).__name__}: {exc}\n")
            continue
        found.extend((name, violation) for violation in violations)
    return time.perf_counter() - start, found, crashes


def show(found: list[tuple[str, Violation]], code: str, sample: int, seed: int) -> None:
    """Print a seeded sample of one code's reports with two lines of context either side."""
    hits = [(name, v) for name, v in found if v.code == code]
    sys.stdout.write(f"\n{code}: {len(hits)} hits, showing {min(sample, len(hits))} (seed {seed})\n")
    for name, violation in random.Random(seed).sample(hits, min(sample, len(hits))):
        lines = Path(name).read_text(encoding="utf-8").splitlines()
        sys.stdout.write(f"\n{name}:{violation.line}:{violation.col + 1}: {violation.text}\n")
        for number in range(max(1, violation.line - 2), min(len(lines), violation.line + 2) + 1):
            mark = ">" if number == violation.line else " "
            sys.stdout.write(f"  {mark}{number:6d} | {lines[number - 1][:150]}\n")


def main() -> int:
    """Run the benchmark and print timings, crashes and per-code counts."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each checker; the best counts (default 3)")
    parser.add_argument("--show", action="append", default=[], help="print a sample of this code's reports")
    parser.add_argument("--sample", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-bugbear", action="store_true", help="skip the flake8-bugbear figure")
    parser.add_argument("--patterns", help="a TOML or YAML file of pattern rules (HR9xx) to add and measure")
    args = parser.parse_args()

    os.environ["HOUSE_RULES_SUMMARY_CACHE"] = "off"  # noqa: HR401 - summaries are built within the timed runs
    modules = load(args.paths)
    gc.collect()
    gc.freeze()  # the resident corpus is not what any checker allocates: see the module docstring
    total_lines = sum(len(lines) for _, lines, _ in modules)
    values = {"hr-enable": "HR", "hr-pattern-file": str(Path(args.patterns).resolve()) if args.patterns else None}
    config = build_config(values, frozenset(load_rules()), cwd=str(Path.cwd()))
    rules = all_rules(config)
    engine = Engine(config, rules.values(), strict=True)

    pack = bugbear = walk = float("inf")
    found: list[tuple[str, Violation]] = []
    crashes = 0
    summaries = offered = float("inf")
    for _ in range(max(1, args.repeat)):
        project.reset()  # every run builds the project model's summaries afresh (the on-disk cache is off)
        project.BUILD_STATS.update(modules=0, scanned=0, seconds=0.0, offered=0.0)
        seconds, found, crashes = run_pack(engine, modules)
        summaries = min(summaries, project.BUILD_STATS["seconds"])
        offered = min(offered, project.BUILD_STATS["offered"])
        pack = min(pack, seconds)
        if not args.no_bugbear:
            bugbear = min(bugbear, time_bugbear(modules) or float("inf"))
        walk = min(walk, time_walk(modules))

    per_k = 1000 / max(total_lines, 1) * 1000
    sys.stdout.write(f"{len(modules)} files, {total_lines} lines, {len(engine.rules)} rules, {crashes} crashes\n")
    sys.stdout.write(f"pack:           {pack * per_k:6.2f} ms per 1,000 lines\n")
    built, scanned = project.BUILD_STATS["modules"], project.BUILD_STATS["scanned"]
    sys.stdout.write(
        f"  of which summaries: {summaries * per_k:6.2f} ms per 1,000 lines "
        f"({built} modules parsed, {scanned} judged from their text)\n"
    )
    sys.stdout.write(f"  and linted modules' own summaries: {offered * per_k:6.2f} ms per 1,000 lines\n")
    if bugbear != float("inf"):
        ratio = pack / bugbear
        verdict = "within" if ratio <= BUDGET else "OVER"
        sys.stdout.write(f"flake8-bugbear: {bugbear * per_k:6.2f} ms per 1,000 lines\n")
        sys.stdout.write(f"ratio pack/bugbear: {ratio:.2f} ({verdict} the {BUDGET:.2f} budget)\n")
    sys.stdout.write(f"bare ast.walk:  {walk * per_k:6.2f} ms per 1,000 lines\n")
    counts = collections.Counter(violation.code for _, violation in found)
    for code, count in sorted(counts.items()):
        sys.stdout.write(f"  {code} {rules[code].name}: {count}\n")
    if config.patterns:
        time_patterns(config, modules, max(1, args.repeat), per_k)
    for code in args.show:
        show(found, code, args.sample, args.seed)
    return 1 if crashes else 0


def time_patterns(config: Config, modules: list[Module], repeat: int, per_k: float) -> None:
    """Print the pattern rules' own cost: an engine with only them, less an engine with no rule at all.

    Measured in CPU time of this process (best of `repeat`), which other processes on a busy machine disturb
    far less than wall time; the built-in pack is measured the same way, for scale.
    """
    patterns = pattern_rules(config)
    builtin = [rule for code, rule in all_rules(config).items() if code not in patterns]
    engines = {
        "patterns": Engine(config, patterns.values(), strict=True),
        "bare": Engine(config, (), strict=True),
        "builtin": Engine(config, builtin, strict=True),
    }
    best = dict.fromkeys(engines, float("inf"))
    for _ in range(repeat):
        for key, engine in engines.items():
            start = time.process_time()
            for name, lines, tree in modules:
                engine.lint(tree, lines, name)
            best[key] = min(best[key], time.process_time() - start)
    parsed = 0
    for name, lines, _ in modules:
        path, source = normalise_path(name, config.cwd), "".join(lines)
        parsed += any(rule.spec.applies_to_path(path) and rule.may_match(source) for rule in patterns.values())
    cost, pack = (best["patterns"] - best["bare"]) * per_k, best["builtin"] * per_k
    sys.stdout.write(
        f"pattern rules:  {cost:6.2f} ms per 1,000 lines for {len(patterns)} rules, CPU time "
        f"(built-in pack: {pack:.2f} ms); ast-grep parsed {parsed} of {len(modules)} files\n"
    )


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
