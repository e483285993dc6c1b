"""Decision latency through the web app, two paths side by side in one run:

  prefect  — as under `ipaward serve`: the decision's follow-up handed to a background task
             (`.delay()`), carried out by a task worker (`python -m tasks.worker`) against a
             local Prefect server started here;
  baseline — the same app and the same follow-up work without Prefect (IPAWARD_ADVANCE=
             inline: carried out in the web process right after the response).

For each sample (one lead-unit approval over HTTP, against its own uvicorn server and home):
  returned — how long the officer's POST takes to come back (the decision is saved);
  visible  — from the POST until the next stage's work items exist in the database.
Prints p50/p95 of both for each path and their ratios. Usage:

    .venv/bin/python bench/decision_latency.py [--decisions 60]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TODAY = dt.date(2025, 3, 3)
WAIT_SECONDS = 120  # a sample that waits this long is reported (stderr) and counted as such
PASSWORD = "Zhangzhou-Passw0rd-2025"  # the password rule refuses one holding the username


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_http(url: str, timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=2).status_code < 500:
                return
        time.sleep(0.5)
    raise TimeoutError(url)


def prepare(home: Path, count: int) -> list[str]:
    """A home with `count` M06 applications accepted and waiting on the lead unit, and an
    officer of the lead unit (run in a child process: each home is its own world)."""
    script = f"""
import datetime as dt, os, sys
sys.path.insert(0, {str(ROOT)!r})
from ipaward.demo.cohort import build_cohort
from ipaward.demo.handover import write_demo_application
from ipaward.demo.fake_identities import uscc_for
from ipaward.exchange.validate import validate_file
from ipaward.services.database import ensure_schema
from ipaward.services.files import check_and_store
from ipaward.services.intake import submit
from ipaward.settings import load_settings
from ipaward.web.accounts import create_user, prepare_password
from tasks.follow_up_requests import process_inline
from tasks.runtime import context, transaction
today = dt.date({TODAY.year}, {TODAY.month}, {TODAY.day})
ensure_schema(load_settings())
ctx = context()
template = next(a for a in build_cohort(ctx.policy) if a.label == "M06-1")
valids, checks = [], []
for i in range({count}):
    data = dict(template.data)
    data["evidence"] = {{"grading": {{**template.data["evidence"]["grading"], "certificate_no": f"BENCH-{{i}}"}}}}
    data["applicant"] = {{**data["applicant"], "uscc": uscc_for("enterprise", "芗城区", 5_000_000 + i), "name": f"基准测试企业{{i}}"}}
    path = write_demo_application(ctx.settings.home / "in" / str(i), data, label=f"bench {{i}}", fault=None)
    [valid] = validate_file(path, ctx.policy, as_of=today)
    valids.append(valid)
    checks.append(check_and_store(path.parent, valid, files_root=ctx.files_root, max_bytes=10**7))
password = prepare_password({PASSWORD!r}, username="bench")  # argon2 before the transaction
with transaction() as session:
    stored = submit(session, policy=ctx.policy, applications=valids, as_of=today, actor="bench", checks=checks)
    create_user(session, username="bench", display_name="基准测试经办人", department="city.amr",
                password=password, known_departments=ctx.policy.directory.departments, actor="bench")
process_inline([s.follow_up_id for s in stored], today=today)
print("\\n".join(s.number for s in stored))
"""
    env = {**os.environ, "IPAWARD_HOME": str(home), "IPAWARD_ADVANCE": "inline"}
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True)
    if out.returncode:
        raise RuntimeError(f"preparing {home} failed:\n{out.stderr[-3000:]}")
    return out.stdout.split()


@contextlib.contextmanager
def started(argv: list[str], env: dict[str, str], log: Path) -> Iterator[None]:
    with log.open("wb") as sink:
        child = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT)
        try:
            yield
        finally:
            child.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                child.wait(timeout=30)
            if child.poll() is None:
                child.kill()


def signed_in(base: str) -> tuple[httpx.Client, str]:
    client = httpx.Client(base_url=base, timeout=60, follow_redirects=False)
    form = client.get("/login")
    token = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert token, "no login form"
    client.post(
        "/login",
        data={"csrf": token.group(1), "username": "bench", "password": PASSWORD, "next": "/"},
    )
    inbox = client.get("/inbox")
    csrf = re.search(r'name="csrf" value="([^"]+)"', inbox.text)
    assert csrf, "not signed in"
    return client, csrf.group(1)


def measure(base: str, home: Path, numbers: list[str]) -> tuple[list[float], list[float]]:
    from sqlalchemy import create_engine, text

    engine = create_engine(f"sqlite:///{home / 'ipaward.sqlite3'}")
    client, csrf = signed_in(base)
    returned, visible = [], []
    for number in numbers:
        with engine.connect() as db:
            item_id, version = db.execute(
                text(
                    "SELECT w.id, w.version FROM work_items w JOIN applications a ON "
                    "a.id = w.application_id WHERE a.number = :n AND w.stage = 'lead_review' "
                    "AND w.state = 'open'"
                ),
                {"n": number},
            ).one()
        began = time.perf_counter()
        response = client.post(
            f"/work-items/{item_id}/decision",
            data={"csrf": csrf, "version": str(version), "outcome": "approve", "comment": "同意"},
        )
        returned.append(time.perf_counter() - began)
        assert response.status_code == 303, response.text[:500]
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            with engine.connect() as db:
                found = db.execute(
                    text(
                        "SELECT count(*) FROM work_items w JOIN applications a ON "
                        "a.id = w.application_id WHERE a.number = :n AND w.stage = 'countersign'"
                    ),
                    {"n": number},
                ).scalar_one()
            if found:
                break
            time.sleep(0.002)
        else:
            print(f"{number}: countersign not visible after {WAIT_SECONDS} s", file=sys.stderr)
        visible.append(time.perf_counter() - began)
    engine.dispose()
    return returned, visible


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--decisions", type=int, default=60)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="ipaward-decisions-"))
    base_env = {
        **os.environ,
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "IPAWARD_WEB_TODAY": TODAY.isoformat(),
        "IPAWARD_WEB_SECRET": "bench-secret",
    }
    base_env.pop("PREFECT_API_URL", None)
    results: dict[str, tuple[list[float], list[float]]] = {}
    api_port, prefect_home = free_port(), root / "prefect"
    api = f"http://127.0.0.1:{api_port}/api"
    server = [sys.executable, "-m", "prefect", "server", "start", "--port", str(api_port)]
    with started(server, {**base_env, "PREFECT_HOME": str(prefect_home)}, root / "server.log"):
        wait_http(f"{api}/health")
        for path in ("prefect", "baseline"):
            home = root / path
            numbers = prepare(home, args.decisions + 3)
            env = {**base_env, "IPAWARD_HOME": str(home), "PREFECT_HOME": str(prefect_home)}
            if path == "prefect":
                env["PREFECT_API_URL"] = api
            else:
                env["IPAWARD_ADVANCE"] = "inline"
            port = free_port()
            web = [sys.executable, "-m", "uvicorn", "ipaward.web.app:create_app", "--factory"]
            web += ["--port", str(port), "--log-level", "warning"]
            worker = [sys.executable, "-m", "tasks.worker"]
            with contextlib.ExitStack() as stack:
                if path == "prefect":
                    stack.enter_context(started(worker, env, root / "worker.log"))
                stack.enter_context(started(web, env, root / f"web-{path}.log"))
                base = f"http://127.0.0.1:{port}"
                wait_http(f"{base}/healthz")
                measure(base, home, numbers[:3])  # warm up connections and the worker
                results[path] = measure(base, home, numbers[3:])
    print(f"{args.decisions} decisions per path, milliseconds (SQLite, one uvicorn worker)")
    print(f"{'path':<10}{'returned p50':>14}{'p95':>8}{'visible p50':>13}{'p95':>8}")
    for path, (returned, visible) in results.items():
        print(
            f"{path:<10}{pct(returned, 0.5):>14.0f}{pct(returned, 0.95):>8.0f}"
            f"{pct(visible, 0.5):>13.0f}{pct(visible, 0.95):>8.0f}"
        )
    (pr, pv), (br, bv) = results["prefect"], results["baseline"]
    for path, (_, visible) in results.items():
        late = sum(1 for seconds in visible if seconds >= WAIT_SECONDS)
        print(f"{path}: {late} of {len(visible)} not visible within {WAIT_SECONDS} s")
    print(
        f"ratio prefect/baseline: returned p95 {pct(pr, 0.95) / pct(br, 0.95):.1f}x,"
        f" visible p95 {pct(pv, 0.95) / pct(bv, 0.95):.1f}x"
    )


if __name__ == "__main__":
    main()
