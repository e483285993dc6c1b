"""措施十八: the yearly report's figures come from the database and render from the template."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from ipaward.reports.m18 import m18_report, render_m18
from tests.ipaward.cycles.support import CycleBench, another, closing, m09, open_cycle_bench
from tests.support.applications import example


@pytest.fixture
def bench(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[CycleBench]:
    yield from closing(open_cycle_bench(tmp_path, monkeypatch))


def test_the_report_counts_applications_amounts_by_jurisdiction_and_decision_times(
    bench: CycleBench,
) -> None:
    bench.accept(m09("A", 2))  # 漳州台商投资区, 2 × 5,000
    bench.accept(another(m09("B", 3), 1))  # 芗城区 (the example's place kept), 3 × 5,000
    withdrawn = bench.submit(example("m06_grading"), on=dt.date(2025, 3, 3))
    bench.withdraw(withdrawn)
    report, day = bench.drive_list("M09")
    assert report["lines"] == {"paid": 2}

    with bench.transaction() as session:
        figures = m18_report(session, bench.ctx, year=2024, today=day)
    m09_line = next(m for m in figures.measures if m.code == "M09")
    assert (m09_line.applications, m09_line.paid, m09_line.amount) == (2, 2, 25000)
    assert m09_line.by_jurisdiction == {"漳州台商投资区": 25000}
    assert figures.totals["paid"] == 2 and figures.totals["city"] == 25000
    assert [c["measure"] for c in figures.cycles] == ["M09"]
    assert {d.name for d in figures.departments} >= {"市市场监管局", "市财政局"}
    m06_line = next(m for m in figures.measures if m.code == "M06")
    assert m06_line.applications == 0  # filed in 2025: not in the 2024 report

    text = render_m18(figures)
    assert text.startswith("# 2024年度《漳州市促进知识产权高质量发展若干措施》实施情况考核评价报告")
    assert "| M09 | 推动专利密集型产品备案 | annual | 2 | 2 | 0 | 0 | 0 | 25,000 |" in text
    assert "漳州台商投资区 25,000 元。" in text
    assert "## 六、各单位办理时效（工作日）" in text
    with bench.transaction() as session:
        next_year = render_m18(m18_report(session, bench.ctx, year=2025, today=day))
    assert "| M06 | 提升知识产权管理效能与创新水平 | award | 1 | 0 | 0 | 1 | 0 | 0 |" in next_year
