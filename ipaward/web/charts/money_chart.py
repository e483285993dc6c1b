"""Chart (a): money paid, approved and under review against each yearly budget, each
measure's per-unit yearly cap and each standing fund, by reward year. Bars are drawn as a
share of their own limit (the outlined box is 100%): a 6,000,000 yuan budget and a 100,000
yuan cap read side by side; the figures beside each bar and the table give the yuan."""

from __future__ import annotations

from typing import Any

from ipaward.web.charts.model import DARK, LIGHT, WHITE, Chart, Labels, percent, wan, yuan
from ipaward.web.charts.svg import Bar, Part, Series, bar_chart

PAID = Series(name="已拨付", fill=DARK)
APPROVED = Series(name="已核准待拨付", fill=WHITE, hatch=DARK)
REVIEWING = Series(name="审核中(测算)", fill=LIGHT)
LIMIT = Series(name="预算或上限(100%)", fill=WHITE)
KINDS = {"budget": "年度预算", "cap": "单位年度上限(已拨付为获拨最多的一家)", "fund": "资金池规模"}
HEADERS = (
    "措施",
    "奖励年度",
    "限额",
    "限额(元)",
    "已拨付",
    "已核准待拨付",
    "审核中(测算)",
    "预算台账已占用",
    "使用率",
    "说明",
)


def _label(row: dict[str, Any], measure: str) -> str:
    if row["kind"] == "budget":
        return f"{measure} · {row['year']}年度预算"
    if row["kind"] == "cap":
        return f"{measure} · {row['year']}年度单位上限"
    return f"{measure} · 资金池"


def _note(row: dict[str, Any], flight: int) -> str:
    paid, limit = int(row["paid"]), int(row["limit"])
    if row["kind"] == "cap":
        return f"最多一家{wan(paid)}/{wan(limit)}元"
    note = f"{wan(paid)}/{wan(limit)}元 {percent(paid, limit)}"
    return note + (f" 在途{wan(flight)}" if flight else "")


def _row(row: dict[str, Any], measure: str) -> tuple[str, ...]:
    budget = row["kind"] == "budget"
    detail = {
        "cap": f"{row.get('units', 0)}家单位获拨付,{row.get('at_cap', 0)}家达上限",
        "fund": str(row.get("name", "")),
    }.get(row["kind"], "")
    return (
        measure,
        str(row["year"]) if row.get("year") else "—",
        KINDS[row["kind"]],
        yuan(int(row["limit"])),
        yuan(int(row["paid"])),
        yuan(int(row.get("approved", 0))) if budget else "—",
        yuan(int(row.get("reviewing", 0))) if budget else "—",
        yuan(row.get("committed")) if budget else "—",
        percent(int(row["paid"]), int(row["limit"])),
        detail,
    )


def money_chart(money: dict[str, Any], labels: Labels) -> Chart:
    order = {"budget": 0, "cap": 1, "fund": 2}
    limits = sorted(
        money["limits"], key=lambda r: (r["measure"] or "", r.get("year") or 0, order[r["kind"]])
    )
    bars, rows, peak = [], [], 1.0
    for row in limits:
        measure, limit = labels.measure(row["measure"]), max(int(row["limit"]), 1)
        label = _label(row, measure)
        values = (int(row["paid"]), int(row.get("approved", 0)), int(row.get("reviewing", 0)))
        parts = [
            Part(series=i, value=v / limit, tooltip=f"{label}:{s.name} {yuan(v)}")
            for i, (s, v) in enumerate(zip((PAID, APPROVED, REVIEWING), values, strict=True))
            if v or i == 0
        ]
        peak = max(peak, sum(values) / limit)
        bars.append(Bar(label=label, parts=parts, note=_note(row, sum(values[1:])), frame=1.0))
        rows.append(_row(row, measure))
    scale = min(peak, 1.5)
    ticks = [(0.0, "0"), (0.5, "50%"), (1.0, "100%")] + ([(1.5, "150%")] if scale > 1 else [])
    summary = (
        f"共{len(bars)}项年度预算、单位年度上限或资金池,按奖励年度列出;"
        "每条横条按其限额的百分比绘制(外框为100%)"
    )
    used = [r for r in limits if r["kind"] == "budget" and r["paid"]]
    if used:
        top = max(used, key=lambda r: r["paid"] / max(r["limit"], 1))
        summary += (
            f";预算使用率最高的是{labels.measure(top['measure'])}{top['year']}奖励年度,"
            f"已拨付{yuan(top['paid'])},占预算{yuan(top['limit'])}的"
            f"{percent(top['paid'], top['limit'])}"
        )
    summary += "。一次性奖励不设年度预算,见下方拨付台账。"
    title = "资金:已拨付、已核准待拨付与审核中对照预算和上限(按奖励年度)"
    return Chart(
        key="chart-money",
        title=title,
        summary=summary,
        svg=bar_chart(
            "chart-money",
            title=title,
            desc=summary,
            series=[PAID, APPROVED, REVIEWING, LIMIT],
            bars=bars,
            scale=scale,
            ticks=ticks,
        ),
        headers=HEADERS,
        rows=rows,
        numeric=frozenset({3, 4, 5, 6, 7, 8}),
    )
