"""Device binding in the check-in app: bind the phone at the employee's first login, refuse another phone's
login, tell the operators about a shared phone, reset a binding, stamp the phone's last use. The check-in
pipeline enforces the binding itself (hadir.presence.checks.device_refusal)."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from hadir.audit.services import record
from hadir.errors import Conflict, NotAllowed, Unprocessable
from hadir.notify.services import notify
from hadir.org.models import (
    DeviceBinding,
    Employee,
    Role,
    RoleAssignment,
    employee_of,
    hash_device_key,
    is_valid_device_key,
)

log = logging.getLogger(__name__)

# last_seen_at is for admins ("is this phone still in use?"): set to the minute by the outbox drain after the
# check-ins (touch_bindings), never by the check-in request itself.


def describe_user_agent(user_agent: str) -> str:
    """A short human label for a User-Agent string: 'Chrome di Android', 'Safari di iPhone'."""
    ua = user_agent or ""
    browser = next(
        (name for token, name in (("EdgA", "Edge"), ("Edg/", "Edge"), ("SamsungBrowser", "Samsung Internet"),
                                  ("OPR", "Opera"), ("Firefox", "Firefox"), ("CriOS", "Chrome"),
                                  ("Chrome", "Chrome"), ("Safari", "Safari")) if token in ua),
        "",
    )
    system = next(
        (name for token, name in (("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"),
                                  ("Windows", "Windows"), ("Mac OS X", "macOS"), ("Linux", "Linux")) if token in ua),
        "",
    )
    if browser and system:
        return _("%(browser)s di %(system)s") % {"browser": browser, "system": system}
    return browser or system or _("perangkat tidak dikenal")


@dataclass(frozen=True)
class BindResult:
    status: str  # "bound" (new binding made), "known" (this device is the bound one), "refused"
    binding: DeviceBinding | None
    message: str
    shared: bool = False


def refusal_message(binding: DeviceBinding) -> str:
    return _(
        "Akun Anda sudah terikat ke perangkat lain (%(device)s, sejak %(date)s). Presensi hanya dapat "
        "dilakukan dari perangkat tersebut. Jika Anda berganti HP atau menghapus data peramban, minta "
        "operator OPD atau admin BKPSDM untuk mereset ikatan perangkat Anda."
    ) % {
        "device": binding.label or describe_user_agent(binding.user_agent),
        "date": date_format(timezone.localtime(binding.bound_at), "j F Y"),
    }


def key_is_shared(key_hash: str, employee_id: int | None = None) -> bool:
    """True when another employee has (or had) this device key bound."""
    qs = DeviceBinding.objects.filter(key_hash=key_hash)
    if employee_id is not None:
        qs = qs.exclude(employee_id=employee_id)
        return qs.exists()
    return qs.values("employee_id").distinct().count() > 1


def bind_device(employee: Employee, key: str, *, user_agent: str = "", label: str = "") -> BindResult:
    """Bind `key` to `employee` if they have no active device; refuse a different key otherwise."""
    if not is_valid_device_key(key):
        raise ValueError(_("Kunci perangkat tidak valid."))
    key_hash = hash_device_key(key)
    now = timezone.now()
    try:
        with transaction.atomic():
            active = (
                DeviceBinding.objects.select_for_update().filter(employee=employee, revoked_at__isnull=True).first()
            )
            if active is not None:
                if active.key_hash != key_hash:
                    return BindResult("refused", active, refusal_message(active))
                DeviceBinding.objects.filter(pk=active.pk).update(last_seen_at=now)
                return BindResult("known", active, _("Perangkat ini terdaftar untuk akun Anda."),
                                  shared=key_is_shared(key_hash, employee.pk))
            binding = DeviceBinding.objects.create(
                employee=employee, key_hash=key_hash, user_agent=user_agent[:300], label=label[:100],
                bound_at=now, last_seen_at=now,
            )
            record(employee.user, "mobile.device_bind", binding, {},
                   {"employee_id": employee.pk, "key_hint": binding.key_hint, "device": describe_user_agent(user_agent)},
                   _("Perangkat diikat saat masuk pertama kali di aplikasi."))
    except IntegrityError:
        # A parallel first login bound a device a moment ago: answer as if we had come second.
        active = DeviceBinding.objects.active().filter(employee=employee).first()
        if active is None:
            raise
        if active.key_hash != key_hash:
            return BindResult("refused", active, refusal_message(active))
        return BindResult("known", active, _("Perangkat ini terdaftar untuk akun Anda."))
    shared = key_is_shared(key_hash, employee.pk)
    if shared:
        notify_shared_device(employee, binding)
    return BindResult("bound", binding, _("Perangkat ini sekarang terikat ke akun Anda."), shared=shared)


def register_device(user: Any, key: str, *, user_agent: str = "", label: str = "") -> BindResult:
    """The device API: bind the signed-in employee's device, or confirm it is the bound one. A different
    device is refused (409, the employee is told) until an operator resets the binding."""
    emp = employee_of(user)
    if emp is None:
        raise NotAllowed(_("Akun ini tidak terhubung ke data pegawai."), code="no_employee")
    if not is_valid_device_key(key):
        raise Unprocessable(_("Kunci perangkat tidak valid."), field="device_key", code="invalid")
    result = bind_device(emp, key, user_agent=user_agent, label=label)
    if result.status == "refused" or result.binding is None:
        notify_refused_device(emp, user_agent)
        raise Conflict(result.message, code="device_mismatch")
    return result


def notify_refused_device(employee: Employee, user_agent: str) -> bool:
    """Tell the employee that somebody signed in to their account from another phone (once a day).

    A refused device is the usual trace of "titip absen" (a colleague checking in for them) or of a
    new phone that needs a reset; either way the owner of the account should hear of it.
    """
    user = employee.user
    if user is None:
        return False
    day = timezone.localdate()
    try:
        notify(
            user,
            "Upaya masuk dari perangkat lain",
            f"Akun Hadir Anda dipakai untuk masuk dari perangkat yang tidak terdaftar "
            f"({describe_user_agent(user_agent)}) pada {date_format(day, 'j F Y')}. Presensi dari perangkat itu "
            f"ditolak. Jika itu bukan Anda, segera ganti kata sandi; jika Anda berganti HP, minta operator OPD "
            f"mereset ikatan perangkat.",
            url="/m/", kind="warning", key=f"device-refused:{day:%Y-%m-%d}",
        )
    except Exception:  # never block the answer to the login form
        log.exception("refused-device notice to employee %s failed", employee.pk)
        return False
    return True


def notify_shared_device(employee: Employee, binding: DeviceBinding) -> int:
    """Tell the operators of the employee's OPD that a phone now serves several employees."""
    unit = employee.unit
    ancestor_ids = [int(part) for part in unit.path.split(".") if part] or [unit.pk]
    operators = {
        ra.user for ra in RoleAssignment.objects.filter(role=Role.OPERATOR_OPD, unit_id__in=ancestor_ids)
        .select_related("user")
        if ra.user.is_active
    }
    others = sorted(
        DeviceBinding.objects.filter(key_hash=binding.key_hash).exclude(employee=employee)
        .values_list("employee__name", flat=True).distinct()
    )
    subject = f"Satu HP dipakai beberapa pegawai: {employee.name}"
    body = (
        f"{employee.name} mendaftarkan perangkat ({describe_user_agent(binding.user_agent)}) yang juga terdaftar "
        f"untuk: {', '.join(others)}. Periksa apakah ada titip absen; presensi dari HP ini ditandai "
        f"'perangkat dipakai bersama'."
    )
    sent = 0
    for user in operators:
        try:
            notify(user, subject, body, url="/admin/mobile/shareddevicebinding/", kind="warning",
                   key=f"shared-device:{binding.pk}")
            sent += 1
        except Exception:  # a failed notice must never block the employee's login
            log.exception("shared-device notice to user %s failed", user.pk)
    return sent


def reset_binding(binding: DeviceBinding, by: Any, reason: str = "") -> bool:
    """Revoke an active binding so the employee's next login binds their new device."""
    if binding.revoked_at is not None:
        return False
    before = {"revoked_at": None}
    with transaction.atomic():  # the reset and its audit entry stand or fall together
        binding.revoked_at = timezone.now()
        binding.revoked_by = by if getattr(by, "is_authenticated", False) else None
        binding.revoke_reason = reason[:300]
        binding.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
        record(binding.revoked_by, "mobile.device_reset", binding, before,
               {"revoked_at": binding.revoked_at.isoformat()}, reason)
    return True


def touch_bindings(checkins: list[Any]) -> int:
    """last_seen_at of the bindings used by accepted phone check-ins, to the minute (set-based: one UPDATE
    per distinct minute in the batch). Returns the number of bindings touched."""
    latest: dict[int, dt.datetime] = {}
    for row in checkins:
        if row.verdict != "accepted" or row.source not in {"mobile", "offline"} or not row.device_id:
            continue
        at = row.occurred_at.replace(second=0, microsecond=0)
        if at > latest.get(row.employee_id, at - dt.timedelta(seconds=1)):
            latest[row.employee_id] = at
    by_minute: dict[dt.datetime, list[int]] = {}
    for employee_id, at in latest.items():
        by_minute.setdefault(at, []).append(employee_id)
    touched = 0
    for at, ids in sorted(by_minute.items()):
        touched += DeviceBinding.objects.active().filter(employee_id__in=ids).filter(
            Q(last_seen_at__isnull=True) | Q(last_seen_at__lt=at)).update(last_seen_at=at)
    return touched
