"""A yearly budget per measure (config/budgets.toml): over it the list stops before 公示 and
finance with a clear report, unless the config asks for pro-rating."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from ipaward.cycles.list_budgets import load_budgets, pro_rated
from ipaward.db.models import Budget, LedgerEntry, Notice
from tests.ipaward.cycles.support import CycleBench, another, closing, m09, open_cycle_bench


def budget(amount: int, *, pro_rate: bool = False) -> object:
    def edit(config: Path) -> None:
        (config / "budgets.toml").write_text(
            f"[patent-intensive-products]\npro_rate = {str(pro_rate).lower()}\namounts = {{ 2024 = {amount} }}\n",
            encoding="utf-8",
        )

    return edit


@pytest.fixture
def tight(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[CycleBench]:
    yield from closing(open_cycle_bench(tmp_path, monkeypatch, edit_config=budget(50000)))


def test_a_list_over_its_budget_stops_before_publicity_with_the_figures(tight: CycleBench) -> None:
    for serial in range(3):
        tight.accept(another(m09(f"S{serial}-", 4), serial))  # 3 × 20,000 = 60,000 > 50,000
    report, day = tight.drive_list("M09", stop=lambda r: r["state"] == "budget_stop")

    assert report["state"] == "budget_stop"
    stop = report["budget_stop"]
    assert (stop["budget"], stop["needed"], stop["excess"], stop["resume"]) == (
        50000,
        60000,
        10000,
        "publicity",
    )
    assert "超出" in stop["message"] and "config/budgets.toml" in stop["message"]
    assert tight.count(LedgerEntry) == 0
    assert "publicity" not in {n.kind for n in _notices(tight)}  # nothing was published
    again = tight.settle("M09", on=day)
    assert again["state"] == "budget_stop" and again["moved"] is False  # reported once

    budget(60000)(tight.settings.config_dir)  # the operator raises the budget
    report = tight.settle("M09", on=day)
    assert report["state"] == "publicity"
    report, _ = tight.drive_list("M09", on=day)
    assert report["lines"] == {"paid": 3}
    with tight.transaction() as session:
        [row] = session.scalars(select(Budget))
    assert (row.amount, row.committed) == (60000, 60000)


def test_pro_rating_scales_every_line_to_the_budget(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for bench in closing(
        open_cycle_bench(tmp_path, monkeypatch, edit_config=budget(50000, pro_rate=True))
    ):
        numbers = [bench.accept(another(m09(f"R{s}-", 4), s)) for s in range(3)]
        report, _ = bench.drive_list("M09")
        assert report["lines"] == {"paid": 3}
        amounts = [bench.ledger(n)[0].amount for n in numbers]
        assert sum(amounts) == 50000 and sorted(amounts) == [16666, 16667, 16667]
        explanation = bench.application(numbers[0]).assessment["explanation"]
        assert "按比例核减" in explanation[-1]


def test_budget_config_and_pro_rating_arithmetic(tmp_path: Path) -> None:
    (tmp_path / "budgets.toml").write_text(
        "[patent-transfers]\npro_rate = true\namounts = { 2024 = 300000, 2025 = 0 }\n",
        encoding="utf-8",
    )
    rules = load_budgets(tmp_path)
    assert (
        rules["patent-transfers", 2024].amount == 300000
        and rules["patent-transfers", 2024].pro_rate
    )
    assert pro_rated([30000, 20000, 0], available=10000) == [6000, 4000, 0]
    assert pro_rated([1, 1, 1], available=2) == [1, 1, 0]
    assert pro_rated([5, 5], available=20) == [5, 5]


def _notices(bench: CycleBench) -> list[Notice]:
    with bench.transaction() as session:
        rows = list(session.scalars(select(Notice)))
        session.expunge_all()
        return rows
