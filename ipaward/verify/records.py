"""Decisions and notices against their audit rows, and notice numbering against its
counters: each authority's numbers of a year run 1, 2, … up to its counter, none twice."""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from ipaward.db.models import DECISION_OUTCOMES, Counter, Decision, Notice
from ipaward.verify._audit import Logged, logged
from ipaward.verify.findings import Findings, Problem

_NUMBER = re.compile(r"〔(\d{4})〕(\d+)号$")


def check_decisions(session: Session, findings: Findings) -> int:
    """Each decision against the `work_item.<outcome>` row of its work item, both ways."""
    actions = [f"work_item.{outcome}" for outcome in DECISION_OUTCOMES]
    rows = logged(session, entity="work_item", actions=actions)
    seen: set[str] = set()
    count = 0
    for decision in session.scalars(select(Decision).order_by(Decision.id)):
        count += 1
        item = str(decision.work_item_id)
        seen.add(item)
        found = rows.get(item, [])
        if len(found) != 1:
            said = "没有对应的审计记录" if not found else f"有{len(found)}条审计记录"
            findings.add(
                Problem(
                    "decision_unaudited",
                    "decisions",
                    str(decision.id),
                    f"审核决定第{decision.id}条(待办事项{item}){said}",
                )
            )
            continue
        _compare_decision(findings, decision, found[0])
    for item, found in rows.items():
        if item not in seen:
            findings.add(
                Problem(
                    "decision_missing",
                    "decisions",
                    f"work_item {item}",
                    f"第{found[0].id}条审计记录所记待办事项{item}的决定不存在",
                    found[0].id,
                )
            )
    return count


def _compare_decision(findings: Findings, decision: Decision, row: Logged) -> None:
    said = row.details
    facts = {
        "决定": (decision.outcome, row.action.removeprefix("work_item.")),
        "经办人": (f"{decision.department}/{decision.officer}", row.actor),
        "意见": (decision.comment, said.get("comment", decision.comment)),
        "决定编号": (decision.id, said.get("decision", decision.id)),
    }
    for label, (stored, logged_value) in facts.items():
        if stored != logged_value:
            findings.add(
                Problem(
                    "decision_altered",
                    "decisions",
                    str(decision.id),
                    f"审核决定第{decision.id}条的{label}为{stored},"
                    f"第{row.id}条审计记录为{logged_value}",
                    row.id,
                )
            )
            return


def check_notices(session: Session, findings: Findings) -> int:
    """Each notice against its `notice.issue` row; numbers against the counters."""
    rows = logged(session, entity="notice", actions=["notice.issue"])
    serials: dict[tuple[str, int], list[tuple[int, int]]] = defaultdict(list)
    count = 0
    for notice in session.scalars(select(Notice).order_by(Notice.id)):
        count += 1
        found = rows.pop(str(notice.id), [])
        if len(found) != 1:
            said = "没有对应的审计记录" if not found else f"有{len(found)}条审计记录"
            findings.add(
                Problem(
                    "notice_unaudited",
                    "notices",
                    str(notice.id),
                    f"文书第{notice.id}条({notice.doc_number}){said}",
                )
            )
        else:
            _compare_notice(findings, notice, found[0])
        match = _NUMBER.search(notice.doc_number or "")
        if match:
            serials[notice.authority, int(match[1])].append((int(match[2]), notice.id))
    for notice_id, found in rows.items():
        findings.add(
            Problem(
                "notice_missing",
                "notices",
                notice_id,
                f"第{found[0].id}条审计记录所记文书{notice_id}不存在",
                found[0].id,
            )
        )
    _check_numbering(session, findings, serials)
    return count


def _compare_notice(findings: Findings, notice: Notice, row: Logged) -> None:
    said = row.details
    body = hashlib.sha256(notice.body.encode("utf-8")).hexdigest()
    facts = {
        "文号": (notice.doc_number, said.get("doc_number")),
        "种类": (notice.kind, said.get("kind")),
        "发文单位": (notice.authority, said.get("authority")),
        "事件": (notice.event_key, said.get("event_key")),
        "申请": (notice.application_id, said.get("application_id")),
        "正文": (body, said.get("body_sha256")),
    }
    for label, (stored, logged_value) in facts.items():
        if stored != logged_value:
            findings.add(
                Problem(
                    "notice_altered",
                    "notices",
                    str(notice.id),
                    f"文书第{notice.id}条的{label}与第{row.id}条审计记录不符",
                    row.id,
                )
            )
            return


def _check_numbering(
    session: Session, findings: Findings, serials: dict[tuple[str, int], list[tuple[int, int]]]
) -> None:
    counters = {
        key: int(value)
        for key, value in session.execute(
            select(Counter.key, Counter.value).where(Counter.key.like("notice:%"))
        )
    }
    for (authority, year), numbered in sorted(serials.items()):
        key = f"notice:{authority}:{year}"
        by_serial: dict[int, int] = {}
        for serial, notice_id in sorted(numbered):
            if serial in by_serial:
                findings.add(
                    Problem(
                        "number_twice",
                        "notices",
                        str(notice_id),
                        f"文书第{notice_id}条与第{by_serial[serial]}条同为"
                        f"{authority}{year}年第{serial}号",
                    )
                )
            by_serial.setdefault(serial, notice_id)
        top = counters.get(key, 0)
        gaps = sorted(set(range(1, top + 1)) - set(by_serial))
        beyond = sorted(s for s in by_serial if s > top)
        if gaps or beyond:
            what = f"缺第{gaps[0]}号" if gaps else f"第{beyond[0]}号超出计数器{top}"
            findings.add(
                Problem(
                    "numbering_broken", "counters", key, f"{authority}{year}年文号不连续:{what}"
                )
            )
