"""Which dates of a leave request are working days for that employee.

Uses the employee's own schedule (hadir.schedules: work pattern, roster, regional and national holidays);
requests longer than SCHEDULE_LOOKUP_MAX_DAYS count Monday–Friday minus Indonesia's national holidays from
the `holidays` package.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from functools import lru_cache

import holidays

from hadir.org.models import Employee
from hadir.schedules.services import workday_for


def dates(start: dt.date, end: dt.date) -> Iterator[dt.date]:
    day = start
    while day <= end:
        yield day
        day += dt.timedelta(days=1)


@lru_cache(maxsize=32)
def _national_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("ID", years=year)


def fallback_is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _national_holidays(day.year)


def _schedule_predicate(employee: Employee) -> Callable[[dt.date], bool]:
    def is_working(day: dt.date) -> bool:
        return bool(workday_for(employee, day).is_working_day)

    return is_working


# Beyond this many days (cuti besar, CLTN) the count is informative only; use the plain calendar.
SCHEDULE_LOOKUP_MAX_DAYS = 62


def working_dates(employee: Employee, start: dt.date, end: dt.date) -> list[dt.date]:
    if (end - start).days + 1 > SCHEDULE_LOOKUP_MAX_DAYS:
        return [day for day in dates(start, end) if fallback_is_working_day(day)]
    is_working = _schedule_predicate(employee)
    return [day for day in dates(start, end) if is_working(day)]


def by_year(days: list[dt.date]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for day in days:
        counts[str(day.year)] = counts.get(str(day.year), 0) + 1
    return counts
