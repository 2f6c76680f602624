"""Daily-status benchmark: compute_day for a whole regency-day of 50,000 employees on PostgreSQL.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/hadir_bench_daily \
        .venv/bin/python bench/daily_status.py [--employees 50000]

The database named in DATABASE_URL is a scratch one: it is dropped and re-created (its name must contain
"bench"), migrated, then filled in bulk with one Pemda, 50 OPDs with 4 sub-units each, locations in the
three time zones, the employees, a school 6-day pattern, an RSUD roster, and a Monday's check-ins (about
1.8 per employee: masuk + pulang for most, masuk only / nothing / late / early for the rest).

It prints, in the same run:
  baseline  — a raw SELECT (psycopg cursor, no ORM) of all that day's check-ins, the unavoidable read;
  first     — compute_day(day) creating every DailyStatus row;
  again     — compute_day(day) re-run over existing rows (the end-of-day / after-approval case);
  close     — compute_day(day, close=True);
and the ratios to the baseline. Target: first and again ≤ 5 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hadir.settings")
os.environ.setdefault("SECRET_KEY", "hadir-bench-" + "0" * 40)  # required with HADIR_DEBUG off
os.environ.setdefault("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/hadir_bench_daily")

from _common import recreate_database  # noqa: E402

DAY = dt.date(2026, 11, 23)  # a Monday


def seed(n_employees: int) -> None:
    from django.db import connection

    from hadir.org.models import Employee, EmployeeKind, Unit, UnitKind, WorkLocation
    from hadir.presence.models import CheckIn
    from hadir.schedules.models import PatternAssignment, Shift, ShiftAssignment, WorkPattern
    from hadir.schedules.services import bump_revision

    rng = random.Random(20261123)
    pemda = Unit.objects.create(name="Pemerintah Kabupaten Bench", kind=UnitKind.PEMDA, code="PEMDA")
    units: list[Unit] = []
    locations: list[WorkLocation] = []
    zones = ["Asia/Jakarta"] * 8 + ["Asia/Makassar", "Asia/Jayapura"]
    school_units: list[Unit] = []
    rsud: Unit | None = None
    for i in range(50):
        kind = UnitKind.RSUD if i == 0 else UnitKind.DINAS
        opd = Unit.objects.create(name=f"OPD {i}", kind=kind, parent=pemda, code=f"OPD{i}")
        rsud = opd if i == 0 else rsud
        loc = WorkLocation.objects.create(name=f"Kantor OPD {i}", unit=opd, latitude=-3.8 + i / 100,
                                          longitude=102.26, timezone=zones[i % len(zones)])
        locations.append(loc)
        units.append(opd)
        for j in range(4):
            sub_kind = UnitKind.SEKOLAH if i in (1, 2) else UnitKind.BIDANG
            sub = Unit.objects.create(name=f"Sub {i}.{j}", kind=sub_kind, parent=opd, code=f"OPD{i}-{j}")
            units.append(sub)
            if sub_kind == UnitKind.SEKOLAH:
                school_units.append(sub)
    PatternAssignment.objects.bulk_create(
        [PatternAssignment(pattern=WorkPattern.objects.get(code="sekolah-6-hari"), unit=u) for u in school_units]
        + [PatternAssignment(pattern=WorkPattern.objects.get(code="shift-24-jam"), unit=rsud)]
    )
    unit_loc = {u.pk: locations[units.index(u) // 5] for u in units}
    employees = [
        Employee(name=f"Pegawai {k}", kind=EmployeeKind.TKK, unit=units[k % len(units)], is_active=True)
        for k in range(n_employees)
    ]
    Employee.objects.bulk_create(employees, batch_size=5000)
    through = Employee.locations.through
    through.objects.bulk_create(
        [through(employee_id=e.pk, worklocation_id=unit_loc[e.unit_id].pk) for e in employees], batch_size=10000
    )
    shifts = list(Shift.objects.filter(unit__isnull=True))
    roster = [ShiftAssignment(employee=e, date=DAY, shift=rng.choice(shifts + [None]))
              for e in employees if rsud is not None and e.unit_id in {u.pk for u in units[:5]}]
    ShiftAssignment.objects.bulk_create(roster, batch_size=5000)
    bump_revision()

    checkins: list[CheckIn] = []
    for e in employees:
        tz = ZoneInfo(unit_loc[e.unit_id].timezone)
        r = rng.random()
        if r < 0.05:
            continue  # absent
        masuk = dt.datetime.combine(DAY, dt.time(7, 0), tzinfo=tz) + dt.timedelta(minutes=rng.randint(0, 75))
        checkins.append(CheckIn(employee=e, kind="masuk", occurred_at=masuk, local_date=DAY, verdict="accepted",
                                source="mobile"))
        if r < 0.12:
            continue  # forgot pulang
        pulang = dt.datetime.combine(DAY, dt.time(15, 30), tzinfo=tz) + dt.timedelta(minutes=rng.randint(0, 90))
        checkins.append(CheckIn(employee=e, kind="pulang", occurred_at=pulang, local_date=DAY,
                                verdict="rejected" if r > 0.99 else "accepted", source="mobile"))
    CheckIn.objects.bulk_create(checkins, batch_size=10000)
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    print(f"seeded {n_employees:,} employees, {len(units)} units, {len(checkins):,} check-ins, "
          f"{len(roster):,} roster lines")


def timed(label: str, fn: object) -> float:
    t0, c0 = time.perf_counter(), time.process_time()
    result = fn()  # type: ignore[operator]
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(f"  {label:<56} {elapsed:7.3f} s wall  {cpu:6.3f} s this-process CPU  ({result})")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--employees", type=int, default=50_000)
    parser.add_argument("--reuse", action="store_true", help="keep the database seeded by a previous run")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of one compute_day")
    args = parser.parse_args()
    url = os.environ["DATABASE_URL"]
    if not url.startswith("postgres"):
        sys.exit("this benchmark runs on PostgreSQL: set DATABASE_URL")
    if not args.reuse:
        recreate_database(url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    if not args.reuse:
        t0 = time.perf_counter()
        seed(args.employees)
        print(f"seeding took {time.perf_counter() - t0:.1f} s\n")

    from hadir.presence import daily
    from hadir.presence.models import DailyStatus

    # evaluate as if it is Monday afternoon WIB, so rows are computed open, then closed explicitly
    daily.server_now = lambda: dt.datetime(2026, 11, 23, 7, 0, tzinfo=dt.UTC)

    def baseline() -> str:
        with connection.cursor() as cur:
            cur.execute(
                "SELECT employee_id, kind, occurred_at FROM presence_checkin WHERE local_date = %s "
                "AND verdict = 'accepted' AND kind IN ('masuk', 'pulang') AND validity <> 'invalid'", [DAY])
            return f"{len(cur.fetchall()):,} rows"

    if args.profile:
        import cProfile
        import pstats

        daily.compute_day(DAY, employee_ids=[1])
        prof = cProfile.Profile()
        prof.runcall(daily.compute_day, DAY)
        pstats.Stats(prof).sort_stats("cumulative").print_stats(35)
        return

    print(f"compute_day for {args.employees:,} employees on {DAY} (PostgreSQL):")
    timed("warm-up (connection, schedule tables)", lambda: daily.compute_day(DAY, employee_ids=[1]))
    DailyStatus.objects.filter(date=DAY).delete()  # so "first" really creates every row (also with --reuse)
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE presence_dailystatus")
    base = timed("baseline: raw SELECT of the day's check-ins", baseline)
    first = timed("compute_day(day): create all rows", lambda: f"{daily.compute_day(DAY):,} rows")
    again = timed("compute_day(day): recompute over existing rows", lambda: f"{daily.compute_day(DAY):,} rows")
    close = timed("compute_day(day, close=True)", lambda: f"{daily.compute_day(DAY, close=True):,} rows")
    counts = dict(DailyStatus.objects.filter(date=DAY).values_list("status").annotate(n=__import__(
        "django.db.models", fromlist=["Count"]).Count("id")).order_by())
    print(f"\nstatus counts after close: {counts}")
    print(f"\nratios to the baseline SELECT: first {first / base:.1f}×, again {again / base:.1f}×, "
          f"close {close / base:.1f}×")
    print(f"load average now: {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs "
          "(wall times include waiting for a busy CPU)")
    worst = max(first, again, close)
    print(f"RESULT compute_day {args.employees:,} employees: {worst:.2f} s worst of three "
          f"(target ≤ 5 s: {'OK' if worst <= 5 else 'MISSED'})")


if __name__ == "__main__":
    main()
