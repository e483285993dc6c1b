"""Migration 0010 points work items at typed subjects instead of `cycle_ref` strings: a list's
items at its cycle row, a programme year's at a new programmes row in the state its items show;
applications' route snapshots learn what their stages do (the flags the stage names implied)."""

from __future__ import annotations

import json

from alembic import command
from sqlalchemy import Engine, select, text

from ipaward.db.migrate import alembic_config, upgrade_to_head
from ipaward.db.models import Application, Programme, WorkItem
from ipaward.db.session import make_engine, make_session_factory
from tests.conftest import MakeApplication

ROUTE = {
    "lead": "city.amr",
    "stages": [
        {"stage": "lead_review", "who": "lead"},
        {"stage": "countersign", "who": "countersigners"},
        {"stage": "publicity"},
        {"stage": "finance", "who": "finance"},
    ],
}


def _item(db: object, ref: str, stage: str, state: str) -> None:
    db.execute(  # type: ignore[attr-defined]
        text(
            "INSERT INTO work_items (cycle_ref, stage, department, round, state, version, "
            "created_at) VALUES (:r, :s, 'city.amr', 1, :st, 1, CURRENT_TIMESTAMP)"
        ),
        {"r": ref, "s": stage, "st": state},
    )


def _at_0007(url: str, make_application: MakeApplication) -> tuple[Engine, int]:
    command.upgrade(alembic_config(url), "0007")
    engine = make_engine(url)
    with engine.begin() as db:
        db.execute(
            text(
                "INSERT INTO cycles (measure, year, state, stage, stage_round, total, details, "
                "version, created_at, updated_at) VALUES ('M07', 2024, 'in_review', "
                "'countersign', 1, 0, '{}', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            )
        )
        _item(db, "cycle:M07:2024", "lead_review", "done")
        _item(db, "cycle:M07:2024", "countersign", "open")
        _item(db, "M04:2024", "assign", "done")
        _item(db, "M04:2024", "report", "done")
        _item(db, "M04:2024", "compile", "done")
        _item(db, "M04:2025", "assign", "done")
        _item(db, "M04:2025", "report", "open")
    with make_session_factory(engine).begin() as session:
        app_id = make_application(session, measure="M01")
        session.execute(
            text("UPDATE applications SET route = :r WHERE id = :i"),
            {"r": json.dumps(ROUTE), "i": app_id},
        )
    return engine, app_id


def test_items_point_at_their_subjects_and_routes_say_what_stages_do(
    database_url: str, make_application: MakeApplication
) -> None:
    engine, app_id = _at_0007(database_url, make_application)
    with engine.connect() as db:
        cycle_id = db.execute(text("SELECT id FROM cycles")).scalar_one()
    engine.dispose()

    upgrade_to_head(database_url)

    engine = make_engine(database_url)
    with make_session_factory(engine)() as session:
        items = session.scalars(select(WorkItem).order_by(WorkItem.id)).all()
        assert [i.cycle_id for i in items[:2]] == [cycle_id, cycle_id]
        programmes = {
            p.year: p for p in session.scalars(select(Programme).where(Programme.measure == "M04"))
        }
        assert (programmes[2024].state, programmes[2024].stage) == ("done", None)
        assert (programmes[2025].state, programmes[2025].stage) == ("in_progress", "report")
        assert [i.programme_id for i in items[2:]] == [programmes[2024].id] * 3 + [
            programmes[2025].id
        ] * 2
        route = session.get(Application, app_id).route  # type: ignore[union-attr]
        flags = {s["stage"]: s for s in route["stages"]}
        assert flags["countersign"]["notify_when_done"] == "review_result"
        assert flags["publicity"]["budget_check"] and flags["finance"]["budget_check"]
        assert "notify_when_done" not in flags["lead_review"]
    engine.dispose()
