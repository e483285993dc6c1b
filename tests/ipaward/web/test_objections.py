"""Objections on the web: the lead unit decides one (异议成立 / 异议不成立, each with a reason)
and records a paper objection received during 公示 with its scan."""

from __future__ import annotations

import hashlib
import re

import pytest
from sqlalchemy import select

from ipaward.db.models import AuditEntry
from ipaward.documents.store import stored_path
from tests.ipaward.web.site import TODAY, Officer, Site

PDF = b"%PDF-1.4\n" + b"scanned objection " * 2000


def record(officer: Officer, number: str, **overrides: object) -> object:
    fields = {"name": "李四", "text": "受让方为申请人关联企业", "received_on": TODAY.isoformat()}
    scan = overrides.pop("scan", ("异议书.pdf", PDF, "application/pdf"))
    fields.update({k: str(v) for k, v in overrides.items()})
    files = {"scan": scan} if scan is not None else {"scan": ("", b"", "application/octet-stream")}
    return officer.post(f"/applications/{number}/objection", fields, files=files)


def text_of_page(html: str) -> str:
    return re.sub(r"\s+", "", re.sub(r"<[^>]+>", "", html))


def audit_of(site: Site, action: str) -> list[AuditEntry]:
    with site.state.reading() as session:
        rows = list(session.scalars(select(AuditEntry).where(AuditEntry.action == action)))
        session.expunge_all()
        return rows


def route_headings(page: str) -> list[str]:
    route = page.split('<ol class="route">', 1)[1].split("</ol>", 1)[0]
    return [text_of_page(h) for h in re.findall(r"<h3>(.*?)</h3>", route, flags=re.S)]


def test_an_objection_review_offers_upheld_and_dismissed_and_stands_after_the_publicity(
    objection_site: Site,
) -> None:
    number = objection_site.numbers["objected"]
    item = objection_site.open_item(number, "city.amr")
    page = objection_site.sign_in("city.amr").get(f"/applications/{number}").text

    assert 'value="objection_upheld"' in page and 'value="objection_dismissed"' in page
    assert 'value="approve"' not in page and 'value="return"' not in page
    assert f'action="/work-items/{item.id}/decision"' in page
    assert "漳州某科技有限公司" in page
    stages = [h.replace("当前", "") for h in route_headings(page)]
    assert stages.index("异议复核") == stages.index("公示") + 1
    assert stages.index("异议复核") < stages.index("财政拨付审核")


def test_dismissing_the_objection_needs_a_reason_and_then_opens_a_new_publicity(
    objection_site: Site,
) -> None:
    number = objection_site.numbers["objected"]
    item = objection_site.open_item(number, "city.amr")
    officer = objection_site.sign_in("city.amr")
    url = f"/work-items/{item.id}/decision"

    bare = officer.post(url, {"version": str(item.version), "outcome": "objection_dismissed"})
    assert bare.status_code == 400 and "异议不成立须写明理由" in bare.text
    generic = officer.post(
        url, {"version": str(item.version), "outcome": "approve", "comment": "同意"}
    )
    assert generic.status_code == 400 and "只能作出“异议成立”或“异议不成立”" in generic.text

    done = officer.post(
        url,
        {"version": str(item.version), "outcome": "objection_dismissed", "comment": "无关联关系"},
    )

    assert done.status_code == 303
    result = text_of_page(officer.get(done.headers["location"]).text)
    assert "已保存您的决定:异议不成立" in result and "无关联关系" in result
    application = objection_site.application(number)
    assert application.state == "publicity"
    assert (application.objection or {})["upheld"] is False


def test_upholding_the_objection_rejects_naming_the_objector(objection_site: Site) -> None:
    number = objection_site.numbers["objected"]
    item = objection_site.open_item(number, "city.amr")
    officer = objection_site.sign_in("city.amr")

    done = officer.post(
        f"/work-items/{item.id}/decision",
        {"version": str(item.version), "outcome": "objection_upheld", "comment": "关联关系属实"},
    )

    assert done.status_code == 303
    assert objection_site.application(number).state == "rejected"
    refusal = [n for n in objection_site.notices() if n.kind == "refusal"][-1]
    assert "漳州某科技有限公司" in refusal.body and "关联关系属实" in refusal.body


def test_the_lead_unit_records_a_paper_objection_with_its_scan(objection_site: Site) -> None:
    number = objection_site.numbers["publicity"]
    officer = objection_site.sign_in("city.amr")
    page = officer.get(f"/applications/{number}").text
    assert f'href="/applications/{number}/objection"' in page
    form = officer.get(f"/applications/{number}/objection")
    assert form.status_code == 200 and 'enctype="multipart/form-data"' in form.text

    response = record(officer, number)

    assert response.status_code == 303, response.text
    assert response.headers["location"].endswith("?objection=recorded#objection")
    application = objection_site.application(number)
    assert (application.state, application.stage) == ("in_review", "objection_review")
    objection = application.objection or {}
    digest = hashlib.sha256(PDF).hexdigest()
    assert (objection["name"], objection["received_on"]) == ("李四", TODAY.isoformat())
    assert objection["scan"] == {
        "sha256": digest,
        "name": "异议书.pdf",
        "media_type": "application/pdf",
        "size": len(PDF),
    }
    assert objection["recorded_by"] == "city.amr/city.amr经办人"
    assert stored_path(objection_site.state.ctx.files_root, digest).read_bytes() == PDF
    [audited] = [a for a in audit_of(objection_site, "application.object") if a.entity_id == number]
    assert audited.details["scan_sha256"] == digest and audited.details["objector"] == "李四"
    shown = officer.get(response.headers["location"]).text
    assert "已登记书面异议" in shown and "异议书.pdf" in shown
    scan = officer.get(f"/applications/{number}/objection/scan")
    assert scan.status_code == 200 and scan.content == PDF
    assert scan.headers["content-disposition"].startswith("attachment")


def test_a_paper_objection_outside_the_publicity_is_refused(objection_site: Site) -> None:
    number = objection_site.numbers["lead"]  # at 牵头单位审核
    officer = objection_site.sign_in("city.amr")
    form = officer.get(f"/applications/{number}/objection")
    assert (
        form.status_code == 200 and "不在公示期内" in form.text and 'name="scan"' not in form.text
    )

    response = record(officer, number)

    assert response.status_code == 400 and "不在公示期内" in response.text
    assert objection_site.application(number).objection is None


def test_a_paper_objection_received_in_the_future_is_refused(objection_site: Site) -> None:
    number = objection_site.numbers["publicity"]
    response = record(objection_site.sign_in("city.amr"), number, received_on="2025-10-28")
    assert response.status_code == 400 and "不能晚于今天" in response.text
    assert objection_site.application(number).state == "publicity"


@pytest.mark.parametrize(
    ("scan", "why"),
    [
        (("a.exe", b"MZ" + b"\0" * 4000, "application/octet-stream"), "可执行文件"),
        (("a.txt", "我有异议".encode() * 100, "text/plain"), "只接受PDF"),
        (("a.pdf", b"", "application/pdf"), "空文件"),
        (None, "请上传"),
    ],
    ids=["executable", "text", "empty", "missing"],
)
def test_a_bad_scan_is_refused_and_nothing_changes(
    objection_site: Site, scan: object, why: str
) -> None:
    number = objection_site.numbers["publicity"]
    officer = objection_site.sign_in("city.amr")

    response = record(officer, number, scan=scan)

    assert response.status_code == 400 and why in response.text
    assert "受让方为申请人关联企业" in response.text  # the form comes back as typed
    assert objection_site.application(number).state == "publicity"


def test_a_scan_over_the_document_limit_is_refused(objection_site: Site) -> None:
    number = objection_site.numbers["publicity"]
    limit = objection_site.state.ctx.procedure.max_document_bytes
    big = ("big.pdf", b"%PDF-1.4\n" + b"0" * limit, "application/pdf")

    response = record(objection_site.sign_in("city.amr"), number, scan=big)

    assert response.status_code == 400 and "超过上限" in response.text
    assert objection_site.application(number).state == "publicity"


def test_only_the_lead_unit_records_and_the_token_is_checked(objection_site: Site) -> None:
    number = objection_site.numbers["publicity"]
    others = {i.department for i in objection_site.items(number)} - {"city.amr"}
    assert others  # the countersigning units see the application
    for department in sorted(others)[:2]:
        officer = objection_site.sign_in(department)
        assert officer.get(f"/applications/{number}/objection").status_code == 403
        assert record(officer, number).status_code == 403
    stranger = objection_site.sign_in("city.court")
    assert stranger.get(f"/applications/{number}/objection").status_code == 404
    assert record(stranger, number).status_code == 404
    operator = objection_site.sign_in("operator")
    assert record(operator, number).status_code == 403
    lead = objection_site.sign_in("city.amr")
    lead.csrf = "forged"
    assert record(lead, number).status_code == 403
    assert objection_site.application(number).state == "publicity"
