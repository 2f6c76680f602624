"""A shift worker is "belum presensi" only once their shift has started (issue: the RSUD nurse on the night shift
21:00–07:00 showed red at 13:00). Before the start the day is "belum mulai": grey, left out of the rate, out of the
red list and of the digest; after it, red like anyone else."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.test import Client

from hadir.discipline.digest import build_digests
from hadir.org.models import UnitKind
from hadir.org.scoping import board_scope
from hadir.presence.daily import compute_day
from hadir.presence.models import DailyStatus
from hadir.schedules.models import PatternAssignment, Shift, ShiftAssignment, WorkPattern
from hadir.testing import PASSWORD, Clock, Org, make_employee, make_location, make_unit
from hadir.web.board import Filters, compute_board, employee_rows
from hadir.web.charts import daily_rates

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")
MON = dt.date(2026, 11, 23)


def at(h: int, m: int = 0) -> dt.datetime:
    return dt.datetime(MON.year, MON.month, MON.day, h, m, tzinfo=WIB)


@pytest.fixture
def rsud(org: Org) -> Org:
    unit = make_unit("RSUD Contoh", UnitKind.RSUD, org.pemda)
    PatternAssignment.objects.create(pattern=WorkPattern.objects.get(code="shift-24-jam"), unit=unit)
    loc = make_location(unit, -3.79, 102.26, name="RSUD")
    org.nurse = make_employee(unit, "Ns. Malam", locations=[loc])  # type: ignore[attr-defined]
    org.day_nurse = make_employee(unit, "Ns. Pagi", locations=[loc])  # type: ignore[attr-defined]
    ShiftAssignment.objects.create(employee=org.nurse, date=MON,  # type: ignore[attr-defined]
                                   shift=Shift.objects.get(code="malam", unit=None))
    ShiftAssignment.objects.create(employee=org.day_nurse, date=MON,  # type: ignore[attr-defined]
                                   shift=Shift.objects.get(code="pagi", unit=None))
    org.rsud = unit  # type: ignore[attr-defined]
    return org


def board_at(org: Org, when: dt.datetime, clock: Clock) -> tuple[object, dict[int, str]]:
    clock.set(when)
    cache.clear()
    compute_day(MON)
    scope = board_scope(org.admin_bkpsdm)
    assert scope is not None
    board = compute_board(scope, MON, Filters(), use_cache=False)
    rows, _ = employee_rows(scope, MON, Filters(), limit=500, use_cache=False)
    return board, {r.id: r.category for r in rows}


# (time on Monday, the night nurse's category, the office worker's) — office hours 07:30–16:00, night 21:00–07:00
CASES = [
    (at(6, 0), "belum_mulai", "belum_mulai"),  # nobody is due before 07:30 (the day nurse from 07:00)
    (at(9, 0), "belum_mulai", "belum"),
    (at(13, 0), "belum_mulai", "belum"),  # the case
    (at(20, 59), "belum_mulai", "belum"),
    (at(21, 30), "belum", "belum"),
]


@pytest.mark.parametrize(("when", "nurse", "office"), CASES)
def test_category_by_the_start_of_each_ones_day(rsud: Org, clock: Clock, when: dt.datetime, nurse: str,
                                                 office: str) -> None:
    _board, cats = board_at(rsud, when, clock)
    assert cats[rsud.nurse.pk] == nurse  # type: ignore[attr-defined]
    assert cats[rsud.staf.pk] == office
    row = DailyStatus.objects.get(employee=rsud.nurse, date=MON)  # type: ignore[attr-defined]
    assert row.starts_at == at(21) and row.status == "belum"


def test_not_yet_due_are_left_out_of_the_rate_and_the_red_list(rsud: Org, clock: Clock) -> None:
    board, _cats = board_at(rsud, at(13), clock)
    total = board.total  # type: ignore[attr-defined]
    assert total.belum_mulai == 1  # the night nurse
    expected_red = total.belum + total.tk
    assert total.rate == 0.0 and expected_red == total.total - 1 - total.libur
    scope = board_scope(rsud.admin_bkpsdm)
    assert scope is not None
    red, _ = employee_rows(scope, MON, Filters(status="merah"), limit=500, use_cache=False)
    waiting, _ = employee_rows(scope, MON, Filters(status="belum_mulai"), limit=500, use_cache=False)
    assert rsud.nurse.pk not in {r.id for r in red}  # type: ignore[attr-defined]
    assert [r.id for r in waiting] == [rsud.nurse.pk]  # type: ignore[attr-defined]
    # the charts use the same rule: the day's column counts the same people as the board
    _periods, series = daily_rates(scope, MON, days=1)
    not_attended = sum(s.sums[MON][1] for s in series if MON in s.sums)
    assert not_attended == total.belum + total.tk
    # and the digest does not list her as absent
    absent = {a.id for d in build_digests(MON) for a in d.absent}
    assert rsud.nurse.pk not in absent and rsud.staf.pk in absent  # type: ignore[attr-defined]


def test_the_board_page_shows_belum_mulai_grey_with_the_start(rsud: Org, clock: Clock) -> None:
    board_at(rsud, at(13), clock)
    c = Client()
    assert c.login(username="bkpsdm", password=PASSWORD)
    html = c.get("/dasbor/", {"tanggal": MON.isoformat(), "status": "belum_mulai"}).content.decode()
    assert "Ns. Malam" in html and "Belum mulai" in html and "mulai 21:00" in html
    assert 'class="st grey"' in html
