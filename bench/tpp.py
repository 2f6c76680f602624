"""TPP benchmark: compute_month for a whole regency-month of 50,000 employees on PostgreSQL.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/hadir_bench_tpp \
        .venv/bin/python bench/tpp.py [--employees 50000] [--loop-sample 2000] [--reuse] [--profile]

The database named in DATABASE_URL is a scratch one: it is dropped and re-created (its name must contain
"bench"), migrated, then filled in bulk with one Pemda, 50 OPDs with 4 sub-units each, a location per OPD, the
employees (PNS/CPNS/PPPK/TKK mix), the regency's tpp.RuleSet with a few LeaveRules, one tpp.Base per employee
(Rp 1.5–9 million) and a whole closed month (October 2026) of presence.DailyStatus rows written with COPY: every
weekday a working day (≈85 % plain hadir, ≈7 % terlambat TL1–TL4, ≈3 % PSW1–PSW4, ≈2 % TK, ≈2 % cuti/sakit/DL
with an excuse_ref "CUTI-<n>" whose LeaveRequest does not exist — the engine then treats the leave kind as unknown,
no cut —, ≈1 % hadir without a pulang scan, some missed apel pagi), weekends "libur" and not working days.

It prints, in the same run and on the same data:
  baseline — a raw SELECT (cursor, no ORM) of all the month's DailyStatus rows, fetchall: the unavoidable read;
  engine   — hadir.tpp.engine.compute_month(month) for the whole regency, twice (first creates the rows, second
             replaces them);
  loop     — what a typical app does: per employee, its Base and its month of DailyStatus rows through the ORM,
             rules.compute in Python, Result.save() and its Lines in one INSERT, all in one transaction; timed on
             --loop-sample K employees and extrapolated linearly to N (it reuses the engine's pure arithmetic and
             skips the invalid-check-in and LeaveRequest look-ups — no such rows here —, so it is a lower bound);
and the ratios engine / baseline and loop / engine. Targets: engine ≤ 10 s at 50,000, ≥ 20× the loop.
With --profile it times the engine's phases (_employees, _bases, _days, _invalid, the in-memory compute, the
DELETE + bulk INSERTs) separately instead.
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
os.environ.setdefault("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/hadir_bench_tpp")

from _common import recreate_database  # noqa: E402

MONTH = dt.date(2026, 10, 1)
LAST = dt.date(2026, 10, 31)
WIB = ZoneInfo("Asia/Jakarta")

DS_COLUMNS = ("employee_id", "date", "status", "is_working_day", "first_in", "last_out", "late_minutes",
              "late_category", "early_minutes", "early_category", "missing_in", "missing_out", "excuse_ref",
              "apel_pagi", "apel_sore", "closed", "starts_at", "corrected", "computed_at")


def _category(minutes: int, prefix: str) -> str:
    return f"{prefix}{1 if minutes <= 30 else 2 if minutes <= 60 else 3 if minutes <= 90 else 4}"


def seed(n_employees: int) -> None:
    from decimal import Decimal

    from django.db import connection

    from hadir.org.models import Employee, EmployeeKind, Unit, UnitKind, WorkLocation
    from hadir.tpp.models import Base, LeaveKey, LeaveMode, LeaveRule, RuleSet

    rng = random.Random(20261001)
    t0 = time.perf_counter()
    pemda = Unit.objects.create(name="Pemerintah Kabupaten Bench", kind=UnitKind.PEMDA, code="PEMDA")
    units: list[Unit] = []
    locations: list[WorkLocation] = []
    for i in range(50):
        opd = Unit.objects.create(name=f"OPD {i}", kind=UnitKind.RSUD if i == 0 else UnitKind.DINAS, parent=pemda,
                                  code=f"OPD{i}")
        locations.append(WorkLocation.objects.create(name=f"Kantor OPD {i}", unit=opd, latitude=-3.8 + i / 100,
                                                     longitude=102.26, timezone="Asia/Jakarta"))
        units.append(opd)
        for j in range(4):
            units.append(Unit.objects.create(name=f"Sub {i}.{j}", kind=UnitKind.BIDANG, parent=opd,
                                             code=f"OPD{i}-{j}"))
    kinds = ([EmployeeKind.PNS] * 60 + [EmployeeKind.CPNS] * 10 + [EmployeeKind.PPPK] * 20
             + [EmployeeKind.PPPK_PARUH_WAKTU] * 5 + [EmployeeKind.TKK] * 5)
    employees = [Employee(name=f"Pegawai {k}", kind=rng.choice(kinds), unit=units[k % len(units)], is_active=True)
                 for k in range(n_employees)]
    Employee.objects.bulk_create(employees, batch_size=5000)
    through = Employee.locations.through
    through.objects.bulk_create([through(employee_id=e.pk, worklocation_id=locations[units.index(e.unit) // 5].pk)
                                 for e in employees], batch_size=10000)

    rs = RuleSet.objects.create(
        name="Perbup TPP Bench", legal_basis="Perbup 1/2026", legal_date=dt.date(2025, 12, 20),
        valid_from=dt.date(2026, 1, 1), share_pct=Decimal(40), percent_of="gross",
        tl1_pct=Decimal("0.5"), tl2_pct=Decimal(1), tl3_pct=Decimal("1.25"), tl4_pct=Decimal("1.5"),
        psw1_pct=Decimal("0.5"), psw2_pct=Decimal(1), psw3_pct=Decimal("1.25"), psw4_pct=Decimal("1.5"),
        tk_pct=Decimal(3), apel_pagi_pct=Decimal("0.5"), apel_sore_pct=Decimal("0.5"), invalid_pct=Decimal("1.5"),
        missing_in_pct=Decimal("1.5"), missing_out_pct=Decimal("1.5"), cpns_pct=Decimal(80), pppk_pct=Decimal(100))
    LeaveRule.objects.bulk_create([
        LeaveRule(rule_set=rs, kind=LeaveKey.CUTI_TAHUNAN, mode=LeaveMode.NO_CUT),
        LeaveRule(rule_set=rs, kind=LeaveKey.SAKIT_SURAT, mode=LeaveMode.NO_CUT),
        LeaveRule(rule_set=rs, kind=LeaveKey.SAKIT, mode=LeaveMode.PERCENT, pct=Decimal(1)),
        LeaveRule(rule_set=rs, kind=LeaveKey.ALASAN_PENTING, mode=LeaveMode.PERCENT, pct=Decimal("0.5")),
        LeaveRule(rule_set=rs, kind=LeaveKey.DINAS_LUAR, mode=LeaveMode.NO_CUT),
        LeaveRule(rule_set=rs, kind=LeaveKey.CLTN, mode=LeaveMode.NO_TPP),
    ])
    Base.objects.bulk_create([Base(employee_id=e.pk, amount=rng.randint(1500, 9000) * 1000,
                                   valid_from=dt.date(2026, 1, 1), source="bench") for e in employees],
                             batch_size=10000)
    t_org = time.perf_counter() - t0

    # the month of daily statuses, COPY'd
    t0 = time.perf_counter()
    days = [MONTH + dt.timedelta(days=k) for k in range((LAST - MONTH).days + 1)]
    day_times = {}
    for d in days:
        start = dt.datetime.combine(d, dt.time(7, 30), tzinfo=WIB)
        end = dt.datetime.combine(d, dt.time(16, 0), tzinfo=WIB)
        day_times[d] = (start, end)
    now = dt.datetime.now(dt.UTC)
    table = "presence_dailystatus"
    n_rows = 0
    mix: dict[str, int] = {}
    excuse_n = 0
    with connection.cursor() as cur:
        raw = cur.cursor  # the psycopg cursor behind Django's wrapper
        with raw.copy(f"COPY {table} ({', '.join(DS_COLUMNS)}) FROM STDIN") as copy:
            for e in employees:
                emp = e.pk
                for d in days:
                    start, end = day_times[d]
                    if d.weekday() >= 5:
                        copy.write_row((emp, d, "libur", False, None, None, 0, "", 0, "", False, False, "", "", "",
                                        True, None, False, now))
                        n_rows += 1
                        mix["libur"] = mix.get("libur", 0) + 1
                        continue
                    r = rng.random()
                    first_in = start - dt.timedelta(minutes=rng.randint(0, 40))
                    last_out = end + dt.timedelta(minutes=rng.randint(0, 60))
                    late = early = 0
                    late_cat = early_cat = excuse = ""
                    missing_out = False
                    apel = "tidak" if rng.random() < 0.04 else "hadir"
                    if r < 0.85:
                        status = "hadir"
                    elif r < 0.92:
                        status = "terlambat"
                        late = rng.choice((rng.randint(1, 30),) * 6 + (rng.randint(31, 60),) * 2
                                          + (rng.randint(61, 90), rng.randint(91, 240)))
                        late_cat = _category(late, "TL")
                        first_in = start + dt.timedelta(minutes=late)
                        apel = "tidak"
                    elif r < 0.95:
                        status = "psw"
                        early = rng.choice((rng.randint(1, 30),) * 5 + (rng.randint(31, 60),) * 3
                                           + (rng.randint(61, 90), rng.randint(91, 240)))
                        early_cat = _category(early, "PSW")
                        last_out = end - dt.timedelta(minutes=early)
                    elif r < 0.97:
                        status = "tk"
                        first_in = last_out = None
                        apel = ""
                    elif r < 0.99:
                        status = rng.choice(("cuti", "cuti", "sakit", "dl"))
                        excuse_n += 1
                        excuse = f"{'DL' if status == 'dl' else 'CUTI'}-{excuse_n}"
                        first_in = last_out = None
                        apel = ""
                    else:
                        status = "hadir"  # forgot the pulang scan
                        last_out = None
                        missing_out = True
                    mix[status] = mix.get(status, 0) + 1
                    copy.write_row((emp, d, status, True, first_in, last_out, late, late_cat, early, early_cat,
                                    False, missing_out, excuse, apel, "", True, start, False, now))
                    n_rows += 1
        cur.execute("ANALYZE")
    t_ds = time.perf_counter() - t0
    print(f"seeded {n_employees:,} employees, {len(units)} units, 1 rule set, {n_employees:,} bases in {t_org:.1f} s; "
          f"{n_rows:,} daily statuses (COPY) in {t_ds:.1f} s")
    print("  day mix: " + ", ".join(f"{k} {v:,}" for k, v in sorted(mix.items(), key=lambda kv: -kv[1])))


def timed(label: str, fn: object) -> float:
    t0, c0 = time.perf_counter(), time.process_time()
    result = fn()  # type: ignore[operator]
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(f"  {label:<58} {elapsed:8.3f} s wall  {cpu:7.3f} s this-process CPU  ({result})")
    return elapsed


def per_employee_loop(sample: list[int]) -> int:
    """The per-employee ORM loop a typical app would write (same output: a Result and its Lines each)."""
    from django.db import transaction
    from django.utils import timezone

    from hadir.org.models import Employee
    from hadir.presence.models import ApelStatus, DailyStatus
    from hadir.tpp import rules
    from hadir.tpp.engine import pick_rule_set, rule_sets_for
    from hadir.tpp.models import Base, Line, Result

    sets = rule_sets_for(MONTH, LAST)
    written = 0
    with transaction.atomic():
        for emp in Employee.objects.filter(pk__in=sample).select_related("unit").order_by("pk"):
            opd_id = emp.unit.opd_id
            rs = pick_rule_set(sets, opd_id, emp.kind)
            if rs is None:
                continue
            base_row = Base.objects.filter(employee=emp, valid_from__lte=LAST).order_by("-valid_from").first()
            base = base_row.amount if base_row else emp.tpp_base
            days = []
            working = 0
            for ds in DailyStatus.objects.filter(employee=emp, date__gte=MONTH, date__lte=LAST):
                if not ds.is_working_day:
                    continue
                working += 1
                days.append(rules.Day(date=ds.date, status=ds.status, late_category=ds.late_category,
                                      early_category=ds.early_category, missing_in=ds.missing_in,
                                      missing_out=ds.missing_out,
                                      apel_pagi_missed=ds.apel_pagi == ApelStatus.TIDAK,
                                      apel_sore_missed=ds.apel_sore == ApelStatus.TIDAK, ref=ds.excuse_ref[:100]))
            res = rules.compute(base, emp.kind, days, working, rs.as_rules())
            row = Result(month=MONTH, employee=emp, opd_id=opd_id, rule_set=rs, base=base, gross=res.gross,
                         share=res.share, cuts=res.cuts, cuts_uncapped=res.cuts_uncapped, no_tpp=res.no_tpp,
                         sanction=res.sanction, adjustment=0, net=res.net, working_days=working,
                         computed_at=timezone.now())
            row.save()
            if res.lines:
                Line.objects.bulk_create([Line(result=row, date=ln.date, event=ln.event, pct=ln.pct,
                                               amount=ln.amount, note=ln.note[:100], of_month=ln.of_month)
                                          for ln in res.lines])
            written += 1
    return written


def profile_engine() -> None:
    """The engine's phases timed one by one (the same calls compute_results / compute_month make)."""
    from django.db import transaction
    from django.utils import timezone

    from hadir.discipline.sanctions import active_tukin_cuts
    from hadir.tpp import engine
    from hadir.tpp.models import Line, Result

    first, last = MONTH, LAST
    print("engine phases (whole regency):")
    box: dict[str, object] = {}

    def step(label: str, key: str, fn: object) -> float:
        def run() -> str:
            box[key] = fn()  # type: ignore[operator]
            v = box[key]
            return f"{len(v):,}" if hasattr(v, "__len__") else str(v)
        return timed(label, run)

    t: dict[str, float] = {}
    t["_employees"] = step("_employees", "staff", lambda: engine._employees(first, last, None))
    ids = [s[0] for s in box["staff"]]  # type: ignore[attr-defined]
    t["rule_sets_for"] = step("rule_sets_for + as_rules", "sets", lambda: [
        (rs, rs.as_rules()) for rs in engine.rule_sets_for(first, last)])
    t["_bases"] = step("_bases", "bases", lambda: engine._bases(last, ids, True))
    t["_days"] = step("_days (working-day counts + event rows)", "days",
                      lambda: engine._days(first, last, ids, True))
    working, events = box["days"]  # type: ignore[misc]
    print(f"      ({len(working):,} employees with working days, "
          f"{sum(len(v) for v in events.values()):,} event rows)")
    t["_invalid"] = step("_invalid", "invalid", lambda: engine._invalid(first, last, ids, True))
    t["_leave_keys"] = step("_leave_keys", "leave", lambda: engine._leave_keys(
        r["excuse_ref"] for rows in events.values() for r in rows if r["status"] in engine._EXCUSED))
    t["_down_days"] = step("_down_days", "down", lambda: engine._down_days(first, last))
    t["sanctions"] = step("active_tukin_cuts", "sanc", lambda: active_tukin_cuts(first, last, ids))
    reads = sum(t.values())
    total = step("compute_results (all reads above + rules.compute per employee)", "results",
                 lambda: engine.compute_results(first)[0])
    results = box["results"]

    def write() -> str:
        stamp = timezone.now()
        with transaction.atomic():
            stale = Result.objects.filter(month=first, closed=False)
            t0 = time.perf_counter()
            Line.objects.filter(result__in=stale).delete()
            stale.delete()
            t_del = time.perf_counter() - t0
            t0 = time.perf_counter()
            rows = [Result(month=first, employee_id=c.employee_id, opd_id=c.opd_id, rule_set_id=c.rule_set_id,
                           base=c.base, gross=c.result.gross, share=c.result.share, cuts=c.result.cuts,
                           cuts_uncapped=c.result.cuts_uncapped, no_tpp=c.result.no_tpp,
                           sanction=c.result.sanction, adjustment=0, net=c.result.net,
                           working_days=c.working_days, computed_at=stamp) for c in results]  # type: ignore[attr-defined]
            Result.objects.bulk_create(rows, batch_size=engine.BATCH)
            t_res = time.perf_counter() - t0
            t0 = time.perf_counter()
            lines = [Line(result_id=row.pk, date=ln.date, event=ln.event, pct=ln.pct, amount=ln.amount,
                          note=ln.note[:100], of_month=ln.of_month)
                     for row, c in zip(rows, results, strict=True) for ln in c.result.lines]  # type: ignore[call-overload]
            Line.objects.bulk_create(lines, batch_size=engine.BATCH)
            t_lin = time.perf_counter() - t0
            t0 = time.perf_counter()
        t_commit = time.perf_counter() - t0
        return (f"delete old {t_del:.2f} s, Result bulk_create {len(rows):,} rows {t_res:.2f} s, "
                f"Line bulk_create {len(lines):,} rows {t_lin:.2f} s, commit {t_commit:.2f} s")

    w = timed("write: DELETE old + bulk_create Result + Line", write)

    def raw_delete() -> str:
        # for comparison only (rolled back): the same DELETE as two SQL statements. The ORM's .delete() above
        # cannot take Django's fast path because hadir.audit.signals connects a post_delete receiver for every
        # sender, so it SELECTs every Line/Result and deletes them 100 ids at a time.
        from django.db import connection

        with transaction.atomic():
            with connection.cursor() as cur:
                cur.execute("DELETE FROM tpp_line USING tpp_result WHERE tpp_line.result_id = tpp_result.id "
                            "AND tpp_result.month = %s AND NOT tpp_result.closed", [first])
                n_lines = cur.rowcount
                cur.execute("DELETE FROM tpp_result WHERE month = %s AND NOT closed", [first])
                n_res = cur.rowcount
            transaction.set_rollback(True)
        return f"{n_lines:,} lines, {n_res:,} results; rolled back"

    timed("for comparison: the same DELETE in raw SQL (rolled back)", raw_delete)
    print(f"\n  reads {reads:.2f} s; in-memory compute ≈ {total - reads:.2f} s (compute_results minus its reads); "
          f"write {w:.2f} s; engine ≈ {total + w:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--employees", type=int, default=50_000)
    parser.add_argument("--loop-sample", type=int, default=2000,
                        help="time the per-employee loop on this many employees and extrapolate to all")
    parser.add_argument("--reuse", action="store_true", help="keep the database seeded by a previous run")
    parser.add_argument("--profile", action="store_true", help="time the engine's phases separately")
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

    from hadir.org.models import Employee
    from hadir.tpp.engine import compute_month
    from hadir.tpp.models import Line, Result

    n = Employee.objects.count()
    if args.profile:
        profile_engine()
        return

    def baseline() -> str:
        with connection.cursor() as cur:
            cur.execute(
                "SELECT employee_id, date, status, is_working_day, late_category, early_category, missing_in, "
                "missing_out, apel_pagi, apel_sore, excuse_ref FROM presence_dailystatus "
                "WHERE date >= %s AND date <= %s", [MONTH, LAST])
            return f"{len(cur.fetchall()):,} rows"

    def engine() -> str:
        rep = compute_month(MONTH)
        return f"{rep.computed:,} computed, {rep.no_rule_set} without a rule set"

    Result.objects.filter(month=MONTH).delete()  # so the first run really creates every row (also with --reuse)
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE presence_dailystatus")
        cur.execute("VACUUM ANALYZE tpp_result")
        cur.execute("VACUUM ANALYZE tpp_line")
    print(f"TPP for {n:,} employees, month {MONTH:%m/%Y} (PostgreSQL):")
    base = timed("baseline: raw SELECT of the month's DailyStatus rows", baseline)
    first = timed("engine: compute_month (first: creates the rows)", engine)
    again = timed("engine: compute_month (again: replaces the rows)", engine)
    n_results = Result.objects.filter(month=MONTH).count()
    n_lines = Line.objects.filter(result__month=MONTH).count()
    print(f"  written: {n_results:,} tpp.Result rows, {n_lines:,} tpp.Line rows")

    # the loop, on a sample spread over the regency; its Results replace the engine's for those employees,
    # which lets us check that both give the same nets
    k = min(args.loop_sample, n)
    all_ids = list(Employee.objects.order_by("pk").values_list("pk", flat=True))
    sample = sorted(random.Random(7).sample(all_ids, k))
    engine_net = dict(Result.objects.filter(month=MONTH, employee_id__in=sample).values_list("employee_id", "net"))
    engine_lines = Line.objects.filter(result__month=MONTH, result__employee_id__in=sample).count()
    Line.objects.filter(result__month=MONTH, result__employee_id__in=sample).delete()
    Result.objects.filter(month=MONTH, employee_id__in=sample).delete()
    loop = timed(f"loop: per-employee ORM loop on {k:,} employees (measured)",
                 lambda: f"{per_employee_loop(sample):,} results")
    loop_net = dict(Result.objects.filter(month=MONTH, employee_id__in=sample).values_list("employee_id", "net"))
    loop_lines = Line.objects.filter(result__month=MONTH, result__employee_id__in=sample).count()
    same = sum(1 for e in sample if e in engine_net and engine_net[e] == loop_net.get(e))
    loop_all = loop * n / k
    print(f"  loop extrapolated linearly from {k:,} to {n:,} employees: {loop_all:8.1f} s "
          f"(≈ {loop / k * 1000:.2f} ms per employee)")
    print(f"  check: loop and engine agree on the net of {same:,} of {k:,} sampled employees "
          f"(lines: engine {engine_lines:,}, loop {loop_lines:,})")

    engine_t = max(first, again)
    print(f"\nratios: engine / baseline: first {first / base:.1f}×, again {again / base:.1f}×; "
          f"loop (extrapolated) / engine: {loop_all / first:.1f}× (first), {loop_all / again:.1f}× (again)")
    print(f"load average now: {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs "
          "(wall times include waiting for a busy CPU)")
    print(f"RESULT compute_month {n:,} employees: {engine_t:.2f} s worst of two "
          f"(target ≤ 10 s: {'OK' if engine_t <= 10 else 'MISSED'}); "
          f"loop/engine {loop_all / engine_t:.1f}× (target ≥ 20×: {'OK' if loop_all / engine_t >= 20 else 'MISSED'})")


if __name__ == "__main__":
    main()
