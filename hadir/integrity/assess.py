"""The follow-up assessment of new check-ins, off the request path: the signals that need history (a precise
position replayed on another day, an accuracy that never changes, one account on two far-apart devices at once, an
offline capture held back while its device was online). Run by the Celery task `hadir.integrity.assess` that the
presence outbox's `checkins_recorded` signal queues after each drained batch (hadir/integrity/apps.py).

New flags are merged into `CheckIn.fraud_flags` (never removing any), and a check-in that is newly flagged goes
through the approval policy again so it reaches the atasan's queue with its reason — a flag never rejects on its
own. Set-based: a fixed number of queries per batch, whatever its size. Idempotent (a rerun adds nothing)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from celery import shared_task
from django.db import transaction

from hadir.approvals.services import open_checkin_items
from hadir.presence import fraud
from hadir.presence.models import CheckIn, CheckInSource, Verdict

HISTORY_DAYS = 30

_FIELDS = ("id", "employee_id", "local_date", "latitude", "longitude", "accuracy_m", "device_id", "source",
           "occurred_at", "received_at", "client_time", "kind", "verdict", "fraud_flags")


def _history(employee_ids: set[int], start: dt.date, end: dt.date) -> dict[int, list[CheckIn]]:
    """The employees' check-ins (and pings) over [start, end], newest first."""
    rows = (CheckIn.objects.filter(employee_id__in=employee_ids, local_date__gte=start, local_date__lte=end)
            .only(*_FIELDS).order_by("-occurred_at", "-id"))
    out: dict[int, list[CheckIn]] = defaultdict(list)
    for r in rows:
        out[r.employee_id].append(r)
    return out


def _online_contacts(devices: set[str], start: dt.datetime, end: dt.datetime) -> dict[str, list[dt.datetime]]:
    """When each device sent something live (an online check-in or ping), received between start and end."""
    out: dict[str, list[dt.datetime]] = defaultdict(list)
    if not devices:
        return out
    for device, at in CheckIn.objects.filter(device_id__in=devices, source=CheckInSource.MOBILE,
                                             received_at__gte=start, received_at__lte=end).values_list(
            "device_id", "received_at"):
        out[device].append(at)
    return out


def history_flags(checkins: list[CheckIn]) -> dict[int, list[str]]:
    """check-in id → the history signals it raises (possibly empty)."""
    with_position = [c for c in checkins if c.latitude is not None and c.longitude is not None]
    if not checkins:
        return {}
    start = min(c.local_date for c in checkins) - dt.timedelta(days=HISTORY_DAYS)
    end = max(c.local_date for c in checkins) + dt.timedelta(days=1)
    history = _history({c.employee_id for c in with_position}, start, end) if with_position else {}
    offline = [c for c in checkins if c.source == CheckInSource.OFFLINE and c.device_id]
    contacts = _online_contacts({c.device_id for c in offline},
                                min((c.client_time or c.occurred_at) for c in offline),
                                max(c.received_at for c in offline)) if offline else {}
    out: dict[int, list[str]] = {}
    for c in checkins:
        flags: list[str] = []
        if c.latitude is not None and c.longitude is not None:
            mine = history.get(c.employee_id, [])
            earlier = [h for h in mine if h.occurred_at < c.occurred_at and h.pk != c.pk]
            other_days = [(h.latitude, h.longitude) for h in mine
                          if h.local_date != c.local_date and h.latitude is not None and h.longitude is not None]
            if fraud.is_repeated_position(c.latitude, c.longitude, other_days):
                flags.append(fraud.REPEATED_COORDINATES)
            gps = [(h.local_date, h.accuracy_m) for h in earlier if h.latitude is not None]
            if fraud.is_constant_accuracy(c.accuracy_m, gps):
                flags.append(fraud.CONSTANT_ACCURACY)
            uses = [fraud.Use(h.device_id, h.latitude, h.longitude, h.occurred_at) for h in mine if h.pk != c.pk
                    and h.source != CheckInSource.OFFLINE]  # an offline capture's time is only claimed
            if c.source != CheckInSource.OFFLINE and fraud.is_two_devices(
                    fraud.Use(c.device_id, c.latitude, c.longitude, c.occurred_at), uses):
                flags.append(fraud.TWO_DEVICES)
        if c.source == CheckInSource.OFFLINE and c.device_id and fraud.is_offline_implausible(
                c.client_time or c.occurred_at, c.received_at, contacts.get(c.device_id, [])):
            flags.append(fraud.OFFLINE_IMPLAUSIBLE)
        out[c.pk] = flags
    return out


def merge_flags(new: dict[int, list[str]]) -> list[CheckIn]:
    """Add `new` flags to the check-ins (locked while updated); the check-ins that gained any, refreshed."""
    wanted = {pk: flags for pk, flags in new.items() if flags}
    if not wanted:
        return []
    changed: list[CheckIn] = []
    with transaction.atomic():
        for c in CheckIn.objects.select_for_update().filter(pk__in=wanted).order_by("pk"):
            have = list(c.fraud_flags or [])
            added = [f for f in wanted[c.pk] if f not in have]
            if added:
                c.fraud_flags = have + added
                CheckIn.objects.filter(pk=c.pk).update(fraud_flags=c.fraud_flags)
                changed.append(c)
    return changed


def route(changed: list[CheckIn]) -> None:
    """Newly flagged accepted check-ins through the approval policy again (idempotent: an item is opened once)."""
    accepted = [c for c in changed if c.verdict == Verdict.ACCEPTED]
    if accepted:
        open_checkin_items(accepted)


def assess_checkins(ids: Iterable[int]) -> int:
    checkins = list(CheckIn.objects.filter(pk__in=list(ids)).only(*_FIELDS))
    changed = merge_flags(history_flags(checkins))
    route(changed)
    return len(changed)


@shared_task(name="hadir.integrity.assess", ignore_result=True)
def assess(ids: list[int]) -> int:
    return assess_checkins(ids)
