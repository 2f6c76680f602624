"""The recap page, its Excel and PDF (the same figures in all three), background exports and who may download them,
the employee's own month, and bad input."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook
from pypdf import PdfReader

from hadir.approvals.models import Delegation
from hadir.org.models import Position
from hadir.presence.models import CheckIn, DailyStatus
from hadir.reports import exports
from hadir.reports.models import Export, ExportStatus
from hadir.reports.pdf import NUMBER_COLUMNS
from hadir.terminals.models import Terminal, TerminalDownDay
from hadir.testing import PASSWORD, Org

pytestmark = pytest.mark.django_db

OCT = dt.date(2026, 10, 1)


def put(emp: Any, day: int, status: str, **kw: Any) -> None:
    DailyStatus.objects.create(employee=emp, date=dt.date(2026, 10, day), status=status, closed=True,
                               is_working_day=status != "libur", **kw)


@pytest.fixture
def month(org: Org) -> Org:
    """October 2026: Dewi (staf) late, early, TK, on leave and on duty; Budi (kabid) twice TK; Rina (guru) sick."""
    put(org.staf, 1, "hadir")
    put(org.staf, 2, "terlambat", late_minutes=45, late_category="TL2")
    put(org.staf, 3, "libur")
    put(org.staf, 5, "psw", early_minutes=70, early_category="PSW3")
    put(org.staf, 6, "tk")
    put(org.staf, 7, "dl")
    put(org.staf, 8, "hadir", apel_pagi="hadir")
    put(org.kabid, 1, "tk")
    put(org.kabid, 2, "tk")
    put(org.kabid, 5, "hadir")
    put(org.guru, 1, "sakit")
    put(org.guru, 2, "hadir")
    terminal = Terminal.objects.create(serial_number="RPT0001", unit=org.dinkes, location=org.loc_dinkes)
    TerminalDownDay.objects.create(terminal=terminal, opd=org.dinkes, date=dt.date(2026, 10, 5))
    return org


def head(org: Org) -> Position:
    assert org.kadis.position is not None
    return org.kadis.position


def client(username: str) -> Client:
    c = Client()
    assert c.login(username=username, password=PASSWORD)
    return c


def page_rows(html: str) -> dict[str, dict[str, str]]:
    """NIP → {column key: cell text} from the page's per-employee table."""
    out: dict[str, dict[str, str]] = {}
    for nip, body in re.findall(r'<tr data-nip="([^"]*)"[^>]*>(.*?)</tr>', html, re.S):
        out[nip] = {k: v.strip() for k, v in re.findall(r'data-k="([a-z0-9_]+)">([^<]*)<', body)}
    return out


def test_page_for_an_opd_shows_each_employee_and_the_grid(month: Org) -> None:
    op = client("op_dinkes")
    html = op.get("/laporan/", {"start": "2026-10-01", "end": "2026-10-31"}).content.decode()
    rows = page_rows(html)
    staf = rows[str(month.staf.nip)]
    assert (staf["working_days"], staf["hadir"], staf["tl2"], staf["late_minutes"], staf["psw3"], staf["tk"],
            staf["dl"], staf["terminal_down_days"]) == ("6", "3", "1", "45", "1", "1", "1", "1")  # H: on time (a PSW day too)
    assert staf["rate"] == "83,33"  # 5 of 6: Indonesian decimal comma
    assert month.guru.nip not in rows  # another OPD
    assert 'id="recap-grid"' in html and "Dinas Kesehatan" in html


def test_regency_page_totals_per_opd_for_bkpsdm(month: Org) -> None:
    html = client("bkpsdm").get("/laporan/", {"start": "2026-10-01", "end": "2026-10-31"}).content.decode()
    opds = dict(re.findall(r'<tr data-name="([^"]+)">.*?data-k="rate">([^<]*)<', html, re.S))
    # Dinas Kesehatan: hadir/late/psw/dl of Dewi (5) + Budi (1) attended; TK 1 + 2 → 6 / 9
    assert opds[month.dinkes.name] == "66,67" and opds[month.disdik.name] == "100,00"


@pytest.mark.parametrize(("params", "status", "message"), [
    ({"start": "2025-01-01", "end": "2026-10-31"}, 400, "paling lama satu tahun"),
    ({"start": "2026-10-31", "end": "2026-10-01"}, 400, "sebelum tanggal awal"),
    ({"start": "2026-10-01", "end": "2099-01-31"}, 400, "masa depan"),
    ({"start": "2026-13-01", "end": "2026-10-31"}, 400, "Tanggal tidak valid"),
    ({"start": "2026-10-01", "end": "2026-10-31", "opd": "abc"}, 400, "Pilihan tidak valid"),
])
def test_bad_filters_answer_a_message(month: Org, params: dict[str, str], status: int, message: str) -> None:
    response = client("op_dinkes").get("/laporan/", params)
    assert response.status_code == status and message in response.content.decode()


def test_an_opd_outside_ones_scope_is_not_found(month: Org) -> None:
    response = client("op_dinkes").get("/laporan/", {"start": "2026-10-01", "end": "2026-10-31",
                                                     "opd": str(month.disdik.pk)})
    assert response.status_code == 404 and "OPD tidak ditemukan" in response.content.decode()
    api = client("op_dinkes").get("/api/reports/recap", {"start": "2026-10-01", "end": "2099-10-31"})
    assert api.status_code == 400 and "masa depan" in api.json()["message"]


def test_page_excel_and_pdf_carry_the_same_figures(month: Org) -> None:
    """The consistency check of the issue: a seeded month, the page's cells, the Excel's cells, the PDF's text."""
    Delegation.objects.create(position=head(month), delegate=month.sekretaris, kind="plt",
                              start_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 1, 31))
    op = client("op_dinkes")
    params = {"start": "2026-10-01", "end": "2026-10-31"}
    page = page_rows(op.get("/laporan/", params).content.decode())
    xlsx = op.post("/laporan/ekspor/", {**params, "format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx["Content-Disposition"].endswith('.xlsx"')
    ws = load_workbook(io.BytesIO(xlsx.content))[month.dinkes.name]
    header = [c.value for c in ws[6]]
    pdf = op.post("/laporan/ekspor/", {**params, "format": "pdf"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(pdf.content))
    text = "\n".join(p.extract_text() for p in reader.pages)
    for emp in (month.staf, month.kabid):
        cells = dict(zip(header, next(r for r in ws.iter_rows(min_row=7, values_only=True) if r[1] == emp.nip),
                         strict=False))
        shown = page[str(emp.nip)]
        assert str(cells["Hari kerja"]) == shown["working_days"]
        assert str(cells["TK"]) == shown["tk"]
        assert str(cells["Menit terlambat"]) == shown["late_minutes"]
        assert f"{cells['Tingkat kehadiran (%)']:.2f}".replace(".", ",") == shown["rate"]
        # the PDF's row (one cell a line): name, NIP, then the numbers in the summary's order, and the rate
        lines = [ln.strip() for ln in text.split("\n")]
        at = lines.index(str(emp.nip))
        cells_pdf = dict(zip([k for k, _label in NUMBER_COLUMNS] + ["rate"], lines[at + 1:at + 2 + len(NUMBER_COLUMNS)],
                             strict=True))
        assert {k: cells_pdf[k] for k in shown if k in cells_pdf} == {k: v for k, v in shown.items()
                                                                        if k != "roll_calls"}
        assert shown["roll_calls"] == f"{cells_pdf['roll_calls_ok']}/{cells_pdf['roll_calls_asked']}"
    # letterhead, period, page numbers, signature of the OPD head from the organisation data
    assert "1 Oktober 2026 – 31 Oktober 2026" in text
    assert re.search(r"Halaman 1 dari \d+", text)
    assert month.kadis.name in text and f"NIP. {month.kadis.nip}" in text and head(month).name in text


def test_the_plt_signs_while_appointed(month: Org, settings: Any) -> None:
    from hadir.reports.pdf import signer_of

    Delegation.objects.create(position=head(month), delegate=month.sekretaris, kind="plt",
                              start_date=dt.date(2026, 11, 1), end_date=dt.date(2026, 11, 30))
    during = signer_of(month.dinkes, dt.date(2026, 11, 10))
    assert during is not None and during.name == month.sekretaris.name and during.title.startswith("Plt.")
    after = signer_of(month.dinkes, dt.date(2026, 12, 1))
    assert after is not None and after.name == month.kadis.name


def test_a_long_export_runs_in_the_background_and_only_its_requester_and_bkpsdm_get_it(
        month: Org, settings: Any, django_capture_on_commit_callbacks: Any) -> None:
    settings.HADIR_REPORT_SYNC_MAX_EMPLOYEES = 1
    op = client("op_dinkes")
    with django_capture_on_commit_callbacks(execute=True):
        response = op.post("/laporan/ekspor/", {"start": "2026-10-01", "end": "2026-10-31", "format": "xlsx"})
    job = Export.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/laporan/ekspor/{job.pk}/"
    assert (job.status, job.progress, job.requester.username) == (ExportStatus.DONE, 100, "op_dinkes")
    status_page = op.get(f"/laporan/ekspor/{job.pk}/").content.decode()
    assert 'id="export-bar"' in status_page and 'value="100"' in status_page and "export-download" in status_page
    download = op.get(f"/laporan/ekspor/{job.pk}/unduh/")
    assert download.status_code == 200
    content = b"".join(download.streaming_content)  # type: ignore[attr-defined]
    wb = load_workbook(io.BytesIO(content))
    assert month.dinkes.name in wb.sheetnames
    assert client("op_disdik").get(f"/laporan/ekspor/{job.pk}/unduh/").status_code == 404
    assert client("op_disdik").get(f"/laporan/ekspor/{job.pk}/").status_code == 404
    assert client("bkpsdm").get(f"/laporan/ekspor/{job.pk}/unduh/").status_code == 200
    assert month.operator_dinkes.notifications.filter(subject="Rekap siap diunduh").count() == 1
    # kept for HADIR_REPORT_EXPORT_DAYS days, then gone with its file
    path = job.file.path
    assert exports.purge_exports(now=job.created_at + dt.timedelta(days=settings.HADIR_REPORT_EXPORT_DAYS + 1)) == 1
    assert not Export.objects.exists()
    import os
    assert not os.path.exists(path)


def test_progress_is_recorded_per_opd(month: Org, settings: Any) -> None:
    from hadir.reports import scope as sc

    seen: list[int] = []
    sel = sc.select(month.admin_bkpsdm, OCT, dt.date(2026, 10, 31))
    exports.render(sel, "xlsx", progress=lambda done, total: seen.append(done * 100 // total))
    assert seen == [50, 100]  # two OPDs: Dinas Kesehatan, Dinas Pendidikan


def test_export_with_a_bad_format_or_scope_writes_nothing(month: Org) -> None:
    op = client("op_dinkes")
    assert op.post("/laporan/ekspor/", {"start": "2026-10-01", "end": "2026-10-31", "format": "doc"}
                   ).status_code == 400
    assert op.post("/laporan/ekspor/", {"start": "2026-10-01", "end": "2026-10-31", "format": "pdf",
                                        "opd": month.disdik.pk}).status_code == 404
    assert not Export.objects.exists()


def test_employee_sees_their_month_and_downloads_it(month: Org) -> None:
    staf = client("staf")
    assert staf.get("/laporan/").status_code == 302  # no dashboard scope: their own month
    html = staf.get("/laporan/saya/", {"bulan": "2026-10"}).content.decode()
    assert 'data-date="2026-10-06"' in html
    cells = dict(re.findall(r'data-date="(2026-10-0\d)"><span class="n">\d+</span><b>([^<]*)</b>', html))
    assert [cells[f"2026-10-0{d}"] for d in (1, 2, 3, 5, 6, 7)] == ["H", "T2", "L", "P3", "TK", "DL"]
    assert 'id="my-rate">83,33%' in html
    pdf = staf.get("/laporan/saya/rekap.pdf", {"bulan": "2026-10"})
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert month.staf.name in text and "83,33" in text and month.kabid.name not in text
    assert staf.get("/laporan/saya/", {"bulan": "2026-99"}).status_code == 400
    assert staf.get("/laporan/saya/", {"bulan": "2099-01"}).status_code == 400
    # someone else's recap through the API: not found
    assert staf.get("/api/reports/recap", {"start": "2026-10-01", "end": "2026-10-31",
                                           "employee_id": str(month.kabid.pk)}).status_code == 404


def test_invalid_checkins_and_leave_kinds_are_counted(month: Org) -> None:
    from hadir.leave.models import LeaveRequest
    from hadir.reports.recap import recap

    leave = LeaveRequest.objects.create(employee=month.guru, kind="cuti_tahunan", start_date=dt.date(2026, 10, 6),
                                        end_date=dt.date(2026, 10, 6), reason="keluarga", status="approved")
    put(month.guru, 6, "cuti", excuse_ref=f"CUTI-{leave.pk}")
    CheckIn.objects.create(employee=month.guru, kind="in", source="mobile", occurred_at=dt.datetime(
        2026, 10, 2, 0, 30, tzinfo=dt.UTC), local_date=dt.date(2026, 10, 2), verdict="accepted", validity="invalid")
    row = next(r for r in recap(month.guru.__class__.objects.filter(pk=month.guru.pk), OCT, dt.date(2026, 10, 31)))
    assert (row.invalid_checkins, row.leave_kinds, row.counts["cuti"]) == (1, {"cuti_tahunan": 1}, 1)


def test_exports_through_the_api(month: Org, django_capture_on_commit_callbacks: Any) -> None:
    op = client("op_dinkes")
    bad = op.post("/api/reports/exports", {"start": "2026-10-01", "end": "2026-10-31", "format": "doc"},
                  content_type="application/json")
    assert bad.status_code == 400 and bad.json()["message"] == "Format harus xlsx atau pdf."
    outside = op.post("/api/reports/exports", {"start": "2026-10-01", "end": "2026-10-31", "format": "pdf",
                                               "opd_id": month.disdik.pk}, content_type="application/json")
    assert outside.status_code == 404 and not Export.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        made = op.post("/api/reports/exports", {"start": "2026-10-01", "end": "2026-10-31", "format": "pdf"},
                       content_type="application/json")
    assert made.status_code == 202 and made.json()["status"] == "queued"
    job_id = made.json()["id"]
    status = op.get(f"/api/reports/exports/{job_id}").json()
    assert (status["status"], status["progress"]) == ("done", 100)
    pdf = op.get(status["download_url"])
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
    assert client("op_disdik").get(f"/api/reports/exports/{job_id}").status_code == 404
    assert client("op_disdik").get(status["download_url"]).status_code == 404
