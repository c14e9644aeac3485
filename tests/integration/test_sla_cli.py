"""SLA scenarios reproduced from the command line: ``config import``, ``import``, then ``handoff sla``."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.config import default_config, export_config
from core.config.sla_model import BreachLevel, CalendarSettings, SlaPolicy, SlaSettings, SlaTarget
from core.db.engine import writer
from core.db.models import CaseRow
from core.sla.vendor import VendorSlaState, VendorSlaTarget, replace_vendor_targets
from core.workspace import open_workspace
from desktop.cli import main

# Friday 20 November 2026, 16:30 in Berlin (UTC+1): half an hour before the office closes.
FRIDAY_LATE_UTC = "2026-11-20T15:30:00Z"


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "workspace"
    engine, _report = open_workspace(folder)
    engine.dispose()
    return folder


def _one_hour_first_reply_config(path: Path) -> Path:
    """A configuration file: 09:00–17:00 Mon–Fri in Berlin, first reply within 1 business hour."""
    office = CalendarSettings(
        key="office",
        name="Berlin office",
        timezone="Europe/Berlin",
        hours=("mon-fri 09:00-17:00",),
        holidays=(),
        country_holidays="",
    )
    policy = SlaPolicy(
        key="one_hour",
        name="One-hour first reply",
        priorities=(),
        customer_tiers=(),
        product_areas=(),
        sources=(),
        tiers=(),
        calendar="office",
        targets=(SlaTarget("first_reply", "", 60, True, ""),),
        warning_percent=75,
        warning_minutes=0,
        breach_levels=(BreachLevel(0, ("notify",)),),
    )
    sla = SlaSettings(calendars=(office,), policies=(policy,), pauses=())
    path.write_text(export_config(dataclasses.replace(default_config(), sla=sla)), encoding="utf-8")
    return path


def _friday_case_document(path: Path) -> Path:
    """A ``handoff-export`` document with one case the customer opened Friday 16:30 in Berlin."""
    case = {
        "number": 7001,
        "subject": "Invoices export stops at 10,000 rows",
        "priority": "high",
        "stage": "new",
        "created_at": FRIDAY_LATE_UTC,
        "updated_at": FRIDAY_LATE_UTC,
        "customer": {"name": "Northwind Traders", "tier": "business"},
        "timeline": [
            {
                "kind": "customer_message",
                "occurred_at": FRIDAY_LATE_UTC,
                "author": "Dana Whitfield",
                "body_text": "The export stops at 10,000 rows.",
            }
        ],
    }
    document = {"format": "handoff-export", "version": 1, "exported_at": FRIDAY_LATE_UTC, "cases": [case]}
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


@pytest.fixture
def friday_case(data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    config = _one_hour_first_reply_config(tmp_path / "sla.toml")
    assert _run(capsys, "config", "import", "--data-dir", str(data_dir), str(config))[0] == 0
    document = _friday_case_document(tmp_path / "cases.json")
    assert _run(capsys, "import", "--data-dir", str(data_dir), str(document))[0] == 0
    return data_dir


def test_a_one_hour_target_opened_friday_1630_is_due_monday_0930_local(
    friday_case: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = _run(capsys, "sla", "--data-dir", str(friday_case), "--case", "7001", "--json")

    assert (status, err) == (0, "")
    report = json.loads(out)
    assert report["case"] == 7001
    assert report["policy"]["key"] == "one_hour" and report["policy"]["version"]
    assert report["calendar"] == {"key": "office", "timezone": "Europe/Berlin"}
    first_reply = next(clock for clock in report["clocks"] if clock["metric"] == "first_reply")
    assert first_reply["started_at"] == "2026-11-20T16:30:00+01:00"
    assert first_reply["due_at"] == "2026-11-23T09:30:00+01:00"
    assert first_reply["target_seconds"] == 3600 and first_reply["business_hours"] is True
    # Counted: Friday's last half hour, then Monday from 09:00 (the weekend is not working time).
    segments = [(segment["start"], segment["seconds"]) for segment in first_reply["segments"]]
    assert segments[0] == ("2026-11-20T16:30:00+01:00", 1800)
    assert segments[1][0] == "2026-11-23T09:00:00+01:00"
    assert report["explanation"] and isinstance(report["pause_ledger"], list)


def test_the_text_report_shows_policy_calendar_clocks_and_ledger(
    friday_case: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _err = _run(capsys, "sla", "--data-dir", str(friday_case), "--case", "7001")

    assert status == 0
    assert "policy One-hour first reply (one_hour, version " in out
    assert "Calendar office (Europe/Berlin)" in out
    first_reply = next(line for line in out.splitlines() if line.startswith("First reply"))
    assert "2026-11-20T16:30:00+01:00" in first_reply and "2026-11-23T09:30:00+01:00" in first_reply
    assert "1h (business)" in first_reply
    assert "Why:" in out and "Pause ledger:" in out


def test_the_import_stored_the_deadline_the_inbox_sorts_by(friday_case: Path) -> None:
    engine, _report = open_workspace(friday_case, create=False)
    try:
        with engine.connect() as connection:
            row = connection.exec_driver_sql(
                "SELECT sla_due_at, sla_metric FROM cases WHERE number = 7001"
            ).one()
    finally:
        engine.dispose()

    assert row[1] == "first_reply" and str(row[0]).startswith("2026-11-23 08:30:00")


def test_an_unknown_case_is_a_clear_error(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = _run(capsys, "sla", "--data-dir", str(data_dir), "--case", "404")

    assert (status, out) == (2, "")
    assert err == f"handoff: there is no case 404 in {data_dir}\n"


def test_a_case_no_policy_matches_says_so(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    no_policies = dataclasses.replace(default_config().sla, policies=())
    config = tmp_path / "no-sla.toml"
    config.write_text(export_config(dataclasses.replace(default_config(), sla=no_policies)), encoding="utf-8")
    assert _run(capsys, "config", "import", "--data-dir", str(data_dir), str(config))[0] == 0
    document = _friday_case_document(tmp_path / "cases.json")
    assert _run(capsys, "import", "--data-dir", str(data_dir), str(document))[0] == 0

    status, out, _err = _run(capsys, "sla", "--data-dir", str(data_dir), "--case", "7001")
    json_status, json_out, _err = _run(capsys, "sla", "--data-dir", str(data_dir), "--case", "7001", "--json")

    assert (status, out) == (0, "Case 7001: no SLA policy applies, so no clock runs.\n")
    assert json_status == 0 and json.loads(json_out)["clocks"] == []


def _store_zendesk_first_reply(data_dir: Path) -> None:
    engine, _report = open_workspace(data_dir, create=False)
    try:
        with Session(writer(engine)) as session, session.begin():
            case_id = session.scalar(select(CaseRow.id).where(CaseRow.number == 7001))
            assert case_id is not None
            due = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # 09:00 in Berlin: Zendesk counts differently
            target = VendorSlaTarget("zendesk", "first_reply_time", VendorSlaState.RUNNING, due_at=due)
            replace_vendor_targets(session, case_id, "zendesk", [target])
    finally:
        engine.dispose()


def test_a_synced_case_prints_the_helpdesks_own_sla_beside_the_clocks(
    friday_case: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _store_zendesk_first_reply(friday_case)

    _status, out, _err = _run(capsys, "sla", "--data-dir", str(friday_case), "--case", "7001")
    status, json_out, _err = _run(capsys, "sla", "--data-dir", str(friday_case), "--case", "7001", "--json")

    helpdesk = "The helpdesk's own SLA:\n  zendesk first_reply_time: running, due 2026-11-23T09:00:00+01:00"
    assert helpdesk in out
    assert status == 0
    (target,) = json.loads(json_out)["helpdesk_targets"]
    assert (target["metric"], target["state"], target["due_at"]) == (
        "first_reply_time",
        "running",
        "2026-11-23T08:00:00+00:00",
    )
