"""Crash consistency: the advance and the annual cycle, killed (SIGKILL) at random points
in a process of their own, then run again to the end: `verify` finds nothing, after every
kill and at the end, on SQLite and PostgreSQL. Bounded: seeded delays, three kills each."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

from ipaward.repository.runs import NO_RUN
from ipaward.settings import PROJECT_ROOT
from ipaward.verify import verify
from tasks.advance import advance_numbers, open_application_numbers
from tests.ipaward.cycles.support import FILED, CycleBench, another, m09

KILLS = 3
SEED = 20261130
CHILD = "tests.ipaward.verify.crash_child"


def _killed_run(args: list[str], delay: float) -> bool:
    """Start the child, kill it `delay` s after it is ready; whether the kill interrupted it."""
    child = subprocess.Popen(
        [sys.executable, "-m", CHILD, *args],
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=os.environ.copy(),
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == b"ready"
    time.sleep(delay)
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=60)
    child.stdout.close()
    return child.returncode == -signal.SIGKILL


def _assert_verified(bench: CycleBench, when: str) -> None:
    with bench.transaction() as session:
        report = verify(session)
    assert report.clean, f"{when}: {[p.message for p in report.problems]}"


def test_killed_advance_and_cycle_leave_records_that_verify(bench: CycleBench) -> None:
    rng = random.Random(SEED)
    numbers = [bench.submit(another(m09(f"K{i}-", 2), i), on=FILED) for i in range(6)]
    interrupted = 0
    for kill in range(KILLS):
        interrupted += _killed_run(["advance", FILED.isoformat()], rng.uniform(0.05, 1.0))
        _assert_verified(bench, f"advance, kill {kill + 1}")
    reports = advance_numbers(open_application_numbers.fn(), FILED, NO_RUN)
    assert not [r for r in reports if r.get("error")]
    assert {bench.application(n).state for n in numbers} == {"awaiting_cycle"}

    _, day = bench.drive_list("M09", stop=lambda r: r["stage"] == "finance")
    bench.approve_list("M09")
    for kill in range(KILLS):
        interrupted += _killed_run(["cycle", day.isoformat(), "M09"], rng.uniform(0.05, 1.5))
        _assert_verified(bench, f"cycle, kill {kill + 1}")
    report = bench.settle("M09", on=day)
    assert report["state"] == "done" and report["lines"] == {"paid": 6}, report
    for number in numbers:
        assert len(bench.ledger(number)) == 1
        assert bench.notice_kinds(number).count("payment") == 1
    _assert_verified(bench, "the end")
    assert interrupted >= 2, "the kills came too late to test anything"
