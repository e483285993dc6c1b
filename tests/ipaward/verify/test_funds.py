"""A standing fund (the M10 fund) against its audit rows: balance and each movement."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from ipaward.db.session import transaction
from ipaward.repository.funds import draw, ensure_fund
from ipaward.verify import verify


@pytest.mark.parametrize(
    ("edit", "named"),
    [
        ("UPDATE funds SET balance = balance + 5", "funds"),
        ("UPDATE fund_movements SET amount = amount - 1", "fund_movements"),
        ("DELETE FROM fund_movements", "fund_movements"),
    ],
)
def test_an_edited_fund_or_movement_is_named(
    session_factory: sessionmaker[Session], edit: str, named: str
) -> None:
    with transaction(session_factory) as session:
        ensure_fund(session, code="m10", name="风险补偿资金", capacity=1000)
        draw(session, code="m10", amount=300, application_id=None, reason="损失补偿")
    with transaction(session_factory) as session:
        assert verify(session).clean
        session.execute(text(edit))
        [problem, *_] = verify(session).problems
        assert problem.table == named
        session.rollback()
