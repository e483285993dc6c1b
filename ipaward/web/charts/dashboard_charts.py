"""The dashboard's four charts from its figures (reads.dashboard): (a) money against
budgets and caps (charts.money), (b) the pipeline by stage, (c) backlogs and overdue work
by department, (d) applications submitted and paid per month. Each has a title, a sentence
that says what it shows, the SVG, and the same numbers as a table (screen readers,
printing, and anyone who wants the exact yuan)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from ipaward.config.policy import Policy
from ipaward.web.charts.model import (
    DARK,
    LIGHT,
    Chart,
    Labels,
    axis_end,
    count_ticks,
    wan,
    yuan,
)
from ipaward.web.charts.money_chart import money_chart
from ipaward.web.charts.svg import Bar, Part, Series, bar_chart, column_chart

MAX_DEPARTMENTS = 15


def pipeline_chart(pipeline: Sequence[dict[str, Any]]) -> Chart:
    """(b) Open applications per stage, in route order."""
    total = sum(r["count"] for r in pipeline)
    peak = max([r["count"] for r in pipeline], default=0)
    scale = axis_end(peak)
    bars = [
        Bar(
            label=r["name"],
            parts=[Part(series=0, value=r["count"], tooltip=f"{r['name']}:{r['count']}件")],
            note=f"{r['count']}件" + (f" · {wan(r['amount'])}元" if r["amount"] else ""),
        )
        for r in pipeline
    ]
    busiest = max(pipeline, key=lambda r: r["count"], default=None)
    summary = f"在办申请共{total}件,按审批流程顺序列出各环节的件数"
    if busiest is not None and busiest["count"]:
        summary += f";最多的是{busiest['name']}({busiest['count']}件)"
    summary += "。进入年度集中评审名单的申请计入名单所在环节。"
    title = "在办申请所处环节"
    return Chart(
        key="chart-pipeline",
        title=title,
        summary=summary,
        svg=bar_chart(
            "chart-pipeline",
            title=title,
            desc=summary,
            series=[Series(name="在办件数", fill=DARK)],
            bars=bars,
            scale=scale,
            ticks=count_ticks(scale),
        ),
        headers=("环节", "在办件数", "测算金额(元)"),
        rows=[(r["name"], str(r["count"]), yuan(r["amount"])) for r in pipeline],
        numeric=frozenset({1, 2}),
    )


def backlog_chart(
    backlog: Sequence[dict[str, Any]], labels: Labels, *, escalate_after: int
) -> Chart:
    """(c) Open work per department, split by lateness in official working days."""
    late_over = f"逾期超过{escalate_after}个工作日"
    series = [
        Series(name="未逾期", fill="#c9d6e8"),
        Series(name=f"逾期1至{escalate_after}个工作日", fill="#fde7e4", hatch="#b42318"),
        Series(name=late_over, fill="#6e1410"),
    ]
    shown = list(backlog[:MAX_DEPARTMENTS])
    bars = []
    for r in shown:
        name = labels.department(r["department"])
        on_time, late = r["open"] - r["overdue"], r["overdue"] - r["escalated"]
        parts = [
            Part(series=i, value=v, tooltip=f"{name}:{series[i].name}{v}项")
            for i, v in enumerate((on_time, late, r["escalated"]))
            if v
        ]
        bars.append(Bar(label=name, parts=parts, note=f"待办{r['open']} · 逾期{r['overdue']}"))
    scale = axis_end(max([r["open"] for r in shown], default=0))
    total, overdue = sum(r["open"] for r in backlog), sum(r["overdue"] for r in backlog)
    escalated = sum(r["escalated"] for r in backlog)
    summary = (
        f"待办事项共{total}项,其中逾期{overdue}项({late_over}{escalated}项),期限按法定工作日计算"
    )
    if backlog and backlog[0]["overdue"]:
        summary += (
            f";逾期最多的是{labels.department(backlog[0]['department'])}({backlog[0]['overdue']}项)"
        )
    if len(backlog) > MAX_DEPARTMENTS:
        summary += f";图中列出逾期最多的{MAX_DEPARTMENTS}个部门,表中列出全部{len(backlog)}个"
    summary += "。"
    title = "各部门待办与逾期"
    return Chart(
        key="chart-backlog",
        title=title,
        summary=summary,
        svg=bar_chart(
            "chart-backlog",
            title=title,
            desc=summary,
            series=series,
            bars=bars,
            scale=scale,
            ticks=count_ticks(scale),
        ),
        headers=("部门", "待办", "逾期", f"其中{late_over}", "最早期限"),
        rows=[
            (
                labels.department(r["department"]),
                str(r["open"]),
                str(r["overdue"]),
                str(r["escalated"]),
                r["earliest_due"] or "—",
            )
            for r in backlog
        ],
        numeric=frozenset({1, 2, 3}),
    )


def monthly_chart(monthly: dict[str, Any]) -> Chart:
    """(d) Applications submitted and paid per month, by Zhangzhou's date."""
    months: list[str] = monthly["months"]
    labels = []
    for i, text in enumerate(months):
        year, month = text.split("-")
        labels.append(f"{int(month)}月" + (f"\n{year}" if i == 0 or month == "01" else ""))
    submitted, paid = monthly["submitted"], monthly["paid"]
    summary = (
        f"{months[0]}至{months[-1]}共提交申请{sum(submitted)}件、拨付{sum(paid)}件"
        f"(合计{yuan(sum(monthly['paid_amount']))});提交按提交日期、拨付按记账日期计月,均为漳州日期。"
    )
    title = "每月提交与拨付的申请"
    return Chart(
        key="chart-monthly",
        title=title,
        summary=summary,
        svg=column_chart(
            "chart-monthly",
            title=title,
            desc=summary,
            series=[Series(name="提交(件)", fill=LIGHT), Series(name="拨付(件)", fill=DARK)],
            labels=labels,
            names=months,
            values=[submitted, paid],
        ),
        headers=("月份", "提交(件)", "拨付(件)", "拨付金额(元)"),
        rows=[
            (month, str(s), str(p), yuan(a))
            for month, s, p, a in zip(months, submitted, paid, monthly["paid_amount"], strict=True)
            if s or p
        ],
        numeric=frozenset({1, 2, 3}),
    )


def dashboard_charts(
    data: dict[str, Any], policy: Policy, *, today: dt.date, escalate_after: int
) -> list[Chart]:
    labels = Labels(policy, today)
    return [
        money_chart(data["money"], labels),
        pipeline_chart(data["pipeline"]),
        backlog_chart(data["backlog"], labels, escalate_after=escalate_after),
        monthly_chart(data["monthly"]),
    ]
