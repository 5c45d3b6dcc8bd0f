"""`house-rules` worker processes: they end with the command, however it ends, and are never more than files.

Linux only: the tests read `/proc` for a process's children and state.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="reads /proc")

BODY = "".join(f"def f{i}(x):\n    if x > {i}:\n        print(x)\n    return x * 2\n\n\n" for i in range(150))


def children(pid: int) -> list[int]:
    """The live (not zombie) child processes of `pid`."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(entry))
    return found


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def start(tmp_path: Path, *args: str) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "flake8_house_rules.cli", "check", "--no-cache", *args]
    return subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wait_for(predicate: object, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]  # a callable, typed loosely for the tests
            return True
        time.sleep(0.05)
    return False


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL])
def test_workers_end_with_the_command(tmp_path: Path, sig: signal.Signals) -> None:
    if len(os.sched_getaffinity(0)) < 2:
        pytest.skip("one core: the command starts no workers")
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "many"\n')
    for number in range(600):
        (tmp_path / f"m{number}.py").write_text(BODY)
    process = start(tmp_path, "--jobs", "2", "--output-format", "json")
    workers: list[int] = []
    try:
        assert wait_for(lambda: len(children(process.pid)) >= 2, 30), "no workers started"
        workers = children(process.pid)
        process.send_signal(sig)
        status = process.wait(10)
        assert status == -sig or status == 128 + sig
        assert wait_for(lambda: not any(alive(pid) for pid in workers), 5), "workers outlived the command"
    finally:
        process.kill()
        for pid in {*workers, *children(process.pid)}:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


def test_never_more_workers_than_files(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text("x = 1\n")
    process = start(tmp_path, "--jobs", "1000", "m.py")
    most = 0
    while process.poll() is None:
        most = max(most, len(children(process.pid)))
        time.sleep(0.01)
    assert process.returncode == 1
    assert most <= 1  # one file: checked in the command's own process (a short-lived helper at most)


def test_jobs_below_one_is_refused(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text("x = 1\n")
    for value in ("0", "-1", "²"):
        result = subprocess.run(
            [sys.executable, "-m", "flake8_house_rules.cli", "check", f"--jobs={value}", "m.py"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 2
        assert "Traceback" not in result.stderr
        assert "--jobs" in result.stderr
        assert "expected a whole number of at least 1" in result.stderr
