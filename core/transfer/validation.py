"""Reading and validating a ``handoff-export`` document into records, before anything is imported.

Validation is strict and complete: every case is checked (types, enum values,
required keys, ISO-8601 timestamps with a time zone, unknown keys, indexes that
link records within the case, duplicate numbers and outbox idempotency keys)
and every problem names its record and field, for example::

    case #3 (number 10044): field "stage": "investigatin" is not one of new, requested, …
    case #1 (number 4711): field "outbox[2].events[0]": 40 is not the index of one of this case's …

Each case reports its first problem; all cases are checked, so one run shows
every broken record.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from core.domain.enums import (
    DEFAULT_VISIBILITY,
    CustomerTier,
    EventKind,
    NoteKind,
    Priority,
    ReasonCode,
    SourceSystem,
    Stage,
    TransitionKind,
    Visibility,
)
from core.transfer.fields import Fields, Invalid, describe
from core.transfer.links import check_links
from core.transfer.schema import (
    FORMAT,
    VERSION,
    CaseRecord,
    ContactRecord,
    CustomerRecord,
    EscalationRecord,
    EventRecord,
    NoteRecord,
    TransferError,
    TransitionRecord,
)
from core.transfer.workflow_parsing import (
    parse_approval,
    parse_attachment,
    parse_closure,
    parse_outbox_entry,
    parse_proposal,
    parse_route,
)

T = TypeVar("T")

MAX_PROBLEMS_SHOWN = 10


class ImportValidationError(TransferError):
    """The document is not a valid export; nothing was imported.

    ``problems`` holds one line per broken record, each naming the record and the field.
    """

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        super().__init__(_summary(self.problems))


def _summary(problems: tuple[str, ...]) -> str:
    if len(problems) == 1:
        return f"{problems[0]}; nothing was imported."
    shown = "\n".join(f"  {problem}" for problem in problems[:MAX_PROBLEMS_SHOWN])
    more = len(problems) - MAX_PROBLEMS_SHOWN
    tail = f"\n  … and {more} more" if more > 0 else ""
    return f"{len(problems)} problems in the file; nothing was imported:\n{shown}{tail}"


def load_document(path: Path) -> object:
    """The parsed JSON of ``path``; unreadable or malformed files raise :class:`TransferError`."""
    try:
        with path.open("r", encoding="utf-8-sig") as stream:
            return json.load(stream)
    except OSError as error:
        raise TransferError(f"Cannot read {path}: {error.strerror or error}.") from error
    except UnicodeDecodeError as error:
        raise TransferError(f"{path} is not UTF-8 text (byte {error.start} cannot be decoded).") from error
    except json.JSONDecodeError as error:
        raise TransferError(
            f"{path} is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}."
        ) from error
    except (ValueError, RecursionError) as error:
        raise TransferError(f"{path} cannot be read as JSON: {error}.") from error


def case_label(position: int, number: int | None) -> str:
    """How problems name a case: its 1-based position in the file and, when known, its number."""
    return f"case #{position}" + ("" if number is None else f" (number {number})")


def parse_document(document: object) -> list[CaseRecord]:
    """The cases of ``document``; raises :class:`ImportValidationError` listing every problem."""
    try:
        header = Fields(document, "")
        _check_header(header)
        raw_cases = header.raw_list("cases")
        header.finish()
    except Invalid as invalid:
        raise ImportValidationError([f"document: {invalid}"]) from None
    records: list[CaseRecord] = []
    problems: list[str] = []
    seen = _SeenCases()
    for position, raw in enumerate(raw_cases, start=1):
        label = case_label(position, _raw_number(raw))
        try:
            record = _parse_case(Fields(raw, ""))
        except Invalid as invalid:
            problems.append(f"{label}: {invalid}")
            continue
        problems.extend(f"{label}: {duplicate}" for duplicate in seen.duplicates(record, position))
        records.append(record)
    if problems:
        raise ImportValidationError(problems)
    return records


class _SeenCases:
    """Case numbers, remote ids and outbox keys met so far (with where), to refuse duplicates in a file."""

    def __init__(self) -> None:
        self._numbers: dict[int, int] = {}
        self._remote_ids: dict[tuple[str, str], int] = {}
        self._outbox_keys: dict[str, tuple[int, int]] = {}

    def duplicates(self, record: CaseRecord, position: int) -> list[str]:
        found: list[str] = []
        earlier = self._numbers.setdefault(record.number, position)
        if earlier != position:
            found.append(f'field "number": {record.number} appears twice (also case #{earlier})')
        if record.remote_id is not None:
            key = (record.source_system.value, record.remote_id)
            earlier = self._remote_ids.setdefault(key, position)
            if earlier != position:
                found.append(
                    f'field "remote_id": {key[0]} id {describe(key[1])} appears twice (also case #{earlier})'
                )
        for index, entry in enumerate(record.outbox):
            first = self._outbox_keys.setdefault(entry.idempotency_key, (position, index))
            if first != (position, index):
                found.append(
                    f'field "outbox[{index}].idempotency_key": {describe(entry.idempotency_key)} '
                    f"appears twice (also case #{first[0]} outbox[{first[1]}])"
                )
        return found


def _check_header(header: Fields) -> None:
    """Refuse a document that is not a Handoff export, or one from a newer format version."""
    document_format = header.text("format")
    if document_format != FORMAT:
        problem = f'expected "{FORMAT}", got {describe(document_format)} (this is not a Handoff export)'
        raise Invalid("format", problem)
    version = header.integer("version", minimum=1)
    if version > VERSION:
        raise Invalid(
            "version",
            f"{version} is newer than this version of Handoff reads ({VERSION}); update Handoff to import it",
        )
    header.optional_timestamp("exported_at")


def _raw_number(raw: object) -> int | None:
    if isinstance(raw, dict):
        number = raw.get("number")
        if isinstance(number, int) and not isinstance(number, bool):
            return number
    return None


def _parse_case(fields: Fields) -> CaseRecord:
    record = CaseRecord(
        number=fields.integer("number", minimum=1),
        subject=fields.text("subject"),
        description=fields.text("description", default=""),
        priority=fields.enum("priority", Priority),
        stage=fields.enum("stage", Stage),
        tier=fields.integer("tier", default=1, minimum=1),
        created_at=fields.timestamp("created_at"),
        updated_at=fields.timestamp("updated_at"),
        resolved_at=fields.optional_timestamp("resolved_at"),
        resolution=fields.optional_text("resolution"),
        root_cause=fields.optional_text("root_cause"),
        defect_key=fields.optional_text("defect_key"),
        reopen_count=fields.integer("reopen_count", default=0),
        source_system=fields.enum("source_system", SourceSystem, default=SourceSystem.LOCAL),
        remote_id=fields.optional_text("remote_id"),
        customer=_optional(fields.optional_object("customer"), _parse_customer),
        contact=_optional(fields.optional_object("contact"), _parse_contact),
        product_area=fields.optional_text("product_area"),
        team=fields.optional_text("team"),
        assignee=fields.optional_text("assignee"),
        timeline=tuple(_parse_event(item) for item in fields.objects("timeline")),
        escalations=tuple(_parse_escalation(item) for item in fields.objects("escalations")),
        stage_transitions=tuple(_parse_transition(item) for item in fields.objects("stage_transitions")),
        notes=tuple(_parse_note(item) for item in fields.objects("notes")),
        approvals=tuple(parse_approval(item) for item in fields.objects("approvals")),
        resolution_proposals=tuple(parse_proposal(item) for item in fields.objects("resolution_proposals")),
        closure_records=tuple(parse_closure(item) for item in fields.objects("closure_records")),
        outbox=tuple(parse_outbox_entry(item) for item in fields.objects("outbox")),
        attachments=tuple(parse_attachment(item) for item in fields.objects("attachments")),
        case_routes=tuple(parse_route(item) for item in fields.objects("case_routes")),
    )
    fields.integer("reroute_count", default=0)  # derived from case_routes: read, then ignored
    fields.optional_mapping("sla")  # derived from the timeline: read, then ignored (recomputed)
    fields.finish()
    check_links(record)
    return record


def _optional(fields: Fields | None, parse: Callable[[Fields], T]) -> T | None:
    return None if fields is None else parse(fields)


def _parse_customer(fields: Fields) -> CustomerRecord:
    record = CustomerRecord(
        name=fields.text("name"),
        tier=fields.enum("tier", CustomerTier),
        arr_cents=fields.integer("arr_cents", default=0),
        renewal_date=fields.optional_date("renewal_date"),
        domain=fields.optional_text("domain"),
    )
    fields.finish()
    return record


def _parse_contact(fields: Fields) -> ContactRecord:
    record = ContactRecord(name=fields.text("name"), email=fields.optional_text("email"))
    fields.finish()
    return record


def _parse_event(fields: Fields) -> EventRecord:
    kind = fields.enum("kind", EventKind)
    meta = fields.optional_mapping("meta")
    record = EventRecord(
        kind=kind,
        visibility=fields.enum("visibility", Visibility, default=DEFAULT_VISIBILITY[kind]),
        occurred_at=fields.timestamp("occurred_at"),
        author=fields.text("author", default=""),
        body_text=fields.text("body_text", default=""),
        body_html=fields.optional_text("body_html"),
        meta=meta or None,
        source_system=fields.enum("source_system", SourceSystem, default=SourceSystem.LOCAL),
        remote_id=fields.optional_text("remote_id"),
        pending=fields.boolean("pending", default=False),  # derived: the outbox entries say it again
    )
    fields.finish()
    return record


def _parse_escalation(fields: Fields) -> EscalationRecord:
    record = EscalationRecord(
        tier=fields.integer("tier", minimum=1),
        reason_code=fields.enum("reason_code", ReasonCode),
        stage=fields.enum("stage", Stage),
        team=fields.optional_text("team"),
        requested_by=fields.optional_text("requested_by"),
        requested_at=fields.timestamp("requested_at"),
        justification=fields.text("justification", default=""),
        override_reason=fields.optional_text("override_reason"),
        closed_at=fields.optional_timestamp("closed_at"),
        recommended_tier=fields.optional_integer("recommended_tier", minimum=1),
        recommendation=fields.optional_mapping("recommendation"),
        readiness=fields.optional_mapping("readiness"),
    )
    fields.finish()
    return record


def _parse_transition(fields: Fields) -> TransitionRecord:
    record = TransitionRecord(
        from_stage=fields.optional_enum("from_stage", Stage),
        to_stage=fields.enum("to_stage", Stage),
        actor=fields.optional_text("actor"),
        at=fields.timestamp("at"),
        reason=fields.text("reason", default=""),
        escalation=fields.optional_integer("escalation"),
        kind=fields.optional_enum("kind", TransitionKind),
        details=fields.optional_mapping("details"),
    )
    fields.finish()
    return record


def _parse_note(fields: Fields) -> NoteRecord:
    record = NoteRecord(
        kind=fields.enum("kind", NoteKind, default=NoteKind.NOTE),
        body=fields.text("body"),
        author=fields.optional_text("author"),
        created_at=fields.timestamp("created_at"),
        updated_at=fields.timestamp("updated_at"),
        event=fields.optional_integer("event"),
    )
    fields.finish()
    return record
