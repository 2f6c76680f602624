"""The daily absence digest: each OPD head and operator learns which of their staff are absent today.

"Absent" = on a working day, no valid check-in and no excuse: DailyStatus "belum" or "tk", or no
DailyStatus row at all on a weekday that is not a national holiday (the daily computation may not
have reached everyone yet). Libur, cuti, izin, sakit and dinas luar are not listed.

This module computes the digest; hadir.notify.services.notify delivers it (inbox, e-mail).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import holidays
from django.db.models import F, Q
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone, translation

from hadir.notify.models import Notification, NotificationKind
from hadir.notify.services import notify
from hadir.org.models import Employee, Role, RoleAssignment, Unit
from hadir.presence import outbox
from hadir.presence.models import DailyStatus, DayStatus
from hadir.presence.rates import not_started_q

from .absences import year_summaries

ABSENT_STATUSES = {DayStatus.BELUM, DayStatus.TK}


@dataclass
class AbsentToday:
    id: int
    name: str
    nip: str
    unit: str
    status: str  # "belum" | "tk"
    streak: int = 0  # consecutive working days of TK up to the day before (PP 94/2021 watch)
    year_tk: int = 0  # TK working days so far this year
    pp94: bool = True  # PP 94/2021 covers this employee's kind (HADIR_DISCIPLINE_KINDS)


@dataclass
class OpdDigest:
    opd: Unit
    day: dt.date
    absent: list[AbsentToday] = field(default_factory=list)
    recipients: list[Any] = field(default_factory=list)

    @property
    def key(self) -> str:
        """The notification key that makes the digest idempotent per (user, OPD, day)."""
        return f"digest:{self.opd.pk}:{self.day.isoformat()}"

    @property
    def subject(self) -> str:
        with translation.override("id"):
            return f"Ketidakhadiran {self.opd.name} — {formats.date_format(self.day, 'j F Y')}"

    def body(self) -> str:
        with translation.override("id"):
            day = formats.date_format(self.day, "l, j F Y")
        lines = [f"Rekap ketidakhadiran {self.opd.name}, {day}.", ""]
        groups = [
            ("Belum presensi", [a for a in self.absent if a.status == DayStatus.BELUM]),
            ("Tanpa keterangan (TK)", [a for a in self.absent if a.status == DayStatus.TK]),
        ]
        for title, rows in groups:
            if not rows:
                continue
            lines.append(f"{title} ({len(rows)} orang):")
            for a in rows:
                nip = f", NIP {a.nip}" if a.nip else ""
                lines.append(f"- {a.name}{nip} — {a.unit}")
            lines.append("")
        watch = [a for a in self.absent if a.pp94 and (a.streak >= 3 or a.year_tk >= 3)]
        if watch:
            lines.append("Perhatian (PP 94/2021):")
            for a in sorted(watch, key=lambda a: (-a.streak, -a.year_tk, a.name)):
                note = f"{a.streak} hari kerja berturut-turut tanpa keterangan" if a.streak >= 3 else ""
                risk = " — RISIKO PEMBERHENTIAN" if a.streak >= 10 or a.year_tk >= 28 else ""
                total = f"{a.year_tk} hari TK tahun ini"
                lines.append(f"- {a.name}: {note + '; ' if note else ''}{total}{risk}")
            lines.append("")
        lines.append("Pesan ini dikirim otomatis oleh Hadir.")
        return "\n".join(lines)

    def url(self) -> str:
        """The dashboard's list of the OPD's absentees that day (by URL name: discipline does not import web)."""
        try:
            return reverse("web:board") + f"?opd={self.opd.pk}&status=absen&tanggal={self.day.isoformat()}"
        except NoReverseMatch:
            return ""


def is_probable_working_day(day: dt.date) -> bool:
    """Weekday and not a national holiday: used only for employees without a computed status row."""
    return day.weekday() < 5 and day not in holidays.country_holidays("ID", years=day.year)


def recipients_by_opd(opd_ids: list[int]) -> dict[int, list[Any]]:
    """OPD id → active users to receive its digest: the OPD head(s) and the OPD's operators."""
    out: dict[int, dict[int, Any]] = defaultdict(dict)
    heads = Employee.objects.filter(
        is_active=True, user__is_active=True, position__is_head=True, position__unit_id__in=opd_ids,
    ).select_related("user", "position")
    for emp in heads:
        assert emp.user is not None and emp.position is not None
        out[emp.position.unit_id][emp.user.pk] = emp.user
    ops = RoleAssignment.objects.filter(
        role=Role.OPERATOR_OPD, user__is_active=True, unit__opd_id__in=opd_ids
    ).select_related("user", "unit")
    for ra in ops:
        assert ra.unit is not None and ra.unit.opd_id is not None
        out[ra.unit.opd_id][ra.user.pk] = ra.user
    return {k: list(v.values()) for k, v in out.items()}


def build_digests(day: dt.date, opd_ids: list[int] | None = None) -> list[OpdDigest]:
    opds = Unit.objects.filter(is_active=True, opd_id=F("pk")).order_by("path")
    if opd_ids is not None:
        opds = opds.filter(pk__in=opd_ids)
    opd_list = list(opds)
    digests = {u.pk: OpdDigest(opd=u, day=day) for u in opd_list}
    if not digests:
        return []
    guess_working = is_probable_working_day(day)
    rows = (
        Employee.objects.active_on(day)
        .filter(unit__opd_id__in=list(digests))
        .values("id", "name", "nip", "unit__name", "unit__opd_id", "unit__path")
        .order_by("unit__path", "name")
    )
    statuses = dict(
        DailyStatus.objects.filter(date=day, employee__unit__opd_id__in=list(digests))
        .filter(Q(is_working_day=True) | ~Q(status__in=ABSENT_STATUSES))
        .exclude(not_started_q(timezone.now()))  # a shift that starts later today: not absent (yet)
        .values_list("employee_id", "status")
    )
    has_row = set(
        DailyStatus.objects.filter(date=day, employee__unit__opd_id__in=list(digests)).values_list(
            "employee_id", flat=True
        )
    )
    for r in rows:
        status = statuses.get(r["id"])
        if status is None:
            if r["id"] in has_row or not guess_working:
                continue
            status = DayStatus.BELUM
        if status in ABSENT_STATUSES:
            digests[r["unit__opd_id"] or 0].absent.append(
                AbsentToday(r["id"], r["name"], r["nip"] or "", r["unit__name"], status)
            )
    _add_streaks([a for d in digests.values() for a in d.absent], day)
    who = recipients_by_opd(list(digests))
    for opd_id, d in digests.items():
        d.recipients = who.get(opd_id, [])
    return [d for d in digests.values() if d.absent]


def _add_streaks(absent: list[AbsentToday], day: dt.date) -> None:
    """Fill each absent employee's TK streak and year count from the closed days before `day`."""
    summaries = year_summaries([a.id for a in absent], day)
    for a in absent:
        summary = summaries[a.id]
        a.streak, a.year_tk, a.pp94 = summary.current_streak, summary.total_tk, summary.covered


def send_daily_digest(day: dt.date, *, refresh: bool = True) -> int:
    """Send each OPD's digest to its head(s) and operators; returns how many notifications were new.

    `refresh` first brings `day`'s daily statuses up to date. Idempotent per (user, OPD, day): running
    it twice sends nothing twice.
    """
    if refresh:  # through the one refresh path: the day marked stale for everyone, then drained
        outbox.mark_dates([day], "digest")
        outbox.drain()
    sent = 0
    for d in build_digests(day):
        for user in d.recipients:
            if Notification.objects.filter(user=user, key=d.key).exists():
                continue
            notify(user, d.subject, d.body(), d.url(), kind=NotificationKind.DIGEST, key=d.key)
            sent += 1
    return sent
