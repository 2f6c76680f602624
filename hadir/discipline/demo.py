"""Demo inbox: today's absence digest for every OPD head and operator, in-app only.

Runs after the presence and leave demos (INSTALLED_APPS order), so the digest lists real demo absentees.
E-mail is not sent from the demo (the rows are written straight to the inbox); the scheduled task sends
both in production.
"""

from __future__ import annotations

import datetime as dt
import random

from hadir.notify.models import Notification, NotificationKind

from .cases import refresh_cases
from .digest import build_digests


def seed(rng: random.Random, today: dt.date) -> list[str]:
    if Notification.objects.filter(kind=NotificationKind.DIGEST).exists():
        return ["discipline: kotak masuk contoh sudah ada; dilewati"]
    rows = []
    digests = build_digests(today)
    for d in digests:
        body, subject, url = d.body(), d.subject, d.url()
        for user in d.recipients:
            rows.append(Notification(user=user, kind=NotificationKind.DIGEST, subject=subject, body=body, url=url,
                                     key=d.key))
    Notification.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    absent = sum(len(d.absent) for d in digests)
    counts = refresh_cases(today - dt.timedelta(days=1))  # the closed days: the ledger and PP 94/2021 cases
    return [f"discipline: {len(rows)} ringkasan ketidakhadiran di kotak masuk kepala/operator "
            f"({len(digests)} OPD, {absent} pegawai belum presensi/TK)",
            f"discipline: {counts['opened']} kasus PP 94/2021 dibuka, {counts['warned']} peringatan dini"]
