"""The label catalogue names every code a person could read, and reads paths as people do."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ipaward.config.config_errors import ConfigError
from ipaward.config.policy import load_policy
from ipaward.label_check import missing_labels
from ipaward.labels import catalogue, evidence_fields, field_label, label, load_labels
from ipaward.settings import PROJECT_ROOT

CONFIG = PROJECT_ROOT / "config"


def test_every_code_of_config_and_code_has_a_label() -> None:
    assert missing_labels(load_policy(CONFIG), catalogue()) == []


def test_the_editions_name_documents_as_the_catalogue_does() -> None:
    """Notices and pages name a document by the catalogue; an edition's own list must agree."""
    for edition in load_policy(CONFIG).editions:
        for kind, name in edition.document_kinds.items():
            assert label(kind, "documents") == name, (edition.code, kind)


def test_a_new_value_without_a_label_is_found(tmp_path: Path) -> None:
    text = (CONFIG / "labels.toml").read_text(encoding="utf-8")
    trimmed = tmp_path / "labels.toml"
    trimmed.write_text(text.replace('overseas_family = "有海外同族专利"\n', ""), encoding="utf-8")
    assert "enums: overseas_family" in missing_labels(load_policy(CONFIG), load_labels(trimmed))


def test_a_broken_catalogue_names_file_and_key(tmp_path: Path) -> None:
    broken = tmp_path / "labels.toml"
    broken.write_text('[documents]\nother = ""\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"documents\.other"):
        load_labels(broken)


def test_the_config_loader_refuses_a_broken_catalogue(tmp_path: Path) -> None:
    shutil.copytree(CONFIG, tmp_path / "config")
    (tmp_path / "config" / "labels.toml").write_text("[stages]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"labels\.toml"):
        load_policy(tmp_path / "config")


def test_paths_read_as_chinese() -> None:
    assert field_label("documents[business_licence]") == "营业执照或法人证书"
    transferee = field_label("evidence.transfers[1].transferee", "patent-transfers")
    assert transferee == "第2项转让的受让方"
    assert field_label("evidence.grading.certificate_no", "innovation-management-grading") == (
        "等级证书编号"
    )
    assert field_label("applicant.jurisdiction") == "申请人所在地"
    assert field_label("evidence.nowhere[0]") == "evidence.nowhere[0]"  # shown, so tests see it


def test_codes_read_as_chinese_in_both_scripts() -> None:
    assert label("correction_requested", "application_states") == "待补正"
    assert label("system", "actors") == "系统"
    assert label("overseas_family") == "有海外同族专利"
    assert label("in_review", "list_states", language="zh-Hant") == "審核中"
    assert label(None) == "—"


def test_evidence_fields_follow_the_application() -> None:
    fields = evidence_fields("patent-transfers", {"transfers": [{}, {}]})
    assert fields[0] == "evidence.transfers[0].patent_number"
    assert "evidence.transfers[1].transferee.name" in fields
    assert not any(f.endswith("transfers[0].transferee") for f in fields)  # leaves only
