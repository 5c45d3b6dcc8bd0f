"""`house-rules` stays linear in a file's size: long lines, and a pattern rule on one long expression.

Each test runs the real command in a fresh interpreter that reports its own CPU time and peak memory, on a
small and a big generated input, and compares them as ratios (not absolute times), with a memory budget.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

LEGACY = (
    '[project]\nname = "demo"\n[tool.flake8-house-rules.patterns.HR901]\nname = "legacy-call"\n'
    'message = "no legacy"\npattern = "legacy_client($$$A)"\n'
)
MEASURE = """
import contextlib, io, json, resource, sys, time
from flake8_house_rules.cli import main

out = io.StringIO()
start = time.process_time()
with contextlib.redirect_stdout(out):
    status = main(sys.argv[1:])
cpu = time.process_time() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
print(json.dumps({"status": status, "cpu": cpu, "peak_kib": peak, "output": len(out.getvalue())}))
"""


def measure(cwd: Path, *args: str) -> dict[str, float]:
    command = [sys.executable, "-c", MEASURE, "check", "--no-cache", *args]
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=True)
    return json.loads(result.stdout.splitlines()[-1])


def test_a_pattern_rule_on_one_long_expression_is_linear(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(LEGACY)
    for n in (250, 2000):  # one line each; 3.11's parser takes up to about 3,000 terms
        (tmp_path / f"one{n}.py").write_text("def f():\n    x = " + "+".join(["legacy_client(1)"] * n) + "\n")
    small = measure(tmp_path, "--select", "HR901", "one250.py")
    big = measure(tmp_path, "--select", "HR901", "one2000.py")
    assert small["status"] == big["status"] == 1
    # 8 times the input: 8 times the output (was 64 times: each match printed the whole line)
    assert big["output"] / small["output"] < 10
    assert big["output"] < 2000 * 400
    # CPU: start-up dominates the small run; quadratic work made the big one 20 times slower or more
    assert big["cpu"] / small["cpu"] < 6
    assert big["peak_kib"] - small["peak_kib"] < 60_000  # was 480 MB for n=2000


def test_many_results_on_one_long_line_stay_small(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "long"\n')
    for n in (1000, 8000):  # one 10 KB and one 80 KB line, a result for each `print(1)`
        (tmp_path / f"long{n}.py").write_text("def f():\n    x = [" + ", ".join(["print(1)"] * n) + "]\n")
    small = measure(tmp_path, "--select", "HR003", "long1000.py")
    big = measure(tmp_path, "--select", "HR003", "long8000.py")
    assert small["status"] == big["status"] == 1
    assert big["output"] / small["output"] < 10  # 8 times the results
    assert big["output"] < 8000 * 600  # a snippet is bounded (ruff prints 2.4 MB here; this was 961 MB)
    assert big["cpu"] / small["cpu"] < 8
    assert big["peak_kib"] < 250_000  # was 1.26 GB (flake8: 67 MB)
    # the cache entry is bounded too: it holds no copy of the line (was 611 MB)
    cached = subprocess.run(
        [sys.executable, "-m", "flake8_house_rules.cli", "check", "-q", "--select", "HR003", "long8000.py"],
        cwd=tmp_path,
        capture_output=True,
        check=False,
    )
    assert cached.returncode == 1
    size = sum(path.stat().st_size for path in (tmp_path / ".house_rules_cache").rglob("*") if path.is_file())
    assert size < 8000 * 150
