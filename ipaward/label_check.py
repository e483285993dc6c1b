"""Which codes a person could read that the label catalogue does not name.

Walks the sources of codes themselves — the editions' checklists and routes, the state
enums, the exchange models' fields and closed lists — so adding a value anywhere without
adding its label fails tests/ipaward/config/test_labels.py, not a reader.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterator
from enum import StrEnum
from typing import Any

from pydantic import BaseModel

from ipaward.applicant_kinds import APPLICANT_KINDS
from ipaward.config.policy import Policy
from ipaward.exchange.application import ApplicationEnvelope
from ipaward.exchange.identities import ItemKind
from ipaward.labels import COMMON, Catalogue
from ipaward.lifecycle.states import AnnualListState, ApplicationState, LineStatus, ProgrammeState
from ipaward.measures import definitions
from ipaward.workflow.decisions import OUTCOMES
from ipaward.workflow.states import DECLARED_STAGES

ENUM_GROUPS: dict[type[StrEnum], str] = {
    ApplicationState: "application_states",
    AnnualListState: "list_states",
    LineStatus: "line_states",
    ProgrammeState: "programme_states",
    ItemKind: "item_kinds",
}
WORK_ITEM_STATES = ("open", "done", "cancelled")


def model_paths(model: type[BaseModel], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """(path pattern, annotation) of every field, nested models and lists included."""
    for name, info in model.model_fields.items():
        yield from _visit(info.annotation, f"{prefix}.{name}" if prefix else name)


def _visit(annotation: Any, path: str) -> Iterator[tuple[str, Any]]:
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        for arg in args:
            if arg is not type(None):
                yield from _visit(arg, path)
        return
    if origin is typing.Annotated:
        yield from _visit(args[0], path)
        return
    if origin in (list, tuple, set, frozenset):
        yield from _visit(args[0], f"{path}[]")
        return
    yield path, annotation
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield from model_paths(annotation, path)


def literal_values(annotation: Any) -> list[str]:
    if typing.get_origin(annotation) is typing.Literal:
        return [str(v) for v in typing.get_args(annotation)]
    return []


def missing_labels(policy: Policy, labels: Catalogue) -> list[str]:
    """Every `group: code` without a label; empty when the catalogue is complete."""
    groups, missing = labels.groups, []

    def need(group: str, code: str) -> None:
        if code not in groups[group]:
            missing.append(f"{group}: {code}")

    for edition in policy.editions:
        for kind in edition.document_kinds:
            need("documents", kind)
        for measure in edition.measures.values():
            for kind in (*measure.required_documents, *measure.optional_documents):
                need("documents", kind)
    for enum, group in ENUM_GROUPS.items():
        for member in enum:
            need(group, member.value)
    for stage in DECLARED_STAGES:
        need("stages", stage)
    for edition in policy.editions:
        for measure in edition.measures.values():
            for stage_config in measure.route:
                need("stages", stage_config.stage)
    for kind in sorted(APPLICANT_KINDS):
        need("applicant_kinds", kind)
    for outcome in OUTCOMES:
        need("outcomes", outcome)
    for state in WORK_ITEM_STATES:
        need("work_item_states", state)
    need("actors", "system")
    for path, annotation in model_paths(ApplicationEnvelope):
        if not path.startswith("evidence"):
            _field(labels, COMMON, path, missing)
        for value in literal_values(annotation):
            need("applicant_kinds" if path == "applicant.kind" else "enums", value)
    for identity, definition in definitions().items():
        for path, annotation in model_paths(definition.evidence):
            _field(labels, identity, path, missing)
            need("keys", path.rsplit(".", 1)[-1].removesuffix("[]"))
            for value in literal_values(annotation):
                need("enums", value)
    return missing


def _field(labels: Catalogue, table: str, path: str, missing: list[str]) -> None:
    if path not in labels.fields.get(table, {}):
        missing.append(f"fields.{table}: {path}")
