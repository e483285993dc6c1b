"""Deliver the notices a step produced, after its transaction committed."""

from __future__ import annotations

from prefect import task
from sqlalchemy import select

from ipaward.db.models import Notice
from ipaward.notices.delivery import deliver_many
from tasks.runtime import context, transaction


@task(name="deliver notices", retries=2, retry_delay_seconds=2)
def deliver_notices(notice_ids: list[int]) -> int:
    """Delivery is idempotent per notice and channel, so a retry never sends twice; the
    batch's mailbox files are made durable together."""
    if not notice_ids:
        return 0
    ctx = context()
    with transaction() as session:
        notices = list(session.scalars(select(Notice).where(Notice.id.in_(notice_ids))))
        session.expunge_all()
    batch = deliver_many(notices, settings=ctx.settings, channels=list(ctx.channels))
    return sum(1 for results in batch for result in results if not result.ok)
