"""What officers and operators read: the inbox, the application page, printable notices,
the dashboard and its JSON, with security headers on every response."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import re
import uuid

from fastapi.testclient import TestClient
from sqlalchemy import select

from ipaward.db.models import Application, RunRecord
from ipaward.web.app import create_app
from ipaward.web.deps import SESSION_COOKIE
from tests.ipaward.web.site import MARKUP_COMMENT, MARKUP_NAME, PREFECT_UI, Site


def rows_of(html: str) -> list[str]:
    """Application numbers (or a yearly subject, "2025年度M04") of the inbox rows, in order."""
    return re.findall(r'<td><a href="/[\w-]+/[^"]+">(ZZIP-[\w-]+|\d{4}年度M\d\d)</a>', html)


def test_the_inbox_lists_open_items_earliest_due_first_with_overdue_marked(site: Site) -> None:
    page = site.sign_in("city.amr").get("/inbox").text
    assert rows_of(page) == [site.numbers["lead"], site.numbers["markup"], "2025年度M04"]
    assert page.count("逾期16个工作日") == 2  # due 2025-09-28, National Day week not counted
    assert "剩5个工作日" in page
    assert "40,000元" in page and "盘活存量专利" in page
    assert page.count('class="overdue"') == 2


def test_the_inbox_filters_by_measure_stage_and_overdue_and_sorts_by_due_date(site: Site) -> None:
    officer = site.sign_in("city.amr")
    assert rows_of(officer.get("/inbox?measure=M06").text) == [site.numbers["markup"]]
    assert rows_of(officer.get("/inbox?measure=M04").text) == ["2025年度M04"]
    assert rows_of(officer.get("/inbox?stage=assign").text) == ["2025年度M04"]
    assert rows_of(officer.get("/inbox?overdue=1").text) == [
        site.numbers["lead"],
        site.numbers["markup"],
    ]
    latest_first = rows_of(officer.get("/inbox?sort=-due").text)
    assert latest_first == ["2025年度M04", site.numbers["markup"], site.numbers["lead"]]
    unknown = officer.get("/inbox?measure=M99&stage=nope&sort=x&page=zz")
    assert unknown.status_code == 200 and len(rows_of(unknown.text)) == 3
    assert "没有符合条件" in officer.get("/inbox?measure=M12").text


def test_the_inbox_pages_fifty_at_a_time_keeping_filters(site: Site) -> None:
    app = create_app(site.settings, config=dataclasses.replace(site.config, page_size=1))
    officer = site.sign_in("city.amr")
    with TestClient(app) as client:
        client.cookies.set(SESSION_COOKIE, officer.client.cookies[SESSION_COOKIE])
        first = client.get("/inbox?overdue=1").text
        assert rows_of(first) == [site.numbers["lead"]] and "第 1 / 2 页" in first
        assert 'href="/inbox?overdue=1&amp;page=2"' in first
        second = client.get("/inbox?overdue=1&page=2").text
        assert rows_of(second) == [site.numbers["markup"]]
        assert client.get("/inbox?page=99").status_code == 200  # clamped to the last page
        assert client.get("/api/inbox?page=3").json()["page"] == 3
    assert site.config.page_size == 50


def test_the_application_page_explains_everything_an_officer_decides_on(site: Site) -> None:
    number = site.numbers["paid"]
    page = site.sign_in("city.amr").get(f"/applications/{number}").text
    for expected in (
        "漳州古雷石化科技有限公司",  # applicant
        "91350623MA33GL001J",
        "古雷开发区",
        "申报事项(证据)",
        "胜诉判决书或裁决书",  # a document (its checklist name) with its check result
        "校验通过",
        "依据第（十二）条",  # the award explained clause by clause
        "市级承担",
        "牵头单位审核",  # the route with every decision
        "责任单位会签",
        "财政拨付审核",
        "officer@city.court",
        "已拨付",
        "受理通知书",  # notices sent
        "奖补资金拨付通知",
    ):
        assert expected in page, expected
    assert page.count('href="/notices/') >= 2 * 5


def test_the_route_shows_each_decision_with_who_when_and_the_opinion(site: Site) -> None:
    page = site.sign_in("city.amr").get(f"/applications/{site.numbers['rejected']}").text
    assert "不予通过" in page and "officer@city.amr" in page
    assert re.search(r"<td>\d{4}-\d\d-\d\d \d\d:\d\d</td>", page)


def test_markup_in_names_and_comments_is_always_escaped(site: Site) -> None:
    amr = site.sign_in("city.amr")
    operator = site.sign_in("operator")
    pages = [
        amr.get("/inbox").text,
        amr.get(f"/applications/{site.numbers['markup']}").text,
        amr.get(f"/applications/{site.numbers['rejected']}").text,
        operator.get("/dashboard").text,
    ]
    for page in pages:
        assert "<script>" not in page
    assert "漳州&lt;script&gt;alert(&#34;name&#34;)&lt;/script&gt;科技有限公司" in pages[0]
    assert "&lt;script&gt;alert(&#34;comment&#34;)&lt;/script&gt;不符合条件" in pages[2]
    assert MARKUP_NAME in amr.get("/api/inbox").json()["items"][1]["applicant"]
    assert MARKUP_COMMENT in str(amr.get(f"/api/applications/{site.numbers['rejected']}").json())


def test_no_request_input_is_reflected_unescaped(site: Site) -> None:
    officer = site.sign_in("city.amr")
    probe = '"><script>alert(1)</script>'
    responses = [
        officer.get("/inbox", params={"measure": probe, "stage": probe, "sort": probe}),
        officer.get(f"/applications/{probe}"),
        officer.get("/dashboard", params={"q": probe}),
        site.client().get("/login", params={"next": "/" + probe}),
        officer.get(f"/nowhere/{probe}"),
    ]
    for response in responses:
        assert "<script>alert(1)" not in response.text
    assert "/&#34;&gt;&lt;script&gt;" in responses[3].text  # kept, but escaped


def test_every_response_carries_the_security_headers(site: Site) -> None:
    officer = site.sign_in("city.amr")
    for response in (
        officer.get("/inbox"),
        officer.get("/static/app.css"),
        site.client().get("/login"),
        officer.get("/api/inbox"),
        officer.get("/nowhere"),
    ):
        headers = response.headers
        assert headers["content-security-policy"].startswith("default-src 'self'")
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "same-origin"
        assert headers["x-frame-options"] == "DENY"
    assert officer.get("/inbox").headers["cache-control"] == "no-store"
    assert "<script>" not in officer.get("/inbox").text  # no inline script anywhere


def test_a_notice_prints_in_its_official_layout_with_only_its_own_styles_allowed(
    site: Site,
) -> None:
    officer = site.sign_in("city.amr")
    page = officer.get(f"/applications/{site.numbers['paid']}").text
    notice_id = re.findall(r'href="/notices/(\d+)"', page)[-1]

    response = officer.get(f"/notices/{notice_id}")

    assert response.status_code == 200
    html = response.text
    assert "@page { size: A4" in html and 'class="red-rule"' in html
    assert 'class="notice-toolbar"' in html and "data-print" in html
    assert '<link rel="stylesheet" href="/static/notice.css">' in html
    [style] = re.findall(r"<style>(.*?)</style>", html, re.DOTALL)
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    csp = response.headers["content-security-policy"]
    assert f"style-src 'self' 'sha256-{digest}'" in csp
    assert "script-src" not in csp and "unsafe-inline" not in csp

    traditional = officer.get(f"/notices/{notice_id}?lang=zh-Hant").text
    assert "撥付" in traditional and "拨付" not in traditional.split("</style>")[1]
    assert 'font-family: "FangSong", "仿宋"' in traditional  # the stylesheet is not converted


def test_a_task_notice_can_be_read_by_the_department_it_is_addressed_to(site: Site) -> None:
    operator_view = site.sign_in("operator").get(f"/applications/{site.numbers['finreg']}").text
    task_ids = re.findall(r'href="/notices/(\d+)"', operator_view)
    finreg = site.sign_in("city.finreg")
    assert all(finreg.get(f"/notices/{i}").status_code == 200 for i in task_ids)
    assert all(site.sign_in("city.court").get(f"/notices/{i}").status_code == 404 for i in task_ids)


def test_a_checked_document_downloads_as_an_attachment(site: Site) -> None:
    officer = site.sign_in("city.amr")
    page = officer.get(f"/applications/{site.numbers['lead']}").text
    document_id = re.findall(r'href="/documents/(\d+)"', page)[0]
    response = officer.get(f"/documents/{document_id}")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("attachment;")


def test_the_dashboard_shows_states_backlogs_money_and_prefect_links(site: Site) -> None:
    operator = site.sign_in("operator")
    page = operator.get("/dashboard").text
    assert "各措施申请状态" in page and "各部门待办与逾期" in page and "资金使用" in page
    assert page.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img"') == 4
    for chart in ("chart-money", "chart-pipeline", "chart-backlog", "chart-monthly"):
        assert (
            f'id="{chart}-svg"' in page and f'aria-labelledby="{chart}-title {chart}-desc"' in page
        )
    number = site.numbers["lead"]
    span = "type=span&amp;seconds=-189734400"  # six years back: the UI shows one week without
    assert f'href="{PREFECT_UI}/runs?tag=app%3A{number}&amp;{span}"' in page
    assert "/runs/flow-run/" not in page  # no run recorded yet
    run_id = str(uuid.uuid4())
    with site.state.writing() as session:
        app_id = session.scalars(select(Application.id).where(Application.number == number)).one()
        session.add(RunRecord(flow_run_id=run_id, name=f"advance {number}", application_id=app_id))
    page = operator.get("/dashboard").text
    assert f'href="{PREFECT_UI}/runs/flow-run/{run_id}"' in page
    assert f'href="/applications/{number}"' in page

    data = operator.get("/api/dashboard").json()
    assert data["applications"]["total"] == len(site.numbers)
    assert data["applications"]["totals"]["in_review"] == 4
    backlog = {row["department"]: row for row in data["backlog"]}
    assert backlog["city.amr"] == {
        "department": "city.amr",
        "open": 3,
        "overdue": 2,
        "escalated": 2,  # more than 5 working days late: the lead unit has been told
        "earliest_due": "2025-09-28",
    }
    assert backlog["city.finreg"]["overdue"] == 0
    [paid] = data["money"]["paid"]
    assert paid["measure"] == "M12" and paid["paid"] == data["money"]["total_paid"] > 0
    assert paid["reward_year"] is None and paid["posted_year"] >= 2025  # one-off: no reward year
    assert operator.get("/api/backlog").json() == data["backlog"]
    assert operator.get("/api/money").json() == data["money"]
    assert operator.get("/api/applications/by-state").json() == data["applications"]
    found = operator.get("/dashboard", params={"q": site.numbers["paid"]}).text
    assert found.count("流程运行 ↗") == 1


def test_the_lead_unit_sees_on_the_dashboard_only_what_it_may_open(site: Site) -> None:
    page = site.sign_in("city.amr").get("/dashboard").text
    assert f'href="/applications/{site.numbers["lead"]}"' in page
    assert site.numbers["finreg"] not in page  # M10 is city.finreg's: not even its number
    assert "市地方金融监管局" not in page  # nor its backlog on that application


def test_pages_need_a_session_and_the_api_answers_401_in_json(site: Site) -> None:
    client = site.client()
    page = client.get("/applications/x?y=1", follow_redirects=False)
    assert page.status_code == 303
    assert page.headers["location"] == "/login?next=%2Fapplications%2Fx%3Fy%3D1"
    api = client.get("/api/dashboard")
    assert api.status_code == 401 and api.json() == {"error": "请先登录"}
    assert client.get("/healthz").text == "ok"
