"""The monthly TPP computation, set-based: a fixed number of queries for a month and a scope, whatever its size.

    compute_month(month, opd_ids)   → results and itemised lines for every employee of those OPDs (all: None)

Reads (one query each): the employees and their bases, the rule sets, the month's working-day counts, the month's
daily statuses that carry an event (late, early, TK, missed apel, a missing scan, leave), the check-ins the atasan
marked invalid, the leave requests behind the excused days, the OPDs' terminal-down days, the active sanctions;
then `rules.compute` per employee in memory; then one DELETE and two bulk INSERTs. Months closed for an OPD
(tpp.Period) are never rewritten: a later change to a closed month (a leave approved late, a check-in's validity
overturned) becomes an ADJUSTMENT line in the month being computed (`_adjustments`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from hadir.audit.services import AuditRow, record_rows
from hadir.discipline.sanctions import active_tukin_cuts
from hadir.errors import Unprocessable
from hadir.files import month_bounds
from hadir.leave import rules as leave_rules
from hadir.leave.models import LeaveRequest
from hadir.org.models import Employee
from hadir.presence.models import ApelStatus, CheckIn, DailyStatus, DayStatus, Verdict
from hadir.terminals.models import TerminalDownDay

from . import rules
from .models import Base, Line, Period, Result, RuleSet

BATCH = 5000

# hadir.leave's kinds → the rule set's leave keys ("sakit" with a letter is decided by the request's document)
LEAVE_KEY = {
    leave_rules.CUTI_TAHUNAN: "cuti_tahunan", leave_rules.CUTI_BESAR: "cuti_besar",
    leave_rules.CUTI_MELAHIRKAN: "cuti_melahirkan", leave_rules.IZIN_PENTING: "alasan_penting",
    leave_rules.CUTI_PENTING: "alasan_penting", leave_rules.DINAS_LUAR: "dinas_luar",
    leave_rules.RAPAT_LUAR: "rapat", leave_rules.KEGIATAN: "rapat", leave_rules.CLTN: "cltn",
    leave_rules.CUTI_BERSAMA: "cuti_bersama", leave_rules.IZIN_SAKIT: "sakit", leave_rules.CUTI_SAKIT: "sakit",
}
_REF_PK = re.compile(r"^[A-Z]+-(\d+)")
_EXCUSED = (DayStatus.IZIN, DayStatus.SAKIT, DayStatus.CUTI, DayStatus.DINAS_LUAR)


@dataclass
class Computed:
    employee_id: int
    opd_id: int | None
    rule_set_id: int
    base: int
    working_days: int
    result: rules.Result


def check_month(month: dt.date, today: dt.date | None = None) -> dt.date:
    """The month's first day; a month that has not started is refused."""
    first = month.replace(day=1)
    today = today or timezone.localdate()
    if first > today:
        raise Unprocessable(_("TPP tidak dapat dihitung untuk bulan yang belum berjalan."), field="month",
                            code="future_month")
    return first


def rule_sets_for(first: dt.date, last: dt.date) -> list[RuleSet]:
    return list(RuleSet.objects.filter(valid_from__lte=last).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=first))
                .prefetch_related("leave_rules").order_by("-valid_from", "pk"))


def pick_rule_set(sets: list[RuleSet], opd_id: int | None, kind: str) -> RuleSet | None:
    """The most specific rule set: OPD and kind, then OPD, then kind, then the regency's (latest start first)."""
    best: tuple[int, RuleSet] | None = None
    for rs in sets:
        if rs.opd_id is not None and rs.opd_id != opd_id:
            continue
        if rs.employee_kind and rs.employee_kind != kind:
            continue
        score = (2 if rs.opd_id is not None else 0) + (1 if rs.employee_kind else 0)
        if best is None or score > best[0]:
            best = (score, rs)
    return best[1] if best else None


def _employees(first: dt.date, last: dt.date, opd_ids: Iterable[int] | None,
               employee_ids: Iterable[int] | None = None) -> list[tuple[int, int | None, str, int]]:
    """(id, OPD id, kind, Employee.tpp_base) of the employees active at some point of the month."""
    qs = Employee.objects.filter(Q(active_from__isnull=True) | Q(active_from__lte=last)).filter(
        Q(active_until__isnull=True) | Q(active_until__gte=first))
    if opd_ids is not None:
        qs = qs.filter(unit__opd_id__in=list(opd_ids))
    if employee_ids is not None:
        qs = qs.filter(pk__in=list(employee_ids))
    return list(qs.values_list("id", "unit__opd_id", "kind", "tpp_base"))


def _bases(last: dt.date, ids: list[int], whole: bool) -> dict[int, int]:
    """employee → the base valid on the month's last day (latest valid_from on or before it)."""
    qs = Base.objects.filter(valid_from__lte=last)
    if not whole:
        qs = qs.filter(employee_id__in=ids)
    out: dict[int, int] = {}
    for emp_id, amount in qs.order_by("employee_id", "valid_from").values_list("employee_id", "amount"):
        out[emp_id] = amount  # the latest wins
    return out


def _days(first: dt.date, last: dt.date, ids: list[int], whole: bool,
          ) -> tuple[dict[int, int], dict[int, list[dict[str, Any]]]]:
    """(employee → working days in the month, employee → the working days that may carry a line)."""
    qs = DailyStatus.objects.filter(date__gte=first, date__lte=last, is_working_day=True)
    if not whole:
        qs = qs.filter(employee_id__in=ids)
    working = dict(qs.order_by().values("employee_id").annotate(n=Count("id")).values_list("employee_id", "n"))
    plain = Q(status=DayStatus.HADIR, late_category="", early_category="", missing_in=False, missing_out=False) & ~Q(
        apel_pagi=ApelStatus.TIDAK) & ~Q(apel_sore=ApelStatus.TIDAK)
    events: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in qs.exclude(plain).values("employee_id", "date", "status", "late_category", "early_category",
                                         "missing_in", "missing_out", "apel_pagi", "apel_sore", "excuse_ref",
                                         "corrected"):
        events[row["employee_id"]].append(dict(row))
    return working, events


def _invalid(first: dt.date, last: dt.date, ids: list[int], whole: bool) -> dict[tuple[int, dt.date], int]:
    qs = CheckIn.objects.filter(local_date__gte=first, local_date__lte=last, verdict=Verdict.ACCEPTED,
                                validity="invalid")
    if not whole:
        qs = qs.filter(employee_id__in=ids)
    return {(e, d): n for e, d, n in qs.order_by().values("employee_id", "local_date").annotate(n=Count("id"))
            .values_list("employee_id", "local_date", "n")}


def _leave_keys(refs: Iterable[str]) -> dict[int, str]:
    """LeaveRequest pk → rule key, for the pks named in excuse references ("CUTI-12 …")."""
    pks = {int(m.group(1)) for ref in refs if (m := _REF_PK.match(ref or ""))}
    out: dict[int, str] = {}
    for pk, kind, document in LeaveRequest.objects.filter(pk__in=pks).values_list("pk", "kind", "document"):
        key = LEAVE_KEY.get(kind, "")
        if key == "sakit" and document:
            key = "sakit_surat"
        out[pk] = key
    return out


def _down_days(first: dt.date, last: dt.date) -> set[tuple[int, dt.date]]:
    return set(TerminalDownDay.objects.filter(date__gte=first, date__lte=last).values_list("opd_id", "date"))


def compute_results(first: dt.date, opd_ids: Iterable[int] | None = None, *,
                    employee_ids: Iterable[int] | None = None,
                    adjustments: dict[int, list[rules.Line]] | None = None) -> tuple[list[Computed], list[int]]:
    """The month's results in memory (nothing written): (results, employees without a rule set)."""
    first, last = month_bounds(first)
    staff = _employees(first, last, opd_ids, employee_ids)
    ids = [s[0] for s in staff]
    whole = opd_ids is None and employee_ids is None
    sets = rule_sets_for(first, last)
    as_rules = {rs.pk: rs.as_rules() for rs in sets}
    bases = _bases(last, ids, whole)
    working, events = _days(first, last, ids, whole)
    invalid = _invalid(first, last, ids, whole)
    leave_keys = _leave_keys(r["excuse_ref"] for rows in events.values() for r in rows
                             if r["status"] in _EXCUSED)
    down = _down_days(first, last)
    sanctions = active_tukin_cuts(first, last, None if whole else ids)
    adjustments = adjustments or {}
    invalid_by_emp: dict[int, dict[dt.date, int]] = defaultdict(dict)
    for (e, d), n in invalid.items():
        invalid_by_emp[e][d] = n
    down_by_opd: dict[int, list[dt.date]] = defaultdict(list)
    for o, d in down:
        down_by_opd[o].append(d)
    out: list[Computed] = []
    no_rules: list[int] = []
    for emp_id, opd_id, kind, fallback_base in staff:
        rs = pick_rule_set(sets, opd_id, kind)
        if rs is None:
            no_rules.append(emp_id)
            continue
        base = bases.get(emp_id, fallback_base)
        days = []
        for r in events.get(emp_id, ()):
            ref = r["excuse_ref"] or ""
            if r["corrected"]:  # the day was changed by an approved koreksi presensi: say so on its lines
                ref = f"{ref} (koreksi)".strip()
            m = _REF_PK.match(ref) if r["status"] in _EXCUSED else None
            days.append(rules.Day(
                date=r["date"], status=r["status"], late_category=r["late_category"],
                early_category=r["early_category"], missing_in=r["missing_in"], missing_out=r["missing_out"],
                apel_pagi_missed=r["apel_pagi"] == ApelStatus.TIDAK, apel_sore_missed=r["apel_sore"] == ApelStatus.TIDAK,
                invalid_checkins=invalid_by_emp[emp_id].get(r["date"], 0) if emp_id in invalid_by_emp else 0,
                leave_key=leave_keys.get(int(m.group(1)), "") if m else "",
                terminal_down=(opd_id, r["date"]) in down, ref=ref[:100]))
        seen = {d.date for d in days}
        for d, n in invalid_by_emp.get(emp_id, {}).items():  # an invalid check-in on an otherwise plain day
            if d not in seen:
                days.append(rules.Day(date=d, status=DayStatus.HADIR, invalid_checkins=n,
                                      terminal_down=(opd_id, d) in down))
                seen.add(d)
        # terminal-down days the rule set pays nothing for also cover plain days (no event row)
        if as_rules[rs.pk].terminal_down == rules.NO_TPP_DAY and opd_id is not None:
            for d in down_by_opd.get(opd_id, ()):
                if d not in seen:
                    days.append(rules.Day(date=d, status=DayStatus.HADIR, terminal_down=True))
        result = rules.compute(base, kind, days, working.get(emp_id, 0), as_rules[rs.pk],
                               sanctions.get(emp_id, Decimal(0)), adjustments.get(emp_id, ()))
        out.append(Computed(emp_id, opd_id, rs.pk, base, working.get(emp_id, 0), result))
    return out, no_rules


def _closed_opds(first: dt.date) -> set[int]:
    return set(Period.objects.filter(month=first).values_list("opd_id", flat=True))


def _adjustments(first: dt.date, opd_ids: set[int] | None, actor: Any) -> tuple[dict[int, list[rules.Line]],
                                                                                  list[AuditRow]]:
    """Lines for `first`'s month that carry changes made after a close to earlier closed months of the scope.

    Candidates are the employees of a closed (month, OPD) whose daily statuses were recomputed, or whose check-ins
    were judged, after the close; their closed month is recomputed in memory and compared with what was paid
    (the frozen net, plus adjustments already carried into other months)."""
    periods = Period.objects.filter(month__lt=first)
    if opd_ids is not None:
        periods = periods.filter(opd_id__in=opd_ids)
    out: dict[int, list[rules.Line]] = defaultdict(list)
    audit: list[AuditRow] = []
    for month, opd_id, closed_at in periods.values_list("month", "opd_id", "closed_at").order_by("month"):
        m_first, m_last = month_bounds(month)
        changed = set(DailyStatus.objects.filter(
            date__gte=m_first, date__lte=m_last, employee__unit__opd_id=opd_id, computed_at__gt=closed_at,
        ).values_list("employee_id", flat=True))
        changed |= set(CheckIn.objects.filter(
            local_date__gte=m_first, local_date__lte=m_last, employee__unit__opd_id=opd_id, validated_at__gt=closed_at,
        ).values_list("employee_id", flat=True))
        if not changed:
            continue
        # what that month paid for its own days: its net before the adjustments it carried from even earlier months
        paid = {e: net + adj for e, net, adj in Result.objects.filter(month=m_first, employee_id__in=changed)
                .values_list("employee_id", "net", "adjustment")}
        carried = dict(Line.objects.filter(of_month=m_first, result__employee_id__in=changed)
                       .exclude(result__month=first).values("result__employee_id").annotate(s=Sum("amount"))
                       .values_list("result__employee_id", "s"))
        now_results, _none = compute_results(m_first, employee_ids=changed)
        for c in now_results:
            if c.employee_id not in paid:
                continue
            effective = paid[c.employee_id] - (carried.get(c.employee_id) or 0)
            diff = effective - c.result.net  # > 0: paid too much → cut now; < 0: paid too little → pay back
            if diff:
                note = _("penyesuaian %(month)s") % {"month": m_first.strftime("%m/%Y")}
                out[c.employee_id].append(rules.Line(None, rules.ADJUSTMENT, Decimal(0), diff, note, m_first))
                audit.append(AuditRow("tpp.result", f"{c.employee_id}:{m_first.isoformat()}",
                                      f"TPP {m_first:%m/%Y} pegawai {c.employee_id}", {"net": effective},
                                      {"net": c.result.net, "carried_to": first.isoformat()}, note))
    return out, audit


@dataclass
class RunReport:
    month: dt.date
    computed: int
    skipped_closed: int
    no_rule_set: int
    adjustments: int


def compute_month(month: dt.date, opd_ids: Iterable[int] | None = None, *, actor: Any = None) -> RunReport:
    """(Re)compute the month for the OPDs (None: the whole regency), except OPDs whose month is closed."""
    first = check_month(month)
    wanted = set(opd_ids) if opd_ids is not None else None
    closed = _closed_opds(first)
    if wanted is None:
        open_opds: set[int] | None = None if not closed else {
            o for o in Employee.objects.exclude(unit__opd_id__in=closed).values_list("unit__opd_id", flat=True)
            .distinct() if o is not None}
    else:
        open_opds = wanted - closed
    skipped = len((wanted or closed) & closed)
    adjustments, audit = _adjustments(first, open_opds, actor)
    results, no_rules = compute_results(first, open_opds, adjustments=adjustments)
    stamp = timezone.now()
    with transaction.atomic():
        if connection.vendor == "postgresql" and len(results) > COPY_THRESHOLD:
            _write_copy(first, open_opds, results, stamp)
        else:
            _write_orm(first, open_opds, results, stamp)
        if audit:
            record_rows(actor, "tpp.adjust", audit)
    return RunReport(first, len(results), skipped, len(no_rules), len(audit))


COPY_THRESHOLD = 500
RESULT_COLUMNS = ["month", "employee_id", "opd_id", "rule_set_id", "base", "gross", "share", "cuts", "cuts_uncapped",
                  "no_tpp", "sanction", "adjustment", "net", "working_days", "closed", "computed_at"]
LINE_COLUMNS = ["result_id", "date", "event", "pct", "amount", "note", "of_month"]


def _result_values(first: dt.date, c: Computed, stamp: dt.datetime) -> tuple[Any, ...]:
    r = c.result
    adjustment = sum(ln.amount for ln in r.lines if ln.event == rules.ADJUSTMENT)
    return (first, c.employee_id, c.opd_id, c.rule_set_id, c.base, r.gross, r.share, r.cuts, r.cuts_uncapped,
            r.no_tpp, r.sanction, adjustment, r.net, c.working_days, False, stamp)


def _stale(first: dt.date, open_opds: set[int] | None) -> QuerySet[Result]:
    stale = Result.objects.filter(month=first, closed=False)
    return stale.filter(opd_id__in=open_opds) if open_opds is not None else stale


def _write_orm(first: dt.date, open_opds: set[int] | None, results: list[Computed], stamp: dt.datetime) -> None:
    """Small runs (and SQLite): delete the open month's rows, bulk-insert the new ones."""
    stale = _stale(first, open_opds)
    Line.objects.filter(result__in=stale).delete()
    stale.delete()
    rows = [Result(**dict(zip(RESULT_COLUMNS, _result_values(first, c, stamp), strict=True))) for c in results]
    Result.objects.bulk_create(rows, batch_size=BATCH)
    Line.objects.bulk_create([
        Line(result_id=row.pk, date=ln.date, event=ln.event, pct=ln.pct, amount=ln.amount, note=ln.note[:100],
             of_month=ln.of_month) for row, c in zip(rows, results, strict=True) for ln in c.result.lines],
        batch_size=BATCH)


def _write_copy(first: dt.date, open_opds: set[int] | None, results: list[Computed], stamp: dt.datetime) -> None:
    """A regency on PostgreSQL: the same rows through two DELETEs and two COPYs (docs/architecture.md §6). The
    ORM's delete would load every row first (the audit app listens to deletions of every model), and its
    bulk INSERT spends most of its time compiling 300,000 rows of SQL; COPY streams them."""
    result_table, line_table = Result._meta.db_table, Line._meta.db_table
    where = "month = %s AND NOT closed" + (" AND opd_id = ANY(%s)" if open_opds is not None else "")
    params: list[Any] = [first] + ([sorted(open_opds)] if open_opds is not None else [])
    with connection.cursor() as cur:
        cur.execute(f"DELETE FROM {line_table} WHERE result_id IN (SELECT id FROM {result_table} WHERE {where})",
                    params)
        cur.execute(f"DELETE FROM {result_table} WHERE {where}", params)
        with cur.copy(f"COPY {result_table} ({', '.join(RESULT_COLUMNS)}) FROM STDIN") as copy:
            for c in results:
                copy.write_row(_result_values(first, c, stamp))
        cur.execute(f"SELECT employee_id, id FROM {result_table} WHERE month = %s AND computed_at = %s",
                    [first, stamp])
        ids = dict(cur.fetchall())
        with cur.copy(f"COPY {line_table} ({', '.join(LINE_COLUMNS)}) FROM STDIN") as copy:
            for c in results:
                result_id = ids[c.employee_id]
                for ln in c.result.lines:
                    copy.write_row((result_id, ln.date, ln.event, ln.pct, ln.amount, ln.note[:100], ln.of_month))

