"""Demo: roll calls for one OPD (three a day, 15 minutes, with a selfie), so the board's "away now", the recap's
score and the Integritas pages have something to show once the demo's scheduler runs."""

from __future__ import annotations

import datetime as dt
import random

from django.db.models import F

from hadir.org.models import Unit

from .models import RollCallPolicy


def seed(rng: random.Random, today: dt.date) -> list[str]:
    if RollCallPolicy.objects.exists():
        return ["integrity: kebijakan panggilan kehadiran sudah ada; dilewati"]
    opd = Unit.objects.filter(pk=F("opd_id"), is_active=True).order_by("name").first()
    if opd is None:
        return []
    RollCallPolicy.objects.create(unit=opd, calls_per_day=3, answer_minutes=15, selfie_required=True)
    return [f"integrity: panggilan kehadiran 3×/hari untuk {opd.name}"]
