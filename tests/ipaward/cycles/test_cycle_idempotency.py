"""Running a finished cycle again, or one killed half-way, pays nothing twice and loses nothing."""

from __future__ import annotations

import pytest

from ipaward.cycles import lines as lines_module
from ipaward.cycles import list_payment as payment_module
from tests.ipaward.cycles.support import FILED, CycleBench, another, m09


def _cohort(bench: CycleBench, count: int) -> list[str]:
    return [bench.accept(another(m09(f"P{i}-", 2), i)) for i in range(count)]


def test_a_cycle_killed_while_paying_pays_the_rest_once_when_run_again(
    bench: CycleBench, monkeypatch: pytest.MonkeyPatch
) -> None:
    numbers = _cohort(bench, 7)  # chunks of 3: the second chunk dies
    _, day = bench.drive_list("M09", stop=lambda r: r["stage"] == "finance")
    bench.approve_list("M09")
    real, calls = payment_module.payment_notices, []

    def dies_on_second_chunk(*args: object, **kwargs: object) -> list[int]:
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("killed")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(payment_module, "payment_notices", dies_on_second_chunk)
    with pytest.raises(RuntimeError, match="killed"):
        bench.settle("M09", on=day)
    paid_before = [n for n in numbers if bench.application(n).state == "paid"]
    assert len(paid_before) == 3  # the first chunk committed; the second rolled back whole
    monkeypatch.setattr(payment_module, "payment_notices", real)

    report = bench.settle("M09", on=day)
    assert report["state"] == "done" and report["lines"] == {"paid": 7}
    for number in numbers:
        assert len(bench.ledger(number)) == 1
        assert bench.notice_kinds(number).count("payment") == 1
    footprint = bench.footprint()
    bench.settle("M09", on=day)
    assert bench.footprint() == footprint


def test_a_build_killed_half_way_lines_up_every_application_once(
    sqlite_bench: CycleBench, monkeypatch: pytest.MonkeyPatch
) -> None:
    numbers = _cohort(sqlite_bench, 7)
    real, calls = lines_module.insert, []

    def dies_on_second_chunk(*args: object, **kwargs: object) -> object:
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("killed")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(lines_module, "insert", dies_on_second_chunk)
    with pytest.raises(RuntimeError, match="killed"):
        sqlite_bench.settle("M09", on=FILED)
    monkeypatch.setattr(lines_module, "insert", real)
    assert sqlite_bench.cycle("M09").state == "building"

    report = sqlite_bench.settle("M09", on=FILED)
    assert report["state"] == "in_review" and report["lines"] == {"included": 7}
    assert sorted(sqlite_bench.cycle("M09").lines) == sorted(numbers)
    assert len(sqlite_bench.list_items("M09")) == 1
