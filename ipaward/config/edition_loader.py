"""Parse and check one edition file. Every problem names the file, the key and the reason."""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal, cast

from ipaward.applicant_kinds import APPLICANT_KINDS
from ipaward.config.departments import Directory
from ipaward.config.edition import (
    ALL_JURISDICTIONS,
    OWN_JURISDICTION,
    Edition,
    Funding,
    FundSource,
    Measure,
    MeasureKind,
    Party,
    Stage,
)
from ipaward.config.edition_inheritance import read_toml
from ipaward.config.parameters import Parameter, parse_parameters
from ipaward.config.reader import TableReader
from ipaward.lifecycle.route_plan import PUBLICITY_STAGE

MEASURE_CODE = re.compile(r"^M\d{2}$")
IDENTITY = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
KINDS = ("award", "annual", "claim", "budget", "programme")
WHO = ("lead", "countersigners", "finance", "responsible")
COMPLETIONS = ("all", "any", "ratio")
STAGE_NOTICES = ("review_result",)  # what a completed stage may send the applicant


def load_edition(path: Path, directory: Directory, raw: Mapping[str, Any] | None = None) -> Edition:
    """One edition from its file, or from `raw` (its tables with what it extends folded in)."""
    raw = read_toml(path) if raw is None else raw
    root = TableReader(raw, file=path, key="")
    root.only(["edition", "funding", "document_kinds", "routes", "parameters", "measures"])
    head = TableReader(raw.get("edition"), file=path, key="edition")
    head.only(
        [
            "code",
            "title",
            "issuer",
            "issued_on",
            "valid_from",
            "valid_until",
            "implementing_unit",
            "extends",
        ]
    )
    valid_from, valid_until = head.date("valid_from"), head.date("valid_until")
    if valid_until < valid_from:
        raise head.fail("valid_until", "is before valid_from")
    implementing = head.text("implementing_unit")
    _known_department(implementing, directory, head, "implementing_unit")
    document_kinds = _document_kinds(
        TableReader(raw.get("document_kinds"), file=path, key="document_kinds")
    )
    routes = {
        name: _route(TableReader(body, file=path, key=f"routes.{name}"))
        for name, body in TableReader(raw.get("routes"), file=path, key="routes").raw.items()
    }
    shared = parse_parameters(raw.get("parameters", {}), file=path, prefix="parameters")
    measures_table = TableReader(raw.get("measures"), file=path, key="measures")
    measures = {
        code: _measure(code, measures_table.sub(code), directory, routes, document_kinds, shared)
        for code in measures_table.raw
    }
    identities = [measure.identity for measure in measures.values()]
    for code, measure in measures.items():
        if identities.count(measure.identity) > 1:
            raise measures_table.fail(f"{code}.identity", f"{measure.identity!r} is numbered twice")
    return Edition(
        code=head.text("code"),
        title=head.text("title"),
        issuer=head.text("issuer"),
        issued_on=head.date("issued_on"),
        valid_from=valid_from,
        valid_until=valid_until,
        implementing_unit=implementing,
        funding=_funding(TableReader(raw.get("funding"), file=path, key="funding"), directory),
        document_kinds=document_kinds,
        measures=measures,
        source=str(path),
        extends=head.text("extends") if "extends" in head.raw else None,
    )


def _known_department(code: str, directory: Directory, table: TableReader, field: str) -> None:
    if code not in directory.departments:
        raise table.fail(field, f"unknown department code {code!r}")


def _document_kinds(table: TableReader) -> dict[str, str]:
    return {kind: table.text(kind) for kind in table.raw}


def _ratio(table: TableReader, field: str, value: object) -> Decimal:
    try:
        ratio = Decimal(str(value)) if isinstance(value, str | int) else None
    except InvalidOperation:
        ratio = None
    if ratio is None or isinstance(value, bool) or not Decimal(0) <= ratio <= Decimal(1):
        raise table.fail(field, 'a share between 0 and 1 (as text, e.g. "0.6") is required')
    return ratio


def _funding(table: TableReader, directory: Directory) -> Funding:
    table.only(["default_city_share", "to_be_confirmed", "city_share"])
    shares = table.sub("city_share") if "city_share" in table.raw else None
    per_jurisdiction: dict[str, Decimal] = {}
    for code, value in shares.raw.items() if shares else []:
        if code not in directory.jurisdictions:
            raise table.fail(f"city_share.{code}", "unknown jurisdiction code")
        per_jurisdiction[code] = _ratio(table, f"city_share.{code}", value)
    return Funding(
        default_city_share=_ratio(table, "default_city_share", table.raw.get("default_city_share")),
        to_be_confirmed=table.flag("to_be_confirmed"),
        city_share=per_jurisdiction,
    )


def _route(table: TableReader) -> tuple[Stage, ...]:
    table.only(["stages"])
    stages = []
    for stage in table.tables("stages"):
        stage.only(
            [
                "stage",
                "who",
                "completion",
                "completion_ratio",
                "due_working_days",
                "working_days",
                "notify_when_done",
                "budget_check",
            ]
        )
        who = stage.raw.get("who")
        if who is not None and who not in WHO:
            raise stage.fail("who", f"must be one of {', '.join(WHO)}")
        completion = stage.raw.get("completion", "all")
        if completion not in COMPLETIONS:
            raise stage.fail("completion", f"must be one of {', '.join(COMPLETIONS)}")
        notify = stage.raw.get("notify_when_done")
        if notify is not None and notify not in STAGE_NOTICES:
            raise stage.fail("notify_when_done", f"must be one of {', '.join(STAGE_NOTICES)}")
        if (who is None) != (stage.raw.get("stage") == PUBLICITY_STAGE):
            raise stage.fail("who", "every stage but publicity names who decides it")
        ratio = stage.raw.get("completion_ratio")
        if (completion == "ratio") != (ratio is not None):
            raise stage.fail("completion_ratio", 'is required exactly when completion = "ratio"')
        stages.append(
            Stage(
                stage=stage.text("stage"),
                who=who,
                completion=completion,
                completion_ratio=Fraction(str(ratio)) if ratio is not None else None,
                due_working_days=stage.optional_int("due_working_days"),
                working_days=stage.optional_int("working_days"),
                notify_when_done=notify,
                budget_check=stage.flag("budget_check") if "budget_check" in stage.raw else False,
            )
        )
    if not stages:
        raise table.fail("stages", "a route needs at least one stage")
    return tuple(stages)


def _measure(
    code: str,
    table: TableReader,
    directory: Directory,
    routes: dict[str, tuple[Stage, ...]],
    document_kinds: dict[str, str],
    shared: dict[str, Parameter],
) -> Measure:
    if not MEASURE_CODE.match(code):
        raise table.fail("", "a measure code is M followed by two digits")
    table.only(
        [
            "identity",
            "fund",
            "clause",
            "title",
            "kind",
            "lead",
            "route",
            "applicant_kinds",
            "responsible",
            "documents",
            "summary",
            "parameters",
        ]
    )
    kind = table.text("kind")
    if kind not in KINDS:
        raise table.fail("kind", f"must be one of {', '.join(KINDS)}")
    lead = table.text("lead")
    _known_department(lead, directory, table, "lead")
    route = table.text("route")
    if route not in routes:
        raise table.fail("route", f"unknown route {route!r}")
    applicant_kinds = table.texts("applicant_kinds")
    for applicant_kind in applicant_kinds:
        if applicant_kind not in APPLICANT_KINDS:
            raise table.fail("applicant_kinds", f"unknown applicant kind {applicant_kind!r}")
    documents = table.sub("documents")
    documents.only(["required", "optional"])
    for name in (*documents.texts("required"), *documents.texts("optional")):
        if name not in document_kinds:
            raise documents.fail("", f"unknown document kind {name!r}")
    own = parse_parameters(
        table.raw.get("parameters", {}), file=table.file, prefix=f"{table.key}.parameters"
    )
    identity = table.text("identity")
    if not IDENTITY.match(identity):
        raise table.fail("identity", "lower-case words joined by '-', e.g. patent-transfers")
    fund = None
    if "fund" in table.raw:
        source = table.sub("fund")
        source.only(["code", "name"])
        fund = FundSource(code=source.text("code"), name=source.text("name"))
    return Measure(
        code=code,
        identity=identity,
        fund=fund,
        clause=table.text("clause"),
        title=table.text("title"),
        kind=cast(MeasureKind, kind),
        lead=lead,
        route=routes[route],
        applicant_kinds=frozenset(applicant_kinds),
        responsible=tuple(_parties(table, directory)),
        required_documents=documents.texts("required"),
        optional_documents=documents.texts("optional"),
        summary=table.text("summary"),
        parameters={**shared, **own},
    )


def _parties(table: TableReader, directory: Directory) -> list[Party]:
    parties = []
    seen: set[str] = set()
    for party in table.tables("responsible"):
        party.only(["dept", "part", "why"])
        dept = party.text("dept")
        if dept not in (OWN_JURISDICTION, ALL_JURISDICTIONS):
            _known_department(dept, directory, party, "dept")
        if dept in seen:
            raise party.fail("dept", f"{dept!r} is listed twice")
        seen.add(dept)
        part = party.text("part")
        if part not in ("countersign", "copied"):
            raise party.fail("part", "must be countersign or copied")
        why = party.text("why") if "why" in party.raw else ""
        parties.append(Party(dept=dept, part=cast(Literal["countersign", "copied"], part), why=why))
    return parties
