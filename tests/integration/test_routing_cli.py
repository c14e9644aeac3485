"""A board move survives closing the workspace and shows in ``handoff export`` and ``handoff import``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.db.runner import DbRunner
from core.routing.moves import MoveRequest, move_cases
from core.workspace import open_workspace
from desktop.cli import main
from tests.core.routing.move_builders import build_lanes
from tests.core.workflow.builders import NOW


@pytest.fixture
def moved(tmp_path: Path) -> Path:
    """A workspace where case 4711 was moved from SSO to API (Jonas), then closed."""
    data_dir = tmp_path / "source"
    engine, _report = open_workspace(data_dir)
    db = DbRunner(engine)
    try:
        lanes = db.write(build_lanes).result()
        request = MoveRequest((lanes.case,), lanes.api, lanes.jonas, lanes.lead, reason="REST API question")
        db.write(move_cases, request, NOW).result()
    finally:
        db.shutdown()
    return data_dir


def test_a_move_appears_in_the_export_after_a_restart(
    moved: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exported = tmp_path / "cases.json"

    assert main(["export", "--data-dir", str(moved), "--out", str(exported)]) == 0

    case = next(c for c in json.loads(exported.read_text(encoding="utf-8"))["cases"] if c["number"] == 4711)
    assert (case["team"], case["assignee"], case["reroute_count"]) == ("API Specialists", "Jonas Weber", 1)
    [route] = case["case_routes"]
    assert (route["kind"], route["from_team"], route["to_team"], route["reason"]) == (
        "reroute",
        "SSO Specialists",
        "API Specialists",
        "REST API question",
    )
    [entry] = case["outbox"]
    assert (entry["operation"], entry["state"], route["outbox"]) == ("assign", "pending", 0)
    capsys.readouterr()

    assert main(["import", "--data-dir", str(tmp_path / "target"), str(exported)]) == 0
    assert "1 route record" in capsys.readouterr().out


def test_the_csv_export_has_the_reroute_count(moved: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--data-dir", str(moved), "--format", "csv"]) == 0

    header, *rows = capsys.readouterr().out.splitlines()
    assert header.endswith(",pending_outbox,reroute_count")
    counts = {row.split(",")[0]: row.split(",")[-1] for row in rows}
    assert counts == {"4711": "1", "4712": "0"}
