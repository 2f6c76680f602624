"""Demo data for the check-in app: device bindings, a few resets, two shared phones.

The demo accounts printed by `hadir demo` stay unbound, so whoever tries the app binds their own browser.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets

from django.contrib.auth import get_user_model
from django.utils import timezone

from hadir.org.models import DeviceBinding, Employee, hash_device_key
from hadir.org.seed import demo_logins

USER_AGENTS = [
    "Mozilla/5.0 (Linux; Android 13; SM-A145F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Linux; Android 12; Redmi Note 11) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Linux; Android 11; vivo 1904) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/118.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Linux; Android 13; OPPO A78) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/23.0 Chrome/115.0 Mobile Safari/537.36",
]


def seed(rng: random.Random, today: dt.date) -> list[str]:
    keep_free = {username for _role, username, _pw in demo_logins()}
    free_ids = set(
        get_user_model().objects.filter(username__in=keep_free).values_list("pk", flat=True)
    )
    employees = list(
        Employee.objects.filter(user__isnull=False, is_active=True).exclude(user_id__in=free_ids).order_by("pk")
        .values_list("pk", flat=True)
    )
    now = timezone.now()
    rows: list[DeviceBinding] = []
    resets = 0
    bound = [pk for pk in employees if rng.random() < 0.7]
    for pk in bound:
        bound_at = now - dt.timedelta(days=rng.randint(1, 120), minutes=rng.randint(0, 600))
        if rng.random() < 0.03:  # changed phones once: the old binding was reset by an operator
            old_at = bound_at - dt.timedelta(days=rng.randint(30, 200))
            rows.append(DeviceBinding(
                employee_id=pk, key_hash=hash_device_key(secrets.token_urlsafe(32)), user_agent=rng.choice(USER_AGENTS),
                bound_at=old_at, last_seen_at=bound_at - dt.timedelta(days=1), revoked_at=bound_at,
                revoke_reason="HP rusak, ganti perangkat",
            ))
            resets += 1
        rows.append(DeviceBinding(
            employee_id=pk, key_hash=hash_device_key(secrets.token_urlsafe(32)), user_agent=rng.choice(USER_AGENTS),
            bound_at=bound_at, last_seen_at=now - dt.timedelta(hours=rng.randint(1, 72)),
        ))
    # Two phones used by several employees ("titip absen"): the admin list of shared devices shows them.
    unbound = [pk for pk in employees if pk not in set(bound)]
    shared_groups = 0
    for size in (2, 3):
        group, unbound = unbound[:size], unbound[size:]
        if len(group) < 2:
            break
        key_hash = hash_device_key(secrets.token_urlsafe(32))
        ua = rng.choice(USER_AGENTS)
        for pk in group:
            rows.append(DeviceBinding(employee_id=pk, key_hash=key_hash, user_agent=ua,
                                      bound_at=now - dt.timedelta(days=rng.randint(1, 20)), last_seen_at=now))
        shared_groups += 1
    DeviceBinding.objects.bulk_create(rows, batch_size=1000)
    active = sum(1 for r in rows if r.revoked_at is None)
    return [
        f"{active} perangkat terikat ke pegawai, {resets} ikatan lama sudah direset, "
        f"{shared_groups} HP dipakai beberapa pegawai (Admin › Perangkat dipakai bersama).",
        "Aplikasi presensi (PWA) di /m/ — akun demo di bawah belum terikat, jadi peramban Anda yang akan didaftarkan.",
    ]
