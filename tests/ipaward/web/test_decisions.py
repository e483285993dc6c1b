"""Deciding from the application page: approve, reject with reasons, return for 补正,
countersign; the result page shows the next stage; stale forms and CSRF are refused."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from ipaward.db.models import Decision, Notice
from tests.ipaward.web.site import Officer, Site, csrf_in


def decide(officer: Officer, item_id: int, version: int, **fields: object) -> object:
    return officer.post(f"/work-items/{item_id}/decision", {"version": str(version), **fields})


def decisions(site: Site) -> int:
    with site.state.reading() as session:
        return int(session.scalar(select(func.count(Decision.id))) or 0)


def text_of(html: str) -> str:
    return re.sub(r"\s+", "", re.sub(r"<[^>]+>", "", html))


def test_approving_shows_the_result_and_the_next_stage(site: Site) -> None:
    number = site.numbers["lead"]
    item = site.open_item(number, "city.amr")
    officer = site.sign_in("city.amr")
    page = officer.get(f"/applications/{number}")
    assert f'action="/work-items/{item.id}/decision"' in page.text

    response = decide(officer, item.id, item.version, outcome="approve", comment="材料齐全,同意。")

    assert response.status_code == 303
    assert (
        response.headers["location"]
        == f"/applications/{number}?decided={item.id}&advance=queued#result"
    )
    result = text_of(officer.get(response.headers["location"]).text)
    assert "已保存您的决定:同意" in result
    assert "经办人city.amr经办人" in result and "材料齐全,同意。" in result
    assert "下一环节:责任单位会签" in result
    assert "等待:市财政局、市教育局、市科技局、市农业农村局。" in result
    with site.state.reading() as session:
        decision = session.scalars(select(Decision).where(Decision.work_item_id == item.id)).one()
    assert (decision.officer, decision.department, decision.outcome) == (
        "city.amr经办人",
        "city.amr",
        "approve",
    )
    assert site.application(number).stage == "countersign"
    assert (
        f'action="/work-items/{item.id}/decision"'
        not in officer.get(f"/applications/{number}").text
    )


def test_returning_for_correction_names_documents_fields_and_deadline(site: Site) -> None:
    number = site.numbers["markup"]
    item = site.open_item(number, "city.amr")
    officer = site.sign_in("city.amr")

    response = decide(
        officer,
        item.id,
        item.version,
        outcome="return",
        comment="请补正",
        documents="grading_certificate",
        **{"reason-grading_certificate": "证书复印件不清晰"},
        fields="evidence.grading.level",
        **{"reason-evidence.grading.level": "等级与证书不一致"},
        deadline_days="5",
    )

    assert response.status_code == 303
    result = text_of(officer.get(response.headers["location"]).text)
    assert "已保存您的决定:退回补正" in result
    assert "申请现状态:待补正,等待:申请人补正。" in result
    correction = site.application(number).correction or {}
    assert correction["deadline_working_days"] == 5
    assert [(i["field"], i["reason"]) for i in correction["items"]] == [
        ("documents[grading_certificate]", "证书复印件不清晰"),
        ("evidence.grading.level", "等级与证书不一致"),
    ]
    with site.state.reading() as session:
        kinds = session.scalars(select(Notice.kind).where(Notice.event_key.like("%correction%")))
        assert "correction" in list(kinds)


def test_a_return_must_name_something_to_correct(site: Site) -> None:
    number = site.numbers["markup"]
    item = site.open_item(number, "city.amr")
    officer = site.sign_in("city.amr")

    before = decisions(site)
    response = decide(officer, item.id, item.version, outcome="return", comment="材料不全")

    assert response.status_code == 400
    assert "须至少勾选一项需补正的材料或填报事项" in response.text
    assert "材料不全" in response.text  # what was typed is kept
    assert decisions(site) == before


def test_a_document_of_another_application_cannot_be_named(site: Site) -> None:
    number = site.numbers["markup"]
    item = site.open_item(number, "city.amr")
    response = decide(
        site.sign_in("city.amr"),
        item.id,
        item.version,
        outcome="return",
        documents="transfer_contract",
    )
    assert response.status_code == 400 and "“专利转让合同”不在本申请所属措施的材料清单中" in (
        response.text
    )


def test_rejecting_needs_reasons_and_then_rejects_with_a_notice(site: Site) -> None:
    number = site.numbers["finreg"]
    item = site.open_item(number, "city.finreg")
    officer = site.sign_in("city.finreg")

    refused = decide(officer, item.id, item.version, outcome="reject", comment="  ")
    assert refused.status_code == 400 and "不予通过须写明理由" in refused.text

    response = decide(
        officer, item.id, item.version, outcome="reject", comment="贷款未形成实际损失。"
    )
    assert response.status_code == 303
    result = text_of(officer.get(response.headers["location"]).text)
    assert "已保存您的决定:不予通过" in result and "申请现状态:不予奖励" in result
    assert site.application(number).state == "rejected"


def test_countersigning_records_the_opinion_and_waits_for_the_others(site: Site) -> None:
    number = site.numbers["countersign"]
    item = site.open_item(number, "city.drc")
    officer = site.sign_in("city.drc")
    page = officer.get(f"/applications/{number}").text
    assert 'name="outcome" value="countersign"' in page

    response = decide(
        officer, item.id, item.version, outcome="countersign", comment="同意,符合产业政策。"
    )

    assert response.status_code == 303
    result = text_of(officer.get(response.headers["location"]).text)
    assert "已保存您的决定:会签同意" in result and "同意,符合产业政策。" in result
    assert "下一环节:责任单位会签,等待:市科技局、市工信局、市财政局、市国资委。" in result


def test_a_stale_form_gets_a_clear_message_and_the_fresh_page(site: Site) -> None:
    number = site.numbers["lead"]
    item = site.open_item(number, "city.amr")
    officer = site.sign_in("city.amr")

    # a version other than the one stored (0 is no version at all: refused as a bad form)
    stale = decide(officer, item.id, item.version + 1, outcome="approve", comment="同意")
    assert stale.status_code == 409
    assert "已变化" in stale.text and "请刷新后再办理" in stale.text

    assert decide(officer, item.id, item.version, outcome="approve").status_code == 303
    again = decide(officer, item.id, item.version, outcome="reject", comment="改主意")
    assert again.status_code == 409 and "已办结" in again.text
    assert "责任单位会签" in again.text  # the refreshed page shows where it stands now


def test_operators_read_everything_and_decide_nothing(site: Site) -> None:
    number = site.numbers["lead"]
    item = site.open_item(number, "city.amr")
    operator = site.sign_in("operator")
    before = decisions(site)

    page = operator.get(f"/applications/{number}")
    assert page.status_code == 200 and "运营账号只读" in page.text
    assert "/decision" not in page.text
    response = decide(operator, item.id, item.version, outcome="approve")
    assert response.status_code == 403
    assert decisions(site) == before


def test_a_decision_without_the_session_csrf_token_is_refused(site: Site) -> None:
    number = site.numbers["lead"]
    item = site.open_item(number, "city.amr")
    officer = site.sign_in("city.amr")
    other = site.sign_in("city.amr")  # a second session has its own token
    assert other.csrf != officer.csrf
    form = {"version": str(item.version), "outcome": "approve", "comment": "同意"}
    url = f"/work-items/{item.id}/decision"
    before = decisions(site)

    for data in (form, {**form, "csrf": ""}, {**form, "csrf": other.csrf}):
        response = officer.client.post(url, data=data, follow_redirects=False)
        assert response.status_code == 403 and "表单已失效" in response.text
    cross_site = officer.post(url, form, headers={"origin": "https://evil.example"})
    assert cross_site.status_code == 403
    json_body = officer.client.post(url, json={**form, "csrf": officer.csrf})
    assert json_body.status_code == 415
    assert decisions(site) == before


def test_a_typed_comment_with_markup_comes_back_escaped(site: Site) -> None:
    number = site.numbers["lead"]
    item = site.open_item(number, "city.amr")
    response = decide(
        site.sign_in("city.amr"),
        item.id,
        item.version,
        outcome="return",
        comment='<script>alert("typed")</script>',
    )
    assert response.status_code == 400
    assert '<script>alert("typed")' not in response.text
    assert "&lt;script&gt;alert(&#34;typed&#34;)&lt;/script&gt;" in response.text


def test_a_programme_item_is_completed_from_its_own_page(site: Site) -> None:
    officer = site.sign_in("city.amr")
    inbox = officer.get("/inbox").text
    [item_id] = re.findall(
        r'href="/work-items/(\d+)">#\d+</a></td>\s*<td><a [^>]+>2025年度M04', inbox
    )
    page = officer.get(f"/work-items/{item_id}")
    assert page.status_code == 200 and "M04 2025年度工作" in page.text
    version = re.search(r'name="version" value="(\d+)"', page.text)
    assert version

    response = decide(
        officer, int(item_id), int(version.group(1)), outcome="approve", comment="已部署"
    )

    assert response.status_code == 303
    done = officer.get(response.headers["location"]).text
    assert "已保存:同意" in done and "已部署" in done
    assert csrf_in(done)  # the logout form is still there
