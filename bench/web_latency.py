"""Web latency with 100,000 open work items: inbox and application pages at 20 clients.

Builds a fresh SQLite home with bulk inserts (not the workflow): 62,500 applications in
review, 100,000 open work items (50,000 at the lead unit city.amr, 50,000 countersign
items of four departments), 12,500 earlier decisions, five documents, one evidence item
and two notices per application. Then it starts uvicorn in a subprocess on 127.0.0.1 and
runs 20 concurrent httpx clients, each logged in as a city.amr officer, each sending a
bounded number of requests spread evenly over:
  inbox            /inbox (first page, earliest due first; 50 of 50,000 rows)
  inbox-filtered   /inbox with a measure, overdue, stage + reverse sort, or a deep page
  application      /applications/<number> of a random application city.amr can see
  baseline         /healthz (no database, no template): the HTTP stack alone
and prints p50/p95/p99/mean and errors per page, side by side. Usage:

    .venv/bin/python bench/web_latency.py [--clients 20] [--requests 200] [--workers 1]
        [--pages inbox,application,...]
    IPAWARD_BENCH_HOME=<home> reuses a built home; IPAWARD_BENCH_APP=<module:factory> serves
    another app factory (experiments).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
REUSE = os.environ.get("IPAWARD_BENCH_HOME")  # a home built by an earlier run: skip the build
HOME = Path(REUSE) if REUSE else Path(tempfile.mkdtemp(prefix="ipaward-web-bench-")) / "home"
os.environ["IPAWARD_HOME"] = str(HOME)
os.environ.pop("IPAWARD_DATABASE_URL", None)

import httpx  # noqa: E402
from sqlalchemy import insert, select  # noqa: E402

from ipaward.db.base import utc_now  # noqa: E402
from ipaward.db.models import (  # noqa: E402
    Applicant,
    Application,
    Decision,
    Document,
    EvidenceItem,
    Notice,
    WorkItem,
)
from ipaward.db.session import make_engine  # noqa: E402
from ipaward.services.database import ensure_schema, session_scope  # noqa: E402
from ipaward.settings import load_settings  # noqa: E402
from ipaward.web.accounts import create_user, prepare_password  # noqa: E402
from ipaward.workflow.context import load_context  # noqa: E402

TODAY = dt.date(2025, 10, 27)
LEAD_ITEMS = 50_000
COUNTERSIGN_APPS = 12_500
COUNTERSIGNERS = ("city.finance", "city.education", "city.science", "city.agriculture")
MEASURES = ("M01", "M03", "M06", "M07", "M09", "M12", "M15")
DOCUMENT_KINDS = ("application_form", "integrity_pledge", "business_licence", "evidence", "other")
PASSWORD = "bench-password-1"
CHUNK = 10_000
KINDS = ("inbox", "inbox-filtered", "application", "baseline")
APP = "ipaward.web.app:create_app"


def _route(measure: str) -> dict[str, Any]:
    return {
        "measure": measure,
        "lead": "city.amr",
        "stages": [
            {"stage": "lead_review", "departments": ["city.amr"], "completion": "all",
             "due_working_days": 10},
            {"stage": "countersign", "departments": list(COUNTERSIGNERS), "completion": "all",
             "due_working_days": 10},
            {"stage": "publicity", "working_days": 5},
            {"stage": "finance", "departments": ["city.finance"], "completion": "all",
             "due_working_days": 10},
        ],
        "copied": [],
    }  # fmt: skip


def _assessment(measure: str, amount: int) -> dict[str, Any]:
    return {
        "measure": measure,
        "eligible": True,
        "amount": amount,
        "findings": [],
        "explanation": [
            f"依据第(七)条:当年度向漳州市企业转让发明专利6件以上(含6件):本次计入{amount // 5000}件。",
            f"依据第(七)条:每家奖励3万元,在此基础上每增加1件奖励5000元:合计{amount}元。",
        ],
        "edition": "2024",
        "reference_date": "2024-12-31",
        "city_amount": amount,
        "jurisdiction_amount": 0,
        "yearly_cap": 300000,
        "ledger_lines": [],
    }


def _bulk(connection: Any, model: Any, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), CHUNK):
        connection.execute(insert(model), rows[start : start + CHUNK])


def build() -> list[str]:
    """Bulk-insert the data set; returns the application numbers city.amr can open."""
    settings = load_settings()
    ensure_schema(settings)
    ctx = load_context(settings)
    rng = random.Random(7)
    now = utc_now()
    total_apps = LEAD_ITEMS + COUNTERSIGN_APPS
    engine = make_engine(settings.database_url)
    with engine.begin() as connection:
        _bulk(connection, Applicant, [
            {"id": i + 1, "uscc": f"91350600MA{i:08d}", "name": f"漳州基准测试企业{i}有限公司",
             "kind": "enterprise", "jurisdiction": "xiangcheng", "created_at": now}
            for i in range(20_000)
        ])  # fmt: skip
        applications, items, decisions, documents, evidence, notices = [], [], [], [], [], []
        for i in range(total_apps):
            app_id = i + 1
            measure = MEASURES[i % len(MEASURES)]
            amount = 30_000 + 5_000 * (i % 40)
            at_countersign = i >= LEAD_ITEMS
            applications.append({
                "id": app_id, "number": f"ZZIP-2025-{measure}-{app_id:06d}", "measure": measure,
                "edition": "2024", "year": 2024, "applicant_id": (i % 20_000) + 1,
                "state": "in_review", "payload": {"measure": measure, "bench": i},
                "assessment": _assessment(measure, amount), "route": _route(measure),
                "reference_date": dt.date(2024, 12, 31), "submitted_on": dt.date(2025, 9, 1),
                "stage": "countersign" if at_countersign else "lead_review", "stage_round": 1,
                "version": 1, "created_at": now, "updated_at": now,
            })  # fmt: skip
            due = TODAY + dt.timedelta(days=rng.randint(-60, 60))
            if at_countersign:
                lead_id = len(items) + 1
                items.append(_item(lead_id, app_id, "lead_review", "city.amr", "done", due, now))
                decisions.append({
                    "work_item_id": lead_id, "department": "city.amr", "officer": "张三",
                    "outcome": "approve", "comment": "材料齐全,同意。", "details": {},
                    "decided_at": now,
                })  # fmt: skip
                for department in COUNTERSIGNERS:
                    items.append(
                        _item(len(items) + 1, app_id, "countersign", department, "open", due, now)
                    )
            else:
                items.append(
                    _item(len(items) + 1, app_id, "lead_review", "city.amr", "open", due, now)
                )
            for k, kind in enumerate(DOCUMENT_KINDS):
                documents.append({
                    "application_id": app_id, "kind": kind, "name": f"{k:02d}-{kind}.pdf",
                    "sha256": f"{app_id:032x}{k:032x}", "size": 314,
                    "media_type": "application/pdf", "check_status": "ok",
                    "check_message": f"文件{k:02d}-{kind}.pdf校验通过(PDF,314字节)",
                })  # fmt: skip
            evidence.append({
                "application_id": app_id, "item_key": f"{measure}:bench:{app_id}",
                "kind": "transfer", "data": {"patent_number": f"2021{app_id:07d}.X",
                "recorded_on": "2024-05-01"}, "event_date": dt.date(2024, 5, 1),
            })  # fmt: skip
            for kind in ("acceptance", "task"):
                notices.append({
                    "application_id": app_id, "event_key": f"app:{app_id}:{kind}", "kind": kind,
                    "authority": "city.amr", "doc_number": f"漳市监知〔2025〕{2 * app_id}号",
                    "language": "zh-Hans", "path": None, "body": "(基准测试)", "created_at": now,
                })  # fmt: skip
        for model, rows in (
            (Application, applications),
            (WorkItem, items),
            (Decision, decisions),
            (Document, documents),
            (EvidenceItem, evidence),
            (Notice, notices),
        ):
            _bulk(connection, model, rows)
        connection.exec_driver_sql("ANALYZE")
    engine.dispose()
    password = prepare_password(PASSWORD, username="bench")  # argon2 before the transaction
    with session_scope(settings) as session:
        create_user(
            session,
            username="bench",
            display_name="基准测试经办人",
            department="city.amr",
            password=password,
            known_departments=ctx.policy.directory.departments,
            actor="bench",
        )
    open_items = sum(1 for item in items if item["state"] == "open")
    print(f"data: {total_apps} applications, {open_items} open work items "
          f"({LEAD_ITEMS} at city.amr), {len(documents)} documents, SQLite at {HOME}")  # fmt: skip
    return [a["number"] for a in applications]


def _item(
    item_id: int, app_id: int, stage: str, department: str, state: str, due: dt.date, now: Any
) -> dict[str, Any]:
    return {
        "id": item_id, "application_id": app_id, "stage": stage, "department": department,
        "round": 1, "state": state, "due_on": due, "version": 1 if state == "open" else 2,
        "created_at": now, "closed_at": None if state == "open" else now,
    }  # fmt: skip


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def start_server(port: int, workers: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "IPAWARD_WEB_TODAY": TODAY.isoformat(), "IPAWARD_WEB_SECRET": "bench"}
    command = [
        sys.executable, "-m", "uvicorn", os.environ.get("IPAWARD_BENCH_APP", APP), "--factory",
        "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
        "--log-level", "warning", "--no-access-log",
    ]  # fmt: skip
    process = subprocess.Popen(command, env=env, cwd=ROOT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).text == "ok":
                return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError("uvicorn did not start")


def paths(kind: str, rng: random.Random, numbers: list[str]) -> str:
    if kind == "inbox":
        return "/inbox"
    if kind == "inbox-filtered":
        return rng.choice(
            [
                f"/inbox?measure={rng.choice(MEASURES)}",
                "/inbox?overdue=1",
                "/inbox?stage=lead_review&sort=-due",
                f"/inbox?page={rng.randint(2, 200)}",
            ]
        )
    if kind == "application":
        return f"/applications/{rng.choice(numbers)}"
    return "/healthz"


async def client_run(
    base: str, index: int, requests: int, numbers: list[str], kinds: tuple[str, ...],
    samples: dict[str, list[float]], errors: dict[str, int],
) -> None:  # fmt: skip
    rng = random.Random(index)
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        form = await client.get("/login")
        token = re.search(r'name="csrf" value="([^"]+)"', form.text)
        assert token, "no login form"
        signed_in = await client.post(
            "/login",
            data={"csrf": token.group(1), "username": "bench", "password": PASSWORD, "next": "/"},
        )
        assert signed_in.status_code in (200, 303), signed_in.status_code
        for warm in ("/inbox", f"/applications/{numbers[0]}"):
            await client.get(warm)
        for n in range(requests):
            kind = kinds[(n + index) % len(kinds)]
            path = paths(kind, rng, numbers)
            began = time.perf_counter()
            try:
                response = await client.get(path)
                ok = response.status_code == 200
            except httpx.HTTPError:
                ok = False
            elapsed = time.perf_counter() - began
            if ok:
                samples[kind].append(elapsed)
            else:
                errors[kind] += 1


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else 0.0


async def load(
    base: str, clients: int, requests: int, numbers: list[str], kinds: tuple[str, ...]
) -> dict[str, Any]:
    samples: dict[str, list[float]] = {k: [] for k in kinds}
    errors = dict.fromkeys(kinds, 0)
    began = time.perf_counter()
    await asyncio.gather(
        *(client_run(base, i, requests, numbers, kinds, samples, errors) for i in range(clients))
    )
    wall = time.perf_counter() - began
    return {"samples": samples, "errors": errors, "wall": wall}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=200, help="requests per client")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument(
        "--pages", default=",".join(KINDS), help=f"comma-separated subset of {', '.join(KINDS)}"
    )
    args = parser.parse_args()
    kinds = tuple(k for k in args.pages.split(",") if k in KINDS)
    began = time.perf_counter()
    if REUSE:
        with session_scope(load_settings()) as session:
            numbers = list(session.scalars(select(Application.number).order_by(Application.id)))
    else:
        numbers = build()
        print(f"built in {time.perf_counter() - began:.1f} s")
    port = free_port()
    server = start_server(port, args.workers)
    try:
        result = asyncio.run(
            load(f"http://127.0.0.1:{port}", args.clients, args.requests, numbers, kinds)
        )
    finally:
        server.terminate()
        server.wait(timeout=20)
    total = sum(len(v) for v in result["samples"].values()) + sum(result["errors"].values())
    print(
        f"{args.clients} clients x {args.requests} requests, uvicorn workers={args.workers}: "
        f"{total} requests in {result['wall']:.1f} s ({total / result['wall']:.0f} req/s)"
    )
    print("| page | requests | p50 ms | p95 ms | p99 ms | mean ms | errors |")
    print("|---|---|---|---|---|---|---|")
    report = {}
    for kind in kinds:
        values = result["samples"][kind]
        row = {
            "requests": len(values) + result["errors"][kind],
            "p50": percentile(values, 0.5) * 1000,
            "p95": percentile(values, 0.95) * 1000,
            "p99": percentile(values, 0.99) * 1000,
            "mean": (statistics.mean(values) * 1000) if values else 0.0,
            "errors": result["errors"][kind],
        }
        report[kind] = row
        print(
            f"| {kind} | {row['requests']} | {row['p50']:.1f} | {row['p95']:.1f} | "
            f"{row['p99']:.1f} | {row['mean']:.1f} | {row['errors']} |"
        )
    print(json.dumps({"workers": args.workers, "clients": args.clients, **report}))


if __name__ == "__main__":
    main()
