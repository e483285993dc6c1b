"""Crash consistency: the advance and the annual cycle, killed (SIGKILL) at random points
in a process of their own, then run again to the end: `verify` finds nothing, after every
kill and at the end, on SQLite and PostgreSQL. Bounded: three kills each.

The points are counted in SQL statements, not seconds (a seeded random statement of the
work, where the process kills itself), so a fast or a busy machine kills at the same places.
The killed process is forked from the test (everything already imported), so a kill costs
milliseconds, not an interpreter start; it opens its own connections."""

from __future__ import annotations

import datetime as dt
import os
import random
import signal

from sqlalchemy import Engine, event

from ipaward.repository.runs import NO_RUN
from ipaward.verify import verify
from tasks import runtime
from tasks.advance_steps import advance_numbers, open_application_numbers
from tasks.cycle_chunks import InlineRunner, run_cycle
from tests.ipaward.cycles.support import FILED, CycleBench, another, m09

KILLS = 3
SEED = 20261130


def _work(kind: str, day: dt.date) -> None:
    if kind == "advance":
        advance_numbers(open_application_numbers.fn(), day, NO_RUN)
    else:
        run_cycle(InlineRunner(), measure="M09", year=2024, today=day, chunk_size=1)


def _killed_run(kind: str, day: dt.date, at_statement: int) -> bool:
    """Fork, do the work in the child until its `at_statement`-th SQL statement, where it is
    killed; whether it was interrupted (False: the work ended first)."""
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 0
        try:
            runtime.reset(forked=True)
            executed = 0

            def count(*_: object) -> None:
                nonlocal executed
                executed += 1
                if executed == at_statement:
                    os.kill(os.getpid(), signal.SIGKILL)

            event.listen(Engine, "before_cursor_execute", count)
            _work(kind, day)
        except BaseException:
            code = 1
        os._exit(code)
    _, status = os.waitpid(pid, 0)
    return os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL


def _assert_verified(bench: CycleBench, when: str) -> None:
    with bench.transaction() as session:
        report = verify(session)
    assert report.clean, f"{when}: {[p.message for p in report.problems]}"


def test_killed_advance_and_cycle_leave_records_that_verify(bench: CycleBench) -> None:
    rng = random.Random(SEED)
    numbers = [bench.submit(another(m09(f"K{i}-", 2), i), on=FILED) for i in range(6)]
    interrupted = 0
    for kill in range(KILLS):
        interrupted += _killed_run("advance", FILED, rng.randint(5, 120))
        _assert_verified(bench, f"advance, kill {kill + 1}")
    reports = advance_numbers(open_application_numbers.fn(), FILED, NO_RUN)
    assert not [r for r in reports if r.get("error")]
    assert {bench.application(n).state for n in numbers} == {"awaiting_cycle"}

    _, day = bench.drive_list("M09", stop=lambda r: r["stage"] == "finance")
    bench.approve_list("M09")
    for kill in range(KILLS):
        interrupted += _killed_run("cycle", day, rng.randint(5, 120))
        _assert_verified(bench, f"cycle, kill {kill + 1}")
    report = bench.settle("M09", on=day)
    assert report["state"] == "done" and report["lines"] == {"paid": 6}, report
    for number in numbers:
        assert len(bench.ledger(number)) == 1
        assert bench.notice_kinds(number).count("payment") == 1
    _assert_verified(bench, "the end")
    print(f"{interrupted} of {2 * KILLS} kills interrupted the work")
    assert interrupted >= 2, "the kills came too late to test anything"
