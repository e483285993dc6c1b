"""`run_advance`: one flow run per trigger, named and tagged so an operator can find it."""

from __future__ import annotations

import datetime as dt

from prefect.client.schemas.objects import StateType

from flows.trigger import run_advance
from tests.support.applications import example
from tests.support.prefect_runs import artifacts_keyed, flow_runs_named, task_runs_of
from tests.support.workbench import Workbench

FILED = dt.date(2025, 9, 15)


def test_an_advance_run_is_named_after_the_application_and_tagged_with_whom_it_waits_on(
    bench: Workbench, started: dt.datetime
) -> None:
    number = bench.submit(example("m07_university_transfers"), on=FILED)

    result = run_advance(number, today=FILED)

    assert (result["state"], result["stage"], result["waiting_on"]) == (
        "in_review",
        "lead_review",
        ["city.amr"],
    )
    [run] = flow_runs_named(f"advance {number}", since=started)
    assert run.state_type == StateType.COMPLETED
    assert {f"app:{number}", "measure:M07", "dept:city.amr", "state:in_review"} <= set(run.tags)
    tasks = sorted(t.name.rsplit("-", 1)[0] for t in task_runs_of(run.id))
    assert tasks == ["advance application", "deliver notices", "publish report"]
    [artifact] = artifacts_keyed(f"advance-{number.lower()}")
    assert artifact.type == "markdown" and artifact.flow_run_id == run.id
    assert isinstance(artifact.data, str)
    assert (
        f"# {number} (M07)" in artifact.data
        and "进入牵头单位审核(第1轮):待市市场监管局办理" in artifact.data
    )
    mailbox = list((bench.settings.home / "mailbox").rglob("*.eml"))
    assert len(mailbox) >= 2  # the acceptance and the lead's task, delivered after the commit


def test_an_application_driven_by_a_run_after_each_decision_is_paid_once(
    bench: Workbench, started: dt.datetime
) -> None:
    number = bench.submit(example("m07_university_transfers"), on=FILED)
    day = FILED
    states = [run_advance(number, today=day)["stage"]]
    for _ in range(6):
        application = bench.application(number)
        if application.publicity_ends_on is not None and application.state == "publicity":
            day = application.publicity_ends_on + dt.timedelta(days=1)
        else:
            bench.decide_all(number)
        result = run_advance(number, today=day)
        states.append(result["stage"] or result["state"])
        if result["state"] == "paid":
            break

    assert states == ["lead_review", "countersign", "publicity", "finance", "paid"]
    runs = flow_runs_named(f"advance {number}", since=started)
    assert len(runs) == 5 and all(r.state_type == StateType.COMPLETED for r in runs)
    last = runs[-1]
    assert "state:paid" in last.tags and not any(t.startswith("dept:") for t in last.tags)
    assert len(bench.ledger(number)) == 1
    assert bench.notice_kinds(number).count("payment") == 1
