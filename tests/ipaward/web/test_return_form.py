"""The return (补正) form offers the measure's own checklist and evidence fields by label,
each ticked one with its reason; the stored paths reach the applicant as labels."""

from __future__ import annotations

import re

from sqlalchemy import select

from ipaward.db.models import Notice
from ipaward.web.accounts import OPERATOR
from tests.ipaward.web.demo_site import readable
from tests.ipaward.web.site import Officer, Site


def _return(officer: Officer, item_id: int, version: int, **fields: str) -> object:
    data = {"version": str(version), "outcome": "return", "comment": "请补正", **fields}
    return officer.post(f"/work-items/{item_id}/decision", data)


def test_the_form_offers_checklist_documents_and_evidence_fields_by_label(site: Site) -> None:
    number = site.numbers["lead"]  # M07: two transfers
    page = site.sign_in("city.amr").get(f"/applications/{number}").text
    form = page[page.index('class="decision return"') :]
    form = form[: form.index("</form>")]
    assert 'name="fields" value="evidence.transfers[0].recorded_on"' in form
    assert 'name="reason-evidence.transfers[1].transferee.name"' in form
    text = readable(form)
    for expected in ("专利转让合同", "国家知识产权局专利转让登记证明", "第1项转让的登记日"):
        assert expected in text, expected
    assert "第2项转让的受让方名称" in text
    assert not re.search(r"evidence\.|documents\[|\w+\[\d\]", text)  # no path to type or read
    assert "ISO 56005" not in text  # another measure's checklist is not offered


def test_a_return_stores_paths_and_the_applicant_reads_labels(site: Site) -> None:
    number = site.numbers["lead"]
    item = site.open_item(number, "city.amr")
    officer = site.sign_in("city.amr")
    response = _return(
        officer,
        item.id,
        item.version,
        documents="transfer_contract",
        fields="evidence.transfers[0].recorded_on",
        **{
            "reason-transfer_contract": "合同未盖章",
            "reason-evidence.transfers[0].recorded_on": "登记日与证明不符",
        },
    )
    assert response.status_code == 303  # type: ignore[attr-defined]
    items = (site.application(number).correction or {})["items"]
    assert [(i["field"], i["reason"]) for i in items] == [
        ("documents[transfer_contract]", "合同未盖章"),
        ("evidence.transfers[0].recorded_on", "登记日与证明不符"),
    ]
    page = readable(officer.get(f"/applications/{number}").text)
    assert "第1项转让的登记日:登记日与证明不符" in page
    with site.state.reading() as session:
        notice = session.scalars(select(Notice.id).where(Notice.kind == "correction")).all()[-1]
    reader = site.sign_in(OPERATOR)
    text = readable(reader.get(f"/notices/{notice}").text)
    traditional = readable(reader.get(f"/notices/{notice}?lang=zh-Hant").text)
    assert "documents[" not in text + traditional and "evidence." not in text + traditional
    assert "填報事項：第1項轉讓的登記日" in traditional
    assert "材料：专利转让合同" in text
    assert "填报事项：第1项转让的登记日" in text


def test_a_ticked_box_needs_a_reason(site: Site) -> None:
    number = site.numbers["lead"]
    item = site.open_item(number, "city.amr")
    response = _return(
        site.sign_in("city.amr"),
        item.id,
        item.version,
        fields="evidence.transfers[1].transferee.name",
    )
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "请填写“第2项转让的受让方名称”需补正的问题" in response.text  # type: ignore[attr-defined]


def test_only_the_measures_own_items_are_accepted(site: Site) -> None:
    number = site.numbers["lead"]
    item = site.open_item(number, "city.amr")
    officer = site.sign_in("city.amr")
    foreign = _return(
        officer,
        item.id,
        item.version,
        fields="evidence.grading.certificate_no",
        **{"reason-evidence.grading.certificate_no": "不清晰"},
    )
    assert foreign.status_code == 400  # type: ignore[attr-defined]
    assert "“等级证书编号”不是本申请所属措施的填报事项" in foreign.text  # type: ignore[attr-defined]
    beyond = _return(
        officer,
        item.id,
        item.version,
        fields="evidence.transfers[9].recorded_on",
        **{"reason-evidence.transfers[9].recorded_on": "不符"},
    )
    assert "“第10项转让的登记日”不是本申请所属措施的填报事项" in beyond.text  # type: ignore[attr-defined]
    document = _return(
        officer,
        item.id,
        item.version,
        documents="grading_certificate",
        **{"reason-grading_certificate": "不清晰"},
    )
    assert "“ISO 56005 评级证书”不在本申请所属措施的材料清单中" in document.text  # type: ignore[attr-defined]
    assert site.application(number).correction is None
