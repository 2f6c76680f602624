"""The check-in request's own database work, hand-written: ONE query to read, ONE statement to write.

This is the one seam where the check-in path leaves the ORM, and it stays because `bench/checkin.py` shows it
earns it (the ORM equivalent — five queries to read, a model save and an outbox save in a transaction to write —
cost ~2 ms more CPU per check-in and most of the rush's throughput; figures in docs/architecture.md). Both run
on Django's ordinary cursor with parameters adapted by Django's own field and `connection.ops` methods, so
errors, query logging and time zones behave as everywhere else.

`load_context` returns the employee's unit path and work locations, the schedule revision and roster lines
around the instant, whether the client UUID is a replay, the employee's previous position within 12 hours (for
the speed check), how many other employees used the same device on each candidate local date, and the device
binding: the key hash of the employee's bound phone and whether another employee has (or had) this key bound.

`insert_checkin` stores the CheckIn row and its outbox row (hadir/presence/outbox.py) together: on PostgreSQL as
one statement (a data-modifying WITH), elsewhere as two statements in one transaction.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.db import connection, transaction

from hadir.db import aware_timestamp
from hadir.org.models import DeviceBinding, Employee, Unit, WorkLocation, hash_device_key, is_valid_device_key
from hadir.schedules.models import ShiftAssignment
from hadir.schedules.services import REVISION_SQL

from . import fraud
from .models import CheckIn, DirtyDay


@dataclass(frozen=True)
class Probe:
    """What the pipeline needs to know from earlier check-ins."""

    existing_id: int | None = None  # a row with the same client_uuid
    previous: fraud.Fix | None = None  # the employee's previous fix within 12 hours before this one
    other_employees_on_device: int = 0  # distinct other employees on this device id on the local date


@dataclass
class Context:
    """Everything the pipeline reads for one attempt: the employee's unit path and work locations, the schedule
    revision and roster lines, and the probe of earlier check-ins."""

    unit_path: str = ""
    locations: list[WorkLocation] = field(default_factory=list)  # all of the employee's, by id
    revision: str | None = None
    roster: dict[dt.date, int | None] = field(default_factory=dict)  # date → shift id (None: day off)
    history: Probe = field(default_factory=Probe)
    others_by_date: dict[dt.date, int] = field(default_factory=dict)  # other employees on the device per date
    bound_key_hash: str | None = None  # the employee's bound phone (None: none bound)
    key_shared: bool = False  # another employee has (or had) the attempt's device key bound

    def probe_on(self, day: dt.date) -> Probe:
        return Probe(self.history.existing_id, self.history.previous, self.others_by_date.get(day, 0))

    @property
    def active_locations(self) -> list[WorkLocation]:
        return [loc for loc in self.locations if loc.is_active]

    @property
    def home_location(self) -> WorkLocation | None:
        """The first active work location, else the first at all (as hadir.schedules.services.employee_rows)."""
        active = self.active_locations
        return active[0] if active else (self.locations[0] if self.locations else None)


def device_dates(at: dt.datetime) -> list[dt.date]:
    """The local dates `at` can fall on in any zone (UTC−12 to UTC+14)."""
    utc = at.astimezone(dt.UTC).date()
    return [utc + dt.timedelta(days=d) for d in (-1, 0, 1)]


def roster_dates(at: dt.datetime) -> list[dt.date]:
    """The dates whose roster lines can matter for an event at `at`: its local date in any zone (UTC−12 to
    UTC+14 spans the UTC date ±1) and the day before each."""
    utc = at.astimezone(dt.UTC).date()
    return [utc + dt.timedelta(days=d) for d in (-2, -1, 0, 1)]


@lru_cache(maxsize=8)
def _sql(vendor: str, with_uuid: bool, with_device: bool) -> str:
    q = connection.ops.quote_name
    checkin, roster = q(CheckIn._meta.db_table), q(ShiftAssignment._meta.db_table)
    bindings = q(DeviceBinding._meta.db_table)
    through = q(Employee.locations.through._meta.db_table)
    emp_table, unit_table, loc_table = (q(Employee._meta.db_table), q(Unit._meta.db_table),
                                        q(WorkLocation._meta.db_table))
    existing = f"(SELECT id FROM {checkin} WHERE client_uuid = %s)" if with_uuid else "NULL"
    others = (f"(SELECT COUNT(DISTINCT employee_id) FROM {checkin} WHERE device_id = %s AND local_date = %s "
              f"AND employee_id <> e.id)") if with_device else "0"
    others = ", ".join([others] * 3)  # one per candidate local date (see device_dates)
    shift = f"(SELECT COALESCE(shift_id, 0) FROM {roster} WHERE employee_id = e.id AND date = %s)"
    bound = f"(SELECT key_hash FROM {bindings} WHERE employee_id = e.id AND revoked_at IS NULL ORDER BY id LIMIT 1)"
    shared = (f"(SELECT COUNT(*) FROM {bindings} WHERE key_hash = %s AND employee_id <> e.id)" if with_device
              else "0")
    return f"""
SELECT l.id, l.name, l.latitude, l.longitude, l.radius_m, l.timezone, l.is_active, l.unit_id, l.code,
  u.path, ({REVISION_SQL}), {shift}, {shift}, {shift}, {shift},
  {existing}, prev.latitude, prev.longitude, prev.occurred_at, {others}, {bound}, {shared}
FROM {emp_table} e
JOIN {unit_table} u ON u.id = e.unit_id
LEFT JOIN {through} el ON el.employee_id = e.id
LEFT JOIN {loc_table} l ON l.id = el.worklocation_id
LEFT JOIN (
  SELECT latitude, longitude, occurred_at FROM {checkin}
  WHERE employee_id = %s AND latitude IS NOT NULL AND longitude IS NOT NULL
    AND occurred_at <= %s AND occurred_at >= %s
  ORDER BY occurred_at DESC LIMIT 1
) prev ON 1 = 1
WHERE e.id = %s
ORDER BY l.id"""



def load_context(employee_id: int | None, at: dt.datetime, *, client_uuid: Any = None, device_id: str = "",
                 has_position: bool = False) -> Context:
    """The context of an attempt by `employee_id` at instant `at` (one round trip)."""
    if employee_id is None:
        return Context()
    ops = connection.ops
    dates = roster_dates(at)
    params: list[Any] = [ops.adapt_datefield_value(d) for d in dates]
    if client_uuid is not None:
        params.append(CheckIn._meta.get_field("client_uuid").get_db_prep_value(client_uuid, connection))
    if device_id:
        for d in device_dates(at):
            params += [device_id[:128], ops.adapt_datefield_value(d)]
        params.append(hash_device_key(device_id) if is_valid_device_key(device_id) else "")
    # without a position there is no speed to check: a window that cannot match
    since = at - dt.timedelta(hours=12) if has_position else at + dt.timedelta(days=1)
    params += [employee_id, ops.adapt_datetimefield_value(at), ops.adapt_datetimefield_value(since), employee_id]
    with connection.cursor() as cursor:
        cursor.execute(_sql(connection.vendor, client_uuid is not None, bool(device_id)), params)
        rows = cursor.fetchall()
    if not rows:
        return Context()
    first = rows[0]
    locations = [
        WorkLocation(id=r[0], name=r[1], latitude=r[2], longitude=r[3], radius_m=r[4], timezone=r[5],
                     is_active=bool(r[6]), unit_id=r[7], code=r[8])
        for r in rows if r[0] is not None
    ]
    roster = {d: (sid or None) for d, sid in zip(dates, first[11:15], strict=True) if sid is not None}
    existing_id, lat, lon, prev_at = first[15:19]
    prev_at = aware_timestamp(prev_at)
    previous = fraud.Fix(float(lat), float(lon), prev_at) if prev_at is not None and lat is not None \
        and lon is not None else None
    others = {d: int(n or 0) for d, n in zip(device_dates(at), first[19:22], strict=True)}
    return Context(
        unit_path=first[9] or "", locations=locations, revision=first[10], roster=roster,
        history=Probe(int(existing_id) if existing_id is not None else None, previous), others_by_date=others,
        bound_key_hash=first[22], key_shared=bool(first[23]),
    )


@lru_cache(maxsize=2)
def _insert_sql(vendor: str) -> tuple[str, str, tuple[Any, ...]]:
    """(INSERT of a CheckIn RETURNING id, INSERT of its outbox row, the CheckIn fields in column order)."""
    fields = tuple(f for f in CheckIn._meta.concrete_fields if not f.primary_key)
    q = connection.ops.quote_name
    checkin, outbox = q(CheckIn._meta.db_table), q(DirtyDay._meta.db_table)
    columns = ", ".join(q(str(f.column)) for f in fields)
    insert = f"INSERT INTO {checkin} ({columns}) VALUES ({', '.join(['%s'] * len(fields))}) RETURNING id"
    outbox_columns = "employee_id, date, close, checkin_id, reason, created_at"
    if vendor == "postgresql":
        return (f"WITH c AS ({insert}, employee_id, local_date) INSERT INTO {outbox} ({outbox_columns}) "
                f"SELECT employee_id, local_date, false, id, 'checkin', now() FROM c RETURNING checkin_id"), "", fields
    return insert, f"INSERT INTO {outbox} ({outbox_columns}) VALUES (%s, %s, %s, %s, 'checkin', %s)", fields


def insert_checkin(row: CheckIn) -> None:
    """Store `row` and its outbox row, or neither (sets row.pk). Field values are prepared by Django itself
    (pre_save: received_at, the selfie file; get_db_prep_save); no model signals are sent."""
    first, second, fields = _insert_sql(connection.vendor)
    values = [f.get_db_prep_save(f.pre_save(row, True), connection) for f in fields]
    # One statement in autocommit is its own transaction (no BEGIN/COMMIT round trips); two statements, or a
    # caller's transaction (a savepoint, so that a duplicate UUID does not break it), need a transaction block.
    needs_block = bool(second) or connection.in_atomic_block
    with transaction.atomic() if needs_block else contextlib.nullcontext(), connection.cursor() as cursor:
        cursor.execute(first, values)
        row.pk = cursor.fetchone()[0]
        if second:
            ops = connection.ops
            cursor.execute(second, [row.employee_id, ops.adapt_datefield_value(row.local_date), False, row.pk,
                                    ops.adapt_datetimefield_value(row.received_at)])
    row._state.adding = False
    row._state.db = connection.alias
