"""The case header's SLA clocks: one chip per clock, coloured by risk, ticking without the database."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session

from core.domain.changes import ChangeSet
from core.sla.types import CaseClocks, ClockState, Metric, Risk
from tests.ui.conftest import Sample
from tests.ui.sla_support import T0, clock, sample_clocks
from ui import sla_clocks
from ui.case_header import CaseHeaderWidget
from ui.case_view import CaseView
from ui.data_access import DataAccess
from ui.sla_clocks import SlaClockStrip
from ui.tones import Tone


@dataclass
class FakeNow:
    """A clock the test moves by hand."""

    now: datetime = T0

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: int) -> None:
        self.now += timedelta(seconds=seconds)


@dataclass
class FakeReads:
    """Stands in for ``case_clocks`` on the DB thread; counts the reads."""

    now: FakeNow
    calls: list[int] = field(default_factory=list)

    def __call__(self, _session: Session, case_id: int, _now: datetime) -> CaseClocks:
        self.calls.append(case_id)
        return sample_clocks(case_id, now=T0)


@pytest.fixture
def fake_now() -> FakeNow:
    return FakeNow()


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch, fake_now: FakeNow) -> Iterator[FakeReads]:
    fake = FakeReads(fake_now)
    monkeypatch.setattr(sla_clocks, "case_clocks", fake)
    yield fake


def _strip(qtbot: QtBot, fake_now: FakeNow, clocks: CaseClocks) -> SlaClockStrip:
    strip = SlaClockStrip(now=fake_now)
    qtbot.addWidget(strip)
    strip.set_clocks(clocks)
    strip.show()
    qtbot.waitExposed(strip)
    return strip


def test_chips_say_how_each_clock_stands_in_its_risk_colour(qtbot: QtBot, fake_now: FakeNow) -> None:
    strip = _strip(qtbot, fake_now, sample_clocks(1))

    assert strip.chip_texts() == [
        "Next reply · due in 1 h 12 min",
        "Resolution · paused",
        "First reply · met",
        "Periodic update · overdue 20 min",
    ]
    assert strip.chip_tones() == [Tone.INFO, None, Tone.SUCCESS, Tone.DANGER]
    assert "Due " in strip.chip(0).toolTip() and "press S" in strip.chip(0).toolTip()
    assert strip.chip(3).accessibleName() == "Periodic update · overdue 20 min"


def test_chips_tick_every_second_from_the_deadline(qtbot: QtBot, fake_now: FakeNow) -> None:
    strip = _strip(qtbot, fake_now, sample_clocks(1))
    assert strip.ticking

    fake_now.advance(60)
    qtbot.waitUntil(lambda: strip.chip_texts()[0] == "Next reply · due in 1 h 11 min", timeout=3000)
    assert strip.chip_texts()[3] == "Periodic update · overdue 21 min"


def test_a_running_clock_turns_to_warning_then_breach_as_time_passes(qtbot: QtBot, fake_now: FakeNow) -> None:
    running = clock(Metric.NEXT_REPLY, "Next reply", ClockState.RUNNING, Risk.OK, remaining=40 * 60)
    strip = _strip(qtbot, fake_now, CaseClocks(1, 1001, "p", "P", "v1", "c", None, (running,), (), T0))
    assert strip.chip_tones() == [Tone.INFO]

    fake_now.advance(11 * 60)  # 29 min left: inside the 30-minute warning window
    strip.tick()
    assert (strip.chip_texts(), strip.chip_tones()) == (["Next reply · due in 29 min"], [Tone.WARNING])

    fake_now.advance(30 * 60)
    strip.tick()
    assert (strip.chip_texts(), strip.chip_tones()) == (["Next reply · overdue 1 min"], [Tone.DANGER])


def test_without_a_running_clock_nothing_ticks(qtbot: QtBot, fake_now: FakeNow) -> None:
    met = clock(Metric.FIRST_REPLY, "First reply", ClockState.MET, Risk.NONE)
    strip = _strip(qtbot, fake_now, CaseClocks(1, 1001, "p", "P", "v1", "c", None, (met,), (), T0))

    assert strip.chip_texts() == ["First reply · met"]
    assert not strip.ticking


def test_a_case_without_clocks_shows_no_sla_row(qtbot: QtBot, fake_now: FakeNow) -> None:
    strip = _strip(qtbot, fake_now, sample_clocks(1))

    strip.set_clocks(CaseClocks(1, 1001, "", "", "", "", None, (), (), T0))

    assert strip.isHidden()
    assert not strip.ticking
    assert strip.chip_texts() == []


def test_the_header_reads_the_clocks_once_and_again_when_the_case_changes(
    qtbot: QtBot, view: CaseView, data: DataAccess, sample: Sample, reads: FakeReads, fake_now: FakeNow
) -> None:
    header = view.findChild(CaseHeaderWidget)
    assert header is not None
    header.set_data_access(data)
    header.sla._now = fake_now  # the test's clock
    case_id = sample.id(1001)

    with qtbot.waitSignal(header.sla.clocks_loaded, timeout=5000):
        view.show_case(case_id)
    assert header.sla.chip_texts()[0] == "Next reply · due in 1 h 12 min"

    fake_now.advance(120)
    qtbot.waitUntil(lambda: header.sla.chip_texts()[0] == "Next reply · due in 1 h 10 min", timeout=3000)
    assert reads.calls == [case_id]  # ticking read nothing

    with qtbot.waitSignal(header.sla.clocks_loaded, timeout=5000):
        data.publish(ChangeSet(cases=frozenset({case_id})))
    assert reads.calls == [case_id, case_id]
