"""Generated cohorts for the annual-cycle benchmark, and the departments that approve them.

`generate(n)` stores n M09 applications (patent-intensive products, 5,000 each, at most
100,000 per enterprise and year) through the intake's own `submit`, then marks them
accepted and waiting for the 2024 cycle. Every tenth enterprise files twice; every fiftieth
files twice with 12 products each, so the yearly cap binds across its two applications;
every twentieth application lists one product recognised in 2023 (not counted).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select, update

from ipaward.db.models import Application, WorkItem
from ipaward.demo.fake_identities import uscc_for
from ipaward.exchange.validate import validate_items
from ipaward.services.intake import submit
from ipaward.workflow.context import WorkflowContext
from ipaward.workflow.decisions import decide
from ipaward.workflow.states import AWAITING_CYCLE
from tasks.runtime import context, transaction

FILED = dt.date(2025, 2, 17)
DOCUMENTS = ["application_form", "integrity_pledge", "business_licence", "recognition_certificate"]


def _payload(ctx: WorkflowContext, serial: int, filing: int, products: int) -> dict[str, Any]:
    places = ctx.policy.directory.jurisdiction_names()
    place = places[serial % len(places)]
    items = [
        {
            "name": f"专利密集型产品{serial}-{filing}-{k}",
            "recognition_no": f"BENCH-{serial:06d}-{filing}-{k:02d}",
            "recognised_on": (
                "2023-12-20"
                if k == 0 and (serial + filing) % 20 == 0
                else (
                    dt.date(2024, 1, 10) + dt.timedelta(days=(serial * 7 + k * 13) % 340)
                ).isoformat()
            ),
        }
        for k in range(products)
    ]
    return {
        "measure": "M09",
        "year": 2024,
        "applicant": {
            "name": f"漳州基准测试企业{serial}有限公司",
            "kind": "enterprise",
            "uscc": uscc_for("enterprise", "芗城区", 3_000_000 + serial),
            "jurisdiction": place,
        },
        "evidence": {"products": items},
        "documents": [
            {"kind": kind, "name": f"{kind}.pdf", "sha256": "0" * 64} for kind in DOCUMENTS
        ],
    }


def payloads(ctx: WorkflowContext, n: int) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    serial = 0
    while len(out) < n:
        serial += 1
        filings = 2 if serial % 10 == 0 else 1
        for filing in range(filings):
            products = 12 if serial % 50 == 0 else 1 + (serial + filing) % 5
            out.append(_payload(ctx, serial, filing, products))
    return out[:n]


def generate(n: int, *, batch: int = 500) -> None:
    """Store n applications waiting for the M09 2024 cycle, in transactions of `batch`."""
    ctx = context()
    data = payloads(ctx, n)
    for start in range(0, n, batch):
        part: list[object] = list(data[start : start + batch])
        valid = validate_items(part, ctx.policy, as_of=FILED, array=True)
        with transaction() as session:
            stored = submit(
                session, policy=ctx.policy, applications=valid, as_of=FILED, actor="bench"
            )
            session.execute(
                update(Application)
                .where(Application.id.in_([s.application_id for s in stored]))
                .values(state=AWAITING_CYCLE)
                .execution_options(synchronize_session=False)
            )


def approve_open_items() -> int:
    """Every department approves (countersigns) its open item on the list."""
    with transaction() as session:
        items = list(
            session.scalars(
                select(WorkItem).where(WorkItem.cycle_id.is_not(None), WorkItem.state == "open")
            )
        )
        for item in items:
            decide(
                session,
                work_item_id=item.id,
                department=item.department,
                officer="bench",
                outcome="countersign" if item.stage == "countersign" else "approve",
                comment="同意",
            )
        return len(items)
