"""Scheduled recaps: every Monday the previous week's recap goes to each OPD head, on the 1st the previous month's
to the heads and to BKPSDM — in the inbox, and by e-mail with the Excel workbook attached (docs/reports-schedule.md).

This module decides who gets which period and writes the inbox notifications (one per recipient and period, keyed,
so a rerun sends nothing twice); hadir.notify delivers them. The workbook is not stored: the e-mail channel asks
`attachments` for it when it sends (`notify.channels.ATTACHMENT_SOURCES`, registered in apps.py), and it is made
by `excel.workbook` from the period and the OPD written in the notification's key — the same figures as the API.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone, translation

from hadir.approvals.models import Delegation
from hadir.files import bulan, tanggal
from hadir.notify.models import Notification, NotificationKind
from hadir.notify.services import notify
from hadir.org.models import Employee, Role, RoleAssignment, Unit
from hadir.presence.models import DailyStatus
from hadir.presence.rates import RATE_ATTENDED, attendance_rate, not_attended_q

from . import excel
from .recap import COUNTS

log = logging.getLogger(__name__)

WEEKLY, MONTHLY = "weekly", "monthly"
RECIPIENT_KINDS = {"heads", "bkpsdm"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
KEY_PREFIX = "recap"
ALL = "all"  # the key's OPD part for the regency's workbook


def previous_week(today: dt.date) -> tuple[dt.date, dt.date]:
    """The last whole Monday–Sunday week before `today`'s week."""
    monday = today - dt.timedelta(days=today.weekday())
    return monday - dt.timedelta(days=7), monday - dt.timedelta(days=1)


def previous_month(today: dt.date) -> tuple[dt.date, dt.date]:
    last = today.replace(day=1) - dt.timedelta(days=1)
    return last.replace(day=1), last


def is_enabled(period: str) -> bool:
    return bool(settings.HADIR_RECAP_WEEKLY if period == WEEKLY else settings.HADIR_RECAP_MONTHLY)


def recipient_kinds(period: str) -> set[str]:
    """Who gets this period's recap (settings HADIR_RECAP_WEEKLY_TO / HADIR_RECAP_MONTHLY_TO)."""
    names = settings.HADIR_RECAP_WEEKLY_TO if period == WEEKLY else settings.HADIR_RECAP_MONTHLY_TO
    wanted = {str(n).strip().lower() for n in names if str(n).strip()}
    unknown = wanted - RECIPIENT_KINDS
    if unknown:
        log.warning("reports: unknown recap recipients %s ignored (known: heads, bkpsdm)", sorted(unknown))
    return wanted & RECIPIENT_KINDS


def recap_key(opd_id: int | None, start: dt.date, end: dt.date) -> str:
    """The notification key: one recap per (recipient, OPD or the regency, period)."""
    return f"{KEY_PREFIX}:{opd_id or ALL}:{start.isoformat()}:{end.isoformat()}"


def parse_key(key: str) -> tuple[int | None, dt.date, dt.date]:
    prefix, opd, start, end = key.split(":")
    if prefix != KEY_PREFIX:
        raise ValueError(key)
    return (None if opd == ALL else int(opd)), dt.date.fromisoformat(start), dt.date.fromisoformat(end)


def employees_in(opd_id: int | None, start: dt.date, end: dt.date) -> QuerySet[Employee]:
    """The staff of an OPD (None: of the regency) active at some point of [start, end]."""
    qs = Employee.objects.active_between(start, end)
    return qs if opd_id is None else qs.filter(unit__opd_id=opd_id)


def heads_by_opd(opd_ids: list[int], on: dt.date) -> dict[int, dict[int, Any]]:
    """OPD id → {user id: user}: who holds the OPD's head position, and its Plt/Plh on `on` (two queries)."""
    out: dict[int, dict[int, Any]] = defaultdict(dict)
    holders = Employee.objects.filter(
        is_active=True, user__is_active=True, position__is_head=True, position__unit_id__in=opd_ids,
    ).select_related("user", "position")
    for emp in holders:
        assert emp.position is not None and emp.user_id is not None
        out[emp.position.unit_id][emp.user_id] = emp.user
    acting = Delegation.objects.filter(
        position__is_head=True, position__unit_id__in=opd_ids, start_date__lte=on, end_date__gte=on,
        delegate__is_active=True, delegate__user__is_active=True,
    ).select_related("position", "delegate__user")
    for d in acting:
        assert d.delegate.user_id is not None
        out[d.position.unit_id][d.delegate.user_id] = d.delegate.user
    return out


def bkpsdm_users() -> list[Any]:
    """Regency-wide BKPSDM admins (assigned to the Pemda root), as `scoping.is_bkpsdm` counts them."""
    seen: dict[int, Any] = {}
    for ra in RoleAssignment.objects.filter(role=Role.ADMIN_BKPSDM, unit__parent__isnull=True,
                                            user__is_active=True).select_related("user"):
        seen[ra.user_id] = ra.user
    return list(seen.values())


@dataclass
class Summary:
    employees: int = 0
    hadir: int = 0
    terlambat: int = 0
    tk: int = 0
    excused: int = 0
    dl: int = 0
    attended: int = 0
    not_attended: int = 0

    @property
    def rate(self) -> float | None:
        return attendance_rate(self.attended, self.not_attended)


def summaries(opd_ids: list[int], start: dt.date, end: dt.date) -> dict[int, Summary]:
    """Headline figures per OPD over [start, end]: one GROUP BY over the daily statuses, one over the staff."""
    now = timezone.now()
    employees = employees_in(None, start, end).filter(unit__opd_id__in=opd_ids)
    out = {pk: Summary() for pk in opd_ids}
    for opd_id, n in employees.values_list("unit__opd_id").annotate(n=Count("pk")).order_by():
        out[opd_id].employees = n
    rows = (DailyStatus.objects.filter(date__gte=start, date__lte=end, employee__in=employees)
            .values("employee__unit__opd_id").order_by()
            .annotate(hadir=Count("pk", filter=COUNTS["hadir"]), terlambat=Count("pk", filter=COUNTS["terlambat"]),
                      tk=Count("pk", filter=COUNTS["tk"]),
                      excused=Count("pk", filter=COUNTS["izin"] | COUNTS["sakit"] | COUNTS["cuti"]),
                      dl=Count("pk", filter=COUNTS["dl"]), attended=Count("pk", filter=Q(status__in=RATE_ATTENDED)),
                      not_attended=Count("pk", filter=not_attended_q(now))))
    for r in rows:
        s = out[int(r["employee__unit__opd_id"] or 0)]
        for name in ("hadir", "terlambat", "tk", "excused", "dl", "attended", "not_attended"):
            setattr(s, name, r[name])  # type: ignore[literal-required]
    return out


def total(parts: list[Summary]) -> Summary:
    whole = Summary()
    for name in Summary.__dataclass_fields__:
        setattr(whole, name, sum(getattr(p, name) for p in parts))
    return whole


def _subject(period: str, who: str, start: dt.date, end: dt.date) -> str:
    if period == MONTHLY:
        return f"Rekap kehadiran bulanan {who} — {bulan(start)}"
    return f"Rekap kehadiran mingguan {who} — {tanggal(start)} s.d. {tanggal(end)}"


def _body(who: str, start: dt.date, end: dt.date, s: Summary) -> str:
    rate = "—" if s.rate is None else f"{s.rate:.2f}".replace(".", ",") + " %"
    return "\n".join([
        f"Rekap kehadiran {who}, {tanggal(start)} s.d. {tanggal(end)}.",
        "",
        f"Pegawai: {s.employees}",
        f"Tingkat kehadiran: {rate}",
        f"Hari hadir tepat waktu: {s.hadir} · terlambat: {s.terlambat} · dinas luar: {s.dl}",
        f"Hari tanpa keterangan (TK): {s.tk} · izin/sakit/cuti: {s.excused}",
        "",
        "Rincian per pegawai (dengan kisi harian bila sebulan penuh) ada pada lampiran Excel surel ini dan "
        "dapat diunduh lewat tautan.",
        "",
        "Pesan ini dikirim otomatis oleh Hadir.",
        ])


def _url(opd_id: int | None, start: dt.date, end: dt.date) -> str:
    url = f"/api/reports/recap.xlsx?start={start.isoformat()}&end={end.isoformat()}"
    return url + (f"&opd_id={opd_id}" if opd_id else "")


def send_recaps(period: str, today: dt.date) -> int:
    """Send the recap of the period before `today` (WEEKLY: the previous Monday–Sunday; MONTHLY: the previous
    month) to the configured recipients; returns how many notifications were new. Idempotent: a rerun (the same
    day or any day of the same period) finds the keyed notifications and sends nothing again."""
    if not is_enabled(period):
        log.info("reports: the %s recap is switched off (%s)", period,
                 "HADIR_RECAP_WEEKLY" if period == WEEKLY else "HADIR_RECAP_MONTHLY")
        return 0
    start, end = previous_week(today) if period == WEEKLY else previous_month(today)
    kinds = recipient_kinds(period)
    opds = list(Unit.objects.filter(is_active=True, opd_id=F("pk")).order_by("path"))
    figures = summaries([u.pk for u in opds], start, end)
    # (recipient, OPD id or None for the regency, who-label)
    wanted: list[tuple[Any, int | None, str, Summary]] = []
    if "heads" in kinds:
        heads = heads_by_opd([u.pk for u in opds], today)
        for opd in opds:
            users = heads.get(opd.pk)
            if not users:
                log.warning("reports: %s has no head (nor Plt/Plh) on %s; its %s recap is not sent", opd.name,
                            today, period)
                continue
            wanted += [(user, opd.pk, opd.name, figures[opd.pk]) for user in users.values()]
    if "bkpsdm" in kinds:
        regency = total(list(figures.values()))
        wanted += [(user, None, str(settings.HADIR_INSTANSI), regency) for user in bkpsdm_users()]
    keys = {recap_key(opd_id, start, end) for _u, opd_id, _w, _s in wanted}
    done = set(Notification.objects.filter(key__in=keys).values_list("user_id", "key"))
    sent = 0
    for user, opd_id, who, summary in wanted:
        key = recap_key(opd_id, start, end)
        if (user.pk, key) in done:
            continue
        notify(user, _subject(period, who, start, end), _body(who, start, end, summary), _url(opd_id, start, end),
               kind=NotificationKind.RECAP, key=key)
        done.add((user.pk, key))
        sent += 1
    return sent


def attachments(notification: Notification) -> list[tuple[str, bytes, str]]:
    """The e-mail attachment of a recap notification: the workbook of its OPD (or the regency) and period."""
    try:
        opd_id, start, end = parse_key(notification.key)
    except ValueError:
        return []
    opd = Unit.objects.filter(pk=opd_id).values_list("code", flat=True).first() if opd_id else None
    label = "".join(ch if ch.isalnum() else "-" for ch in (opd or "kabupaten").lower())
    name = f"rekap-{label}-{start:%Y%m%d}-{end:%Y%m%d}.xlsx"
    with translation.override("id"):
        data = excel.workbook(employees_in(opd_id, start, end), start, end)
    return [(name, data, XLSX)]
