"""Recap benchmark: a month's recap for 50,000 employees on PostgreSQL, and the Excel workbook for 15,000 of them.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/hadir_bench_recap \
        .venv/bin/python bench/recap.py [--employees 50000] [--excel-employees 15000] [--reuse]

The database named in DATABASE_URL is a scratch one: it is dropped and re-created (its name must contain
"bench"), migrated, then filled in bulk with one Pemda, 50 OPDs with 4 sub-units each, the employees with a NIP
and a position-less mix of kinds, and a whole closed month (October 2026) of presence.DailyStatus rows written
with COPY: weekdays working (≈85 % hadir, ≈7 % terlambat TL1–TL4, ≈3 % PSW1–PSW4, ≈2 % TK, ≈2 % cuti/sakit/DL,
≈1 % hadir without a pulang scan, some missed apel pagi), weekends libur and not working days.

It prints, in the same run and on the same data:
  baseline — a raw SELECT (cursor, no ORM) of the month's DailyStatus rows with the columns the recap and the day
             grid read, fetchall: the unavoidable read;
  recap    — hadir.reports.recap.recap(all employees, the month), twice (cold-ish and warm);
  excel    — hadir.reports.excel.workbook(the employees of the first OPDs up to --excel-employees, the month): the
             recap, the day grid and openpyxl, with those three phases timed apart on the same employees;
and the ratios against the baseline. Targets: recap ≤ 10 s at 50,000; Excel ≤ 30 s at 15,000.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hadir.settings")
os.environ.setdefault("SECRET_KEY", "hadir-bench-" + "0" * 40)  # required with HADIR_DEBUG off
os.environ.setdefault("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/hadir_bench_recap")

from _common import recreate_database  # noqa: E402

MONTH = dt.date(2026, 10, 1)
LAST = dt.date(2026, 10, 31)
WIB = ZoneInfo("Asia/Jakarta")
N_OPDS = 50

DS_COLUMNS = ("employee_id", "date", "status", "is_working_day", "first_in", "last_out", "late_minutes",
              "late_category", "early_minutes", "early_category", "missing_in", "missing_out", "excuse_ref",
              "apel_pagi", "apel_sore", "closed", "starts_at", "corrected", "computed_at")


def _category(minutes: int, prefix: str) -> str:
    return f"{prefix}{1 if minutes <= 30 else 2 if minutes <= 60 else 3 if minutes <= 90 else 4}"


def seed(n_employees: int) -> None:
    from django.db import connection

    from hadir.org.models import Employee, EmployeeKind, Unit, UnitKind

    rng = random.Random(20261001)
    t0 = time.perf_counter()
    pemda = Unit.objects.create(name="Pemerintah Kabupaten Bench", kind=UnitKind.PEMDA, code="PEMDA")
    units: list[Unit] = []
    for i in range(N_OPDS):
        opd = Unit.objects.create(name=f"OPD {i:02d}", kind=UnitKind.DINAS, parent=pemda, code=f"OPD{i}")
        units.append(opd)
        for j in range(4):
            units.append(Unit.objects.create(name=f"Sub {i}.{j}", kind=UnitKind.BIDANG, parent=opd,
                                             code=f"OPD{i}-{j}"))
    kinds = [EmployeeKind.PNS] * 70 + [EmployeeKind.CPNS] * 10 + [EmployeeKind.PPPK] * 15 + [EmployeeKind.TKK] * 5
    # employees are spread OPD by OPD (k // per_opd), so the first OPDs hold the first employees
    per_opd = -(-n_employees // N_OPDS)
    employees = [Employee(name=f"Pegawai {k}", nip=str(198001012005010000 + k),
                          kind=rng.choice(kinds), unit=units[(k // per_opd) * 5 + k % 5], is_active=True)
                 for k in range(n_employees)]
    Employee.objects.bulk_create(employees, batch_size=5000)
    t_org = time.perf_counter() - t0

    t0 = time.perf_counter()
    days = [MONTH + dt.timedelta(days=k) for k in range((LAST - MONTH).days + 1)]
    now = dt.datetime.now(dt.UTC)
    n_rows = 0
    with connection.cursor() as cur:
        with cur.cursor.copy(f"COPY presence_dailystatus ({', '.join(DS_COLUMNS)}) FROM STDIN") as copy:
            for e in employees:
                for d in days:
                    start = dt.datetime.combine(d, dt.time(7, 30), tzinfo=WIB)
                    end = dt.datetime.combine(d, dt.time(16, 0), tzinfo=WIB)
                    n_rows += 1
                    if d.weekday() >= 5:
                        copy.write_row((e.pk, d, "libur", False, None, None, 0, "", 0, "", False, False, "", "", "",
                                        True, None, False, now))
                        continue
                    r = rng.random()
                    first_in: dt.datetime | None = start - dt.timedelta(minutes=rng.randint(0, 40))
                    last_out: dt.datetime | None = end + dt.timedelta(minutes=rng.randint(0, 60))
                    late = early = 0
                    late_cat = early_cat = excuse = ""
                    missing_out = False
                    apel = "tidak" if rng.random() < 0.04 else "hadir"
                    if r < 0.85:
                        status = "hadir"
                    elif r < 0.92:
                        status, late = "terlambat", rng.choice((5, 12, 25, 28, 40, 55, 75, 120))
                        late_cat, apel = _category(late, "TL"), "tidak"
                    elif r < 0.95:
                        status, early = "psw", rng.choice((10, 20, 45, 80, 150))
                        early_cat = _category(early, "PSW")
                    elif r < 0.97:
                        status, first_in, last_out, apel = "tk", None, None, ""
                    elif r < 0.99:
                        status = rng.choice(("cuti", "cuti", "sakit", "dl"))
                        excuse, first_in, last_out, apel = f"REF-{n_rows}", None, None, ""
                    else:
                        status, last_out, missing_out = "hadir", None, True
                    copy.write_row((e.pk, d, status, True, first_in, last_out, late, late_cat, early, early_cat,
                                    False, missing_out, excuse, apel, "", True, start, False, now))
        cur.execute("VACUUM ANALYZE presence_dailystatus")
        cur.execute("ANALYZE")
    t_ds = time.perf_counter() - t0
    print(f"seeded {n_employees:,} employees, {len(units)} units in {t_org:.1f} s; "
          f"{n_rows:,} daily statuses (COPY) in {t_ds:.1f} s")


def timed(label: str, fn: Callable[[], Any]) -> float:
    t0, c0 = time.perf_counter(), time.process_time()
    result = fn()
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(f"  {label:<62} {elapsed:8.3f} s wall  {cpu:7.3f} s this-process CPU  ({result})")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--employees", type=int, default=50_000)
    parser.add_argument("--excel-employees", type=int, default=15_000,
                        help="the workbook covers the first OPDs up to about this many employees")
    parser.add_argument("--reuse", action="store_true", help="keep the database seeded by a previous run")
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

    from django.db.models import Count
    from openpyxl import load_workbook

    from hadir.org.models import Employee, Unit
    from hadir.reports.excel import workbook
    from hadir.reports.recap import month_grid, recap

    everyone = Employee.objects.all()
    n = everyone.count()
    sizes = dict(everyone.values_list("unit__opd_id").annotate(n=Count("pk")).order_by())
    opds = sorted(Unit.objects.filter(kind="dinas").values_list("pk", "code"), key=lambda u: int(u[1][3:]))
    chosen: list[int] = []
    for pk, _code in opds:
        if sum(sizes.get(c, 0) for c in chosen) >= args.excel_employees:
            break
        chosen.append(pk)
    some = Employee.objects.filter(unit__opd_id__in=chosen)
    n_some = some.count()

    def baseline() -> str:
        with connection.cursor() as cur:
            cur.execute(
                "SELECT employee_id, date, status, is_working_day, late_minutes, late_category, early_minutes, "
                "early_category, apel_pagi, apel_sore, corrected FROM presence_dailystatus "
                "WHERE date >= %s AND date <= %s", [MONTH, LAST])
            return f"{len(cur.fetchall()):,} rows"

    def baseline_some() -> str:
        with connection.cursor() as cur:
            cur.execute(
                "SELECT ds.employee_id, ds.date, ds.status, ds.is_working_day, ds.late_minutes, ds.late_category, "
                "ds.early_minutes, ds.early_category, ds.apel_pagi, ds.apel_sore, ds.corrected "
                "FROM presence_dailystatus ds JOIN org_employee e ON e.id = ds.employee_id "
                "JOIN org_unit u ON u.id = e.unit_id WHERE ds.date >= %s AND ds.date <= %s AND u.opd_id = ANY(%s)",
                [MONTH, LAST, chosen])
            return f"{len(cur.fetchall()):,} rows"

    box: dict[str, Any] = {}

    def run_recap() -> str:
        rows = recap(everyone, MONTH, LAST)
        box["rows"] = rows
        return f"{len(rows):,} rows, {sum(r.counts['tk'] for r in rows):,} TK days"

    def run_excel() -> str:
        data = workbook(some, MONTH, LAST)
        box["xlsx"] = data
        return f"{len(data) / 1e6:.1f} MB"

    print(f"Recap for {n:,} employees, month {MONTH:%m/%Y} (PostgreSQL):")
    base = timed("baseline: raw SELECT of the month's DailyStatus rows", baseline)
    r1 = timed("recap: recap(all employees, month) — first", run_recap)
    r2 = timed("recap: recap(all employees, month) — again", run_recap)
    t_recap = max(r1, r2)

    print(f"\nExcel for {n_some:,} employees ({len(chosen)} OPDs), same month:")
    base_some = timed(f"baseline: raw SELECT of those {n_some:,} employees' rows", baseline_some)
    p_recap = timed("phase: recap(those employees, month)", lambda: f"{len(recap(some, MONTH, LAST)):,} rows")
    p_grid = timed("phase: month_grid(those employees, month)", lambda: f"{len(month_grid(some, MONTH)[1]):,} rows")
    t_excel = timed("excel: workbook(those employees, month) — whole", run_excel)
    print(f"  (openpyxl building and saving ≈ {t_excel - p_recap - p_grid:.2f} s: the whole minus the two phases)")
    wb = load_workbook(io.BytesIO(box["xlsx"]), read_only=True)
    body_rows = sum(max(0, (wb[s].max_row or 0) - 5) for s in wb.sheetnames if s != "Keterangan")
    print(f"  check: {len(wb.sheetnames) - 1} OPD sheets, {body_rows:,} employee rows in the workbook")

    print(f"\nratios: recap / baseline {t_recap / base:.1f}×; excel / baseline (same employees) "
          f"{t_excel / base_some:.1f}×")
    print(f"load average now: {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs "
          "(wall times include waiting for a busy CPU)")
    print(f"RESULT recap {n:,} employees: {t_recap:.2f} s worst of two (target ≤ 10 s: "
          f"{'OK' if t_recap <= 10 else 'MISSED'}); Excel {n_some:,} employees: {t_excel:.2f} s (target ≤ 30 s: "
          f"{'OK' if t_excel <= 30 else 'MISSED'})")


if __name__ == "__main__":
    main()
