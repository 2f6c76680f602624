"""Active PP 94/2021 sanctions that cut the tunjangan kinerja (TPP): the one function the TPP engine reads.

Pasal 8 ayat (3) PP 94/2021: pemotongan tunjangan kinerja 25 % for 6, 9 or 12 months (hukuman disiplin sedang).
The sanction case workflow (threshold → case → decision, issue 16) is not built yet, so no decided sanction
exists and this returns none; when it lands, this function reads the decided cases whose period covers the month.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

TUKIN_CUT_PCT = Decimal(25)


def active_tukin_cuts(first: dt.date, last: dt.date, employee_ids: Iterable[int]) -> dict[int, Decimal]:
    """employee_id → percent of TPP cut by an active sanction during [first, last] (25), for those who have one."""
    return {}
