"""The set-based ledger agrees with the rule (`rules.summarize`) day by day, on random years and on the edge cases:
weekends and holidays inside a run, leave breaking it, "belum" ignored, lateness turned into days when enabled."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest

from hadir.discipline.absences import year_summaries
from hadir.discipline.ledger import rebuild
from hadir.discipline.models import Ledger
from hadir.org.models import EmployeeKind
from hadir.presence.models import CheckIn, DailyStatus, DayStatus
from hadir.testing import Org

pytestmark = pytest.mark.django_db

STATUSES = ["hadir"] * 8 + ["terlambat", "psw", "tk", "tk", "tk", "izin", "sakit", "cuti", "dl", "belum"]


def write_year(emp: Any, rng: random.Random, year: int = 2026, until: dt.date | None = None) -> None:
    rows, d = [], dt.date(year, 1, 1)
    end = until or dt.date(year, 12, 31)
    while d <= end:
        working = d.weekday() < 5 and rng.random() > 0.03  # a few holidays
        status = rng.choice(STATUSES) if working else DayStatus.LIBUR
        late = rng.choice([0, 0, 0, 15, 45, 95]) if status == "terlambat" else 0
        rows.append(DailyStatus(employee=emp, date=d, status=status, is_working_day=working, closed=True,
                                late_minutes=late, early_minutes=30 if status == "psw" else 0))
        d += dt.timedelta(days=1)
    DailyStatus.objects.bulk_create(rows)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_ledger_matches_the_rule_on_random_years(org: Org, seed: int) -> None:
    rng = random.Random(seed)
    staff = [org.kadis, org.sekretaris, org.kabid, org.staf, org.guru, org.kadisdik]
    for emp in staff:
        write_year(emp, rng, until=dt.date(2026, 11, 20))
    rebuild(2026, until=dt.date(2026, 11, 20))
    expected = year_summaries([e.pk for e in staff], dt.date(2026, 11, 20), through=True)
    for emp in staff:
        row = Ledger.objects.get(employee=emp, year=2026)
        want = expected[emp.pk]
        assert (row.tk_days, row.longest_run, row.current_run) == (
            want.total_tk, want.longest_streak, want.current_streak), emp.name
        assert row.longest_end == want.longest_end


def test_edge_cases_and_lateness_days(org: Org, settings: Any) -> None:
    # Thu 1 – Fri 9 Oct 2026: TK Thu, Fri, (weekend), Mon holiday, TK Tue, belum Wed, TK Thu, cuti Fri 9
    plan = {1: "tk", 2: "tk", 5: "libur", 6: "tk", 7: "belum", 8: "tk", 9: "cuti", 12: "terlambat"}
    for day, status in plan.items():
        date = dt.date(2026, 10, day)
        DailyStatus.objects.create(employee=org.staf, date=date, status=status, closed=True,
                                   is_working_day=status != "libur", late_minutes=470 if status == "terlambat" else 0)
    rebuild(2026)
    row = Ledger.objects.get(employee=org.staf)
    assert (row.tk_days, row.longest_run, row.current_run, row.longest_end) == (4, 4, 0, dt.date(2026, 10, 8))
    assert (row.late_minutes, row.late_days, row.counted_days) == (470, 1, 4)  # lateness off by default
    settings.HADIR_DISCIPLINE_LATENESS_DAYS = True
    rebuild(2026)
    assert Ledger.objects.get(employee=org.staf).counted_days == 5


def test_invalid_checkins_count_once_per_day_and_tkk_is_not_covered(org: Org) -> None:
    day = dt.date(2026, 10, 13)
    DailyStatus.objects.create(employee=org.staf, date=day, status="hadir", closed=True)
    at = dt.datetime(2026, 10, 13, 7, 20, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    for kind in ("masuk", "pulang"):
        CheckIn.objects.create(employee=org.staf, kind=kind, occurred_at=at, local_date=day, verdict="accepted",
                               validity="invalid")
    org.guru.kind = EmployeeKind.TKK
    org.guru.save()
    rebuild(2026)
    row = Ledger.objects.get(employee=org.staf)
    assert (row.invalid_days, row.counted_days) == (1, 1)
    assert not Ledger.objects.filter(employee=org.guru).exists()
