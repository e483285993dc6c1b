"""Work items without an application (a programme's yearly work, an annual list), and a
decision whose follow-up is only queued (as under `ipaward serve`)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from sqlalchemy import select

from ipaward.db.models import Application, Cycle, CycleLine, Decision, WorkItem
from tasks.follow_up_requests import process_inline
from tests.ipaward.web.site import TODAY, Site


@pytest.fixture
def annual_list(site: Site) -> int:
    """A 2024 M07 list with the lead application on it, waiting on city.amr."""
    lead = site.application(site.numbers["lead"])
    with site.state.writing() as session:
        cycle = Cycle(measure="M07", year=2024, state="in_review", stage="lead_review", details={})
        session.add(cycle)
        session.flush()
        session.add(
            CycleLine(
                cycle_id=cycle.id,
                application_id=lead.id,
                recipient_uscc="12350000488000111T",
                amount=40000,
                status="included",
                details={},
            )
        )
        item = WorkItem(
            application_id=None,
            cycle_id=cycle.id,
            stage="lead_review",
            department="city.amr",
            round=1,
            state="open",
            due_on=TODAY + dt.timedelta(days=7),
        )
        session.add(item)
        session.flush()
        return item.id


def test_an_annual_list_shows_its_lines_and_is_approved_with_exceptions(
    site: Site, annual_list: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[list[int | None], Any]] = []
    monkeypatch.setattr(
        "ipaward.web.routes.applications.hand_off",
        lambda ids, **kwargs: calls.append((ids, kwargs["today"])),
    )
    officer = site.sign_in("city.amr")
    inbox = officer.get("/inbox?measure=M07").text
    assert f'href="/work-items/{annual_list}"' in inbox and "年度集中评审名单" in inbox

    page = officer.get(f"/work-items/{annual_list}").text
    assert "M07 2024年度集中评审名单" in page and site.numbers["lead"] in page
    assert "40,000元" in page and 'name="exceptions"' in page

    response = officer.post(
        f"/work-items/{annual_list}/decision",
        {
            "version": "1",
            "outcome": "approve",
            "comment": "名单无误",
            "exceptions": f"{site.numbers['lead']}:转让合同待核实",
        },
    )

    assert response.status_code == 303
    assert response.headers["location"] == f"/work-items/{annual_list}?decided=1"
    [(ids, today)] = calls  # the list's follow-up, handed over after the response
    assert len(ids) == 1 and ids[0] is not None and today == TODAY
    with site.state.reading() as session:
        decision = session.scalars(
            select(Decision).where(Decision.work_item_id == annual_list)
        ).one()
    assert decision.details["exceptions"] == [
        {"application": site.numbers["lead"], "reason": "转让合同待核实"}
    ]
    done = officer.get(response.headers["location"]).text
    assert "已保存:同意" in done and "转让合同待核实" in done


def test_an_exception_must_be_on_the_list(site: Site, annual_list: int) -> None:
    response = site.sign_in("city.amr").post(
        f"/work-items/{annual_list}/decision",
        {"version": "1", "outcome": "approve", "exceptions": "ZZIP-2024-M07-999999:不在名单"},
    )
    assert response.status_code == 400 and "名单中没有" in response.text


def test_a_queued_advance_refreshes_the_result_page_until_the_next_stage_exists(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    handed: list[list[int | None]] = []
    monkeypatch.setattr(  # as under `serve`: the task worker has not run it yet
        "ipaward.web.routes.applications.hand_off", lambda ids, **kwargs: handed.append(ids)
    )
    number = site.numbers["lead"]
    item = site.open_item(number, "city.amr")
    officer = site.sign_in("city.amr")

    response = officer.post(
        f"/work-items/{item.id}/decision",
        {"version": str(item.version), "outcome": "approve", "comment": "同意"},
    )

    location = response.headers["location"]
    assert location == f"/applications/{number}?decided={item.id}&advance=queued#result"
    waiting = officer.get(location).text
    refresh = re.search(r'<meta http-equiv="refresh" content="2;url=([^"]+)">', waiting)
    assert refresh and "advance=queued&amp;r=1" in refresh.group(1)
    assert "本页稍后自动刷新" in waiting
    gave_up = officer.get(f"/applications/{number}?decided={item.id}&advance=queued&r=10").text
    assert 'http-equiv="refresh"' not in gave_up and "请稍后刷新本页" in gave_up

    process_inline([i for ids in handed for i in ids if i], today=TODAY)  # the worker runs it
    advanced = officer.get(location).text
    assert 'http-equiv="refresh"' not in advanced and "下一环节" in advanced
    with site.state.reading() as session:
        stage = session.scalar(select(Application.stage).where(Application.number == number))
    assert stage == "countersign"
