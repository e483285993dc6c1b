"""The tasks are thin: a transaction around the domain, and safe to run twice."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from ipaward.db.models import Notice
from tasks import runtime
from tasks.advance_steps import advance_chunk, open_application_numbers
from tasks.notice_delivery import deliver_notices
from tasks.reporting import _artifact_key
from tests.ipaward.cycles.support import m07 as m07_transfers
from tests.support.applications import example
from tests.support.workbench import Workbench, open_workbench

FILED = dt.date(2025, 9, 15)


def test_a_chunk_reports_a_failing_application_and_advances_the_others(bench: Workbench) -> None:
    first = bench.submit(example("m07_university_transfers"), on=FILED)
    second = bench.submit(example("m03_university_certification"), on=FILED)

    reports = advance_chunk.fn([first, "ZZIP-2024-M07-424242", second], FILED)

    assert [r.get("state") for r in reports] == ["in_review", None, "in_review"]
    assert reports[1] == {
        "number": "ZZIP-2024-M07-424242",
        "error": "LookupError: 没有申请ZZIP-2024-M07-424242",
        "notice_ids": [],
    }
    assert bench.application(second).stage == "lead_review"


def test_advancing_one_application_twice_reports_no_second_step(bench: Workbench) -> None:
    number = bench.submit(example("m07_university_transfers"), on=FILED)

    [first] = advance_chunk.fn([number], FILED)
    [again] = advance_chunk.fn([number], FILED)

    assert len(first["notice_ids"]) == 2 and first["steps"]
    assert (again["steps"], again["notice_ids"], again["waiting_on"]) == ([], [], ["city.amr"])


def test_open_applications_are_listed_in_filing_order_and_by_measure(bench: Workbench) -> None:
    m07 = bench.submit(example("m07_university_transfers"), on=FILED)
    m03 = bench.submit(example("m03_university_certification"), on=FILED)
    gone = bench.submit(m07_transfers(20, 8), on=FILED)  # other transfers of the same university
    bench.withdraw(gone)

    assert open_application_numbers.fn() == [m07, m03]
    assert open_application_numbers.fn("M03") == [m03]


def test_delivering_the_same_notices_twice_sends_each_once(bench: Workbench) -> None:
    number = bench.submit(example("m07_university_transfers"), on=FILED)
    bench.advance(number, on=FILED)
    ids = [notice.id for notice in bench.notices(number)]
    mailbox = bench.settings.home / "mailbox"

    assert deliver_notices.fn(ids) == 0
    delivered = sorted(mailbox.rglob("*.eml"))
    assert deliver_notices.fn(ids) == 0

    assert sorted(mailbox.rglob("*.eml")) == delivered and len(delivered) >= len(ids)
    assert deliver_notices.fn([]) == 0
    assert bench.count(Notice) == len(ids)


def test_the_runtime_follows_a_new_home_after_reset(
    bench: Workbench, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bench.submit(example("m07_university_transfers"), on=FILED)
    assert runtime.context().settings.home == bench.settings.home
    assert len(open_application_numbers.fn()) == 1

    other = open_workbench(tmp_path / "other", monkeypatch)
    try:
        runtime.reset()
        assert runtime.context().settings.home == other.settings.home
        assert open_application_numbers.fn() == []
    finally:
        other.close()


@pytest.mark.parametrize(
    "text",
    ["advance ZZIP-2024-M07-000001", "advance batch 年度集中审核 2025-03-03", "Ⅻ batch ２０２５"],
    ids=["number", "chinese-label", "unicode-digits"],
)
def test_artifact_keys_hold_only_lower_case_ascii_letters_digits_and_dashes(text: str) -> None:
    """Prefect refuses any other key, which would fail the flow after its work was committed."""
    assert re.fullmatch(r"[a-z0-9-]+", _artifact_key(text))
