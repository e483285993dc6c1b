"""Deliver the notices a step produced, after its transaction committed."""

from __future__ import annotations

from prefect import task
from sqlalchemy import select

from ipaward.db.models import Notice
from ipaward.notices.delivery import deliver
from tasks.runtime import context, transaction


@task(name="deliver notices", retries=2, retry_delay_seconds=2)
def deliver_notices(notice_ids: list[int]) -> int:
    """Delivery is idempotent per notice and channel, so a retry never sends twice."""
    if not notice_ids:
        return 0
    ctx = context()
    with transaction() as session:
        notices = list(session.scalars(select(Notice).where(Notice.id.in_(notice_ids))))
        session.expunge_all()
    failures = 0
    for notice in notices:
        results = deliver(notice, settings=ctx.settings, channels=list(ctx.channels))
        failures += sum(1 for result in results if not result.ok)
    return failures
