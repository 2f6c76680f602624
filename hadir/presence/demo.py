"""Demo check-ins: today's and the last 20 working days' check-ins for most employees, so the
dashboard, the history and the approvals inbox have something to show.

Each employee gets a habit: most are punctual, some often late or leave early, a few are often absent.
About 1.5 % of masuk attempts are first refused (outside the radius, as when someone taps "masuk" from the
parking lot across the road) and then made again inside; a few are sent offline or carry fraud flags and
wait for approval. Rows are bulk-inserted (no pipeline call per row) and the daily statuses are then
computed set-based per day with hadir.presence.daily.compute_day. Idempotent: skipped when demo
check-ins already exist.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import uuid
from collections.abc import Callable
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from hadir.org.models import Employee
from hadir.schedules.services import workdays_for

from .daily import compute_day
from .models import CheckIn, CheckInKind, CheckInSource, Validity, Verdict

DAYS_BACK = 28  # calendar days → about 20 working days; at least back to the 1st of last month (days_back)
DEVICE_PREFIX = "demo-"


def days_back(today: dt.date) -> int:
    """How far back the demo's check-ins go: DAYS_BACK, and at least to the 1st of last month, so that the TPP demo
    has one whole month to compute and close."""
    last_month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    return max(DAYS_BACK, (today - last_month).days)


def _offset(lat: float, lon: float, metres: float, rng: random.Random) -> tuple[float, float]:
    """A point `metres` away from (lat, lon) in a random direction, with phone-like 7-decimal precision."""
    bearing = rng.uniform(0, 2 * math.pi)
    dlat = metres * math.cos(bearing) / 111_195.0
    dlon = metres * math.sin(bearing) / (111_195.0 * max(0.1, math.cos(math.radians(lat))))
    return round(lat + dlat, 7), round(lon + dlon, 7)


def _adapter(field: models.Field[Any, Any]) -> Callable[[Any], Any]:
    """A cheap value → DB parameter function for one column (Django's generic path costs ~10 µs a value)."""
    sqlite = connection.vendor == "sqlite"
    if isinstance(field, models.DateTimeField):
        if sqlite:  # what Django's SQLite backend stores: naive UTC text
            return lambda v: None if v is None else str(v.astimezone(dt.UTC).replace(tzinfo=None))
        return lambda v: v
    if isinstance(field, models.DateField):
        return (lambda v: None if v is None else v.isoformat()) if sqlite else (lambda v: v)
    if isinstance(field, models.UUIDField):
        return (lambda v: v.hex) if sqlite else (lambda v: v)
    if isinstance(field, models.FileField):
        return lambda v: v or ""
    if isinstance(field, models.JSONField):
        return lambda v: field.get_db_prep_save(v, connection)
    return lambda v: v


def fast_insert(rows: list[dict[str, Any]], batch: int = 5000) -> None:
    """INSERT many check-ins (dicts of attname → value) with executemany: bulk_create's model instances and
    per-value compilation cost ~1 s per 1,000 rows of this 30-column model; adapting the values ourselves
    is an order of magnitude cheaper."""
    fields = [f for f in CheckIn._meta.concrete_fields if not f.primary_key]
    defaults = {f.attname: f.get_default() for f in fields}
    defaults["received_at"] = timezone.now()
    adapters = [(f.attname, _adapter(f)) for f in fields]
    table = connection.ops.quote_name(CheckIn._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            params = [[adapt(r.get(name, defaults[name])) for name, adapt in adapters]
                      for r in rows[start:start + batch]]
            cursor.executemany(sql, params)


def seed(rng: random.Random, today: dt.date) -> list[str]:
    if CheckIn.objects.filter(device_id__startswith=DEVICE_PREFIX).exists():
        return ["Presensi contoh sudah ada; dilewati."]
    through = Employee.locations.through
    first_location: dict[int, tuple[int, float, float, int, str]] = {}
    for emp_id, loc_id, lat, lon, radius, name in (
        through.objects.filter(employee__is_active=True, worklocation__is_active=True)
        .order_by("employee_id", "worklocation_id")
        .values_list("employee_id", "worklocation_id", "worklocation__latitude", "worklocation__longitude",
                     "worklocation__radius_m", "worklocation__name")
    ):
        first_location.setdefault(emp_id, (loc_id, lat, lon, radius, name))
    employee_ids = sorted(first_location)
    if not employee_ids:
        return ["Tidak ada pegawai dengan lokasi kerja; presensi contoh dilewati."]

    # habits: (p_absent, p_late, p_early)
    habits = {emp_id: rng.choices([(0.02, 0.05, 0.03), (0.04, 0.35, 0.15), (0.25, 0.30, 0.20)],
                                  weights=[78, 17, 5])[0] for emp_id in employee_ids}
    now = timezone.now()
    rows: list[dict[str, Any]] = []
    counts = {"accepted": 0, "rejected": 0, "days": 0}

    def add(emp_id: int, kind: str, at: dt.datetime, day: dt.date, distance: float, *, verdict: str = Verdict.ACCEPTED,
            reason_code: str = "", reason: str = "", source: str = CheckInSource.MOBILE,
            flags: list[str] | None = None) -> None:
        loc_id, lat, lon, _radius, _name = first_location[emp_id]
        plat, plon = _offset(lat, lon, distance, rng)
        flags = flags or []
        pending = verdict == Verdict.ACCEPTED and (source == CheckInSource.OFFLINE or bool(flags))
        rows.append(dict(
            client_uuid=uuid.UUID(int=rng.getrandbits(128), version=4), employee_id=emp_id, kind=kind, source=source,
            occurred_at=at, client_time=at + dt.timedelta(seconds=rng.randint(-20, 20)), local_date=day,
            latitude=plat, longitude=plon, accuracy_m=round(rng.uniform(4, 25), 1),
            device_id=f"{DEVICE_PREFIX}{emp_id:06d}", location_id=loc_id, distance_m=round(distance, 1),
            verdict=verdict, reason_code=reason_code, reason=reason, fraud_flags=flags,
            validity=Validity.PENDING if pending else Validity.NOT_REQUIRED, photo="",
        ))
        counts["accepted" if verdict == Verdict.ACCEPTED else "rejected"] += 1

    days = [today - dt.timedelta(days=back) for back in range(days_back(today), -1, -1)]
    for day in days:
        workdays = workdays_for(employee_ids, day)
        if not any(w.is_working_day for w in workdays.values()):
            continue
        counts["days"] += 1
        for emp_id in employee_ids:
            wd = workdays.get(emp_id)
            if wd is None or not wd.is_working_day or wd.start is None or wd.end is None:
                continue
            p_absent, p_late, p_early = habits[emp_id]
            if rng.random() < p_absent:
                continue
            radius = first_location[emp_id][3]
            if rng.random() < p_late:
                masuk = wd.start + dt.timedelta(minutes=rng.choice([rng.randint(1, 30), rng.randint(1, 30),
                                                                    rng.randint(31, 95)]))
            else:
                masuk = wd.start - dt.timedelta(minutes=rng.randint(3, 45))
            masuk += dt.timedelta(seconds=rng.randint(0, 59))
            if masuk > now:
                continue
            if rng.random() < 0.015:  # a refused first try from outside the fence, then the real one
                far = rng.uniform(radius + 150, radius + 1500)
                add(emp_id, CheckInKind.MASUK, masuk - dt.timedelta(minutes=rng.randint(2, 6)), day, far,
                    verdict=Verdict.REJECTED, reason_code="outside_radius",
                    reason=f"Di luar radius lokasi kerja: {far:,.0f} m dari {first_location[emp_id][4]} "
                    f"(radius {radius} m).".replace(",", "."))
            source = CheckInSource.OFFLINE if rng.random() < 0.02 else CheckInSource.MOBILE
            flags = ["round_coordinates"] if rng.random() < 0.005 else []
            add(emp_id, CheckInKind.MASUK, masuk, day, rng.uniform(3, radius * 0.8), source=source, flags=flags)
            if rng.random() < p_early:
                pulang = wd.end - dt.timedelta(minutes=rng.choice([rng.randint(5, 30), rng.randint(31, 120)]))
            elif rng.random() < 0.03:
                continue  # forgot to tap pulang
            else:
                pulang = wd.end + dt.timedelta(minutes=rng.randint(0, 70))
            pulang += dt.timedelta(seconds=rng.randint(0, 59))
            if pulang <= now:
                add(emp_id, CheckInKind.PULANG, pulang, day, rng.uniform(3, radius * 0.8))
    fast_insert(rows)

    computed = 0
    for day in days:
        computed += compute_day(day, close=day < today - dt.timedelta(days=1))
    return [
        f"Presensi contoh: {counts['accepted']:,} diterima dan {counts['rejected']:,} ditolak untuk "
        f"{len(employee_ids):,} pegawai selama {counts['days']} hari kerja; {computed:,} status harian dihitung."
        .replace(",", ".")
    ]
