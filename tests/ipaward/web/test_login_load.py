"""Twenty officers sign in at the same moment against a real uvicorn server on the embedded
SQLite, with argon2-cffi's real parameters (64 MiB, t=3): every login succeeds, and
decisions taken meanwhile are saved. Before the fix argon2 ran inside the write transaction
(BEGIN IMMEDIATE), so every login queued behind the others' hashing and decisions waited
behind all of them (measured here: median 4.1 s, slowest 8.3 s, a decision 1.6 s; where the
queue passed the 30 s pool and busy timeouts, HTTP 500)."""

from __future__ import annotations

import os
import statistics
import threading
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from ipaward.db.models import WorkItem
from ipaward.services.database import session_scope
from ipaward.settings import load_settings
from ipaward.web.accounts import create_user, prepare_password
from ipaward.workflow.context import load_context
from tests.ipaward.web.live import form_token, live_server
from tests.ipaward.web.site import Built, copy_home, password_of

LOGINS = int(os.environ.get("IPAWARD_TEST_LOGIN_BURST", "20"))  # other sizes: measurements


def _officer_name(number: int) -> str:
    return f"load{number:02d}"


def _add_officers(home: Path, monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    """Twenty accounts with argon2's default (production) parameters; city.amr's open items."""
    monkeypatch.setenv("IPAWARD_HOME", str(home))
    monkeypatch.delenv("IPAWARD_DATABASE_URL", raising=False)
    settings = load_settings()
    ctx = load_context(settings)
    names = [_officer_name(number) for number in range(LOGINS)]
    hashed = {name: prepare_password(password_of(name), username=name) for name in names}
    with session_scope(settings) as session:
        for number, name in enumerate(names):
            create_user(
                session,
                username=name,
                display_name=f"经办人{number}",
                department="city.finance",
                password=hashed[name],
                known_departments=ctx.policy.directory.departments,
                actor="test",
            )
        items = session.execute(
            select(WorkItem.id, WorkItem.version).where(
                WorkItem.department == "city.amr",
                WorkItem.state == "open",
                WorkItem.stage == "lead_review",
            )
        ).all()
    return [(item_id, version) for item_id, version in items]


def _sign_in(client: httpx.Client, username: str) -> httpx.Response:
    token = form_token(client.get("/login").text)
    return client.post(
        "/login",
        data={"csrf": token, "username": username, "password": password_of(username), "next": "/"},
    )


def test_twenty_simultaneous_logins_all_succeed_while_decisions_are_saved(
    web_template: tuple[Path, Built], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    template, _ = web_template
    home = copy_home(template, tmp_path / "home")
    items = _add_officers(home, monkeypatch)
    assert len(items) >= 2
    with live_server(home) as base:
        decider = httpx.Client(base_url=base, timeout=120)
        assert _sign_in(decider, "city.amr").status_code == 303
        decision_csrf = form_token(decider.get("/inbox").text)

        clients = [httpx.Client(base_url=base, timeout=120) for _ in range(LOGINS)]
        tokens = [form_token(c.get("/login").text) for c in clients]
        start = threading.Barrier(LOGINS + 1)
        logins: list[tuple[int, float]] = []
        errors: list[str] = []

        def sign_in(number: int) -> None:
            name = _officer_name(number)
            form = {"csrf": tokens[number], "username": name, "password": password_of(name)}
            start.wait()
            began = time.perf_counter()
            try:
                answer = clients[number].post("/login", data={**form, "next": "/inbox"})
            except httpx.HTTPError as error:
                errors.append(repr(error))
                return
            logins.append((answer.status_code, time.perf_counter() - began))

        threads = [threading.Thread(target=sign_in, args=(n,)) for n in range(LOGINS)]
        for thread in threads:
            thread.start()
        start.wait()
        burst = time.perf_counter()
        decisions: list[tuple[int, float]] = []
        for item_id, version in items:
            began = time.perf_counter()
            answer = decider.post(
                f"/work-items/{item_id}/decision",
                data={
                    "csrf": decision_csrf,
                    "outcome": "approve",
                    "version": str(version),
                    "comment": "材料齐全,同意。",
                },
            )
            decisions.append((answer.status_code, time.perf_counter() - began))
        pages: list[tuple[int, float]] = []
        while any(thread.is_alive() for thread in threads) and len(pages) < 200:
            began = time.perf_counter()
            pages.append((decider.get("/inbox").status_code, time.perf_counter() - began))
        for thread in threads:
            thread.join(timeout=300)
        wall = time.perf_counter() - burst
        for client in [decider, *clients]:
            client.close()

    statuses = sorted(status for status, _ in logins)
    seconds = sorted(elapsed for _, elapsed in logins)
    print(
        f"\n{LOGINS} simultaneous logins: statuses {statuses}, errors {errors}; "
        f"latency median {statistics.median(seconds):.2f} s, max {seconds[-1]:.2f} s; "
        f"wall {wall:.2f} s; decisions meanwhile "
        f"{[(status, round(elapsed, 2)) for status, elapsed in decisions]}; "
        f"{len(pages)} inbox pages meanwhile, slowest {max(e for _, e in pages or [(0, 0.0)]):.2f} s"
    )
    assert errors == []
    assert statuses == [303] * LOGINS
    assert [status for status, _ in decisions] == [303] * len(items)
    assert {status for status, _ in pages} <= {200}
