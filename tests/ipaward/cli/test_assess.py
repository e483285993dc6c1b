"""`ipaward assess`: the public JSON, field-level errors, and a true dry run."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import func, select

from ipaward.db.models import Application
from ipaward.repository.postings import Posting, post_award
from ipaward.services.database import session_scope
from ipaward.settings import PROJECT_ROOT, load_settings
from tests.ipaward.cli.conftest import RunCli

EXAMPLES = PROJECT_ROOT / "ipaward" / "examples"
M07 = EXAMPLES / "m07_university_transfers.json"


def test_assess_json_has_exactly_the_public_shape(run_cli: RunCli) -> None:
    result = run_cli("assess", "--json", "--as-of", "2025-01-10", str(M07))
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) == {"measure", "eligible", "amount", "findings", "explanation"}
    assert (data["measure"], data["eligible"], data["amount"]) == ("M07", True, 40000)
    assert any(line.startswith("依据第（七）条") for line in data["explanation"])


def test_an_array_file_gives_an_array(run_cli: RunCli, tmp_path: Path) -> None:
    items = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(EXAMPLES.glob("*.json"))]
    path = tmp_path / "all.json"
    path.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    result = run_cli("assess", "--json", "--as-of", "2025-06-30", str(path))
    assert result.exit_code == 0, result.output
    amounts = {entry["measure"]: entry["amount"] for entry in json.loads(result.output)}
    assert amounts == {
        "M01": 400000,  # 500,000 less the 100,000 the province paid
        "M02": 400000,
        "M03": 100000,
        "M06": 180000,
        "M07": 40000,
        "M09": 17000,  # 4 × 5,000, one product topped up from 3,000
        "M10": 1000001,  # 80% of 1,250,001 rounded half up
        "M12": 200000,  # 260,000 capped
        "M13": 150000,
        "M14": 1200000,
        "M15": 50000,
        "M17": 300000,
    }


def test_an_invalid_file_exits_non_zero_with_paths_and_no_amount(
    run_cli: RunCli, tmp_path: Path, home: Path
) -> None:
    application = json.loads(M07.read_text(encoding="utf-8"))
    application["applicant"]["uscc"] = "12350000488000111X"
    application["evidence"]["transfers"][3]["recorded_on"] = "2024-04-31"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(application, ensure_ascii=False), encoding="utf-8")
    result = run_cli("assess", "--json", str(path))
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["valid"] is False and "amount" not in data
    paths = {problem["path"] for problem in data["problems"]}
    assert paths == {"$.applicant.uscc", "$.evidence.transfers[3].recorded_on"}
    assert not home.exists(), "a dry run creates nothing"


def test_the_human_output_names_the_field_and_the_reason(run_cli: RunCli, tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"measure": "M07", "year": "2024"}', encoding="utf-8")
    result = run_cli("assess", str(path))
    assert result.exit_code == 1
    assert "$.year" in result.output and "应为整数" in result.output
    assert "$.applicant" in result.output and "缺少必填字段" in result.output


def test_assess_reads_the_ledger_but_stores_nothing(run_cli: RunCli) -> None:
    """A transfer already paid is excluded; the assessment itself leaves no trace."""
    assert run_cli("submit", "--as-of", "2025-01-10", str(M07)).exit_code == 0
    settings = load_settings()
    data = json.loads(M07.read_text(encoding="utf-8"))
    paid_patent = data["evidence"]["transfers"][0]["patent_number"]
    with session_scope(settings) as session:
        application_id = session.scalar(select(Application.id))
        assert application_id is not None
        post_award(
            session,
            Posting(
                application_id=application_id,
                measure="patent-transfers",
                recipient_uscc="12350600MB0000001X",
                year=2024,
                amount=1,
                items=[(f"patent-transfers:transfer:{paid_patent}", 1)],
                city_amount=1,
                jurisdiction_amount=0,
                jurisdiction=None,
                edition="2024",
                yearly_cap=None,
            ),
        )
    result = run_cli("assess", "--json", "--as-of", "2025-01-10", str(M07))
    data = json.loads(result.output)
    assert data["amount"] == 35000  # 7 transfers left
    assert [f["code"] for f in data["findings"]] == ["already_rewarded"]
    with session_scope(settings) as session:
        assert session.scalar(select(func.count(Application.id))) == 1
