"""Lock-out that slows guessing without letting a stranger lock an officer out
(ipaward/web/throttle.py): per username and address, growing waits; per address, a limit;
many addresses on one username slow down, and the officer's own address still gets in."""

from __future__ import annotations

import datetime as dt
import threading
import time

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from ipaward.db.models import AuditEntry, LoginFailure
from ipaward.web.throttle import RateLimits, client_address, record_failure, serialise_attempts
from ipaward.web.throttle import wait_after as throttle_wait
from tests.ipaward.web.site import Site, csrf_in, password_of

ATTACKER = "203.0.113.9"
OFFICE = "198.51.100.7"
LIMITS = RateLimits()


def failures(site: Site, **where: str) -> int:
    with site.state.reading() as session:
        query = select(func.count(LoginFailure.id)).filter_by(**where)
        return int(session.scalar(query) or 0)


def login(client: TestClient, username: str, password: str) -> httpx.Response:
    token = csrf_in(client.get("/login").text)
    form = {"csrf": token, "username": username, "password": password, "next": "/"}
    return client.post("/login", data=form, follow_redirects=False)


def wrong(client: TestClient, username: str = "city.finance") -> int:
    return login(client, username, "not-the-password-at-all").status_code


def right(client: TestClient, username: str = "city.finance") -> int:
    return login(client, username, password_of(username)).status_code


def test_the_policys_numbers() -> None:
    waits = [
        throttle_wait(n, free=3, first=LIMITS.first_wait, longest=LIMITS.longest_wait)
        for n in range(1, 15)
    ]
    assert [int(w.total_seconds()) for w in waits] == [
        0, 0, 0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300,
    ]  # fmt: skip
    assert (LIMITS.window, LIMITS.per_address, LIMITS.targeted_addresses) == (
        dt.timedelta(hours=1),
        30,
        4,
    )
    assert LIMITS.targeted_longest_wait == dt.timedelta(minutes=15)


def test_three_typos_cost_nothing_then_each_try_waits_twice_as_long(site: Site) -> None:
    client = site.client(OFFICE)
    assert [wrong(client) for _ in range(4)] == [401, 401, 401, 401]
    refused = login(client, "city.finance", password_of("city.finance"))
    assert refused.status_code == 429
    assert "登录尝试过于频繁,请1秒后再试" in refused.text
    assert refused.headers["retry-after"] == "1"
    assert failures(site) == 4  # a refused attempt is not checked and not recorded

    site.clock.now += dt.timedelta(seconds=1)
    assert wrong(client) == 401
    assert "请2秒后再试" in login(client, "city.finance", "x").text
    site.clock.now += dt.timedelta(seconds=2)
    assert right(client) == 303
    assert failures(site, username="city.finance") == 0  # a success forgets them


def test_a_flood_from_one_address_does_not_block_the_officer_signing_in_elsewhere(
    site: Site,
) -> None:
    attacker = site.client(ATTACKER)
    departments = [d for d in site.state.ctx.policy.directory.departments if d != "city.finance"]
    answers = [wrong(attacker, "city.finance") for _ in range(10)]
    for code in departments[: LIMITS.per_address]:  # spraying other names adds up per address
        answers.append(wrong(attacker, code))
    assert answers.count(401) == LIMITS.per_address and set(answers) == {401, 429}
    refused = login(attacker, departments[0], password_of(departments[0]))
    assert refused.status_code == 429
    assert "该网络地址登录失败次数过多" in refused.text

    assert right(site.client(OFFICE)) == 303  # the officer elsewhere: straight in
    assert right(site.client(OFFICE), departments[0]) == 303

    site.clock.now += LIMITS.window + dt.timedelta(seconds=1)
    assert right(attacker, departments[1]) == 303  # the address recovers after an hour


def test_failures_from_many_addresses_slow_a_username_and_never_lock_it(site: Site) -> None:
    guessers = [site.client(f"203.0.113.{n}") for n in range(1, 9)]
    for guesser in guessers:  # eight addresses, two guesses each, a second apart
        for _ in range(2):
            assert wrong(guesser) == 401
            site.clock.now += dt.timedelta(seconds=2)
    # targeted now: no free failures for anyone; every guesser waits after each try
    assert [wrong(g) for g in guessers] == [401] * 8
    assert {login(g, "city.finance", "x").status_code for g in guessers} == {429}

    officer = site.client(OFFICE)
    assert wrong(officer) == 401  # a typo of the real officer …
    assert login(officer, "city.finance", password_of("city.finance")).status_code == 429
    site.clock.now += dt.timedelta(seconds=1)  # … costs one second, not a lock-out
    assert right(officer) == 303
    assert right(site.client("192.0.2.44")) == 303  # and a fresh address gets in at once

    waits = [
        throttle_wait(n, free=0, first=LIMITS.first_wait, longest=LIMITS.targeted_longest_wait)
        for n in (1, 2, 10, 11, 20)
    ]
    assert [int(w.total_seconds()) for w in waits] == [1, 2, 512, 900, 900]


def test_a_burst_of_parallel_guesses_is_answered_only_as_far_as_the_limits_allow(
    site: Site,
) -> None:
    clients = [site.client(ATTACKER) for _ in range(10)]
    tokens = [csrf_in(c.get("/login").text) for c in clients]
    start = threading.Barrier(len(clients))
    answers: list[int] = []

    def guess(number: int) -> None:
        form = {"csrf": tokens[number], "username": "city.finance", "password": f"guess-{number}"}
        start.wait()
        answer = clients[number].post("/login", data={**form, "next": "/"}, follow_redirects=False)
        answers.append(answer.status_code)

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    # 3 free failures and the 4th (after which the first wait starts); the rest learn nothing
    assert sorted(answers) == [401] * 4 + [429] * 6
    assert failures(site, address=ATTACKER) == 4


def test_signing_in_and_out_is_audited(site: Site) -> None:
    client = site.client(OFFICE)
    assert right(client, "city.amr") == 303
    token = csrf_in(client.get("/inbox").text)
    assert client.post("/logout", data={"csrf": token}, follow_redirects=False).status_code == 303
    with site.state.reading() as session:
        entries = session.scalars(
            select(AuditEntry).where(AuditEntry.action.in_(("user.sign_in", "user.sign_out")))
        ).all()
        rows = [(e.action, e.actor, e.details.get("address")) for e in entries]
    assert rows == [("user.sign_in", "city.amr", OFFICE), ("user.sign_out", "city.amr", None)]


def test_ipv6_counts_per_64_and_mapped_ipv4_as_ipv4() -> None:
    assert client_address("2001:db8:1:2:aaaa::1") == client_address("2001:db8:1:2:bbbb::9")
    assert client_address("2001:db8:1:2::1") == "2001:db8:1:2::/64"
    assert client_address("::ffff:192.0.2.1") == "192.0.2.1"
    assert client_address("192.0.2.1") == "192.0.2.1"
    assert client_address(None) == "unknown"


def test_attempts_from_one_address_decide_one_at_a_time(
    session_factory: sessionmaker[Session],
) -> None:
    """SQLite's BEGIN IMMEDIATE or PostgreSQL's advisory lock: the second transaction's count
    waits for the first's failure row."""
    now = dt.datetime(2025, 10, 27, 9, tzinfo=dt.UTC)
    seen: list[int] = []
    first_has_lock = threading.Event()

    def first() -> None:
        with session_factory() as session, session.begin():
            serialise_attempts(session, address=ATTACKER)
            session.execute(select(func.count(LoginFailure.id))).one()
            first_has_lock.set()
            time.sleep(0.5)
            record_failure(session, username="u", address=ATTACKER, now=now, limits=LIMITS)

    def second() -> None:
        first_has_lock.wait(10)
        with session_factory() as session, session.begin():
            serialise_attempts(session, address=ATTACKER)
            seen.append(int(session.scalar(select(func.count(LoginFailure.id))) or 0))

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert seen == [1]
