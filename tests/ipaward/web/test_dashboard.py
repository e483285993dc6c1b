"""The dashboard page on the web test home (a known cohort): its four charts carry the
expected numbers in their SVG and tables, the two years are told apart, and the lead unit's
page and JSON hold nothing of applications it may not open."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

import pytest
from sqlalchemy import select, update

from ipaward.db.models import Application, Budget, Fund, LedgerEntry
from tests.ipaward.web.site import Site

SVG = "{http://www.w3.org/2000/svg}"


def chart(page: str, key: str) -> ET.Element:
    """The chart's SVG, parsed (it must be well-formed XML to be parsed at all)."""
    found = re.search(rf'<svg [^>]*id="{key}-svg".*?</svg>', page, re.DOTALL)
    assert found, key
    return ET.fromstring(found.group(0))


def tooltips(svg: ET.Element) -> list[str]:
    return [t.text or "" for rect in svg.iter(f"{SVG}rect") for t in rect.iter(f"{SVG}title")]


def texts(svg: ET.Element) -> list[str]:
    return [t.text or "" for t in svg.iter(f"{SVG}text")]


def data_table(page: str, key: str) -> list[list[str]]:
    figure = page.split(f'id="{key}"', 1)[1].split("</figure>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", figure.split("<tbody>", 1)[1], re.DOTALL)
    return [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row) for row in rows]


@pytest.fixture
def paid_site(site: Site) -> Site:
    """The home with its payments dated (the M12 award, two M07 payments for reward year
    2024, one across Zhangzhou's new year), the M07 budget row and the M10 fund."""
    lead = site.application(site.numbers["lead"])
    with site.state.writing() as session:
        session.execute(
            update(LedgerEntry).values(posted_at=dt.datetime(2025, 10, 20, 2, tzinfo=dt.UTC))
        )
        for amount, posted in (
            (100_000, dt.datetime(2024, 12, 31, 17, 30, tzinfo=dt.UTC)),  # 1 Jan in Zhangzhou
            (200_000, dt.datetime(2025, 6, 30, 15, 59, tzinfo=dt.UTC)),
        ):
            session.add(
                LedgerEntry(
                    application_id=lead.id,
                    measure="M07",
                    recipient_uscc="12350000488000111T",
                    year=2024,
                    amount=amount,
                    city_amount=amount,
                    jurisdiction_amount=0,
                    edition="2024",
                    posted_at=posted,
                )
            )
        session.add(Budget(measure="M07", year=2024, amount=1_500_000, committed=300_000))
        session.add(
            Fund(
                code="inclusive_finance_risk_fund",
                name="漳州市普惠金融发展风险补偿资金",
                capacity=100_000_000,
                balance=99_000_000,
            )
        )
    return site


def test_the_charts_show_the_cohort_numbers(paid_site: Site) -> None:
    page = paid_site.sign_in("operator").get("/dashboard").text

    pipeline = chart(page, "chart-pipeline")
    assert pipeline.get("role") == "img"
    assert pipeline.find(f"{SVG}title") is not None and pipeline.find(f"{SVG}desc") is not None
    assert tooltips(pipeline) == ["待申请人补正:1件", "牵头单位审核:3件", "责任单位会签:1件"]
    assert data_table(page, "chart-pipeline")[3] == ["牵头单位审核", "3", "1,220,001元"]

    backlog = chart(page, "chart-backlog")
    assert "市市场监管局:未逾期1项" in tooltips(backlog)
    assert "市市场监管局:逾期超过5个工作日2项" in tooltips(backlog)
    assert "待办3 · 逾期2" in texts(backlog)
    assert "市地方金融监管局:未逾期1项" in tooltips(backlog)

    money = chart(page, "chart-money")
    assert "第（七）条 盘活存量专利 · 2024年度预算:已拨付 300,000元" in tooltips(money)
    assert "第（七）条 盘活存量专利 · 2024年度预算:审核中(测算) 40,000元" in tooltips(money)
    assert "30万/150万元 20% 在途4万" in texts(money)
    assert "最多一家30万/30万元" in texts(money)  # the unit reached the per-unit cap
    assert "100万/10,000万元 1%" in texts(money)  # the M10 fund
    rows = data_table(page, "chart-money")
    assert ["第（七）条 盘活存量专利", "2024", "年度预算", "1,500,000元", "300,000元", "0元",
            "40,000元", "300,000元", "20%", ""] in rows  # fmt: skip
    assert ["第（七）条 盘活存量专利", "2024", "单位年度上限(已拨付为获拨最多的一家)",
            "300,000元", "300,000元", "—", "—", "—", "100%", "1家单位获拨付,1家达上限"] in rows  # fmt: skip

    monthly = chart(page, "chart-monthly")
    assert {"2025-01 拨付(件) 1", "2025-06 拨付(件) 1", "2025-10 拨付(件) 1"} <= set(
        tooltips(monthly)
    )
    assert "2025-09 提交(件) 6" in tooltips(monthly)
    assert ["2025-10", "1", "1", "200,000元"] in data_table(page, "chart-monthly")

    for key in ("chart-money", "chart-pipeline", "chart-backlog", "chart-monthly"):
        svg = re.search(rf'<svg [^>]*id="{key}-svg".*?</svg>', page, re.DOTALL)
        assert svg and "style=" not in svg.group(0) and "<script" not in svg.group(0)
        assert "href" not in svg.group(0).replace('fill="url(#', "")  # nothing fetched


def test_reward_year_and_posting_year_are_told_apart(paid_site: Site) -> None:
    officer = paid_site.sign_in("operator")
    page = officer.get("/dashboard").text
    assert "<th>奖励年度</th><th>拨付年度</th>" in page
    ledger = page.split('id="ledger"', 1)[1].split("</section>", 1)[0]
    # both M07 payments are for reward year 2024; both were booked in Zhangzhou's 2025
    assert re.search(r"<td>第（七）条 盘活存量专利</td><td>2024</td><td>2025</td>"
                     r'<td class="num">2</td><td class="num">300,000元</td>', ledger)  # fmt: skip
    assert "<td>不分年度</td><td>2025</td>" in ledger  # the one-off M12 award
    money = officer.get("/api/money").json()
    assert {(r["measure"], r["reward_year"], r["posted_year"]) for r in money["paid"]} == {
        ("M07", 2024, 2025),
        ("M12", None, 2025),
    }


def test_the_lead_unit_reads_nothing_of_applications_it_may_not_open(paid_site: Site) -> None:
    finreg = paid_site.application(paid_site.numbers["finreg"])
    with paid_site.state.reading() as session:
        applicant = (
            session.scalars(select(Application).where(Application.id == finreg.id))
            .one()
            .applicant.name
        )
    officer = paid_site.sign_in("city.amr")
    page = officer.get("/dashboard").text
    json_texts = [
        officer.get(url).text
        for url in (
            "/api/dashboard",
            "/api/applications/by-state",
            "/api/backlog",
            "/api/money",
            "/api/pipeline",
            "/api/monthly",
        )
    ]
    for text in (page, *json_texts):
        assert finreg.number not in text and applicant not in text
        assert "city.finreg" not in text and "市地方金融监管局" not in text
    assert "牵头单位审核:2件" in tooltips(chart(page, "chart-pipeline"))  # not 3
    assert "风险补偿资金" not in page  # the M10 fund is city.finreg's to read
    assert officer.get("/api/applications/by-state").json()["total"] == 6
    assert "仅统计本部门可查看的申请" in page
