"""Leave/official-duty facts the presence pipeline and daily status read.

Contract (implemented by the leave app): both functions read only APPROVED requests.
"""

from __future__ import annotations

import datetime as dt


def excuses_for(employee_ids: list[int], day: dt.date) -> dict[int, tuple[str, str]]:
    """employee_id → (DayStatus value: "cuti" | "izin" | "sakit" | "dl", reference text) for `day`."""
    return {}


def geofence_lifted(employee_id: int, day: dt.date) -> bool:
    """True when approved dinas luar / outside meeting lifts the geofence for that employee and date."""
    return False
