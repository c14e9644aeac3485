"""The data commands end to end through ``desktop.cli.main``: export, import, search, db, doctor."""

from __future__ import annotations

import errno
import json
import shutil
import sqlite3
from pathlib import Path
from typing import TextIO

import keyring
import pytest
from keyring.backends import fail
from sqlalchemy.orm import Session

from core.db.engine import writer
from core.db.migrate import head_revision
from core.domain.enums import EventKind, Stage
from core.workspace import DB_FILENAME, open_workspace
from desktop.cli import main
from desktop.commands import export as export_command
from tests.factories import add_case, add_customer, add_event, add_team

HEAD = head_revision()
GOLDEN = Path(__file__).resolve().parents[1] / "core" / "golden" / "schema_0001.sqlite"


@pytest.fixture
def source(tmp_path: Path) -> Path:
    """A workspace with two cases, one of them with a timeline."""
    data_dir = tmp_path / "source"
    engine, _report = open_workspace(data_dir)
    with Session(writer(engine)) as session, session.begin():
        customer = add_customer(session, "Northwind Traders")
        team = add_team(session, "Identity & SSO")
        okta = add_case(session, 10044, "Okta login loop after password reset", customer=customer, team=team)
        add_event(session, okta, EventKind.CUSTOMER_MESSAGE, "Nobody can sign in since Monday.")
        add_case(session, 10045, "Invoice in the wrong currency", stage=Stage.RESOLVED)
    engine.dispose()
    return data_dir


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_export_and_import_round_trip_through_files(
    source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exported = tmp_path / "cases.json"
    target = tmp_path / "target"

    status, out, _err = _run(capsys, "export", "--data-dir", str(source), "--out", str(exported))
    assert (status, out) == (0, f"Exported 2 cases to {exported}\n")
    status, out, _err = _run(capsys, "import", "--data-dir", str(target), str(exported))
    assert status == 0
    assert out.splitlines() == [
        f"Imported 2 cases (1 timeline event, 0 escalations, 0 stage transitions, 0 notes) from {exported}.",
        "Created 1 customer, 1 contact, 1 team, 0 product areas, 0 people.",
    ]
    status, out, _err = _run(capsys, "export", "--data-dir", str(target))

    assert status == 0
    assert json.loads(out)["cases"] == json.loads(exported.read_text(encoding="utf-8"))["cases"]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["cases.json", "source", "target"]


def test_export_csv_to_standard_output(source: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _err = _run(capsys, "export", "--data-dir", str(source), "--format", "csv")

    assert status == 0
    lines = out.splitlines()
    assert lines[0] == (
        "number,subject,customer,customer_tier,priority,tier,stage,team,assignee,product_area,"
        "created_at,updated_at,resolved_at,root_cause,event_count,escalation_count,closed_at,"
        "root_cause_category,pending_outbox,reroute_count"
    )
    assert lines[1].startswith("10044,Okta login loop after password reset,Northwind Traders,enterprise,")
    assert lines[1].endswith(",1,0,,,0,0")
    assert len(lines) == 3


def test_a_failing_export_leaves_the_previous_file_as_it_was(
    source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    exported = tmp_path / "cases.json"
    exported.write_text("yesterday's export\n", encoding="utf-8")

    def disk_full_halfway(session: Session, out: TextIO) -> int:
        out.write('{"format": "handoff-export", "cases": [')
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setitem(export_command.FORMATS, "json", disk_full_halfway)
    status, _out, err = _run(capsys, "export", "--data-dir", str(source), "--out", str(exported))

    assert status == 2
    assert err == f"handoff: Cannot write {exported}: No space left on device; nothing was written.\n"
    assert exported.read_text(encoding="utf-8") == "yesterday's export\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["cases.json", "source"]


def test_export_into_a_missing_folder_is_refused(
    source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _out, err = _run(
        capsys, "export", "--data-dir", str(source), "--out", str(tmp_path / "no" / "x.json")
    )

    assert status == 2
    assert err.startswith("handoff: Cannot write ") and "No such file or directory" in err


def test_import_refuses_an_invalid_file_naming_the_field_and_imports_nothing(
    source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exported = tmp_path / "cases.json"
    assert main(["export", "--data-dir", str(source), "--out", str(exported)]) == 0
    document = json.loads(exported.read_text(encoding="utf-8"))
    document["cases"][1]["stage"] = "investigatin"
    exported.write_text(json.dumps(document), encoding="utf-8")
    target = tmp_path / "target"
    capsys.readouterr()

    status, out, err = _run(capsys, "import", "--data-dir", str(target), str(exported))

    assert status == 2
    assert out == ""
    assert err.startswith('handoff: case #2 (number 10045): field "stage": "investigatin" is not one of new,')
    assert err.endswith("; nothing was imported.\n")
    assert not target.exists()


def test_import_refuses_cases_the_workspace_already_has(
    source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exported = tmp_path / "cases.json"
    assert main(["export", "--data-dir", str(source), "--out", str(exported)]) == 0
    capsys.readouterr()

    status, _out, err = _run(capsys, "import", "--data-dir", str(source), str(exported))

    assert status == 2
    assert 'case #1 (number 10044): field "number": 10044 already exists in this workspace' in err
    status, out, _err = _run(capsys, "search", "--data-dir", str(source), "okta", "--json")
    assert [hit["number"] for hit in json.loads(out)] == [10044]


def test_import_reports_malformed_json_with_line_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "handoff-export",\n "version": 1\n "cases": []}', encoding="utf-8")

    status, _out, err = _run(capsys, "import", "--data-dir", str(tmp_path / "target"), str(broken))

    assert status == 2
    assert err == f"handoff: {broken} is not valid JSON: Expecting ',' delimiter at line 3, column 2.\n"


def test_search_prints_a_table_best_match_first(source: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _err = _run(capsys, "search", "--data-dir", str(source), "sign")

    assert status == 0
    header, row = out.splitlines()
    assert header.split() == ["NUMBER", "STAGE", "CUSTOMER", "SUBJECT", "SNIPPET"]
    assert row.startswith("10044   investigating  Northwind Traders  Okta login loop after password reset")
    assert row.endswith("Nobody can [sign] in since Monday.")


def test_search_json_lists_objects(source: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _err = _run(capsys, "search", "--data-dir", str(source), "invoice", "--json", "--limit", "5")

    assert status == 0
    hits = json.loads(out)
    assert [(hit["number"], hit["stage"], hit["subject"]) for hit in hits] == [
        (10045, "resolved", "Invoice in the wrong currency")
    ]
    assert set(hits[0]) == {"number", "stage", "customer", "subject", "snippet", "score"}


def test_search_says_when_nothing_matches(source: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(capsys, "search", "--data-dir", str(source), "zeppelin")[:2] == (
        0,
        "No case matches 'zeppelin'.\n",
    )


def test_db_upgrade_migrates_an_empty_database_and_then_has_nothing_to_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = tmp_path / "workspace"
    data_dir.mkdir()
    sqlite3.connect(data_dir / DB_FILENAME).close()

    status, out, _err = _run(capsys, "db", "upgrade", "--data-dir", str(data_dir))
    assert (status, out) == (0, f"Upgraded {data_dir / DB_FILENAME}: schema none -> {HEAD}.\n")
    status, out, _err = _run(capsys, "db", "upgrade", "--data-dir", str(data_dir))
    assert (status, out) == (0, f"{data_dir / DB_FILENAME} is at schema {HEAD}, the newest; nothing to do.\n")


def test_db_upgrade_refuses_a_newer_schema(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data_dir = tmp_path / "workspace"
    data_dir.mkdir()
    shutil.copyfile(GOLDEN, data_dir / DB_FILENAME)
    connection = sqlite3.connect(data_dir / DB_FILENAME)
    connection.execute("UPDATE alembic_version SET version_num = '0999'")
    connection.commit()
    connection.close()

    status, _out, err = _run(capsys, "db", "upgrade", "--data-dir", str(data_dir))

    assert status == 2
    assert "newer version of Handoff" in err and "Update Handoff" in err


def test_db_check_passes_on_a_healthy_workspace(source: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _err = _run(capsys, "db", "check", "--data-dir", str(source))

    assert status == 0
    assert out.splitlines() == [
        f"Checking {source / DB_FILENAME}",
        f"  schema revision  OK ({HEAD}, the newest)",
        "  database file    OK",
        "  search index     OK",
        "  foreign keys     OK",
        "All checks passed.",
    ]


def test_db_check_reports_a_stale_search_index_and_dangling_references(
    source: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    connection = sqlite3.connect(source / DB_FILENAME)  # foreign keys off: as a buggy writer would
    connection.execute("DELETE FROM case_fts WHERE rowid = (SELECT id FROM cases WHERE number = 10045)")
    connection.execute("UPDATE cases SET team_id = 999 WHERE number = 10044")
    connection.commit()
    connection.close()

    status, out, _err = _run(capsys, "db", "check", "--data-dir", str(source))

    assert status == 1
    assert "  search index     PROBLEM\n      cases missing from the search index: 1\n" in out
    assert "  foreign keys     PROBLEM\n      rows of cases that point to a missing row of teams: 1\n" in out
    assert out.endswith("2 problems found.\n")


def test_db_check_reports_a_file_that_is_not_a_workspace(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = tmp_path / "workspace"
    data_dir.mkdir()
    (data_dir / DB_FILENAME).write_bytes(b"not a database" * 100)

    status, out, _err = _run(capsys, "db", "check", "--data-dir", str(data_dir))

    assert status == 1
    assert "schema revision  PROBLEM" in out and "is not a Handoff workspace" in out


def test_db_backup_writes_a_readable_copy(
    source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _err = _run(capsys, "db", "backup", "--data-dir", str(source))
    assert status == 0
    copy = Path(out.strip())
    assert copy.parent == source / "backups"

    chosen = tmp_path / "before-upgrade.sqlite"
    status, out, _err = _run(capsys, "db", "backup", "--data-dir", str(source), "--out", str(chosen))
    assert (status, out) == (0, f"{chosen}\n")

    for path in (copy, chosen):
        connection = sqlite3.connect(path)
        assert connection.execute("SELECT count(*) FROM cases").fetchone() == (2,)
        connection.close()
    status, _out, err = _run(capsys, "db", "backup", "--data-dir", str(source), "--out", str(chosen))
    assert (status, err) == (2, f"handoff: {chosen} already exists; choose another file name.\n")


def test_db_commands_name_a_missing_workspace(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _out, err = _run(capsys, "db", "check", "--data-dir", str(tmp_path / "nowhere"))

    assert status == 2
    assert err == f"handoff: There is no Handoff workspace in {tmp_path / 'nowhere'} (no {DB_FILENAME}).\n"
    assert not (tmp_path / "nowhere").exists()


def test_doctor_reports_versions_platform_workspace_and_keyring(
    source: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _err = _run(capsys, "doctor", "--data-dir", str(source))

    labels = [line.split()[0] for line in out.splitlines()[1:] if line.startswith("  ") and line[2] != " "]
    assert labels == ["Python", "Handoff", "Qt", "Qt", "Workspace", "Database", "Keyring"]
    assert "a QGuiApplication starts on offscreen" in out
    assert f"opens, schema {HEAD} (the newest)" in out
    assert "tests.conftest.MemoryKeyring" in out
    assert status == (1 if "!!" in out else 0)
    assert status == 0, out  # offscreen Qt, a fine workspace and the in-memory keyring


def test_doctor_warns_loudly_about_a_keyring_that_cannot_store_secrets(
    source: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]

    status, out, _err = _run(capsys, "doctor", "--data-dir", str(source))

    assert status == 1
    assert "WARNING: keyring.backends.fail.Keyring cannot store credentials" in out


def test_doctor_explains_a_qt_platform_that_cannot_start(
    source: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QT_QPA_PLATFORM", "no-such-platform")

    status, out, _err = _run(capsys, "doctor", "--data-dir", str(source))

    assert status == 1
    assert "a QGuiApplication cannot start on no-such-platform" in out
    assert "apt-get install -y libegl1 libgl1 libdbus-1-3 libfontconfig1 libglib2.0-0 libxkbcommon0" in out


def test_version_is_printed(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--version"])

    assert exited.value.code == 0
    assert capsys.readouterr().out.startswith("handoff ")
