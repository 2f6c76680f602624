"""Terminal health: down days for working days without a report in office hours, offline alerts, pages."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

import pytest
from django.test import Client

from hadir.org.models import UnitKind
from hadir.terminals import health, services
from hadir.terminals.models import Terminal, TerminalActivity, TerminalDownDay, TerminalStatus
from hadir.testing import Org, make_unit

pytestmark = [pytest.mark.django_db]  # the pages use the dashboard layout: the full URLconf

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
MONDAY = dt.date(2026, 11, 23)
SUNDAY = dt.date(2026, 11, 22)
CHRISTMAS = dt.date(2026, 12, 25)  # a Friday, national holiday


def at(day: dt.date, hh: int, mm: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hh, mm), tzinfo=WIB)


@pytest.fixture
def notes(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str, str]]:
    sent: list[tuple[str, str, str]] = []

    def fake_notify(user: Any, subject: str, body: str, url: str = "", kind: str = "info") -> None:
        sent.append((user.username, subject, url))

    monkeypatch.setattr(services, "notify", fake_notify)
    return sent


@pytest.fixture
def terminal(org: Org) -> Terminal:
    return Terminal.objects.create(serial_number="SN1", name="Lobi", unit=org.dinkes_sekretariat,
                                   location=org.loc_dinkes, status=TerminalStatus.ACTIVE,
                                   activated_at=at(MONDAY - dt.timedelta(days=30), 8))


def test_silent_working_day_is_a_down_day_and_operator_is_told(
        org: Org, terminal: Terminal, notes: list[Any]) -> None:
    services.touch(terminal, "10.0.0.5", at(MONDAY, 5, 30))   # before office hours
    services.touch(terminal, "10.0.0.5", at(MONDAY, 20, 0))   # after
    made = health.detect_down_days(now=at(MONDAY + dt.timedelta(days=1), 1))
    assert [(d.terminal_id, d.opd_id, d.date) for d in made] == [(terminal.pk, org.dinkes.pk, MONDAY)]
    assert made[0].office_start is not None and made[0].office_end is not None
    assert [n[0] for n in notes] == ["op_dinkes"]  # not op_disdik
    assert "SN1" not in notes[0][1] and "Lobi" in notes[0][1]
    # idempotent: running again (the task is hourly) records nothing new
    assert health.detect_down_days(now=at(MONDAY + dt.timedelta(days=1), 2)) == []
    assert TerminalDownDay.objects.count() == 1


def test_reporting_in_office_hours_is_not_a_down_day(terminal: Terminal, notes: list[Any]) -> None:
    services.touch(terminal, "10.0.0.5", at(MONDAY, 9, 15))
    assert health.detect_down_days(now=at(MONDAY + dt.timedelta(days=1), 1)) == []
    assert notes == []


def test_non_working_days_are_never_down_days(terminal: Terminal) -> None:
    assert health.detect_down_days(day=SUNDAY, now=at(SUNDAY + dt.timedelta(days=1), 1)) == []


@pytest.mark.parametrize(
    ("day", "hours"),
    [(MONDAY, (dt.time(7, 30), dt.time(16))), (SUNDAY, None), (CHRISTMAS, None),
     (dt.date(2026, 8, 17), None), (dt.date(2026, 8, 18), (dt.time(7, 30), dt.time(16)))],
)
def test_office_hours_where_nobody_is_assigned_yet(org: Org, day: dt.date, hours: Any) -> None:
    """A terminal in a unit without staff yet: the regency's default office hours, Monday–Friday without the
    national holidays."""
    empty = make_unit("UPT Baru", UnitKind.UPT, org.dinkes, code="UPT-BARU")
    terminal = Terminal.objects.create(serial_number="SN-UPT", name="Lobi UPT", unit=empty,
                                       status=TerminalStatus.ACTIVE, ip_allowlist="127.0.0.1, ::1")
    assert health.office_hours(terminal, day) == hours


def test_not_before_office_hours_end_nor_before_activation(terminal: Terminal) -> None:
    assert health.detect_down_days(day=MONDAY, now=at(MONDAY, 11)) == []
    Terminal.objects.filter(pk=terminal.pk).update(activated_at=at(MONDAY + dt.timedelta(days=1), 8))
    assert health.detect_down_days(day=MONDAY, now=at(MONDAY + dt.timedelta(days=2), 1)) == []


def test_pending_and_disabled_terminals_are_skipped(org: Org, terminal: Terminal) -> None:
    Terminal.objects.filter(pk=terminal.pk).update(status=TerminalStatus.DISABLED)
    Terminal.objects.create(serial_number="NEW")
    assert health.detect_down_days(day=MONDAY, now=at(MONDAY + dt.timedelta(days=1), 1)) == []


def test_heartbeat_is_cheap_and_marks_hours(terminal: Terminal) -> None:
    assert services.touch(terminal, "10.0.0.5", at(MONDAY, 8, 0)) is True
    assert services.touch(terminal, "10.0.0.5", at(MONDAY, 8, 0) + dt.timedelta(seconds=20)) is False
    assert services.touch(terminal, "10.0.0.5", at(MONDAY, 8, 2)) is True
    assert services.touch(terminal, "10.0.0.5", at(MONDAY, 8, 59, ) + dt.timedelta(seconds=50)) is True
    assert services.touch(terminal, "10.0.0.5", at(MONDAY, 9, 0) + dt.timedelta(seconds=10)) is True  # new hour
    act = TerminalActivity.objects.get(terminal=terminal, date=MONDAY)
    assert act.hours() == [8, 9]


def test_offline_alert_once_per_silence(org: Org, terminal: Terminal, notes: list[Any]) -> None:
    services.touch(terminal, "10.0.0.5", at(MONDAY, 8, 0))
    terminal.refresh_from_db()
    assert health.alert_offline(at(MONDAY, 8, 10)) == []          # still within 15 minutes
    assert [t.pk for t in health.alert_offline(at(MONDAY, 9, 0))] == [terminal.pk]
    assert health.alert_offline(at(MONDAY, 9, 30)) == []          # told once
    assert len(notes) == 1 and notes[0][0] == "op_dinkes"
    services.touch(terminal, "10.0.0.5", at(MONDAY, 10, 0))       # back: next silence alerts again
    assert len(health.alert_offline(at(MONDAY, 11, 0))) == 1
    assert health.alert_offline(at(SUNDAY, 11, 0)) == []          # not outside office hours


def test_opd_page_lists_terminals_for_its_operator_only(org: Org, terminal: Terminal) -> None:
    services.touch(terminal, "10.0.0.5")
    TerminalDownDay.objects.create(terminal=terminal, opd=org.dinkes, date=MONDAY, office_start=dt.time(7, 30),
                                   office_end=dt.time(16))
    Terminal.objects.create(serial_number="OTHER", name="Aula Disdik", unit=org.disdik, location=org.loc_disdik,
                            status=TerminalStatus.ACTIVE, ip_allowlist="127.0.0.1, ::1")
    client = Client()
    client.force_login(org.operator_dinkes)
    resp = client.get(f"/iclock/pantau/{org.dinkes.pk}/")
    assert resp.status_code == 200
    html = resp.content.decode()
    assert "Lobi" in html and "Daring" in html and "Aula Disdik" not in html
    assert "Senin, 23 November 2026" in html
    assert client.get(f"/iclock/pantau/{org.disdik.pk}/").status_code == 404
    overview = client.get("/iclock/pantau/").content.decode()
    assert "Dinas Kesehatan" in overview and "Dinas Pendidikan" not in overview
    assert Client().get("/iclock/pantau/").status_code == 302


def test_real_inbox_notification(org: Org, terminal: Terminal) -> None:
    """Through hadir.notify.services.notify when it is installed."""
    from hadir.notify.models import Notification

    health.detect_down_days(day=MONDAY, now=at(MONDAY + dt.timedelta(days=1), 1))
    note = Notification.objects.get()
    assert note.user == org.operator_dinkes
    assert note.kind == "warning"
    assert "Lobi" in note.subject and f"/iclock/pantau/{org.dinkes.pk}/" in note.url
