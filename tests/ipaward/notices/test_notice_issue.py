"""Issuing a notice stores one row and its files per event, whatever happens twice."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from ipaward.config.config_errors import ConfigError
from ipaward.db.models import Counter, Notice
from ipaward.db.session import make_engine, make_session_factory, transaction
from ipaward.notices import issue as issue_module
from ipaward.notices.issue import issue_notice, notice_files
from ipaward.notices.kinds import AcceptanceContext, sample_context
from ipaward.notices.numbering import next_doc_number
from ipaward.settings import Settings

MakeApplication = Callable[..., int]


def count_notices(session: Session) -> int:
    return session.scalar(select(func.count(Notice.id))) or 0


def accept(session: Session, settings: Settings, event_key: str, **options: Any) -> Notice:
    return issue_notice(
        session,
        settings=settings,
        event_key=event_key,
        kind="acceptance",
        context=sample_context("acceptance"),
        application_id=None,
        **options,
    )


def test_a_notice_is_numbered_rendered_stored_and_written(
    session: Session, settings: Settings, make_application: MakeApplication
) -> None:
    application_id = make_application(session, measure="M01")
    notice = issue_notice(
        session,
        settings=settings,
        event_key=f"app:{application_id}:accepted",
        kind="acceptance",
        context=sample_context("acceptance"),
        application_id=application_id,
        recipients=["applicant-1", "longhai.gov"],
    )
    assert notice.id is not None
    assert notice.application_id == application_id
    assert (notice.kind, notice.authority, notice.language) == ("acceptance", "city.amr", "zh-Hans")
    assert notice.doc_number == "漳市监知〔2024〕1号"
    assert notice.path is not None and notice.path.startswith("notices/2024/")
    files = notice_files(notice, settings=settings)
    assert files.text.read_text(encoding="utf-8") == notice.body
    assert "漳市监知〔2024〕1号" in notice.body
    assert '<p class="doc-number">漳市监知〔2024〕1号</p>' in files.html.read_text("utf-8")
    meta = json.loads(files.meta.read_text(encoding="utf-8"))
    assert meta["recipients"] == ["applicant-1", "longhai.gov"]
    assert meta["title"].endswith("受理通知书")
    assert AcceptanceContext.model_validate(meta["context"]) == sample_context("acceptance")
    assert list(files.text.parent.glob(".*.tmp")) == []


def test_the_same_event_twice_gives_one_row_one_number_and_the_same_files(
    session: Session, settings: Settings
) -> None:
    first = accept(session, settings, "app:7:accepted")
    files = notice_files(first, settings=settings)
    written = (files.text.read_bytes(), files.html.read_bytes(), files.text.stat().st_mtime_ns)
    second = accept(session, settings, "app:7:accepted", language="zh-Hant")
    assert second is first
    assert count_notices(session) == 1
    assert (files.text.read_bytes(), files.html.read_bytes()) == written[:2]
    assert files.text.stat().st_mtime_ns == written[2]  # not even rewritten
    assert next_doc_number(session, authority_code="city.amr", year=2024).endswith("〔2024〕2号")


def test_different_events_get_consecutive_numbers_and_their_own_files(
    session: Session, settings: Settings
) -> None:
    one = accept(session, settings, "app:1:accepted")
    two = accept(session, settings, "app:2:accepted")
    assert (one.doc_number, two.doc_number) == ("漳市监知〔2024〕1号", "漳市监知〔2024〕2号")
    assert one.path != two.path


def test_a_traditional_notice_stores_the_traditional_text(
    session: Session, settings: Settings
) -> None:
    notice = accept(session, settings, "app:3:accepted", language="zh-Hant")
    assert notice.language == "zh-Hant"
    assert notice.doc_number == "漳市监知〔2024〕1号"  # the register keeps one spelling
    assert "漳市監知〔2024〕1號" in notice.body and "受理通知書" in notice.body


def test_losing_a_race_returns_the_winner_and_gives_the_number_back(
    session: Session, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    winner = accept(session, settings, "app:9:accepted")
    files = notice_files(winner, settings=settings)
    before = files.text.read_bytes()
    real_existing = issue_module._existing
    calls: list[list[str]] = []

    def blind_once(session: Session, keys: list[str]) -> dict[str, int]:
        calls.append(keys)
        return {} if len(calls) == 1 else real_existing(session, keys)

    monkeypatch.setattr(issue_module, "_existing", blind_once)
    loser = accept(session, settings, "app:9:accepted")
    assert calls == [["app:9:accepted"]]  # missed it, hit the unique key, took the winner's
    assert loser.id == winner.id and loser.doc_number == "漳市监知〔2024〕1号"
    assert count_notices(session) == 1
    assert files.text.read_bytes() == before
    assert next_doc_number(session, authority_code="city.amr", year=2024).endswith("〔2024〕2号")


def test_an_authority_without_a_prefix_stores_nothing(session: Session, settings: Settings) -> None:
    context = sample_context("acceptance")
    header = context.header.model_copy(update={"authority_code": "city.court"})
    with pytest.raises(ConfigError):
        issue_notice(
            session,
            settings=settings,
            event_key="app:4:accepted",
            kind="acceptance",
            context=context.model_copy(update={"header": header}),
            application_id=None,
        )
    assert count_notices(session) == 0
    assert session.scalars(select(Counter)).all() == []
    assert not (settings.home / "notices").exists()


def test_a_context_of_the_wrong_kind_is_refused_and_uses_no_number(
    session: Session, settings: Settings
) -> None:
    with pytest.raises(TypeError, match="AcceptanceContext"):
        issue_notice(
            session,
            settings=settings,
            event_key="app:5:accepted",
            kind="acceptance",
            context=sample_context("task"),
            application_id=None,
        )
    assert count_notices(session) == 0
    assert next_doc_number(session, authority_code="city.amr", year=2024).endswith("〔2024〕1号")


def test_unknown_kind_and_language_are_refused(session: Session, settings: Settings) -> None:
    with pytest.raises(ValueError, match="unknown notice kind"):
        issue_notice(
            session,
            settings=settings,
            event_key="x",
            kind="memo",
            context=sample_context("task"),
            application_id=None,
        )
    with pytest.raises(ValueError, match="unknown notice language"):
        accept(session, settings, "y", language="zh-TW")


def test_two_workers_issuing_the_same_event_store_one_notice(
    migrated_url: str, session_factory: sessionmaker[Session], settings: Settings
) -> None:
    barrier = threading.Barrier(2)
    outcomes: list[Any] = [None, None]

    def run(index: int) -> None:
        engine = make_engine(migrated_url)
        try:
            barrier.wait(timeout=30)
            with transaction(make_session_factory(engine)) as session:
                outcomes[index] = accept(session, settings, "app:11:accepted").doc_number
                time.sleep(0.3)  # hold the transaction so the other one really collides
        except Exception as error:
            outcomes[index] = error
        finally:
            engine.dispose()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert outcomes == ["漳市监知〔2024〕1号", "漳市监知〔2024〕1号"], outcomes
    with transaction(session_factory) as session:
        assert count_notices(session) == 1
        counter = session.scalars(select(Counter).where(Counter.key == "notice:city.amr:2024"))
        assert counter.one().value == 1
