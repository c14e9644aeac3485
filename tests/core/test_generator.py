"""The workspace generator: determinism, realistic shape, consistency of every table, searchability."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from core.config import export_config, load_config, parse_config, save_config
from core.db.types import format_utc
from core.domain.enums import (
    DEFAULT_VISIBILITY,
    OPEN_STAGES,
    CustomerTier,
    EventKind,
    NoteKind,
    PersonRole,
    Priority,
    ReasonCode,
    Stage,
)
from core.generator import GenerationReport, WorkspaceNotEmptyError, generate_workspace
from core.queries.board import load_board
from core.search import search_cases
from core.settings import ME_PERSON_ID, get_setting, my_person_id
from core.workspace import open_workspace

ANCHOR = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
CASES = 400
TABLES = (
    "product_areas",
    "teams",
    "people",
    "person_skills",
    "customers",
    "contacts",
    "cases",
    "escalations",
    "stage_transitions",
    "timeline_events",
    "investigation_notes",
    "workspace_settings",
)
_DONE = {Stage.RESOLVED.value, Stage.CLOSED.value}


def _generate(root: Path, *, cases: int, seed: int) -> GenerationReport:
    engine, _report = open_workspace(root)
    try:
        return generate_workspace(engine, cases=cases, seed=seed, anchor=ANCHOR)
    finally:
        engine.dispose()


def _dump(root: Path) -> dict[str, list[tuple[object, ...]]]:
    with closing(sqlite3.connect(root / "handoff.sqlite")) as connection:
        return {table: connection.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall() for table in TABLES}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, GenerationReport]:
    """One generated workspace of 400 cases shared by the read-only tests of this module."""
    root = tmp_path_factory.mktemp("generated") / "workspace"
    return root, _generate(root, cases=CASES, seed=5)


@pytest.fixture
def db(generated: tuple[Path, GenerationReport]) -> Iterator[sqlite3.Connection]:
    """A plain read connection on the shared generated workspace."""
    with closing(sqlite3.connect(generated[0] / "handoff.sqlite")) as connection:
        yield connection


# -- determinism --------------------------------------------------------------------------------------


def test_same_seed_and_anchor_give_identical_databases(tmp_path: Path) -> None:
    _generate(tmp_path / "a", cases=120, seed=42)
    _generate(tmp_path / "b", cases=120, seed=42)

    first, second = _dump(tmp_path / "a"), _dump(tmp_path / "b")

    assert first["cases"], "nothing was generated"
    for table in TABLES:
        assert first[table] == second[table], f"{table} differs between two runs with the same seed"


_DIGEST_SCRIPT = """
import hashlib, sqlite3, sys
from datetime import UTC, datetime
from pathlib import Path
from core.generator import generate_workspace
from core.workspace import open_workspace
root = Path(sys.argv[1])
engine, _ = open_workspace(root)
generate_workspace(engine, cases=80, seed=9, anchor=datetime(2026, 11, 2, 9, tzinfo=UTC))
engine.dispose()
digest = hashlib.sha256()
with sqlite3.connect(root / "handoff.sqlite") as connection:
    for table in sys.argv[2:]:
        for row in connection.execute(f"SELECT * FROM {table} ORDER BY 1"):
            digest.update(repr(row).encode())
connection.close()
print(digest.hexdigest())
"""


def test_same_seed_gives_identical_databases_across_processes(tmp_path: Path) -> None:
    """Nothing may depend on string hashing, which differs from one Python process to the next."""
    digests = []
    for hash_seed in ("1", "2"):
        result = subprocess.run(
            [sys.executable, "-c", _DIGEST_SCRIPT, str(tmp_path / hash_seed), *TABLES],
            env={**os.environ, "PYTHONHASHSEED": hash_seed, "PYTHONPATH": str(Path(__file__).parents[2])},
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        )
        digests.append(result.stdout.strip())
    assert digests[0] == digests[1] and len(digests[0]) == 64


def test_a_different_seed_gives_different_cases(tmp_path: Path) -> None:
    _generate(tmp_path / "a", cases=60, seed=1)
    _generate(tmp_path / "b", cases=60, seed=2)

    first, second = _dump(tmp_path / "a"), _dump(tmp_path / "b")

    subjects = [row[2] for row in first["cases"]], [row[2] for row in second["cases"]]
    assert subjects[0] != subjects[1]
    assert first["timeline_events"] != second["timeline_events"]


# -- refusals -----------------------------------------------------------------------------------------


def test_refuses_a_workspace_that_already_has_data(engine: Engine) -> None:
    generate_workspace(engine, cases=5, seed=1, anchor=ANCHOR)

    with pytest.raises(WorkspaceNotEmptyError, match="already contains data"):
        generate_workspace(engine, cases=5, seed=2, anchor=ANCHOR)


def test_refuses_a_case_count_below_one_and_a_naive_anchor(engine: Engine) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        generate_workspace(engine, cases=0, seed=1, anchor=ANCHOR)
    with pytest.raises(ValueError, match="aware"):
        generate_workspace(engine, cases=1, seed=1, anchor=ANCHOR.replace(tzinfo=None))


# -- the organisation ---------------------------------------------------------------------------------


def test_report_matches_the_tables(generated: tuple[Path, GenerationReport], db: sqlite3.Connection) -> None:
    report = generated[1]

    def count(table: str) -> int:
        value: int = db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        return value

    assert report.cases == count("cases") == CASES
    assert report.events == count("timeline_events")
    assert report.escalations == count("escalations")
    assert report.transitions == count("stage_transitions")
    assert report.notes == count("investigation_notes")
    assert report.customers == count("customers")
    assert report.contacts == count("contacts")
    assert report.people == count("people")
    assert report.teams == count("teams")


def test_organisation_has_areas_lanes_people_with_skills_and_customers(db: sqlite3.Connection) -> None:
    areas = dict(db.execute("SELECT id, key FROM product_areas").fetchall())
    assert len(areas) == 8
    teams = db.execute("SELECT id, tier, product_area_id, wip_limit FROM teams").fetchall()
    assert Counter(tier for _id, tier, _area, _wip in teams) == {1: 1, 2: 8, 3: 8}
    for _id, tier, area, wip in teams:
        assert (area is None) == (tier == 1)
        assert wip > 0

    people = db.execute("SELECT id, role, team_id, email FROM people").fetchall()
    assert 40 <= len(people) <= 120
    assert {role for _id, role, _team, _email in people} == {role.value for role in PersonRole}
    assert all(email and email.endswith(".example") for *_rest, email in people)

    skills = db.execute("SELECT person_id, skill, level FROM person_skills").fetchall()
    assert all(0 <= level <= 10 for *_rest, level in skills)
    assert all(skill.startswith(("area:", "lang:", "type:")) for _p, skill, _l in skills)
    assert {skill for _p, skill, _l in skills} >= {f"area:{key}" for key in areas.values()} | {
        "lang:en",
        "lang:de",
    }
    assert {person for person, _s, _l in skills} == {person_id for person_id, *_rest in people}

    customers = db.execute("SELECT id, name, tier, arr_cents, renewal_date FROM customers").fetchall()
    assert len(customers) == 30  # max(30, cases / 20)
    assert len({name for _id, name, *_rest in customers}) == len(customers)
    assert {tier for _id, _name, tier, *_rest in customers} <= {tier.value for tier in CustomerTier}
    assert all(arr > 0 and renewal > ANCHOR.date().isoformat() for *_rest, arr, renewal in customers)
    without_contacts = db.execute(
        "SELECT count(*) FROM customers c WHERE NOT EXISTS (SELECT 1 FROM contacts WHERE customer_id = c.id)"
    ).fetchone()[0]
    assert without_contacts == 0


def test_me_is_a_tier_two_specialist_with_open_cases(generated: tuple[Path, GenerationReport]) -> None:
    engine, _report = open_workspace(generated[0])
    try:
        with Session(engine) as session:
            me = my_person_id(session)
            assert me == generated[1].me_person_id
            assert get_setting(session, ME_PERSON_ID) == str(me)
            role, tier = session.execute(
                text("SELECT p.role, t.tier FROM people p JOIN teams t ON t.id = p.team_id WHERE p.id = :me"),
                {"me": me},
            ).one()
            open_cases = session.execute(
                text(f"SELECT count(*) FROM cases WHERE assignee_id = :me AND stage NOT IN {_in(_DONE)}"),
                {"me": me},
            ).scalar_one()
    finally:
        engine.dispose()
    assert (role, tier) == (PersonRole.SPECIALIST.value, 2)
    assert open_cases > 0


# -- cases ----------------------------------------------------------------------------------------------


def test_cases_are_numbered_from_10001_and_use_valid_values(db: sqlite3.Connection) -> None:
    rows = db.execute("SELECT id, number, priority, stage, tier FROM cases ORDER BY id").fetchall()
    assert [number for _id, number, *_rest in rows] == list(range(10001, 10001 + CASES))
    assert {priority for _i, _n, priority, _s, _t in rows} == {p.value for p in Priority}
    assert {stage for _i, _n, _p, stage, _t in rows} == {s.value for s in Stage}
    assert {tier for *_rest, tier in rows} == {1, 2, 3}
    for _id, _number, _priority, stage, tier in rows:
        assert (tier == 1) == (stage == Stage.NEW.value)


def test_stage_mix_is_realistic(db: sqlite3.Connection) -> None:
    stages = Counter(stage for (stage,) in db.execute("SELECT stage FROM cases"))
    open_share = sum(stages[stage.value] for stage in OPEN_STAGES) / CASES
    assert 0.25 <= open_share <= 0.5
    assert stages[Stage.CLOSED.value] > CASES / 3
    since = format_utc(ANCHOR - timedelta(days=14))
    recently_resolved = db.execute(
        f"SELECT count(*) FROM cases WHERE stage IN {_in(_DONE)} AND resolved_at >= ?", (since,)
    ).fetchone()[0]
    assert recently_resolved >= 5
    reopened = db.execute("SELECT count(*) FROM cases WHERE reopen_count > 0").fetchone()[0]
    assert reopened > 0


def test_done_cases_have_resolution_root_cause_and_shared_defects(db: sqlite3.Connection) -> None:
    rows = db.execute("SELECT stage, resolved_at, resolution, root_cause, defect_key FROM cases").fetchall()
    for stage, resolved_at, resolution, root_cause, _defect in rows:
        if stage in _DONE:
            assert resolved_at and resolution and root_cause
        else:
            assert resolved_at is None and resolution is None and root_cause is None
    defects = Counter(defect for *_rest, defect in rows if defect is not None)
    assert all(re.fullmatch(r"ENG-\d{4,}", key) for key in defects)
    assert max(defects.values()) >= 2, "no defect is shared by several cases"


def test_team_and_assignee_match_area_and_tier(db: sqlite3.Connection) -> None:
    rows = db.execute(
        """
        SELECT c.stage, c.tier, c.product_area_id, c.team_id, t.tier, t.product_area_id,
               c.assignee_id, p.team_id
        FROM cases c LEFT JOIN teams t ON t.id = c.team_id LEFT JOIN people p ON p.id = c.assignee_id
        """
    ).fetchall()
    for stage, tier, area, team, team_tier, team_area, assignee, assignee_team in rows:
        assert team is not None and team_tier == tier, "every case has a team (lane) of its tier"
        if tier > 1:
            assert team_area == area
        if stage == Stage.REQUESTED.value:
            assert assignee is None, "a requested escalation waits for triage"
        else:
            assert assignee is not None and assignee_team == team


def test_every_case_has_5_to_60_events_in_order_within_its_life(db: sqlite3.Connection) -> None:
    cases = {
        case_id: (created, updated)
        for case_id, created, updated in db.execute("SELECT id, created_at, updated_at FROM cases")
    }
    times: dict[int, list[str]] = defaultdict(list)
    for case_id, occurred_at in db.execute("SELECT case_id, occurred_at FROM timeline_events ORDER BY id"):
        times[case_id].append(occurred_at)
    assert set(times) == set(cases)
    oldest = format_utc(ANCHOR - timedelta(days=700))
    anchor = format_utc(ANCHOR)
    for case_id, moments in times.items():
        assert 5 <= len(moments) <= 60
        assert moments == sorted(moments) and len(set(moments)) == len(moments)
        created, updated = cases[case_id]
        assert (created, updated) == (moments[0], moments[-1])
        assert oldest < created and updated <= anchor
    counts = [len(moments) for moments in times.values()]
    assert 12 <= sum(counts) / len(counts) <= 16


def test_events_have_valid_kinds_visibility_authors_and_bodies(db: sqlite3.Connection) -> None:
    rows = db.execute(
        "SELECT kind, visibility, author_name, author_person_id, author_contact_id, body_text, body_html, "
        "meta_json FROM timeline_events"
    ).fetchall()
    assert {kind for kind, *_rest in rows} == {kind.value for kind in EventKind}
    contact_names = dict(db.execute("SELECT id, name FROM contacts").fetchall())
    person_names = dict(db.execute("SELECT id, name FROM people").fetchall())
    for kind, visibility, author, person, contact, body, html, meta in rows:
        assert visibility == DEFAULT_VISIBILITY[EventKind(kind)].value
        assert body.strip() and "{" not in body
        if kind == EventKind.CUSTOMER_MESSAGE.value:
            assert contact is not None
        if contact is not None:
            assert author == contact_names[contact] and person is None
            assert kind in (EventKind.CUSTOMER_MESSAGE.value, EventKind.ATTACHMENT.value)
        elif person is not None:
            assert author == person_names[person]
        else:
            assert author == "System" and kind in (EventKind.SYSTEM_LOG.value, EventKind.FIELD_CHANGE.value)
        if html is not None:
            assert kind == EventKind.CUSTOMER_MESSAGE.value
        if kind == EventKind.FIELD_CHANGE.value:
            assert set(json.loads(meta)) == {"field", "from", "to"}
        elif kind == EventKind.ATTACHMENT.value:
            details = json.loads(meta)
            assert set(details) == {"filename", "size_bytes", "content_type"}
            assert details["size_bytes"] > 0 and details["filename"] in body
        else:
            assert meta is None
    assert "lorem" not in " ".join(body.lower() for *_rest, body, _html, _meta in rows[:2000])


def test_customer_html_carries_real_world_junk_but_text_is_plain(db: sqlite3.Connection) -> None:
    rows = db.execute(
        "SELECT body_text, body_html FROM timeline_events WHERE kind = 'customer_message'"
    ).fetchall()
    html = [body_html for _text, body_html in rows if body_html is not None]
    assert 0.3 < len(html) / len(rows) < 0.8
    assert all('<img src="https://' in body for body in html), "signatures load a remote logo"
    assert any("<script" in body for body in html) and any("onclick=" in body for body in html)
    assert any("<ul>" in body for body in html)
    assert all("<" not in body for body, _html in rows)


def test_system_logs_are_multi_line_with_timestamps_and_levels(db: sqlite3.Connection) -> None:
    logs = [body for (body,) in db.execute("SELECT body_text FROM timeline_events WHERE kind = 'system_log'")]
    assert logs
    line = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (INFO |WARN |ERROR) \[[\w.]+\] \S")
    for body in logs:
        lines = body.splitlines()
        assert len(lines) >= 4
        assert all(line.match(entry) for entry in lines[1:])


def test_escalations_exist_exactly_for_escalated_cases(db: sqlite3.Connection) -> None:
    per_case = Counter(case_id for (case_id,) in db.execute("SELECT case_id FROM escalations"))
    tiers = dict(db.execute("SELECT id, tier FROM cases").fetchall())
    for case_id, tier in tiers.items():
        assert (per_case[case_id] > 0) == (tier >= 2)
    rows = db.execute(
        "SELECT e.reason_code, e.stage, e.team_id, e.justification, e.tier, e.closed_at, c.stage "
        "FROM escalations e JOIN cases c ON c.id = e.case_id"
    ).fetchall()
    assert {reason for reason, *_rest in rows} == {code.value for code in ReasonCode}
    for _reason, stage, team, justification, tier, closed_at, case_stage in rows:
        assert Stage(stage) and team is not None and justification and tier in (2, 3)
        if case_stage in _DONE:
            assert closed_at is not None
    overrides = db.execute("SELECT count(*) FROM escalations WHERE override_reason IS NOT NULL").fetchone()[0]
    assert overrides > 0


def test_stage_transitions_trace_the_path_to_the_current_stage(db: sqlite3.Connection) -> None:
    paths: dict[int, list[tuple[str | None, str, str]]] = defaultdict(list)
    for case_id, from_stage, to_stage, at in db.execute(
        "SELECT case_id, from_stage, to_stage, at FROM stage_transitions ORDER BY id"
    ):
        paths[case_id].append((from_stage, to_stage, at))
    stages = dict(db.execute("SELECT id, stage FROM cases").fetchall())
    assert set(paths) == set(stages)
    seen: set[str] = set()
    for case_id, path in paths.items():
        assert path[0][:2] == (None, Stage.NEW.value)
        for previous, current in pairwise(path):
            assert current[0] == previous[1] and current[2] > previous[2]
        assert path[-1][1] == stages[case_id]
        seen.update(f"{a}>{b}" for a, b, _at in path)
    assert {"resolution_proposed>investigating", "investigating>requested", "resolved>investigating"} <= seen


def test_investigation_notes_follow_hypothesis_test_result(db: sqlite3.Connection) -> None:
    rows = db.execute(
        "SELECT case_id, kind, created_at, updated_at FROM investigation_notes ORDER BY id"
    ).fetchall()
    assert rows
    generated_kinds = {NoteKind.NOTE, NoteKind.HYPOTHESIS, NoteKind.TEST, NoteKind.RESULT}
    assert {kind for _case, kind, *_rest in rows} == {kind.value for kind in generated_kinds}
    by_case: dict[int, list[str]] = defaultdict(list)
    for case_id, kind, created, updated in rows:
        assert created <= updated
        by_case[case_id].append(kind)
    for kinds in by_case.values():
        assert kinds[0] == NoteKind.HYPOTHESIS.value


# -- search -------------------------------------------------------------------------------------------


def test_full_text_search_finds_a_case_by_a_word_of_its_timeline(
    generated: tuple[Path, GenerationReport], db: sqlite3.Connection
) -> None:
    token = case_id = None
    for event_case, body in db.execute("SELECT case_id, body_text FROM timeline_events ORDER BY id"):
        match = re.search(r"req_([0-9a-f]{12})", body)
        if match is None:
            continue
        subject, description = db.execute(
            "SELECT subject, description FROM cases WHERE id = ?", (event_case,)
        ).fetchone()
        if match.group(1) not in subject + description:
            token, case_id = match.group(1), event_case
            break
    assert token is not None, "no request id found in any timeline"

    engine, _report = open_workspace(generated[0])
    try:
        with Session(engine) as session:
            hits = search_cases(session, token, prefix=False)
    finally:
        engine.dispose()
    assert case_id in [hit.case_id for hit in hits]


# -- routing traits ------------------------------------------------------------------------------------


def test_cases_have_languages_mostly_english_and_one_per_customer(db: sqlite3.Connection) -> None:
    rows = db.execute("SELECT customer_id, language FROM cases").fetchall()
    languages = Counter(language for _customer, language in rows)
    assert set(languages) <= {"en", "de", "fr", "es", "pt", "ja"}
    assert languages["en"] > CASES / 2
    assert len(languages) >= 4
    by_customer: dict[int, Counter[str]] = defaultdict(Counter)
    for customer, language in rows:
        by_customer[customer][language] += 1
    in_main_language = sum(counts.most_common(1)[0][1] for counts in by_customer.values())
    assert in_main_language >= 0.85 * CASES, "a customer writes in one language (now and then in English)"


def test_cases_have_issue_types_that_follow_their_problem(db: sqlite3.Connection) -> None:
    rows = db.execute("SELECT issue_type, defect_key FROM cases").fetchall()
    types = Counter(issue_type for issue_type, _defect in rows)
    assert set(types) == {"bug", "question", "incident", "configuration", "feature_request"}
    defect_types = Counter(issue_type for issue_type, defect in rows if defect is not None)
    assert defect_types["bug"] + defect_types["incident"] >= 0.7 * sum(defect_types.values())


def test_people_have_issue_type_skills_presence_and_a_last_assignment(db: sqlite3.Connection) -> None:
    people = db.execute("SELECT id, role, team_id, presence, last_assigned_at FROM people").fetchall()
    type_skills = defaultdict(list)
    for person, skill, level in db.execute("SELECT person_id, skill, level FROM person_skills"):
        if skill.startswith("type:"):
            type_skills[person].append((skill, level))
    for person, role, team, presence, last_assigned in people:
        assert presence in ("available", "away")
        if role == PersonRole.MANAGER.value:
            assert last_assigned is None and person not in type_skills
            continue
        assert team is not None and 2 <= len(type_skills[person]) <= 3
        assert format_utc(ANCHOR - timedelta(days=3)) <= last_assigned < format_utc(ANCHOR)
    away = sum(presence == "away" for _id, _role, _team, presence, _last in people)
    assert 1 <= away <= len(people) / 5
    assert {skill for skills in type_skills.values() for skill, _level in skills} == {
        "type:bug",
        "type:question",
        "type:incident",
        "type:configuration",
        "type:feature_request",
    }


def test_the_generated_organisation_is_a_valid_configuration_that_saves_unchanged(tmp_path: Path) -> None:
    _generate(tmp_path / "workspace", cases=120, seed=8)
    engine, _report = open_workspace(tmp_path / "workspace")
    try:
        with Session(engine) as session, session.begin():
            config = parse_config(export_config(load_config(session)))
            changes = save_config(session, config)
            teams = load_config(session).organisation.teams
    finally:
        engine.dispose()
    assert changes.teams == frozenset()
    assert len(teams) == 17 and all(team.wip_limit > 0 for team in teams)
    assert sum(bool(team.secondary_team) for team in teams) == 8
    assert len(config.organisation.people) >= 40


def _in(values: set[str]) -> str:
    return "(" + ", ".join(f"'{value}'" for value in sorted(values)) + ")"


def test_capacities_and_wip_limits_fit_the_generated_workload(tmp_path: Path) -> None:
    """Most workers and lanes have some room, a few are over: what a lead sees on a normal morning."""
    engine, _report = open_workspace(tmp_path)
    generate_workspace(engine, cases=1500, seed=3, anchor=ANCHOR)
    with Session(engine) as session:
        board = load_board(session, ANCHOR)
    engine.dispose()
    lanes_over = [lane for lane in board.lanes if lane.over_wip_limit]
    people = [person for lane in board.lanes for person in lane.people if person.capacity > 0]
    people_over = [person for person in people if person.load > person.capacity]
    assert 0 < len(lanes_over) < len(board.lanes) / 2
    assert 0 < len(people_over) < len(people) / 2
