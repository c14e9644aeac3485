"""``handoff config export|import`` end to end through ``desktop.cli.main``."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from core.config import default_config, export_config, load_config, parse_config
from core.workspace import open_workspace
from desktop.cli import main
from tests.core.config.organisation_builders import seed_organisation


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def _stored_config(data_dir: Path) -> object:
    engine, _report = open_workspace(data_dir, create=False)
    try:
        with Session(engine) as session:
            return load_config(session)
    finally:
        engine.dispose()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """An empty, migrated workspace."""
    folder = tmp_path / "workspace"
    engine, _report = open_workspace(folder)
    engine.dispose()
    return folder


def test_export_prints_the_default_configuration(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = _run(capsys, "config", "export", "--data-dir", str(data_dir))

    assert (status, err) == (0, "")
    assert out == export_config(default_config())


def test_an_edited_file_imports_and_is_exported_back(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exported = tmp_path / "handoff-config.toml"
    status, out, _err = _run(capsys, "config", "export", "--data-dir", str(data_dir), str(exported))
    assert (status, out) == (0, f"Exported the configuration to {exported}\n")
    exported.write_text(exported.read_text().replace("renewal_window_days = 90", "renewal_window_days = 60"))

    status, out, _err = _run(capsys, "config", "import", "--data-dir", str(data_dir), str(exported))

    assert (status, out) == (0, f"Imported the configuration from {exported} into {data_dir}\n")
    stored = _stored_config(data_dir)
    assert stored == parse_config(exported.read_text())
    assert stored != default_config()
    status, out, _err = _run(capsys, "config", "export", "--data-dir", str(data_dir))
    assert out == exported.read_text()


def test_an_invalid_file_lists_every_problem_and_changes_nothing(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text(
        export_config(default_config())
        .replace("reopen_count = 2", 'reopen_count = "often"')
        .replace("business_days = [2, 5]", "business_days = [2, 0]")
    )

    status, out, err = _run(capsys, "config", "import", "--data-dir", str(data_dir), str(broken))

    assert (status, out) == (2, "")
    assert err == (
        f"handoff: {broken} was not imported; nothing changed.\n"
        "The configuration has 3 problems:\n"
        "  [escalation.complexity] reopen_count: expected a whole number, not 'often'\n"
        "  [reminders] business_days[2]: must be at least 1, not 0\n"
        "  [reminders] business_days: must go up from one reminder to the next, for example [2, 5]\n"
    )
    assert _stored_config(data_dir) == default_config()


def test_a_missing_file_is_reported_without_a_traceback(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nowhere.toml"

    status, _out, err = _run(capsys, "config", "import", "--data-dir", str(data_dir), str(missing))

    assert (status, err) == (2, f"handoff: Cannot read {missing}: No such file or directory.\n")


@pytest.fixture
def organised_dir(data_dir: Path) -> Path:
    """The workspace with product areas, four teams, four people and a case (see organisation_builders)."""
    engine, _report = open_workspace(data_dir, create=False)
    try:
        with Session(engine) as session, session.begin():
            seed_organisation(session)
    finally:
        engine.dispose()
    return data_dir


def test_the_organisation_is_exported_edited_and_imported(
    organised_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exported = tmp_path / "org.toml"
    _run(capsys, "config", "export", "--data-dir", str(organised_dir), str(exported))
    text = exported.read_text()
    assert '[[organisation.teams]]\nkey = "sso-t2"\nname = "SSO Specialists"' in text
    priya = 'email = "priya@acme.example"\nname = "Priya Raman"\nrole = "specialist"\nteam = "sso-t2"\n'
    assert f'{priya}capacity = 6\npresence = "available"\nskills = ["area:sso=8", "lang:de=7"]' in text
    exported.write_text(
        text.replace(
            f'{priya}capacity = 6\npresence = "available"\nskills = ["area:sso=8", "lang:de=7"]',
            f'{priya}capacity = 4\npresence = "away"\nskills = ["area:sso=9", "lang:de=7", "type:bug=5"]',
        )
    )

    status, out, err = _run(capsys, "config", "import", "--data-dir", str(organised_dir), str(exported))

    assert (status, err) == (0, "")
    people = {person.email: person for person in _stored_config(organised_dir).organisation.people}
    assert (people["priya@acme.example"].capacity, people["priya@acme.example"].presence) == (4, "away")
    assert people["priya@acme.example"].skills == ("area:sso=9", "lang:de=7", "type:bug=5")
    _status, out, _err = _run(capsys, "config", "export", "--data-dir", str(organised_dir))
    assert out == exported.read_text()


def test_a_file_the_workspace_refuses_is_not_imported_and_changes_nothing(
    organised_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _stored_config(organised_dir)
    broken = tmp_path / "broken.toml"
    text = export_config(before)
    without_sso_team = text.replace(
        '[[organisation.teams]]\nkey = "sso-t2"\nname = "SSO Specialists"\ntier = 2\nproduct_area = "sso"\n'
        'wip_limit = 8\nsecondary_team = "billing-t2"\n',
        "",
    ).replace('team = "sso-t2"', 'team = ""')
    broken.write_text(
        without_sso_team.replace('product_area = "billing"', 'product_area = "payroll"').replace(
            "capacity = 6", "capacity = 7"
        )
    )

    status, out, err = _run(capsys, "config", "import", "--data-dir", str(organised_dir), str(broken))

    assert (status, out) == (2, "")
    assert err == (
        f"handoff: {broken} was not imported; nothing changed.\n"
        "The configuration has 2 problems:\n"
        "  [organisation.teams[2]] product_area: team 'billing-t2': 'payroll' is not a product area of "
        "this workspace; known areas: billing, sso\n"
        "  [organisation.teams]: team 'sso-t2' (SSO Specialists) still has 1 case; "
        "keep it in the file or move its cases first\n"
    )
    assert _stored_config(organised_dir) == before
