"""Annual-cycle throughput on the embedded default (SQLite, Prefect's ephemeral API).

One M09 cycle for 2024 is settled end to end — line-up and assessment of every application,
lead unit, countersign, 公示, finance, ledger and 拨付通知 (rendered, stored, delivered to the
mailbox) — with the departments' approvals in between (not timed). Three paths, each in a
fresh child process on a copy of the same generated database:
  prefect   — the `annual-cycle` flow (chunks of 500 per task run);
  inline    — (a) the same task functions called without Prefect;
  per-run   — (b) one flow run per application (line it up, later pay it), measured on 200
              and extrapolated.
It prints applications per second, prefect's ratio to (a) and to (b), each child's peak
resident memory, and the time spent delivering notices to the mailbox. With --repeat N each
path runs N times and the fastest counts (the machine is shared). Usage:

    .venv/bin/python bench/cycle_throughput.py [--sizes 1000 10000] [--per-run 200 (0: skip)]
        [--repeat 1]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
FIRST_DAY = dt.date(2025, 3, 3)


def _environment(home: Path, config: Path) -> None:
    os.environ.update(
        IPAWARD_HOME=str(home),
        IPAWARD_CONFIG_DIR=str(config),
        PREFECT_HOME=str(home / "prefect"),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        PREFECT_LOGGING_LEVEL="WARNING",
        PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW="ignore",
    )
    os.environ.pop("IPAWARD_DATABASE_URL", None)


def bench_config(target: Path) -> Path:
    """The shipped config without budgets (a generated cohort is far beyond the demo's)."""
    shutil.copytree(ROOT / "config", target, dirs_exist_ok=True)
    (target / "budgets.toml").unlink(missing_ok=True)
    return target


def drive(run: Callable[[dt.date], dict[str, Any]]) -> tuple[float, dict[str, Any]]:
    """Run the cycle until it is done, approving the list between runs; only runs are timed."""
    from bench.cycle_cohort import approve_open_items

    day, spent, report = FIRST_DAY, 0.0, {}
    for _ in range(12):
        began = time.perf_counter()
        report = run(day)
        spent += time.perf_counter() - began
        if report["state"] == "done":
            break
        if report["state"] == "publicity":
            ends = report["waiting_on"][0].removeprefix("publicity(至").removesuffix(")")
            day = dt.date.fromisoformat(ends) + dt.timedelta(days=1)
        elif not approve_open_items():
            raise RuntimeError(f"the cycle stopped at {report['state']}: {report['steps']}")
    return spent, report


def case_inline() -> float:
    from tasks.cycle_chunks import InlineRunner, run_cycle

    spent, report = drive(
        lambda day: run_cycle(InlineRunner(), measure="M09", year=2024, today=day)
    )
    _check(report)
    return spent


def case_prefect() -> float:
    from prefect import flow
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    from flows.cycle import annual_cycle

    @flow(name="bench-warm-up")
    def warm_up() -> None:
        """Start the ephemeral API before timing (a deployment talks to a running server)."""

    with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        warm_up()
        spent, report = drive(lambda day: annual_cycle("M09", 2024, day))
    _check(report)
    return spent


def case_per_run() -> float:
    """(b): a flow run per application to line it up, and another to pay it."""
    from prefect import flow
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings
    from sqlalchemy import select

    from bench.cycle_cohort import approve_open_items
    from ipaward.db.models import Application, CycleLine
    from tasks.cycle_chunks import line_chunk, open_cycle, pay_chunk, step_cycle
    from tasks.runtime import transaction

    @flow(name="line-up-one", flow_run_name="line up {application_id}")
    def line_one(application_id: int) -> None:
        line_chunk([application_id], "M09", 2024)

    @flow(name="pay-one", flow_run_name="pay {line_id}")
    def pay_one(line_id: int, today: dt.date) -> None:
        pay_chunk([line_id], "M09", 2024, today)

    with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        open_cycle.fn("M09", 2024, True, 500, FIRST_DAY)
        with transaction() as session:
            ids = list(session.scalars(select(Application.id).order_by(Application.id)))
        began = time.perf_counter()
        for application_id in ids:
            line_one(application_id)
        spent = time.perf_counter() - began
        day = FIRST_DAY
        for _ in range(12):
            began = time.perf_counter()
            report = step_cycle.fn("M09", 2024, day, 500)
            spent += time.perf_counter() - began
            if report["state"] == "paying":
                break
            if report["state"] == "publicity":
                day = dt.date.fromisoformat(report["waiting_on"][0][len("publicity(至") : -1])
                day += dt.timedelta(days=1)
            else:
                approve_open_items()
        with transaction() as session:
            lines = list(
                session.scalars(select(CycleLine.id).where(CycleLine.status == "included"))
            )
        began = time.perf_counter()
        for line_id in lines:
            pay_one(line_id, day)
        spent += time.perf_counter() - began
        report = step_cycle.fn("M09", 2024, day, 500)
    _check(report)
    return spent


def _check(report: dict[str, Any]) -> None:
    if report["state"] != "done" or report["lines"].get("included"):
        raise RuntimeError(f"cycle not finished: {report}")


CASES = {"inline": case_inline, "prefect": case_prefect, "per-run": case_per_run}


def _time_delivery() -> list[float]:
    """Add up the time spent delivering notices (mailbox files), wherever tasks call it."""
    import threading

    import tasks.cycle_chunks

    spent, lock, real = [0.0], threading.Lock(), tasks.cycle_chunks.deliver

    def timed(notice_ids: Any) -> None:
        began = time.perf_counter()
        real(notice_ids)
        with lock:
            spent[0] += time.perf_counter() - began

    tasks.cycle_chunks.deliver = timed
    return spent


def child(case: str, template: Path, work: Path) -> dict[str, Any]:
    home = work / "home"
    home.mkdir(parents=True)
    shutil.copy(template / "ipaward.sqlite3", home / "ipaward.sqlite3")
    _environment(home, bench_config(work / "config"))
    delivery = _time_delivery()
    seconds = CASES[case]()
    from sqlalchemy import func, select

    from ipaward.db.models import Application, LedgerEntry, Notice
    from tasks.runtime import transaction

    with transaction() as session:
        applications = session.scalar(select(func.count(Application.id))) or 0
        paid = session.scalar(select(func.count(LedgerEntry.id))) or 0
        notices = session.scalar(select(func.count(Notice.id)).where(Notice.kind == "payment")) or 0
    return {
        "case": case,
        "applications": applications,
        "paid": paid,
        "payment_notices": notices,
        "seconds": seconds,
        "delivery_seconds": delivery[0],
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def template_for(n: int, root: Path) -> Path:
    """A database with n applications waiting for the cycle, generated once per size."""
    from bench.cycle_cohort import generate
    from ipaward.services.database import ensure_schema
    from ipaward.settings import load_settings
    from tasks import runtime

    home = root / f"template-{n}"
    _environment(home, bench_config(root / "config"))
    runtime.reset()
    ensure_schema(load_settings())
    generate(n)
    runtime.reset()  # closes the engines: the WAL is checkpointed into the file we copy
    return home


def run_child(case: str, template: Path, root: Path) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix=f"{case}-", dir=root))
    argv = [sys.executable, __file__, "--child", case]
    argv += ["--template", str(template), "--work", str(work)]
    out = subprocess.run(argv, capture_output=True, text=True)
    if out.returncode:
        raise RuntimeError(f"the {case} run failed:\n{out.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--per-run", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=1, help="runs per path; the fastest counts")
    parser.add_argument("--child", choices=sorted(CASES))
    parser.add_argument("--template", type=Path)
    parser.add_argument("--work", type=Path)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.template, args.work)))
        return
    root = Path(tempfile.mkdtemp(prefix="ipaward-cycle-bench-"))
    per_app_b = None  # --per-run 0 skips (b), which takes minutes on a busy machine
    if args.per_run > 0:
        per_run = run_child("per-run", template_for(args.per_run, root), root)
        per_app_b = per_run["seconds"] / per_run["applications"]
        print(
            f"(b) one flow run per application: {per_run['applications']} applications in "
            f"{per_run['seconds']:.1f} s = {per_app_b * 1000:.1f} ms each "
            f"({1 / per_app_b:.1f}/s), peak RSS {per_run['peak_rss_mib']:.0f} MiB"
        )
    header = (
        f"{'n':>7} {'path':<8} {'seconds':>8} {'apps/s':>8} {'vs (a)':>7} {'vs (b)':>8}"
        f" {'peak MiB':>9} {'delivery s':>11} {'apps/s w/o delivery':>20}"
    )
    print(header)
    for n in args.sizes:
        template = template_for(n, root)
        runs = {
            case: [run_child(case, template, root) for _ in range(args.repeat)]
            for case in ("inline", "prefect")
        }
        inline, prefect = (min(runs[case], key=lambda r: r["seconds"]) for case in runs)
        spread = {case: [round(r["seconds"], 1) for r in found] for case, found in runs.items()}
        if args.repeat > 1:
            print(f"{n:>7} runs (s): {spread}")
        for result in (inline, prefect):
            assert result["paid"] == result["payment_notices"], result
            rate = result["applications"] / result["seconds"]
            versus_a = result["seconds"] / inline["seconds"]
            versus_b = (per_app_b or 0) * n / result["seconds"]
            rest = result["applications"] / (result["seconds"] - result["delivery_seconds"])
            print(
                f"{n:>7} {result['case']:<8} {result['seconds']:>8.1f} {rate:>8.0f} "
                f"{versus_a:>6.2f}x {versus_b:>7.0f}x {result['peak_rss_mib']:>9.0f}"
                f" {result['delivery_seconds']:>11.1f} {rest:>20.0f}"
            )
    print(
        f"(vs (a): time ÷ inline time; vs (b): extrapolated per-run time ÷ this time; data in {root})"
    )


if __name__ == "__main__":
    main()
