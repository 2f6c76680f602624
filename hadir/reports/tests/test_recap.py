"""Recaps over a seeded fortnight: the counts, the day codes, the e-Kinerja CSV, and scoping."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client

from hadir.org.models import Employee
from hadir.presence.models import DailyStatus
from hadir.reports.recap import day_code, month_grid, recap
from hadir.testing import PASSWORD, Org

pytestmark = pytest.mark.django_db

OCT = dt.date(2026, 10, 1)


def put(emp: Any, day: int, status: str, **kw: Any) -> None:
    DailyStatus.objects.create(employee=emp, date=dt.date(2026, 10, day), status=status, closed=True,
                               is_working_day=status != "libur", **kw)


@pytest.fixture
def fortnight(org: Org) -> Org:
    put(org.staf, 1, "hadir")
    put(org.staf, 2, "terlambat", late_minutes=45, late_category="TL2", apel_pagi="tidak")
    put(org.staf, 3, "libur")
    put(org.staf, 5, "psw", early_minutes=70, early_category="PSW3")
    put(org.staf, 6, "tk")
    put(org.staf, 7, "cuti", excuse_ref="CUTI-1")
    put(org.staf, 8, "dl", excuse_ref="DL-2")
    put(org.staf, 9, "hadir", apel_pagi="hadir", corrected=True)
    put(org.guru, 1, "sakit")
    return org


@pytest.mark.parametrize(("status", "working", "late", "early", "code"), [
    ("hadir", True, "", "", "H"), ("terlambat", True, "TL3", "", "T3"), ("terlambat", True, "TL4", "PSW2", "T4"),
    ("psw", True, "", "PSW2", "P2"), ("tk", True, "", "", "TK"), ("izin", True, "", "", "I"),
    ("sakit", True, "", "", "S"), ("cuti", True, "", "", "C"), ("dl", True, "", "", "DL"),
    ("libur", False, "", "", "L"), ("hadir", False, "", "", "L"), ("belum", True, "", "", "B"),
])
def test_day_codes(status: str, working: bool, late: str, early: str, code: str) -> None:
    assert day_code(status, working, late, early) == code


def test_recap_counts_and_rate(fortnight: Org) -> None:
    rows = {r.employee_id: r for r in recap(Employee.objects.all(), OCT, dt.date(2026, 10, 14))}
    staf = rows[fortnight.staf.pk]
    c = staf.counts
    assert (c["working_days"], c["hadir"], c["terlambat"], c["tl2"], c["psw3"], c["tk"], c["cuti"], c["dl"]) == (
        7, 3, 1, 1, 1, 1, 1, 1)
    assert (staf.late_minutes, staf.early_minutes, c["apel_pagi"], c["apel_pagi_missed"], c["corrected"]) == (
        45, 70, 1, 1, 1)
    # attended: hadir ×2, terlambat, psw, dl = 5; not attended: tk = 1 (cuti is excused)
    assert (staf.attended, staf.not_attended) == (5, 1) and round(staf.rate or 0, 2) == 83.33
    assert rows[fortnight.kadis.pk].counts["working_days"] == 0 and rows[fortnight.kadis.pk].rate is None


def test_month_grid(fortnight: Org) -> None:
    dates, grid = month_grid(Employee.objects.filter(pk=fortnight.staf.pk), OCT)
    assert len(dates) == 31
    assert grid[fortnight.staf.pk][:9] == ["H", "T2", "L", "", "P3", "TK", "C", "DL", "H"]


def test_api_scoping_and_the_ekinerja_csv(fortnight: Org) -> None:
    op = Client()
    assert op.login(username="op_dinkes", password=PASSWORD)
    rows = op.get("/api/reports/recap", {"start": "2026-10-01", "end": "2026-10-14"}).json()
    names = {r["name"] for r in rows}
    assert fortnight.staf.name in names and fortnight.guru.name not in names
    assert op.get("/api/reports/recap", {"start": "2026-10-01", "end": "2026-10-14",
                                         "opd_id": str(fortnight.disdik.pk)}).status_code == 404
    bad = op.get("/api/reports/recap", {"start": "2026-10-14", "end": "2026-10-01"})
    assert bad.status_code == 400 and "sebelum tanggal awal" in bad.json()["message"]
    assert op.get("/api/reports/recap", {"start": "2025-01-01", "end": "2026-10-01"}).status_code == 400
    grid = op.get("/api/reports/grid", {"month": "2026-10"}).json()
    staf_row = next(r for r in grid["rows"] if r["employee_id"] == fortnight.staf.pk)
    assert staf_row["codes"][1] == "T2"
    response = op.get("/api/reports/ekinerja.csv", {"month": "2026-10"})
    table = list(csv.DictReader(io.StringIO(response.content.decode())))
    staf = next(r for r in table if r["nip"] == fortnight.staf.nip)
    assert (staf["hari_kerja"], staf["terlambat"], staf["menit_terlambat"], staf["tanpa_keterangan"],
            staf["tingkat_kehadiran"]) == ("7", "1", "45", "1", "83.33")
    # an employee sees only themselves
    staff = Client()
    assert staff.login(username="guru", password=PASSWORD)
    own = staff.get("/api/reports/recap", {"start": "2026-10-01", "end": "2026-10-14"}).json()
    assert [r["name"] for r in own] == [fortnight.guru.name] and own[0]["counts"]["sakit"] == 1


def test_the_excel_carries_the_api_figures(fortnight: Org) -> None:
    from openpyxl import load_workbook

    bk = Client()
    assert bk.login(username="bkpsdm", password=PASSWORD)
    api = {r["nip"]: r for r in bk.get("/api/reports/recap", {"start": "2026-10-01", "end": "2026-10-31"}).json()}
    response = bk.get("/api/reports/recap.xlsx", {"start": "2026-10-01", "end": "2026-10-31"})
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["Rekap OPD", *sorted([fortnight.dinkes.name, fortnight.disdik.name]), "Keterangan"]
    ws = wb[fortnight.dinkes.name]
    assert [ws["B4"].value.date(), ws["C4"].value.date()] == [dt.date(2026, 10, 1), dt.date(2026, 10, 31)]
    assert ws["B4"].number_format == "dd/mm/yyyy"  # real date cells, shown the Indonesian way
    header = [c.value for c in ws[6]]
    row = next(r for r in ws.iter_rows(min_row=7, values_only=True) if r[1] == fortnight.staf.nip)
    cells = dict(zip(header, row, strict=False))
    figures = api[fortnight.staf.nip]
    assert (cells["Hari kerja"], cells["Terlambat"], cells["TK"], cells["Menit terlambat"]) == (
        figures["counts"]["working_days"], figures["counts"]["terlambat"], figures["counts"]["tk"],
        figures["late_minutes"])
    assert cells["Tingkat kehadiran (%)"] == round(figures["rate"], 2)
    assert [cells[str(d)] for d in (1, 2, 3, 6)] == ["H", "T2", "L", "TK"]  # the day grid beside the totals
    assert ws.freeze_panes == "D7"
