"""In Chromium: BKPSDM opens the recap from the menu, narrows it to an OPD (htmx swaps the result), asks for a
regency Excel that runs in the background, watches the progress bar reach 100 % and downloads the file; an employee
downloads their own month as PDF from the app."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from openpyxl import load_workbook

from hadir.org.models import Employee
from hadir.presence.models import DailyStatus
from hadir.reports.models import Export
from hadir.testing import Org

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _seed(org: Org) -> None:
    for day, status in [(1, "hadir"), (2, "tk"), (5, "hadir")]:
        DailyStatus.objects.create(employee=org.staf, date=dt.date(2026, 10, day), status=status, closed=True)
    DailyStatus.objects.create(employee=org.guru, date=dt.date(2026, 10, 1), status="hadir", closed=True)


def test_recap_page_progress_and_download(page_of: Any, org: Org, settings: Any) -> None:
    _seed(org)
    settings.HADIR_REPORT_SYNC_MAX_EMPLOYEES = 2  # the regency (7 staff) is a "long" export here
    page = page_of("bkpsdm")
    page.click("#nav-reports")
    page.fill("input[name=start]", "2026-10-01")
    page.fill("input[name=end]", "2026-10-31")
    page.click("#recap-filters button")
    page.wait_for_selector("#recap-opds")
    assert org.dinkes.name in page.inner_text("#recap-opds") and org.disdik.name in page.inner_text("#recap-opds")

    # narrow to one OPD: the result is swapped in place and the URL follows
    page.select_option("#recap-opd", str(org.dinkes.pk))
    page.wait_for_url(f"**opd={org.dinkes.pk}*")
    page.wait_for_selector("#recap-opds", state="detached")  # one OPD: no table per OPD any more
    row = page.locator(f"#recap-rows tr[data-nip='{org.staf.nip}']")
    assert row.locator("[data-k=tk]").inner_text() == "1" and row.locator("[data-k=rate]").inner_text() == "66,67"
    dinkes_staff = Employee.objects.filter(unit__opd=org.dinkes, is_active=True).count()
    assert page.locator("#recap-rows tr[data-nip]").count() == dinkes_staff == 5  # Dinas Kesehatan's staff only

    # the whole regency as Excel: a background export with a progress bar, then the download
    page.select_option("#recap-opd", "")
    page.wait_for_selector("#recap-opds")
    page.click("#export-xlsx")
    page.wait_for_url("**/laporan/ekspor/*/")
    page.wait_for_selector("#export-download")
    assert page.get_attribute("#export-bar", "value") == "100"
    assert page.inner_text("#export-percent") == "100%"
    with page.expect_download() as info:
        page.click("#export-download")
    download = info.value
    assert download.suggested_filename.endswith("-20261001-20261031.xlsx")
    wb = load_workbook(io.BytesIO(open(download.path(), "rb").read()))
    assert wb.sheetnames[0] == "Rekap OPD" and org.disdik.name in wb.sheetnames
    assert Export.objects.get().requester.username == "bkpsdm"


def test_employee_month_in_the_app(page_of: Any, org: Org) -> None:
    today = dt.date.today()
    DailyStatus.objects.create(employee=org.staf, date=today.replace(day=1), status="tk", closed=True,
                               is_working_day=True)
    page = page_of("staf")
    assert "/m/" in page.url  # staff land in the app
    page.click("#tab-reports")
    page.wait_for_selector("#my-grid")
    assert page.locator(f"#my-grid [data-date='{today.replace(day=1):%Y-%m-%d}'] b").inner_text() == "TK"
    with page.expect_download() as info:
        page.click("#my-pdf")
    assert info.value.suggested_filename == f"rekap-{org.staf.nip}-{today:%Y-%m}.pdf"
    assert open(info.value.path(), "rb").read(5) == b"%PDF-"
