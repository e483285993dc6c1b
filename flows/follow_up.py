"""follow-up sweep: every few minutes, whatever follow-up work is due and still waiting.

Commands hand their requests to a background task at once; this flow is the net under that
hand-off. It carries out requests left waiting (Prefect was down, a worker died, the hand-off
failed) and those that came due today (the end of 公示, a 补正 deadline, a settlement day),
in chunks, then republishes notices whose publication never finished. It ends Failed, naming
them, when any request failed; the others are done.

    python -m flows.follow_up --drain [--today YYYY-MM-DD]

drains everything due, in this process, and exits: what a command starts in the background on
the embedded default (no Prefect server), one drainer at a time per home.
"""

from __future__ import annotations

import argparse
import datetime as dt
import fcntl
from typing import Any

from prefect import flow, task

from ipaward import clock
from tasks.advance_steps import advance_chunk
from tasks.cycle_chunks import PrefectRunner, run_cycle
from tasks.follow_up_requests import FollowUpFailed, Requested, pending, raise_failures
from tasks.notice_delivery import deliver_notices
from tasks.runtime import run_logger, transaction

CHUNK = 200
GRACE = dt.timedelta(seconds=60)  # the hand-off of a fresh request is still under way


def _sweep_name() -> str:
    return f"follow-up sweep {clock.local_now():%Y-%m-%d %H:%M}"


@task(name="due follow-ups")
def due_requests(today: dt.date, grace_seconds: float) -> Requested:
    before = clock.now() - dt.timedelta(seconds=grace_seconds)
    return pending(None, today=today, created_before=before, limit=10_000)


@task(name="note failure")
def note_failures(requested: Requested, failures: dict[str, str]) -> None:
    from ipaward.repository import follow_ups

    with transaction() as session:
        for number, error in failures.items():
            if number in requested.numbers:
                follow_ups.record_failure(session, requested.numbers[number], error)


@flow(name="follow-up-sweep", flow_run_name=_sweep_name, log_prints=False)
def sweep(
    today: dt.date | None = None, grace_seconds: float = GRACE.total_seconds()
) -> dict[str, Any]:
    """Carry out the due requests nobody carried yet, in chunks; Failed if any failed."""
    day = today or clock.today()
    logger = run_logger()
    requested = due_requests(day, grace_seconds)
    numbers = list(requested.numbers)
    reports: list[dict[str, Any]] = []
    for start in range(0, len(numbers), CHUNK):
        chunk = advance_chunk(numbers[start : start + CHUNK], day)
        deliver_notices([n for r in chunk for n in r.get("notice_ids", [])])
        reports += chunk
    failures = {r["number"]: r["error"] for r in reports if r.get("error")}
    cycles = []
    for _, measure, year in requested.lists:
        try:
            cycles.append(
                run_cycle(PrefectRunner(), measure=measure, year=year, today=day, open_new=False)
            )
        except Exception as error:  # the other lists go on; this run ends Failed
            failures[f"{measure} {year}年度名单"] = f"{type(error).__name__}: {error}"
    note_failures(requested, failures)
    logger.info(
        "到期后续办理:申请%d件,年度名单%d份,失败%d项", len(numbers), len(cycles), len(failures)
    )
    outcome = {"requests": len(requested.ids), "reports": reports, "cycles": cycles}
    raise_failures({**outcome, "failures": failures})
    return outcome


def drain(today: dt.date | None, lock_path: str) -> int:
    """Sweep until nothing is due, holding a lock so one drainer runs per home."""
    with open(lock_path, "a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return 0  # another drainer is at it: it will see our requests too
        swept = 0
        for _ in range(50):
            day = today or clock.today()
            if not pending(None, today=day, limit=1).ids:
                return swept
            try:
                sweep(day, grace_seconds=0)
            except FollowUpFailed:
                return swept  # failed work stays pending, loud in Prefect; the sweeper retries
            swept += 1
        return swept


def main(argv: list[str] | None = None) -> int:
    from ipaward.settings import load_settings

    parser = argparse.ArgumentParser(prog="python -m flows.follow_up")
    parser.add_argument("--drain", action="store_true")
    parser.add_argument("--today", default=None)
    args = parser.parse_args(argv)
    today = dt.date.fromisoformat(args.today) if args.today else None
    if args.drain:
        home = load_settings().home
        home.mkdir(parents=True, exist_ok=True)
        drain(today, str(home / "follow-up.lock"))
        return 0
    sweep(today)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
