"""``handoff generate`` and ``handoff demo``: workspaces on disk, clear refusals, progress on the terminal."""

from __future__ import annotations

import io
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from core.workspace import open_workspace
from desktop.cli import main
from desktop.commands.generate import TerminalProgress
from tests.factories import add_team


def _case_count(data_dir: Path) -> int:
    with closing(sqlite3.connect(data_dir / "handoff.sqlite")) as connection:
        count: int = connection.execute("SELECT count(*) FROM cases").fetchone()[0]
    return count


def test_generate_writes_a_workspace_and_prints_a_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = tmp_path / "generated"

    status = main(["generate", "--data-dir", str(data_dir), "--cases", "200", "--seed", "3"])

    assert status == 0
    assert _case_count(data_dir) == 200
    out, err = capsys.readouterr()
    assert out.startswith("Generated 200 cases with ") and " timeline events in " in out
    assert "100%: 200/200 cases" in err
    assert "Indexing for full-text search" in err


def test_generate_refuses_a_workspace_with_cases(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data_dir = tmp_path / "generated"
    assert main(["generate", "--data-dir", str(data_dir), "--cases", "20"]) == 0
    capsys.readouterr()

    status = main(["generate", "--data-dir", str(data_dir), "--cases", "20"])

    assert status == 2
    assert "already contains 20 cases" in capsys.readouterr().err
    assert _case_count(data_dir) == 20


def test_generate_refuses_a_workspace_with_other_data(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = tmp_path / "synced"
    engine, _report = open_workspace(data_dir)
    try:
        with Session(engine) as session:
            add_team(session)
            session.commit()
    finally:
        engine.dispose()

    status = main(["generate", "--data-dir", str(data_dir), "--cases", "20"])

    assert status == 2
    assert "already contains data" in capsys.readouterr().err
    assert _case_count(data_dir) == 0


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--cases", "0"], "must be at least 1, not 0"),
        (["--cases", "-5"], "must be at least 1"),
        (["--cases", "many"], "'many' is not a whole number"),
        ([], "required: --cases"),
    ],
)
def test_generate_rejects_bad_case_counts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], arguments: list[str], message: str
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["generate", "--data-dir", str(tmp_path / "w"), *arguments])

    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "w").exists()


def test_generate_requires_a_data_dir(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["generate", "--cases", "5"])

    assert exit_info.value.code == 2
    assert "--data-dir" in capsys.readouterr().err


def test_demo_creates_the_workspace_once_and_reuses_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))

    assert main(["demo", "--cases", "40", "--no-open"]) == 0
    out, err = capsys.readouterr()
    demo_dir = Path(out.strip())
    assert demo_dir.is_relative_to(tmp_path / "data")
    assert _case_count(demo_dir) == 40
    assert "Creating the demo workspace" in err

    assert main(["demo", "--cases", "60", "--no-open"]) == 0
    out, err = capsys.readouterr()
    assert Path(out.strip()) == demo_dir
    assert "Using the demo workspace" in err and "(40 cases)" in err
    assert _case_count(demo_dir) == 40

    assert main(["demo", "--cases", "60", "--fresh", "--no-open"]) == 0
    out, err = capsys.readouterr()
    assert Path(out.strip()) == demo_dir
    assert "Removing the demo workspace" in err and "Creating the demo workspace" in err
    assert _case_count(demo_dir) == 60


class _Terminal(io.StringIO):
    """A text stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


class _FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_progress_redraws_one_line_on_a_terminal() -> None:
    stream, clock = _Terminal(), _FakeClock()
    progress = TerminalProgress(stream, unit="cases", clock=clock)

    clock.now += 2
    progress.update(500, 1000)
    clock.now += 2
    progress.update(1000, 1000)
    progress.phase("indexing for full-text search")

    output = stream.getvalue()
    first, second = output.split("\r")[1:3]
    assert first.startswith("[" + "#" * 15 + "-" * 15 + "]  50.0%  500/1,000 cases  250 cases/s  ETA 2s")
    assert second.startswith("[" + "#" * 30 + "] 100.0%  1,000/1,000 cases  250 cases/s  ETA 0s")
    assert output.endswith("\nIndexing for full-text search (4s so far)…\n")


def test_progress_prints_a_few_plain_lines_when_redirected() -> None:
    stream, clock = io.StringIO(), _FakeClock()
    progress = TerminalProgress(stream, unit="cases", clock=clock)

    for done in range(1000, 100_001, 1000):
        clock.now += 0.5
        progress.update(done, 100_000)

    lines = stream.getvalue().splitlines()
    assert "\r" not in stream.getvalue()
    assert [line.split(":")[0] for line in lines] == ["1%", "25%", "50%", "75%", "100%"]
    assert lines[-1] == "100%: 100,000/100,000 cases, 2,000 cases/s, ETA 0s"
