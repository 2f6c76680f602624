"""Discipline benchmark: the PP 94/2021 ledger for 50,000 employees × a year of daily statuses on PostgreSQL.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/hadir_bench_discipline \
        .venv/bin/python bench/discipline.py [--employees 50000] [--reuse]

The database named in DATABASE_URL is a scratch one: it is dropped and re-created (its name must contain
"bench"), migrated, then filled in bulk with one Pemda, 50 OPDs, the employees (mostly PNS/CPNS, the kinds PP
94/2021 covers, some PPPK/TKK) and a whole year (2026) of presence.DailyStatus rows written with COPY: weekdays
working (≈95 % at work or excused, ≈2 % TK scattered, a few employees with runs of 3–12 TK days), weekends libur.

It prints, in the same run and on the same data:
  baseline — a raw SELECT (cursor, no ORM) of the year's TK rows: the unavoidable read;
  ledger   — hadir.discipline.ledger.rebuild(2026) for every covered employee, twice (first inserts the rows, then
             updates them);
and the ratio. Target: ≤ 15 s at 50,000.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hadir.settings")
os.environ.setdefault("SECRET_KEY", "hadir-bench-" + "0" * 40)  # required with HADIR_DEBUG off
os.environ.setdefault("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/hadir_bench_discipline")

from _common import recreate_database  # noqa: E402

YEAR = 2026
COLUMNS = ("employee_id", "date", "status", "is_working_day", "late_minutes", "early_minutes", "closed",
           "computed_at", "late_category", "early_category", "missing_in", "missing_out", "excuse_ref", "apel_pagi",
           "apel_sore", "corrected")


def seed(n_employees: int) -> int:
    from django.db import connection

    from hadir.org.models import Employee, EmployeeKind, Unit, UnitKind

    rng = random.Random(2026)
    pemda = Unit.objects.create(name="Pemerintah Kabupaten Bench", kind=UnitKind.PEMDA, code="PEMDA")
    opds = [Unit.objects.create(name=f"OPD {i}", kind=UnitKind.DINAS, parent=pemda, code=f"OPD{i}") for i in range(50)]
    kinds = [EmployeeKind.PNS] * 75 + [EmployeeKind.CPNS] * 10 + [EmployeeKind.PPPK] * 10 + [EmployeeKind.TKK] * 5
    employees = [Employee(name=f"Pegawai {k}", kind=rng.choice(kinds), unit=opds[k % 50], is_active=True)
                 for k in range(n_employees)]
    Employee.objects.bulk_create(employees, batch_size=5000)
    days = [dt.date(YEAR, 1, 1) + dt.timedelta(days=k) for k in range(365)]
    now = dt.datetime.now(dt.UTC)
    rows = 0
    t0 = time.perf_counter()
    with connection.cursor() as cur:
        with cur.cursor.copy(f"COPY presence_dailystatus ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            for e in employees:
                run_left = 0
                for d in days:
                    if d.weekday() >= 5:
                        copy.write_row((e.pk, d, "libur", False, 0, 0, True, now, "", "", False, False, "", "", "",
                                        False))
                        rows += 1
                        continue
                    if run_left == 0 and rng.random() < 0.002:
                        run_left = rng.randint(3, 12)  # someone who stays away for days
                    if run_left:
                        run_left -= 1
                        status = "tk"
                    else:
                        r = rng.random()
                        status = ("tk" if r < 0.02 else "terlambat" if r < 0.09 else "cuti" if r < 0.11 else
                                  "hadir")
                    late = rng.randint(1, 120) if status == "terlambat" else 0
                    copy.write_row((e.pk, d, status, True, late, 0, True, now, "TL1" if late else "", "", False,
                                    False, "", "", "", False))
                    rows += 1
        cur.execute("ANALYZE presence_dailystatus")
    print(f"seeded {n_employees:,} employees and {rows:,} daily statuses (COPY) in {time.perf_counter() - t0:.1f} s")
    return rows


def timed(label: str, fn: object) -> float:
    t0, c0 = time.perf_counter(), time.process_time()
    result = fn()  # type: ignore[operator]
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(f"  {label:<52} {elapsed:8.3f} s wall  {cpu:7.3f} s this-process CPU  ({result})")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--employees", type=int, default=50_000)
    parser.add_argument("--reuse", action="store_true", help="keep the database seeded by a previous run")
    args = parser.parse_args()
    url = os.environ["DATABASE_URL"]
    if not url.startswith("postgres"):
        sys.exit("this benchmark needs PostgreSQL (DATABASE_URL=postgresql://…/hadir_bench_discipline)")
    if not args.reuse:
        recreate_database(url)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from hadir.discipline.ledger import rebuild
    from hadir.discipline.models import Ledger

    call_command("migrate", verbosity=0)
    if not args.reuse:
        seed(args.employees)

    def baseline() -> str:
        with connection.cursor() as cur:
            cur.execute("SELECT employee_id, date FROM presence_dailystatus WHERE status = 'tk' AND date >= %s "
                        "AND date <= %s", [dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)])
            return f"{len(cur.fetchall()):,} TK rows"

    print(f"\nPP 94/2021 ledger for {args.employees:,} employees, year {YEAR} (PostgreSQL):")
    base = timed("baseline: raw SELECT of the year's TK rows", baseline)
    first = timed("ledger: rebuild (first: inserts)", lambda: f"{rebuild(YEAR):,} rows")
    again = timed("ledger: rebuild (again: updates)", lambda: f"{rebuild(YEAR):,} rows")
    worst = max(first, again)
    top = Ledger.objects.filter(year=YEAR).order_by("-longest_run").values_list("longest_run", "tk_days").first()
    print(f"  longest run in the data: {top}")
    print(f"\nratio ledger / baseline: {first / base:.1f}× (first), {again / base:.1f}× (again)")
    print(f"RESULT ledger {args.employees:,} employees × a year: {worst:.2f} s worst of two "
          f"(target ≤ 15 s: {'OK' if worst <= 15 else 'MISSED'})")


if __name__ == "__main__":
    main()
