"""Active PP 94/2021 sanctions that cut the tunjangan kinerja (TPP): the one function the TPP engine reads.

Pasal 8 ayat (3) PP 94/2021: pemotongan tunjangan kinerja 25 % for 6, 9 or 12 months (hukuman disiplin sedang).
A sanction is active from the start its decision names, for its months, while its case stays decided (an annulled
case stops cutting from the next computation on).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from .cases import decided_tukin_cuts

TUKIN_CUT_PCT = Decimal(25)


def active_tukin_cuts(first: dt.date, last: dt.date, employee_ids: Iterable[int] | None) -> dict[int, Decimal]:
    """employee_id → percent of TPP cut by an active sanction during [first, last] (25), for those who have one."""
    return {emp_id: Decimal(pct) for emp_id, pct in decided_tukin_cuts(first, last, employee_ids).items()}
