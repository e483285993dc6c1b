"""Property: whatever a file holds — random bytes, random JSON, a bundled example mutated —
reading, validating, assessing and submitting it either accepts it or raises
InvalidApplications; nothing else, and a refused file leaves nothing in the database.
`ipaward assess FILE` exits 0 or 1, never with a traceback.

Bounded (FUZZ: a fixed, derandomised profile, no example database) to run in seconds;
`pytest --hypothesis-seed=…` or a larger max_examples explores further by hand.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from ipaward.assessment import assess
from ipaward.cli import app
from ipaward.config import Policy, load_policy
from ipaward.db.migrate import upgrade_to_head
from ipaward.db.models import Applicant, Application, AuditEntry, Document, EvidenceItem, FollowUp
from ipaward.db.session import make_engine, make_session_factory, transaction
from ipaward.exchange.problems import InvalidApplications
from ipaward.exchange.validate import validate_file
from ipaward.rules.facts import NO_PRIOR_AWARDS
from ipaward.services.intake import submit
from ipaward.settings import PROJECT_ROOT

FUZZ = settings(
    max_examples=120,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
EXAMPLES = sorted((PROJECT_ROOT / "ipaward" / "examples").glob("*.json"))
AS_OF = dt.date(2025, 6, 30)
TABLES = (Applicant, Application, EvidenceItem, Document, AuditEntry, FollowUp)
FIELDS = ["measure", "year", "applicant", "evidence", "documents", "other_awards", "uscc", "name"]


@pytest.fixture(scope="module")
def policy() -> Policy:
    return load_policy(PROJECT_ROOT / "config")


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sessionmaker[Session]]:
    url = f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'ipaward.sqlite3'}"
    upgrade_to_head(url)
    engine: Engine = make_engine(url)
    yield make_session_factory(engine)
    engine.dispose()


def counts(factory: sessionmaker[Session]) -> tuple[int, ...]:
    with transaction(factory) as session:
        return tuple(int(session.scalar(select(func.count()).select_from(t)) or 0) for t in TABLES)


def check(path: Path, policy: Policy, factory: sessionmaker[Session]) -> None:
    """The property itself, for one file."""
    try:
        applications = validate_file(path, policy, as_of=AS_OF)
    except InvalidApplications as refused:
        assert refused.problems and all(p.message for p in refused.problems)
        return
    for application in applications:
        assess(application, policy=policy, prior=NO_PRIOR_AWARDS)
    before = counts(factory)
    try:
        with transaction(factory) as session:
            submit(session, policy=policy, applications=applications, as_of=AS_OF, actor="fuzz")
    except InvalidApplications:  # a second live application: nothing of the file stored
        assert counts(factory) == before
    else:
        assert counts(factory)[1] == before[1] + len(applications)


def written(folder: Path, content: bytes) -> Path:
    path = folder / "fuzz.json"
    path.write_bytes(content)
    return path


# --- strategies ---------------------------------------------------------------------------

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-(10**40), max_value=10**40)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20)
    | st.sampled_from(["M07", "M03", "M19", "2024", "91350600MA30000001", "芗城区", ""])
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


def paths_in(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            found += paths_in(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += paths_in(child, (*prefix, index))
    return found


def tweaked(value: Any) -> st.SearchStrategy[Any]:
    if isinstance(value, bool):
        return st.booleans()
    if isinstance(value, int):
        return st.integers(min_value=-1, max_value=10**12 + 1) | st.sampled_from([0, 1, 2024])
    if isinstance(value, str):
        return st.sampled_from(
            [value.upper(), value + "（1）", value[:-1], "2024-02-29"]
        ) | st.text(max_size=12)
    return st.just(value)


@st.composite
def mutated_examples(draw: st.DrawFn) -> bytes:
    """A bundled example with one structural change, then perhaps one change to its text."""
    data = json.loads(draw(st.sampled_from(EXAMPLES)).read_text(encoding="utf-8"))
    path = draw(st.sampled_from(paths_in(data)[1:]))
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    operation = draw(st.sampled_from(["replace", "delete", "tweak", "tweak", "keep"]))
    if operation == "replace":
        parent[path[-1]] = draw(values)
    elif operation == "delete":
        del parent[path[-1]]
    elif operation == "tweak":  # the same type, another value: often still valid
        parent[path[-1]] = draw(tweaked(parent[path[-1]]))
    text = json.dumps(data, ensure_ascii=draw(st.booleans()))
    edits = ["none"] * 5 + ["insert", "cut", "duplicate", "deepen", "digits", "bom"]
    edit = draw(st.sampled_from(edits))
    at = draw(st.integers(min_value=0, max_value=len(text)))
    if edit == "insert":
        text = text[:at] + draw(st.text(max_size=5)) + text[at:]
    elif edit == "cut":
        text = text[:at] + text[at + draw(st.integers(1, 20)) :]
    elif edit == "duplicate":
        text = text.replace('"measure": ', '"measure": "M07", "measure": ', 1)
    elif edit == "deepen":
        depth = draw(st.sampled_from([63, 64, 65, 2000]))
        text = "[" * depth + text + "]" * depth
    elif edit == "digits":
        text = text.replace(
            '"year": 2024', '"year": ' + "9" * draw(st.sampled_from([18, 19, 5000]))
        )
    raw = text.encode("utf-8")
    return b"\xef\xbb\xbf" + raw if edit == "bom" else raw


# --- properties ---------------------------------------------------------------------------


@FUZZ
@given(content=st.binary(max_size=600))
def test_random_bytes(
    content: bytes, tmp_path: Path, policy: Policy, database: sessionmaker[Session]
) -> None:
    check(written(tmp_path, content), policy, database)


@FUZZ
@given(value=values | st.dictionaries(st.sampled_from(FIELDS), values, max_size=6))
def test_random_json(
    value: Any, tmp_path: Path, policy: Policy, database: sessionmaker[Session]
) -> None:
    check(written(tmp_path, json.dumps(value).encode()), policy, database)


@FUZZ
@given(content=mutated_examples())
def test_mutated_examples(
    content: bytes, tmp_path: Path, policy: Policy, database: sessionmaker[Session]
) -> None:
    check(written(tmp_path, content), policy, database)


@settings(FUZZ, max_examples=30)
@given(content=mutated_examples() | st.binary(max_size=200))
def test_the_assess_command_exits_0_or_1_without_a_traceback(
    content: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IPAWARD_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("IPAWARD_DATABASE_URL", raising=False)
    monkeypatch.delenv("IPAWARD_CONFIG_DIR", raising=False)
    result = CliRunner().invoke(app, ["assess", str(written(tmp_path, content))])
    assert result.exit_code in (0, 1), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception


NASTY = {
    "brackets": b"[" * 100_000 + b"]" * 100_000,
    "digits": b'{"measure": "M07", "year": ' + b"9" * 5000 + b"}",
    "exponent": b'{"measure": "M07", "year": 2.024e3}',
    "nan": b'{"measure": "M07", "year": NaN}',
    "latin1": '{"measure": "M07", "applicant": {"name": "café"}}'.encode("latin-1"),
    "duplicate": b'{"measure": "M07", "measure": "M09"}',
}


@pytest.mark.parametrize("name", NASTY)
def test_what_testers_sent_is_refused_with_its_reason(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IPAWARD_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("COLUMNS", "200")
    result = CliRunner().invoke(app, ["assess", str(written(tmp_path, NASTY[name]))])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "校验未通过,未保存任何申请" in result.output


@pytest.mark.parametrize("name", ["brackets", "digits"])
def test_the_real_command_prints_no_traceback(name: str, tmp_path: Path) -> None:
    path = written(tmp_path, NASTY[name])
    env = {k: v for k, v in os.environ.items() if not k.startswith("IPAWARD_")}
    done = subprocess.run(
        [str(Path(sys.executable).with_name("ipaward")), "assess", str(path)],
        env=env | {"IPAWARD_HOME": str(tmp_path / "home"), "COLUMNS": "200"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert "校验未通过,未保存任何申请" in done.stderr
