"""Presence during the day ("stor wajah", Solok Selatan's hourly monitoring): roll calls at random times inside
working hours for the staff of units with a RollCallPolicy.

Who is asked: staff whose unit (or a unit above it) has an active policy, who checked in today (hadir, terlambat,
pulang cepat) and have not checked out — not those on dinas luar, leave or sick leave (their day is excused), not
holders of a field-work jabatan, and never outside working hours (privacy): the calls fall between 30 minutes after
the day's start and HADIR_ROLLCALL_WINDOW_HOURS after it, at times drawn once per employee and day from a seeded
random generator (so every run of the scheduler agrees and nobody can learn the pattern from the code).

How: the beat task `hadir.integrity.roll_calls` (every few minutes) creates the calls whose time has come (one
bulk insert) and tells each employee (inbox; Web Push when subscribed); native clients poll
`GET /api/integrity/rollcalls`. The employee answers within the policy's minutes with a position (and a selfie when
the policy asks, matched against the enrolled face later): in place = within the nearest work location's radius
plus the fix's accuracy (capped). Unanswered calls become `missed` after the deadline. The day's score — answered
in place / asked — is written to DailyStatus.roll_calls_asked/_ok, shown on the board ("away now") and in recaps.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections.abc import Iterable
from typing import Any

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hadir.errors import Conflict, NotFound, Unprocessable
from hadir.notify.services import notify
from hadir.org.models import Employee, employee_of
from hadir.presence import geo
from hadir.presence.models import DailyStatus, DayStatus
from hadir.presence.photos import clean_photo

from . import face
from .models import EnrolmentStatus, FaceEnrolment, FieldWorkPosition, RollCall, RollCallPolicy, RollCallStatus
from .tasks import judge

PRESENT = (DayStatus.HADIR, DayStatus.TERLAMBAT, DayStatus.PSW)
MAX_ACCURACY_ALLOWANCE_M = 100.0  # a fix's claimed accuracy widens the radius by at most this much
START_MARGIN = dt.timedelta(minutes=30)


def window_hours() -> float:
    return float(getattr(settings, "HADIR_ROLLCALL_WINDOW_HOURS", 7.0))


def planned_times(employee_id: int, day: dt.date, starts_at: dt.datetime, calls: int) -> list[dt.datetime]:
    """The day's roll-call instants for one employee: `calls` distinct random minutes in the window, sorted. Seeded
    by the employee, the day and SECRET_KEY: stable across runs, not guessable from the code."""
    seed = hashlib.sha256(f"{settings.SECRET_KEY}:{employee_id}:{day.isoformat()}".encode()).digest()
    rng = random.Random(seed)
    first = starts_at + START_MARGIN
    span = max(1, int(window_hours() * 60 - START_MARGIN.total_seconds() / 60 * 2))
    minutes = sorted(rng.sample(range(span), min(calls, span)))
    return [first + dt.timedelta(minutes=m) for m in minutes]


def _policies() -> list[tuple[str, RollCallPolicy]]:
    """Active policies by unit path, the deepest first (the nearest one above an employee applies)."""
    out = [(p.unit.path, p) for p in RollCallPolicy.objects.filter(active=True).select_related("unit")]
    return sorted(out, key=lambda item: -len(item[0]))


def _policy_for(path: str, policies: list[tuple[str, RollCallPolicy]]) -> RollCallPolicy | None:
    for p_path, policy in policies:
        if path == p_path or path.startswith(p_path + "."):
            return policy
    return None


def schedule(now: dt.datetime | None = None) -> int:
    """Create the roll calls whose time has come (today's, up to now) and tell the employees. Idempotent."""
    now = now or timezone.now()
    policies = _policies()
    if not policies:
        return 0
    days = {timezone.localdate(now, timezone=dt.timezone(dt.timedelta(hours=h))) for h in (7, 8, 9)}
    field = FieldWorkPosition.objects.values("position_id")
    q = Q()
    for p_path, _policy in policies:
        q |= Q(employee__unit__path=p_path) | Q(employee__unit__path__startswith=p_path + ".")
    present = (DailyStatus.objects.filter(q, date__in=days, status__in=PRESENT, last_out__isnull=True,
                                          starts_at__isnull=False, starts_at__lte=now, employee__is_active=True)
               .exclude(employee__position_id__in=field)
               .values_list("employee_id", "date", "starts_at", "employee__unit__path"))
    existing = set(RollCall.objects.filter(date__in=days).values_list("employee_id", "date", "seq"))
    new: list[RollCall] = []
    for emp_id, day, starts_at, path in present:
        policy = _policy_for(path, policies)
        if policy is None or starts_at is None:
            continue
        for seq, at in enumerate(planned_times(emp_id, day, starts_at, policy.calls_per_day), start=1):
            if at <= now and (emp_id, day, seq) not in existing and now - at < dt.timedelta(
                    minutes=policy.answer_minutes):
                new.append(RollCall(employee_id=emp_id, date=day, seq=seq, asked_at=at,
                                    deadline=at + dt.timedelta(minutes=policy.answer_minutes),
                                    selfie_required=policy.selfie_required))
    if not new:
        return 0
    created = RollCall.objects.bulk_create(new, ignore_conflicts=True)
    users = dict(Employee.objects.filter(pk__in={c.employee_id for c in new}, user__isnull=False)
                 .values_list("pk", "user"))
    accounts = get_user_model().objects.in_bulk(set(users.values()))
    for call in created:
        user = accounts.get(users.get(call.employee_id))
        if user is not None:
            notify(user, _("Panggilan kehadiran"), _(
                "Jawab sebelum %(time)s dengan lokasi Anda%(selfie)s.") % {
                "time": timezone.localtime(call.deadline).strftime("%H:%M"),
                "selfie": _(" dan swafoto") if call.selfie_required else ""},
                url=reverse("integrity:rollcall_app"), kind="rollcall",
                key=f"rollcall:{call.employee_id}:{call.date}:{call.seq}")
    refresh_scores((c.employee_id, c.date) for c in new)
    return len(new)


def expire(now: dt.datetime | None = None) -> int:
    """Unanswered calls past their deadline become missed."""
    now = now or timezone.now()
    late = list(RollCall.objects.filter(status=RollCallStatus.ASKED, deadline__lt=now)
                .values_list("pk", "employee_id", "date"))
    if not late:
        return 0
    RollCall.objects.filter(pk__in=[r[0] for r in late], status=RollCallStatus.ASKED).update(
        status=RollCallStatus.MISSED)
    refresh_scores((e, d) for _pk, e, d in late)
    return len(late)


def refresh_scores(pairs: Iterable[tuple[int, dt.date]]) -> None:
    """Write asked / answered-in-place to the employees' daily statuses (one UPDATE per date)."""
    by_date: dict[dt.date, set[int]] = {}
    for emp, day in pairs:
        by_date.setdefault(day, set()).add(emp)
    for day, emps in by_date.items():
        calls = RollCall.objects.filter(employee_id=OuterRef("employee_id"), date=day).order_by().values(
            "employee_id")
        asked = calls.annotate(n=Count("id")).values("n")
        ok = calls.filter(status=RollCallStatus.ANSWERED, in_place=True).annotate(n=Count("id")).values("n")
        DailyStatus.objects.filter(date=day, employee_id__in=emps).update(
            roll_calls_asked=Coalesce(Subquery(asked), 0), roll_calls_ok=Coalesce(Subquery(ok), 0))


def pending_for(user: Any) -> list[RollCall]:
    emp = employee_of(user)
    if emp is None:
        return []
    return list(RollCall.objects.filter(employee=emp, status=RollCallStatus.ASKED,
                                        deadline__gte=timezone.now()).order_by("asked_at"))


def answer(user: Any, call_id: int, latitude: float, longitude: float, accuracy_m: float | None,
           photo: Any = None) -> RollCall:
    """The employee's answer: refused (nothing written) when it is not theirs (404), already answered or past the
    deadline (409), or without the selfie the policy asks for (422)."""
    emp = employee_of(user)
    call = RollCall.objects.filter(pk=call_id, employee=emp).first() if emp is not None else None
    if call is None:
        raise NotFound(_("Panggilan kehadiran tidak ditemukan."), code="not_found")
    now = timezone.now()
    if call.status != RollCallStatus.ASKED:
        raise Conflict(_("Panggilan ini sudah dijawab atau sudah lewat."), code="closed")
    if now > call.deadline:
        raise Conflict(_("Batas waktu menjawab sudah lewat (%(time)s).") % {
            "time": timezone.localtime(call.deadline).strftime("%H:%M")}, code="too_late")
    if call.selfie_required and photo is None:
        raise Unprocessable(_("Panggilan ini meminta swafoto."), field="photo", code="photo_required")
    content = clean_photo(photo) if photo is not None else None
    places = [geo.Place(loc.pk, loc.latitude, loc.longitude, loc.radius_m) for loc in
              emp.locations.filter(is_active=True)] if emp is not None else []
    found = geo.nearest(latitude, longitude, places)
    distance = found[1] if found else None
    allowance = min(accuracy_m or 0.0, MAX_ACCURACY_ALLOWANCE_M)
    in_place = found is not None and found[1] <= found[0].radius_m + allowance
    with transaction.atomic():
        locked = RollCall.objects.select_for_update().get(pk=call.pk)
        if locked.status != RollCallStatus.ASKED:
            raise Conflict(_("Panggilan ini sudah dijawab atau sudah lewat."), code="closed")
        locked.status, locked.answered_at = RollCallStatus.ANSWERED, now
        locked.latitude, locked.longitude, locked.accuracy_m = latitude, longitude, accuracy_m
        locked.distance_m, locked.in_place = distance, in_place
        if content is not None:
            locked.photo.save(content.name or "swafoto.jpg", content, save=False)
        locked.save()
        refresh_scores([(locked.employee_id, locked.date)])
    if content is not None:
        transaction.on_commit(lambda: verify_roll_call_selfie.delay(locked.pk))
    return locked


@shared_task(name="hadir.integrity.verify_roll_call_selfie", ignore_result=True)
def verify_roll_call_selfie(call_id: int) -> None:
    """The roll call's selfie against the enrolled face (as for check-ins): the flag is kept on the call; a face
    that is not the employee's does not count as answered in place."""
    call = RollCall.objects.filter(pk=call_id).first()
    if call is None or not call.photo:
        return
    enrolment = FaceEnrolment.objects.filter(employee_id=call.employee_id, status=EnrolmentStatus.APPROVED).first()
    if enrolment is None:
        RollCall.objects.filter(pk=call_id).update(face_flag="not_enrolled")
        return
    with call.photo.open("rb") as f:
        flag, _faces, _distance = judge(f.read(), enrolment.embedding, face.threshold())
    RollCall.objects.filter(pk=call_id).update(face_flag=str(flag))
    if flag:
        RollCall.objects.filter(pk=call_id).update(in_place=False)
        refresh_scores([(call.employee_id, call.date)])


def away_now(employee_ids: Any, now: dt.datetime | None = None, hours: int = 2) -> list[RollCall]:
    """The latest roll calls (within `hours`) missed or answered away from the workplace, one per employee."""
    now = now or timezone.now()
    calls = (RollCall.objects.filter(employee_id__in=employee_ids, asked_at__gte=now - dt.timedelta(hours=hours))
             .filter(Q(status=RollCallStatus.MISSED) | Q(status=RollCallStatus.ANSWERED, in_place=False))
             .select_related("employee__unit").order_by("employee_id", "-asked_at"))
    seen: set[int] = set()
    out = []
    for c in calls:
        if c.employee_id not in seen:
            seen.add(c.employee_id)
            out.append(c)
    return out


def purge(now: dt.datetime | None = None) -> int:
    """Roll calls follow the location retention (HADIR_PING_RETENTION_DAYS): positions and selfies are personal."""
    cutoff = (now or timezone.now()).date() - dt.timedelta(days=int(getattr(settings, "HADIR_PING_RETENTION_DAYS",
                                                                            30)))
    old = RollCall.objects.filter(date__lt=cutoff)
    for call in old.exclude(photo="").exclude(photo__isnull=True):
        call.photo.delete(save=False)
    n, _detail = old.delete()
    return n


@shared_task(name="hadir.integrity.roll_calls", ignore_result=True)
def roll_calls_task() -> dict[str, int]:
    return {"asked": schedule(), "missed": expire()}


@shared_task(name="hadir.integrity.purge_roll_calls", ignore_result=True)
def purge_task() -> int:
    return purge()
