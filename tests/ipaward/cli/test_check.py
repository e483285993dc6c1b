"""`ipaward check` lists every go-live placeholder still set, exits 1 while any remain, and
0 once the config is ready."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from ipaward.settings import PROJECT_ROOT
from tests.ipaward.cli.conftest import RunCli


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, home: Path) -> Path:
    """A copy of the shipped config the test may edit."""
    folder = tmp_path / "config"
    shutil.copytree(PROJECT_ROOT / "config", folder)
    monkeypatch.setenv("IPAWARD_CONFIG_DIR", str(folder))
    return folder


def edit(path: Path, pattern: str, replacement: str, *, done_before: bool = False) -> None:
    text = path.read_text(encoding="utf-8")
    changed = re.sub(pattern, replacement, text, flags=re.MULTILINE)
    assert changed != text or done_before, pattern
    path.write_text(changed, encoding="utf-8")


def set_everything(config: Path) -> None:
    """What an operator does before go-live."""
    edit(config / "notices.toml", r"^to_be_confirmed = true$", "to_be_confirmed = false")
    edit(
        config / "workflow.toml",
        r"^objection_address = .*$",
        'objection_address = "漳州市芗城区胜利东路1号漳州市市场监督管理局知识产权科"',
    )
    edit(
        config / "workflow.toml",
        r"^objection_phone = .*$",
        'objection_phone = "0596-2023456"',
        done_before=True,
    )
    edit(config / "budgets.toml", r"^to_be_confirmed = true\n", "")
    edit(config / "editions" / "2024.toml", r"^to_be_confirmed = true$", "to_be_confirmed = false")


def test_the_shipped_config_lists_each_kind_of_placeholder_and_exits_1(
    run_cli: RunCli, config: Path
) -> None:
    result = run_cli("check", "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["ready"] is False
    topics = {p["topic"] for p in data["placeholders"]}
    assert topics == {"机关代字", "异议受理地址", "异议受理电话", "年度预算", "财政分担比例"}
    details = [p["detail"] for p in data["placeholders"]]
    assert "漳州市市场监督管理局的机关代字“漳市监知”尚待与该单位核实" in details
    assert any(d.startswith("第（七）条 盘活存量专利2024年度预算1,500,000元") for d in details)
    assert any("现按市级承担100%执行" in d for d in details)
    for placeholder in data["placeholders"]:  # Chinese for people: no department codes
        assert not re.search(r"city\.|[a-z_]+\.(gov|finance)", placeholder["detail"])

    table = run_cli("check")
    assert table.exit_code == 1
    assert f"尚有{len(details)}项上线前须设置的占位内容" in table.stdout


def test_each_placeholder_set_leaves_the_list_until_it_is_empty(
    run_cli: RunCli, config: Path
) -> None:
    edit(config / "workflow.toml", r"^objection_phone = .*$", 'objection_phone = "0596-2023456"')
    topics = [p["topic"] for p in json.loads(run_cli("check", "--json").stdout)["placeholders"]]
    assert "异议受理电话" not in topics and "异议受理地址" in topics

    set_everything(config)
    result = run_cli("check", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {"ready": True, "placeholders": []}
    plain = run_cli("check")
    assert plain.exit_code == 0 and "配置检查通过" in plain.stdout


def test_a_broken_config_is_a_config_error_exit_2(run_cli: RunCli, config: Path) -> None:
    edit(config / "budgets.toml", r"^to_be_confirmed = true$", 'to_be_confirmed = "yes"')
    result = run_cli("check")
    assert result.exit_code == 2
