"""The chart page (/dasbor/grafik/): an axis fitted to the data, OPDs worst first, the weeks of a month, TK and
lateness per week, check-ins per work location, the period filter, scoping, and each chart's Excel download."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from hadir.org.scoping import board_scope
from hadir.presence.models import CheckIn, DailyStatus, DayStatus
from hadir.reports.charts import (
    Axis,
    Series,
    checkins_per_location,
    count_axis,
    rate_axis,
    rates,
    weekly_trends,
    worst_first,
)
from hadir.testing import PASSWORD, Org

pytestmark = pytest.mark.django_db

# The clock's day is Monday 23 Nov 2026: November is the current month, up to the 23rd.
NOV_9, NOV_16 = dt.date(2026, 11, 9), dt.date(2026, 11, 16)


# (values, axis): from a round number at or below (lowest − 2) to 100, at most five steps of 1, 2, 5, 10, 20, 25.
RATE_AXES = [
    ([96.3, 99.0], Axis(94.0, 100.0, (94.0, 96.0, 98.0, 100.0))),
    ([None, 91.0], Axis(85.0, 100.0, (85.0, 90.0, 95.0, 100.0))),
    ([50.0, 97.0], Axis(40.0, 100.0, (40.0, 60.0, 80.0, 100.0))),
    ([100.0], Axis(98.0, 100.0, (98.0, 99.0, 100.0))),
    ([0.0, 100.0], Axis(0.0, 100.0, (0.0, 20.0, 40.0, 60.0, 80.0, 100.0))),
    ([], Axis(0.0, 100.0, (0.0, 25.0, 50.0, 75.0, 100.0))),
]


@pytest.mark.parametrize(("values", "axis"), RATE_AXES)
def test_rate_axis_is_fitted_to_the_data(values: list[float | None], axis: Axis) -> None:
    assert rate_axis(values) == axis


@pytest.mark.parametrize(("values", "axis"), [
    ([0.0], Axis(0.0, 1.0, (0.0, 1.0))),
    ([3.0, 7.0], Axis(0.0, 8.0, (0.0, 2.0, 4.0, 6.0, 8.0))),
    ([23.0], Axis(0.0, 25.0, (0.0, 5.0, 10.0, 15.0, 20.0, 25.0))),
    ([140.0], Axis(0.0, 150.0, (0.0, 50.0, 100.0, 150.0))),
])
def test_count_axis_starts_at_zero_and_ends_round(values: list[float], axis: Axis) -> None:
    assert count_axis(values) == axis


def _series(name: str, *weeks: tuple[int, int]) -> Series:
    return Series(0, name, {}, {NOV_9 + dt.timedelta(weeks=i): w for i, w in enumerate(weeks)})


def test_worst_first_orders_by_the_pooled_period_rate() -> None:
    series = [
        _series("A", (9, 1), (10, 0)),  # 19 / 20 = 95 %
        _series("B", (0, 0)),  # nobody expected: last
        _series("C", (1, 1), (30, 0)),  # 31 / 32 = 96.9 % although one week was 50 %
        _series("D", (18, 2)),  # 90 %
        _series("E", (19, 1), (9, 1)),  # 28 / 30 = 93.3 %
        _series("AA", (19, 1)),  # 95 %, tie with A: by name
    ]
    assert [s.name for s in worst_first(series)] == ["D", "E", "A", "AA", "C", "B"]


def status(emp: Any, st: str, day: dt.date, **kw: Any) -> DailyStatus:
    return DailyStatus.objects.create(employee=emp, date=day, status=st, is_working_day=True, **kw)


@pytest.fixture
def month(org: Org) -> Org:
    """Two weeks of November. Dinkes: kadis present every day; staf present the first week, TK twice and present
    three times the second; sekretaris late twice in the second week (TL1, TL2). Disdik: guru present always.
    Check-ins: three accepted at the Dinkes office, one at Disdik, one rejected, one in October."""
    for monday in (NOV_9, NOV_16):
        for i in range(5):
            d = monday + dt.timedelta(days=i)
            status(org.kadis, DayStatus.HADIR, d)
            status(org.guru, DayStatus.HADIR, d)
            status(org.staf, DayStatus.TK if monday == NOV_16 and i < 2 else DayStatus.HADIR, d)
    status(org.sekretaris, DayStatus.TERLAMBAT, NOV_16 + dt.timedelta(days=1), late_minutes=20, late_category="TL1")
    status(org.sekretaris, DayStatus.TERLAMBAT, NOV_16 + dt.timedelta(days=2), late_minutes=45, late_category="TL2")
    at = dt.datetime(2026, 11, 17, 0, 20, tzinfo=dt.UTC)
    for emp, loc, verdict, day in [(org.kadis, org.loc_dinkes, "accepted", NOV_16),
                                   (org.kadis, org.loc_dinkes, "accepted", NOV_9),
                                   (org.staf, org.loc_dinkes, "accepted", NOV_16),
                                   (org.guru, org.loc_disdik, "accepted", NOV_16),
                                   (org.guru, org.loc_disdik, "rejected", NOV_9),
                                   (org.guru, org.loc_disdik, "accepted", dt.date(2026, 10, 30))]:
        CheckIn.objects.create(employee=emp, kind="masuk", occurred_at=at, local_date=day, verdict=verdict,
                               location=loc, latitude=loc.latitude, longitude=loc.longitude)
    return org


def test_weekly_rates_worst_first(month: Org) -> None:
    scope = board_scope(month.admin_bkpsdm)
    assert scope is not None
    weeks, series = rates(scope, dt.date(2026, 11, 1), dt.date(2026, 11, 23), True)
    assert weeks == [NOV_9, NOV_16]
    ranked = worst_first(series)
    assert [s.name for s in ranked] == ["Dinas Kesehatan", "Dinas Pendidikan"]
    dinkes = ranked[0]
    # week of the 16th: kadis 5, staf 3, sekretaris 2 attended; staf 2 TK → 10 / 12
    assert dinkes.points[NOV_9] == pytest.approx(100.0)
    assert dinkes.points[NOV_16] == pytest.approx(100 * 10 / 12)
    assert dinkes.total == pytest.approx(100 * 20 / 22)  # pooled days, not the mean of the weeks
    assert ranked[1].total == pytest.approx(100.0)


def test_tk_and_lateness_per_week(month: Org) -> None:
    scope = board_scope(month.admin_bkpsdm)
    assert scope is not None
    trends = weekly_trends(scope, dt.date(2026, 11, 1), dt.date(2026, 11, 23))
    assert [(t.week, t.tk, t.late, t.late_minutes, t.tl) for t in trends] == [
        (NOV_9, 0, 0, 0, {"TL1": 0, "TL2": 0, "TL3": 0, "TL4": 0}),
        (NOV_16, 2, 2, 65, {"TL1": 1, "TL2": 1, "TL3": 0, "TL4": 0}),
    ]
    disdik = weekly_trends(scope, dt.date(2026, 11, 1), dt.date(2026, 11, 23), opd=month.disdik.pk)
    assert [(t.tk, t.late) for t in disdik] == [(0, 0), (0, 0)]


def test_checkins_per_location_in_the_period(month: Org) -> None:
    scope = board_scope(month.admin_bkpsdm)
    assert scope is not None
    counts = checkins_per_location(scope, dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert [(c.name, c.checkins, c.employees) for c in counts] == [
        (month.loc_dinkes.name, 3, 2), (month.loc_disdik.name, 1, 1)]
    op = board_scope(month.operator_disdik)
    assert op is not None
    assert [c.name for c in checkins_per_location(op, dt.date(2026, 11, 1), dt.date(2026, 11, 30))] == [
        month.loc_disdik.name]


def login(username: str) -> Client:
    c = Client()
    assert c.login(username=username, password=PASSWORD)
    return c


def test_page_for_bkpsdm_shows_the_month_worst_first_on_a_fitted_axis(month: Org, clock: Any) -> None:
    r = login("bkpsdm").get("/dasbor/grafik/?bulan=2026-11")
    assert r.status_code == 200
    html = r.content.decode()
    weekly = r.context["tables"]["weekly"]
    assert [row[0] for row in weekly["rows"]] == ["Dinas Kesehatan", "Dinas Pendidikan", "Semua OPD"]
    assert weekly["rows"][0][1:] == [100.0, 83.3, 90.9]
    assert "90,9%" in html and "83,3%" in html
    # the ranking's axis starts near the lowest OPD's rate over the month (90.9 − 2 → 85), not at 0
    assert [g.label for g in r.context["charts"]["rank"].grid] == ["85%", "90%", "95%", "100%"]
    # the weekly lines' axis fits the lowest week (83.3 − 2 → 80)
    assert [g.label for g in r.context["charts"]["weekly"].grid] == ["80%", "85%", "90%", "95%", "100%"]
    for chart_id in ("chart-rank", "chart-weekly", "chart-daily", "chart-tk", "chart-late", "chart-map"):
        assert f'id="{chart_id}"' in html
    assert r.context["tables"]["late"]["rows"][-1] == ["16/11–22/11", 2, 65, 1, 1, 0, 0]
    assert r.context["tables"]["tk"]["rows"] == [["9/11–15/11", 0], ["16/11–22/11", 2]]
    assert "Rentang tanggal lain" in html and 'name="bulan"' in html


def test_operator_sees_only_their_opd(month: Org, clock: Any) -> None:
    c = login("op_disdik")
    r = c.get("/dasbor/grafik/?bulan=2026-11")
    assert r.status_code == 200
    assert [row[0] for row in r.context["tables"]["weekly"]["rows"]] == ["Dinas Pendidikan", "Semua OPD"]
    assert "Dinas Kesehatan" not in r.content.decode()
    assert c.get(f"/dasbor/grafik/?opd={month.dinkes.pk}").status_code == 403
    assert login("staf").get("/dasbor/grafik/").status_code == 403


# (query, message shown): refused with a message and this month's charts, never a 500.
BAD_PERIODS = [
    ("bulan=2026-13", "Bulan tidak valid"),
    ("bulan=november", "Bulan tidak valid"),
    ("bulan=1999-01", "Bulan tidak valid"),
    ("bulan=2026-12", "belum berjalan"),
    ("mulai=2026-11-20&sampai=2026-11-02", "sebelum tanggal sampai"),
    ("mulai=2026-11-02", "tanggal yang valid"),
    ("mulai=2026-12-01&sampai=2026-12-31", "belum dimulai"),
    ("mulai=2024-01-01&sampai=2026-11-20", "satu tahun"),
]


@pytest.mark.parametrize(("query", "message"), BAD_PERIODS)
def test_bad_period_is_refused_with_a_message(month: Org, clock: Any, query: str, message: str) -> None:
    c = login("bkpsdm")
    r = c.get(f"/dasbor/grafik/?{query}")
    assert r.status_code == 400
    assert message in r.context["problem"] and message in r.content.decode()
    assert r.context["period"].start == dt.date(2026, 11, 1)  # this month is shown instead
    x = c.get(f"/dasbor/grafik/?{query}&format=xlsx&chart=weekly")
    assert x.status_code == 400 and message in x.content.decode()


def test_date_range_and_unknown_chart(month: Org, clock: Any) -> None:
    c = login("bkpsdm")
    r = c.get("/dasbor/grafik/?mulai=2026-11-16&sampai=2026-11-30")
    assert r.status_code == 200
    assert (r.context["period"].start, r.context["period"].end) == (NOV_16, dt.date(2026, 11, 23))  # up to today
    assert [row[1:] for row in r.context["tables"]["weekly"]["rows"]][0] == [83.3, 83.3]
    assert c.get("/dasbor/grafik/?format=xlsx&chart=pie").status_code == 400


@pytest.mark.parametrize("chart", ["weekly", "daily", "tk", "late", "map"])
def test_excel_holds_the_numbers_of_the_page(month: Org, clock: Any, chart: str) -> None:
    c = login("bkpsdm")
    page = c.get("/dasbor/grafik/?bulan=2026-11")
    table = page.context["tables"][chart]
    r = c.get(f"/dasbor/grafik/?bulan=2026-11&format=xlsx&chart={chart}")
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    assert f"grafik-{chart}-20261101-20261123.xlsx" in r["Content-Disposition"]
    ws = load_workbook(io.BytesIO(r.content)).active
    assert ws is not None
    values = [list(row) for row in ws.iter_rows(values_only=True)]
    assert values[0][0] == table["title"]
    assert "1 November 2026 – 23 November 2026" in str(values[2][0])
    assert values[4] == table["header"]
    assert values[5:] == table["rows"]
    assert table["rows"]  # the seeded month has numbers in every chart


def test_queries_do_not_grow_with_the_data(month: Org, clock: Any, django_assert_max_num_queries: Any) -> None:
    """One GROUP BY per chart: the page costs the same few queries whatever the number of OPDs, weeks or
    employees (session, user, scope, OPD list, zone, and the charts' queries)."""
    c = login("bkpsdm")
    with django_assert_max_num_queries(20) as ctx:
        assert c.get("/dasbor/grafik/?bulan=2026-11").status_code == 200
    before = len(ctx.captured_queries)
    for i in range(5):  # more data: another week of statuses and check-ins
        d = dt.date(2026, 11, 2) + dt.timedelta(days=i)
        status(month.kadisdik, DayStatus.TK, d)
        CheckIn.objects.create(employee=month.kadisdik, kind="masuk", occurred_at=dt.datetime(2026, 11, 2, 0, 20, tzinfo=dt.UTC),
                               local_date=d, verdict="accepted", location=month.loc_disdik)
    with django_assert_max_num_queries(before):
        assert c.get("/dasbor/grafik/?bulan=2026-11").status_code == 200
