"""What the audit chain costs, side by side in one run, on SQLite and PostgreSQL:

  chained  — `ipaward.repository.audit` as shipped: chain lock (PostgreSQL), head read,
             sha256 per row;
  baseline — the same inserts with the chain step replaced by plain rows (no lock, no
             head read, no hashing), as before issue 12.

Times one `record` per transaction (a decision, a sign-in) and one `record_many` of 500
rows per transaction (a cycle's chunk), then `ipaward verify` over the rows written (on the
baseline it reads the same rows and finds every one unhashed).
PostgreSQL comes from IPAWARD_BENCH_POSTGRES_URL (default the test server); a scratch
database is created and dropped. Usage:

    .venv/bin/python bench/audit_chain.py [--singles 200] [--batches 20]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from ipaward.db.base import utc_now
from ipaward.db.migrate import upgrade_to_head
from ipaward.db.session import make_engine, make_session_factory, transaction
from ipaward.repository import audit
from ipaward.verify import verify_database

POSTGRES = os.environ.get(
    "IPAWARD_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
Chain = Callable[[Session, Sequence[Mapping[str, Any]]], list[dict[str, Any]]]


def _plain(session: Session, rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    at = utc_now()
    return [
        {
            **{k: row[k] for k in ("actor", "action", "entity")},
            "at": at,
            "entity_id": str(row["entity_id"]),
            "details": dict(row.get("details") or {}),
        }
        for row in rows
    ]


@contextmanager
def _databases() -> Iterator[list[str]]:
    folder = tempfile.mkdtemp(prefix="ipaward-bench-")
    name = f"ipaward_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    base = POSTGRES.rsplit("/", 1)[0]
    try:
        yield [f"sqlite:///{folder}/{{}}.sqlite3", f"{base}/{name}_{{}}"]
    finally:
        with admin.connect() as connection:
            for suffix in ("chained", "baseline"):
                connection.exec_driver_sql(
                    f'DROP DATABASE IF EXISTS "{name}_{suffix}" WITH (FORCE)'
                )
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def _measure(url: str, singles: int, batches: int) -> dict[str, float]:
    if url.startswith("postgresql"):
        name = url.rsplit("/", 1)[1]
        admin = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
        admin.dispose()
    upgrade_to_head(url)
    engine = make_engine(url)
    factory = make_session_factory(engine)
    one: list[float] = []
    for n in range(singles):
        started = time.perf_counter()
        with transaction(factory) as session:
            audit.record(session, actor="a", action="x", entity="t", entity_id=n, details={"n": n})
        one.append(time.perf_counter() - started)
    many: list[float] = []
    for n in range(batches):
        rows = [
            {"actor": "a", "action": "y", "entity": "t", "entity_id": k, "details": {"n": n}}
            for k in range(500)
        ]
        started = time.perf_counter()
        with transaction(factory) as session:
            audit.record_many(session, rows)
        many.append(time.perf_counter() - started)
    engine.dispose()
    started = time.perf_counter()
    verify_database(url)
    return {
        "record_ms": statistics.median(one) * 1000,
        "many_ms": statistics.median(many) * 1000,
        "verify_s": time.perf_counter() - started,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--singles", type=int, default=200)
    parser.add_argument("--batches", type=int, default=20)
    args = parser.parse_args()
    chained: Chain = audit._chained
    print("| database | path | record p50 ms | record_many(500) p50 ms | verify s |")
    print("|---|---|---|---|---|")
    with _databases() as urls:
        for template in urls:
            for path, step in (("chained", chained), ("baseline", _plain)):
                audit._chained = step  # type: ignore[assignment]
                figures = _measure(template.format(path), args.singles, args.batches)
                kind = "SQLite" if template.startswith("sqlite") else "PostgreSQL"
                print(
                    f"| {kind} | {path} | {figures['record_ms']:.2f} | "
                    f"{figures['many_ms']:.0f} | {figures['verify_s']:.2f} |"
                )
    audit._chained = chained  # type: ignore[assignment]


if __name__ == "__main__":
    main()
