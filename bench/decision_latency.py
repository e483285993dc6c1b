"""Decision latency on the embedded default: decide → the next work items and notices exist.

Each sample is one lead-unit approval recorded in its own transaction, then the advance of
that application, timed until the countersign work items and their 待办 notices are
committed. Two paths run side by side in this one process, on applications prepared the
same way:
  prefect  — the production path: the `advance-application` flow run (ephemeral API);
  baseline — the same domain steps called directly, without Prefect.
It prints p50/p95 for both and their ratio. Usage:

    .venv/bin/python bench/decision_latency.py [--decisions 200]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
HOME = Path(tempfile.mkdtemp(prefix="ipaward-bench-"))
os.environ.update(
    IPAWARD_HOME=str(HOME / "home"),
    PREFECT_HOME=str(HOME / "prefect"),
    PREFECT_SERVER_ANALYTICS_ENABLED="false",
    PREFECT_LOGGING_LEVEL="WARNING",
)

from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from flows.trigger import run_advance  # noqa: E402
from ipaward.db.models import Notice, WorkItem  # noqa: E402
from ipaward.demo.cohort import build_cohort  # noqa: E402
from ipaward.demo.files import write_demo_application  # noqa: E402
from ipaward.exchange.validate import validate_file  # noqa: E402
from ipaward.services.database import ensure_schema  # noqa: E402
from ipaward.services.files import check_and_store  # noqa: E402
from ipaward.services.intake import submit  # noqa: E402
from ipaward.settings import load_settings  # noqa: E402
from ipaward.workflow.decisions import decide  # noqa: E402
from tasks.advance import advance_number  # noqa: E402
from tasks.notices import deliver_notices  # noqa: E402
from tasks.runtime import context, transaction  # noqa: E402

TODAY = dt.date(2025, 3, 3)


def prepare(count: int) -> list[str]:
    """`count` M06 applications accepted and waiting on the lead unit."""
    ctx = context()
    template = next(
        a for a in build_cohort(ctx.policy.directory.jurisdiction_names()) if a.label == "M06-1"
    )
    applications, checks = [], []
    for index in range(count):
        data = {
            **template.data,
            "evidence": {
                "grading": {
                    **template.data["evidence"]["grading"],
                    "certificate_no": f"BENCH-{index}",
                }
            },
        }
        data["applicant"] = {
            **data["applicant"],
            "uscc": _uscc(index),
            "name": f"基准测试企业{index}",
        }
        path = write_demo_application(
            HOME / "in" / str(index), data, label=f"bench {index}", fault=None
        )
        [valid] = validate_file(path, ctx.policy, as_of=TODAY)
        applications.append(valid)
        checks.append(
            check_and_store(path.parent, valid, files_root=ctx.files_root, max_bytes=10**7)
        )
    with transaction() as session:
        stored = submit(
            session,
            policy=ctx.policy,
            applications=applications,
            as_of=TODAY,
            actor="bench",
            checks=checks,
        )
    numbers = [s.number for s in stored]
    for number in numbers:
        advance_number(number, TODAY)
    return numbers


def _uscc(index: int) -> str:
    from ipaward.demo.identities import uscc_for

    return uscc_for("enterprise", "芗城区", 5_000_000 + index)


def decide_lead(number: str) -> None:
    with transaction() as session:
        item = session.scalars(
            select(WorkItem)
            .join(WorkItem.decision, isouter=True)
            .where(WorkItem.stage == "lead_review", WorkItem.state == "open")
            .where(WorkItem.application_id.in_(select_application(number)))
        ).one()
        decide(
            session,
            work_item_id=item.id,
            department=item.department,
            officer="bench",
            outcome="approve",
            comment="同意",
        )


def select_application(number: str):  # type: ignore[no-untyped-def]
    from ipaward.db.models import Application

    return select(Application.id).where(Application.number == number)


def next_items_exist(number: str) -> bool:
    with transaction() as session:
        items = session.scalar(
            select(func.count(WorkItem.id)).where(
                WorkItem.application_id.in_(select_application(number)),
                WorkItem.stage == "countersign",
            )
        )
        notices = session.scalar(
            select(func.count(Notice.id)).where(
                Notice.application_id.in_(select_application(number)), Notice.kind == "task"
            )
        )
    return bool(items) and bool(notices and notices >= 2)


def measure(numbers: list[str], path: str) -> list[float]:
    samples = []
    for number in numbers:
        decide_lead(number)
        began = time.perf_counter()
        if path == "prefect":
            run_advance(number, today=TODAY)
        else:
            report = advance_number(number, TODAY)
            deliver_notices.fn(report["notice_ids"])
        samples.append(time.perf_counter() - began)
        assert next_items_exist(number), number
    return samples


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--decisions", type=int, default=200)
    args = parser.parse_args()
    ensure_schema(load_settings())
    numbers = prepare(2 * args.decisions)
    with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        run_advance(numbers[0], today=TODAY)  # start the ephemeral API before timing
        prefect = measure(numbers[1 : args.decisions + 1], "prefect")
    baseline = measure(numbers[args.decisions + 1 :], "baseline")
    print(
        f"decisions per path: {len(prefect)} (prefect) / {len(baseline)} (baseline), SQLite at {HOME}"
    )
    print(f"{'path':<10}{'p50 ms':>10}{'p95 ms':>10}{'mean ms':>10}")
    for name, samples in (("prefect", prefect), ("baseline", baseline)):
        print(
            f"{name:<10}{percentile(samples, 0.5) * 1000:>10.1f}{percentile(samples, 0.95) * 1000:>10.1f}"
            f"{statistics.mean(samples) * 1000:>10.1f}"
        )
    print(
        f"ratio prefect/baseline: p50 {percentile(prefect, 0.5) / percentile(baseline, 0.5):.1f}x, "
        f"p95 {percentile(prefect, 0.95) / percentile(baseline, 0.95):.1f}x"
    )


if __name__ == "__main__":
    main()
