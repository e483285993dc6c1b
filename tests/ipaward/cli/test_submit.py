"""`ipaward submit`, `init` and `measures`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from ipaward.db.models import Application, AuditEntry, Document, EvidenceItem
from ipaward.services import intake
from ipaward.services.database import session_scope
from ipaward.settings import PROJECT_ROOT, load_settings
from tests.ipaward.cli.conftest import RunCli
from tests.support.identifiers import uscc

EXAMPLES = PROJECT_ROOT / "ipaward" / "examples"


def count(model: type[object]) -> int:
    with session_scope(load_settings()) as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_submit_prints_numbers_per_year_and_measure_and_stores_everything(
    run_cli: RunCli, tmp_path: Path
) -> None:
    m07 = str(EXAMPLES / "m07_university_transfers.json")
    other = json.loads((EXAMPLES / "m07_university_transfers.json").read_text(encoding="utf-8"))
    other["applicant"] |= {"name": "漳州职业技术学院", "uscc": uscc(7, prefix="12350600")}
    (tmp_path / "other.json").write_text(json.dumps(other, ensure_ascii=False), encoding="utf-8")
    result = run_cli(
        "submit",
        "--json",
        "--no-advance",
        "--as-of",
        "2025-01-10",
        m07,
        str(tmp_path / "other.json"),
    )
    assert result.exit_code == 0, result.output
    numbers = [row["number"] for row in json.loads(result.output)]
    assert numbers == ["ZZIP-2024-M07-000001", "ZZIP-2024-M07-000002"]
    assert count(Application) == 2
    assert count(EvidenceItem) == 16  # 8 transfers each
    assert count(Document) == 10
    assert count(AuditEntry) == 2
    with session_scope(load_settings()) as session:
        application = session.scalars(select(Application)).first()
        assert application is not None and application.route is not None
        assert application.route["stages"][0]["departments"] == ["city.amr"]
        assert application.assessment is not None and application.assessment["amount"] == 40000


def test_one_invalid_file_stores_nothing_of_any_file(
    run_cli: RunCli, tmp_path: Path, home: Path
) -> None:
    bad = json.loads((EXAMPLES / "m03_university_certification.json").read_text(encoding="utf-8"))
    bad["evidence"]["certification"]["certified_on"] = "2024-06-31"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    result = run_cli("submit", str(EXAMPLES / "m07_university_transfers.json"), str(path))
    assert result.exit_code == 1
    assert "$.evidence.certification.certified_on" in result.output
    assert not (home / "ipaward.sqlite3").exists() or count(Application) == 0


def test_a_failure_while_storing_rolls_the_whole_file_back(
    run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run_cli("init").exit_code == 0
    original = intake._store
    calls = {"n": 0}

    def store_then_fail(*args: object, **kwargs: object) -> intake.Submitted:
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk full")
        return original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(intake, "_store", store_then_fail)
    with pytest.raises(RuntimeError):
        run_cli(
            "submit",
            str(EXAMPLES / "m03_university_certification.json"),
            str(EXAMPLES / "m06_grading.json"),
        )
    assert count(Application) == 0
    assert count(AuditEntry) == 0


def test_init_is_idempotent(run_cli: RunCli, home: Path) -> None:
    assert run_cli("init").exit_code == 0
    assert run_cli("init").exit_code == 0
    assert (home / "ipaward.sqlite3").exists()


def test_measures_lists_the_18_with_lead_and_responsible_units(run_cli: RunCli) -> None:
    result = run_cli("measures", "--json", "--on", "2025-01-01")
    data = json.loads(result.output)
    assert [m["code"] for m in data["measures"]] == [f"M{n:02d}" for n in range(1, 19)]
    m10 = data["measures"][9]
    assert m10["lead"] == "市地方金融监管局"
    assert "人行漳州分行（抄送）" in m10["responsible"]
    table = run_cli("measures").output
    assert "共18项措施" in table and "市教育局" in table


def test_a_config_error_exits_2_naming_file_and_key(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config"
    (config / "editions").mkdir(parents=True)
    (config / "departments.toml").write_text("[[department]]\ncode = 1\n", encoding="utf-8")
    monkeypatch.setenv("IPAWARD_CONFIG_DIR", str(config))
    result = run_cli("measures")
    assert result.exit_code == 2
    assert "departments.toml" in result.output and "department[0]" in result.output


def test_the_same_file_submitted_again_is_refused_naming_the_first(run_cli: RunCli) -> None:
    m12 = str(EXAMPLES / "m12_domestic_case.json")
    assert run_cli("submit", "--no-advance", "--as-of", "2025-01-10", m12).exit_code == 0

    result = run_cli("submit", "--json", "--no-advance", "--as-of", "2025-01-10", m12)

    assert result.exit_code == 1
    [problem] = json.loads(result.output)["problems"]
    assert problem["code"] == "already_applied" and problem["path"] == "$.evidence"
    assert "已有在办申请ZZIP-2024-M12-000001(已提交)" in problem["message"]
    assert count(Application) == 1
