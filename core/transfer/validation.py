"""Reading and validating a ``handoff-export`` document into records, before anything is imported.

Validation is strict and complete: every case is checked (types, enum values,
required keys, ISO-8601 timestamps with a time zone, unknown keys, duplicate
numbers) and every problem names its record and field, for example::

    case #3 (number 10044): field "stage": "investigatin" is not one of new, requested, …

Each case reports its first problem; all cases are checked, so one run shows
every broken record.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

from core.domain.enums import (
    DEFAULT_VISIBILITY,
    CustomerTier,
    EventKind,
    NoteKind,
    Priority,
    ReasonCode,
    SourceSystem,
    Stage,
    Visibility,
)
from core.transfer.schema import (
    FORMAT,
    VERSION,
    CaseRecord,
    ContactRecord,
    CustomerRecord,
    EscalationRecord,
    EventRecord,
    JsonObject,
    NoteRecord,
    TransferError,
    TransitionRecord,
)

E = TypeVar("E", bound=StrEnum)
T = TypeVar("T")

MAX_PROBLEMS_SHOWN = 10
_MISSING: Any = object()


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


class _Invalid(Exception):
    """One bad field; caught per record and turned into a line of :class:`ImportValidationError`."""

    def __init__(self, field: str | None, problem: str) -> None:
        super().__init__(problem if field is None else f'field "{field}": {problem}')


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
        header = _Fields(document, "")
        _check_header(header)
        raw_cases = header.raw_list("cases")
        header.finish()
    except _Invalid as invalid:
        raise ImportValidationError([f"document: {invalid}"]) from None
    records: list[CaseRecord] = []
    problems: list[str] = []
    seen = _SeenCases()
    for position, raw in enumerate(raw_cases, start=1):
        label = case_label(position, _raw_number(raw))
        try:
            record = _parse_case(_Fields(raw, ""))
        except _Invalid as invalid:
            problems.append(f"{label}: {invalid}")
            continue
        problems.extend(f"{label}: {duplicate}" for duplicate in seen.duplicates(record, position))
        records.append(record)
    if problems:
        raise ImportValidationError(problems)
    return records


class _SeenCases:
    """Positions of the case numbers and remote ids met so far, to refuse duplicates within a file."""

    def __init__(self) -> None:
        self._numbers: dict[int, int] = {}
        self._remote_ids: dict[tuple[str, str], int] = {}

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
                    f'field "remote_id": {key[0]} id {_describe(key[1])} appears twice (also case #{earlier})'
                )
        return found


def _check_header(header: _Fields) -> None:
    """Refuse a document that is not a Handoff export, or one from a newer format version."""
    document_format = header.text("format")
    if document_format != FORMAT:
        problem = f'expected "{FORMAT}", got {_describe(document_format)} (this is not a Handoff export)'
        raise _Invalid("format", problem)
    version = header.integer("version", minimum=1)
    if version > VERSION:
        raise _Invalid(
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


def _parse_case(fields: _Fields) -> CaseRecord:
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
    )
    fields.finish()
    for index, transition in enumerate(record.stage_transitions):
        if transition.escalation is not None and transition.escalation >= len(record.escalations):
            raise _Invalid(
                f"stage_transitions[{index}].escalation",
                f"{transition.escalation} is not the index of one of this case's "
                f"{len(record.escalations)} escalations",
            )
    return record


def _optional(fields: _Fields | None, parse: Callable[[_Fields], T]) -> T | None:
    return None if fields is None else parse(fields)


def _parse_customer(fields: _Fields) -> CustomerRecord:
    record = CustomerRecord(
        name=fields.text("name"),
        tier=fields.enum("tier", CustomerTier),
        arr_cents=fields.integer("arr_cents", default=0),
        renewal_date=fields.optional_date("renewal_date"),
        domain=fields.optional_text("domain"),
    )
    fields.finish()
    return record


def _parse_contact(fields: _Fields) -> ContactRecord:
    record = ContactRecord(name=fields.text("name"), email=fields.optional_text("email"))
    fields.finish()
    return record


def _parse_event(fields: _Fields) -> EventRecord:
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
    )
    fields.finish()
    return record


def _parse_escalation(fields: _Fields) -> EscalationRecord:
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
    )
    fields.finish()
    return record


def _parse_transition(fields: _Fields) -> TransitionRecord:
    record = TransitionRecord(
        from_stage=fields.optional_enum("from_stage", Stage),
        to_stage=fields.enum("to_stage", Stage),
        actor=fields.optional_text("actor"),
        at=fields.timestamp("at"),
        reason=fields.text("reason", default=""),
        escalation=fields.optional_integer("escalation"),
    )
    fields.finish()
    return record


def _parse_note(fields: _Fields) -> NoteRecord:
    record = NoteRecord(
        kind=fields.enum("kind", NoteKind, default=NoteKind.NOTE),
        body=fields.text("body"),
        author=fields.optional_text("author"),
        created_at=fields.timestamp("created_at"),
        updated_at=fields.timestamp("updated_at"),
    )
    fields.finish()
    return record


def _describe(value: object) -> str:
    """A short rendering of a JSON value for a problem message."""
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    rendered = json.dumps(value, ensure_ascii=False)
    return rendered if len(rendered) <= 60 else rendered[:57] + '…"'


class _Fields:
    """Typed access to one JSON object, naming the field (with its path) in every problem.

    A missing key takes the default when one is given and is otherwise
    "missing"; ``null`` is accepted only by the ``optional_*`` readers.
    """

    def __init__(self, value: object, path: str) -> None:
        if not isinstance(value, dict):
            raise _Invalid(path or None, f"expected an object, got {_describe(value)}")
        self._data: JsonObject = value
        self._path = path
        self._read: set[str] = set()

    def _name(self, key: str) -> str:
        return f"{self._path}.{key}" if self._path else key

    def _value(self, key: str, default: object = _MISSING) -> object:
        self._read.add(key)
        if key in self._data:
            return self._data[key]
        if default is _MISSING:
            raise _Invalid(self._name(key), "missing; it is required")
        return default

    def _typed(self, key: str, expected: type, label: str, default: object, nullable: bool) -> Any:
        value = self._value(key, None if nullable and default is _MISSING else default)
        if value is None and nullable:
            return None
        if not isinstance(value, expected) or isinstance(value, bool):
            accepted = f"null or {label}" if nullable else label
            raise _Invalid(self._name(key), f"expected {accepted}, got {_describe(value)}")
        return value

    def text(self, key: str, *, default: str | None = None) -> str:
        value: str = self._typed(key, str, "a string", _MISSING if default is None else default, False)
        return value

    def optional_text(self, key: str) -> str | None:
        value: str | None = self._typed(key, str, "a string", _MISSING, True)
        return value

    def integer(self, key: str, *, default: int | None = None, minimum: int = 0) -> int:
        value: int = self._typed(key, int, "a whole number", _MISSING if default is None else default, False)
        self._check_minimum(key, value, minimum)
        return value

    def optional_integer(self, key: str, *, minimum: int = 0) -> int | None:
        value: int | None = self._typed(key, int, "a whole number", _MISSING, True)
        if value is not None:
            self._check_minimum(key, value, minimum)
        return value

    def _check_minimum(self, key: str, value: int, minimum: int) -> None:
        if value < minimum:
            raise _Invalid(self._name(key), f"{value} is less than {minimum}")

    def enum(self, key: str, enum_type: type[E], *, default: E | None = None) -> E:
        text = self.text(key, default=None if default is None else default.value)
        return self._member(key, text, enum_type)

    def optional_enum(self, key: str, enum_type: type[E]) -> E | None:
        text = self.optional_text(key)
        return None if text is None else self._member(key, text, enum_type)

    def _member(self, key: str, text: str, enum_type: type[E]) -> E:
        try:
            return enum_type(text)
        except ValueError:
            allowed = ", ".join(member.value for member in enum_type)
            raise _Invalid(self._name(key), f"{_describe(text)} is not one of {allowed}") from None

    def timestamp(self, key: str) -> datetime:
        return self._parse_timestamp(key, self.text(key))

    def optional_timestamp(self, key: str) -> datetime | None:
        text = self.optional_text(key)
        return None if text is None else self._parse_timestamp(key, text)

    def _parse_timestamp(self, key: str, text: str) -> datetime:
        try:
            value = datetime.fromisoformat(text)
        except ValueError:
            raise _Invalid(
                self._name(key), f"{_describe(text)} is not an ISO-8601 date-time like 2026-11-02T09:00:00Z"
            ) from None
        if value.tzinfo is None:
            raise _Invalid(
                self._name(key), f"{_describe(text)} has no time zone; end it with Z or an offset like +01:00"
            )
        return value

    def optional_date(self, key: str) -> date | None:
        text = self.optional_text(key)
        if text is None:
            return None
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise _Invalid(self._name(key), f"{_describe(text)} is not a date like 2027-03-31") from None

    def optional_object(self, key: str) -> _Fields | None:
        value = self._value(key, None)
        return None if value is None else _Fields(value, self._name(key))

    def optional_mapping(self, key: str) -> JsonObject | None:
        value: JsonObject | None = self._typed(key, dict, "an object", _MISSING, True)
        return value

    def raw_list(self, key: str) -> list[object]:
        value: list[object] = self._typed(key, list, "a list", _MISSING, False)
        return value

    def objects(self, key: str) -> list[_Fields]:
        items = self._typed(key, list, "a list", [], False)
        return [_Fields(item, f"{self._name(key)}[{index}]") for index, item in enumerate(items)]

    def finish(self) -> None:
        """Refuse keys this format version does not define (a typo would otherwise lose data)."""
        for key in self._data:
            if key not in self._read:
                raise _Invalid(self._name(key), f"is not a field of format version {VERSION}")
