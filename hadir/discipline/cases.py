"""PP 94/2021 cases: opened (and kept in step) from the year's absence summaries, carried through their states by
the authority of their level, and read by the TPP engine as active sanctions (hadir.discipline.sanctions).

    refresh_cases(day)   the daily job: open a case when a threshold is crossed (raise a still-proposed one when a
                         higher one is), dismiss or lower a proposed case the facts no longer support (a leave
                         approved late), warn the employee and their atasan one day before a threshold
    summon / examine / decide / dismiss / annul    the transitions, in order, audited, by the case's authority
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from hadir.audit.services import record
from hadir.errors import Conflict, InvalidRequest, NotAllowed, NotFound
from hadir.notify.services import notify
from hadir.org.models import Employee, Role, RoleAssignment, employee_of
from hadir.org.scoping import board_scope, is_bkpsdm
from hadir.presence.models import DailyStatus, DayStatus

from . import ledger
from .models import OPEN_STATES, Authority, Case, CaseState, Ledger
from .rules import DISMISSAL, DISMISSAL_CONSECUTIVE_DAYS, SANCTIONS, AbsenceSummary, Sanction, discipline_kinds

BY_CODE = {s.code: s for s in SANCTIONS}
TUKIN_MONTHS = {"11-13": 6, "14-16": 9, "17-20": 12}  # Pasal 8 ayat (3): pemotongan tukin 25 % for 6/9/12 months
FIELDS = ["state", "threshold", "level", "summons_number", "hearing_date", "decided_sanction", "decision_number",
          "decision_date", "sanction_start", "closing_reason"]


def rank(code: str) -> int:
    return [s.code for s in SANCTIONS].index(code) if code in BY_CODE else -1


def options(level: str) -> list[Sanction]:
    """The sanctions an authority may decide for a case of `level` (PP 94/2021 Pasal 8: by level)."""
    return [s for s in SANCTIONS if s.level == level]


def authority_for(level: str) -> str:
    return Authority.ATASAN if level == "ringan" else Authority.PPK


def _snapshot(case: Case) -> dict[str, Any]:
    return {f: (v.isoformat() if isinstance(v := getattr(case, f), dt.date) else v) for f in FIELDS}


def _atasan(employee: Employee) -> list[Any]:
    """The users of the employee's atasan langsung (holders of the parent position)."""
    parent_id = employee.position.parent_id if employee.position is not None else None
    if parent_id is None:
        return []
    return [e.user for e in Employee.objects.filter(position_id=parent_id, is_active=True, user__isnull=False)
            .select_related("user")]


def _bkpsdm_users() -> list[Any]:
    ids = RoleAssignment.objects.filter(role=Role.ADMIN_BKPSDM, unit__parent__isnull=True).values_list("user_id",
                                                                                                      flat=True)
    return list(get_user_model().objects.filter(pk__in=ids, is_active=True))


def _reason(summary: AbsenceSummary, sanction: Sanction) -> str:
    if sanction is DISMISSAL and summary.longest_streak >= DISMISSAL_CONSECUTIVE_DAYS and summary.total_tk < 28:
        return _("%(n)d hari kerja berturut-turut tanpa keterangan (PP 94/2021 Pasal 11 ayat (2) huruf d)") % {
            "n": summary.longest_streak}
    return _("%(n)d hari kerja tanpa keterangan dalam setahun (PP 94/2021 Pasal 11 ayat (2))") % {
        "n": summary.total_tk}


# --- the daily job ------------------------------------------------------------------------------------------------


def refresh_cases(day: dt.date | None = None) -> dict[str, int]:
    """Bring the year's cases in step with the absence summaries up to and including `day` (default today)."""
    day = day or timezone.localdate()
    first = dt.date(day.year, 1, 1)
    ledger.rebuild(day.year, until=day)
    rows = {r.employee_id: r for r in Ledger.objects.filter(year=day.year).filter(
        Q(counted_days__gte=2) | Q(current_run__gte=1))}
    proposed = {c.employee_id: c for c in Case.objects.filter(year=day.year, state=CaseState.PROPOSED)}
    ids = sorted(set(rows) | set(proposed))
    dates: dict[int, list[dt.date]] = defaultdict(list)
    for emp_id, date in DailyStatus.objects.filter(employee_id__in=ids, date__gte=first, date__lte=day,
                                                   status=DayStatus.TK).order_by("date").values_list("employee_id",
                                                                                                     "date"):
        dates[emp_id].append(date)
    covered = set(Employee.objects.filter(pk__in=ids, kind__in=sorted(discipline_kinds())).values_list("pk", flat=True))
    summaries = {emp_id: _summary(rows.get(emp_id), dates[emp_id], emp_id in covered) for emp_id in ids}
    standing: dict[int, int] = {}  # employee → highest rank of a case past its proposal (summoned … decided)
    for emp_id, threshold in Case.objects.filter(year=day.year, employee_id__in=ids).exclude(
            state__in=[CaseState.PROPOSED, CaseState.DISMISSED, CaseState.ANNULLED]).values_list(
            "employee_id", "threshold"):
        standing[emp_id] = max(standing.get(emp_id, -1), rank(threshold))
    employees = {e.pk: e for e in Employee.objects.filter(pk__in=ids).select_related("position", "user", "unit")}
    counts = {"opened": 0, "raised": 0, "lowered": 0, "dismissed": 0, "warned": 0}
    for emp_id in ids:
        summary = summaries[emp_id]
        sanction = summary.sanction
        emp = employees[emp_id]
        case = proposed.get(emp_id)
        level = rank(sanction.code) if sanction is not None else -1
        if case is not None:
            if sanction is None or level <= standing.get(emp_id, -1):
                _close(case, None, CaseState.DISMISSED, _("Ambang tidak lagi terpenuhi: ketidakhadiran berkurang "
                                                          "(izin/cuti/koreksi disetujui kemudian)."))
                counts["dismissed"] += 1
            elif level < rank(case.threshold):
                _set_threshold(case, summary, sanction, "discipline.case_lower")
                counts["lowered"] += 1
            elif level > rank(case.threshold):
                _set_threshold(case, summary, sanction, "discipline.case_raise")
                counts["raised"] += 1
                _tell_crossed(emp, case)
        elif sanction is not None and level > standing.get(emp_id, -1):
            case = _open(emp, day.year, summary, sanction)
            counts["opened"] += 1
            _tell_crossed(emp, case)
        counts["warned"] += _warn(emp, summary, day.year)
    return counts


def _summary(row: Ledger | None, tk_dates: list[dt.date], covered: bool) -> AbsenceSummary:
    """The ledger row as the rules read it: the counted days (TK, invalid days, lateness days when enabled)."""
    if row is None:
        return AbsenceSummary(covered=covered)
    return AbsenceSummary(total_tk=row.counted_days, current_streak=row.current_run, longest_streak=row.longest_run,
                          longest_end=row.longest_end, tk_days=tk_dates, covered=covered)


def _open(emp: Employee, year: int, summary: AbsenceSummary, sanction: Sanction) -> Case:
    with transaction.atomic():
        case = Case.objects.create(
            employee=emp, year=year, threshold=sanction.code, level=sanction.level,
            authority=authority_for(sanction.level), reason=_reason(summary, sanction)[:200],
            tk_days=summary.total_tk, longest_run=summary.longest_streak,
            evidence=[d.isoformat() for d in summary.tk_days])
        record(None, "discipline.case_open", case, {}, _snapshot(case), case.reason)
    return case


def _set_threshold(case: Case, summary: AbsenceSummary, sanction: Sanction, action: str) -> None:
    before = _snapshot(case)
    with transaction.atomic():
        case.threshold, case.level = sanction.code, sanction.level
        case.authority = authority_for(sanction.level)
        case.reason = _reason(summary, sanction)[:200]
        case.tk_days, case.longest_run = summary.total_tk, summary.longest_streak
        case.evidence = [d.isoformat() for d in summary.tk_days]
        case.save()
        record(None, action, case, before, _snapshot(case), case.reason)


def _tell_crossed(emp: Employee, case: Case) -> None:
    name = BY_CODE[case.threshold].name
    subject = _("Ambang disiplin terlampaui: %(name)s") % {"name": emp.name}
    body = _("%(name)s: %(reason)s. Usulan hukuman: %(sanction)s. Kasus dibuka untuk %(authority)s.") % {
        "name": emp.name, "reason": case.reason, "sanction": name, "authority": case.get_authority_display()}
    users = ([emp.user] if emp.user else []) + _atasan(emp) + (_bkpsdm_users() if case.level != "ringan" else [])
    for user in {u.pk: u for u in users}.values():
        notify(user, subject, body, url=f"/disiplin/kasus/{case.pk}/", kind="warning",
               key=f"pp94-crossed:{case.employee_id}:{case.year}:{case.threshold}")


def _warn(emp: Employee, summary: AbsenceSummary, year: int) -> int:
    """Tell the employee and their atasan when the next threshold is one working day of TK away."""
    if not summary.covered:
        return 0
    nxt = next((s for s in SANCTIONS if s.min_days > summary.total_tk), None)
    warnings = []
    if nxt is not None and summary.total_tk == nxt.min_days - 1:
        warnings.append((nxt.code, _("Satu hari lagi tanpa keterangan mencapai %(days)s hari: %(sanction)s.") % {
            "days": nxt.min_days, "sanction": nxt.name}))
    if summary.current_streak == DISMISSAL_CONSECUTIVE_DAYS - 1:
        warnings.append(("run-10", _("Sudah %(n)d hari kerja berturut-turut tanpa keterangan; satu hari lagi: "
                                     "pemberhentian.") % {"n": summary.current_streak}))
    sent = 0
    for code, text in warnings:
        users = ([emp.user] if emp.user else []) + _atasan(emp)
        for user in {u.pk: u for u in users}.values():
            notify(user, _("Peringatan disiplin: %(name)s") % {"name": emp.name}, f"{emp.name}: {text}",
                   url="/disiplin/saya/" if user == emp.user else "/dasbor/ketidakhadiran/", kind="warning",
                   key=f"pp94-warn:{emp.pk}:{year}:{code}")
            sent += 1
    return sent


# --- who may see and act ------------------------------------------------------------------------------------------


def cases_for(user: Any) -> QuerySet[Case]:
    qs = Case.objects.select_related("employee__unit", "employee__position")
    scope = board_scope(user)
    if scope is not None:
        return qs.filter(scope.q("employee__unit__"))
    me = employee_of(user)
    return qs.filter(employee=me) if me is not None else qs.none()


def case_for(user: Any, case_id: int) -> Case:
    case = cases_for(user).filter(pk=case_id).first()
    if case is None:
        raise NotFound(_("Kasus tidak ditemukan."), code="not_found")
    return case


def may_act(user: Any, case: Case) -> bool:
    """BKPSDM for every case; the atasan langsung for the ringan cases of their staff."""
    if is_bkpsdm(user):
        return True
    if case.authority != Authority.ATASAN:
        return False
    me = employee_of(user)
    return bool(me and case.employee.position and me.position_id == case.employee.position.parent_id)


def _require(user: Any, case: Case, *states: str) -> None:
    if not may_act(user, case):
        raise NotAllowed(_("Kasus ini diputuskan oleh %(authority)s.") % {"authority": case.get_authority_display()},
                         code="forbidden")
    if case.state not in states:
        raise Conflict(_("Langkah ini tidak dapat dilakukan pada kasus berstatus %(state)s.") % {
            "state": case.get_state_display().lower()}, code="out_of_order")


def _save(user: Any, case: Case, before: dict[str, Any], action: str, reason: str = "") -> Case:
    with transaction.atomic():
        case.updated_by = user
        case.save()
        record(user, action, case, before, _snapshot(case), reason)
    return case


def summon(user: Any, case: Case, *, number: str, hearing_date: dt.date) -> Case:
    _require(user, case, CaseState.PROPOSED)
    if not number.strip():
        raise InvalidRequest(_("Isi nomor surat panggilan."), field="number")
    before = _snapshot(case)
    case.state, case.summons_number, case.hearing_date = CaseState.SUMMONED, number.strip()[:100], hearing_date
    case.summoned_at = timezone.now()
    return _save(user, case, before, "discipline.case_summon")


def examine(user: Any, case: Case, *, notes: str) -> Case:
    _require(user, case, CaseState.SUMMONED)
    if not notes.strip():
        raise InvalidRequest(_("Isi ringkasan berita acara pemeriksaan."), field="notes")
    before = _snapshot(case)
    case.state, case.examination_notes, case.examined_at = CaseState.EXAMINED, notes.strip()[:5000], timezone.now()
    return _save(user, case, before, "discipline.case_examine")


def decide(user: Any, case: Case, *, sanction: str, number: str, decision_date: dt.date, start: dt.date) -> Case:
    _require(user, case, CaseState.EXAMINED)
    allowed = [s.code for s in options(case.level)]
    if sanction not in allowed:
        raise InvalidRequest(_("Hukuman untuk kasus tingkat %(level)s harus salah satu dari: %(options)s.") % {
            "level": case.level, "options": ", ".join(f"{s.code} ({s.name})" for s in options(case.level))},
            field="sanction", code="sanction_out_of_level")
    if not number.strip():
        raise InvalidRequest(_("Isi nomor keputusan."), field="number")
    if start < decision_date:
        raise InvalidRequest(_("Hukuman tidak dapat berlaku sebelum tanggal keputusan."), field="start")
    before = _snapshot(case)
    case.state, case.decided_sanction = CaseState.DECIDED, sanction
    case.decision_number, case.decision_date, case.sanction_start = number.strip()[:100], decision_date, start
    case.decided_at = timezone.now()
    return _save(user, case, before, "discipline.case_decide")


def dismiss(user: Any, case: Case, *, reason: str) -> Case:
    _require(user, case, *OPEN_STATES)
    return _close(case, user, CaseState.DISMISSED, reason)


def annul(user: Any, case: Case, *, reason: str) -> Case:
    """A decided case is never edited: a new logged decision annuls it (e.g. on appeal)."""
    _require(user, case, CaseState.DECIDED)
    return _close(case, user, CaseState.ANNULLED, reason)


def _close(case: Case, user: Any, state: str, reason: str) -> Case:
    if not reason.strip():
        raise InvalidRequest(_("Tuliskan alasannya."), field="reason")
    before = _snapshot(case)
    case.state, case.closing_reason, case.closed_at = state, reason.strip()[:300], timezone.now()
    return _save(user, case, before, f"discipline.case_{'dismiss' if state == CaseState.DISMISSED else 'annul'}",
                 reason)


# --- effects ------------------------------------------------------------------------------------------------------


def add_months(day: dt.date, months: int) -> dt.date:
    y, m = divmod(day.month - 1 + months, 12)
    return dt.date(day.year + y, m + 1, min(day.day, 28))


def decided_tukin_cuts(first: dt.date, last: dt.date, employee_ids: Iterable[int] | None) -> dict[int, int]:
    """employee → 25 for those with a decided tukin sanction covering part of [first, last]."""
    qs = Case.objects.filter(state=CaseState.DECIDED, decided_sanction__in=list(TUKIN_MONTHS),
                             sanction_start__lte=last)
    if employee_ids is not None:
        qs = qs.filter(employee_id__in=list(employee_ids))
    out: dict[int, int] = {}
    for emp_id, code, start in qs.values_list("employee_id", "decided_sanction", "sanction_start"):
        if start is not None and add_months(start, TUKIN_MONTHS[code]) > first:
            out[emp_id] = 25
    return out


def open_dismissals(user: Any) -> QuerySet[Case]:
    """Dismissal proposals not yet decided, for the BKPSDM board."""
    return cases_for(user).filter(Q(threshold=DISMISSAL.code), state__in=OPEN_STATES)
