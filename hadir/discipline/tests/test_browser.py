"""In Chromium: the atasan finds the case of their staff from the menu, summons, records the examination, and
gets the surat panggilan as PDF; the employee sees their ledger."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from hadir.discipline.cases import refresh_cases
from hadir.discipline.models import Case, CaseState
from hadir.testing import Org

from .test_cases import days_from

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]



def test_the_atasan_carries_a_case_and_prints_the_summons(page_of: Any, org: Org, live_server: Any,
                                                           screenshot_dir: Path) -> None:
    days_from(org.staf, dt.date(2026, 3, 2), ["tk", "tk", "tk"])
    refresh_cases(dt.date(2026, 3, 4))
    case = Case.objects.get()

    page = page_of("sekdin")  # the sekretaris holds staf's atasan position
    page.goto(f"{live_server.url}/disiplin/")
    page.click(f"#cases-ringan tr[data-case='{case.pk}'] a")
    assert page.locator("#case-evidence tbody tr").count() == 3
    page.fill("#step-summon input[name=number]", "800/17/SEK/2026")
    page.fill("#step-summon input[name=hearing_date]", "2026-03-10")
    page.click("#step-summon button")
    page.wait_for_selector("#messages .success")
    assert "Dipanggil" in page.inner_text("#case-state")
    with page.expect_download() as download:
        page.click("#case-letters a")
    assert download.value.suggested_filename == f"panggilan-{case.pk}.pdf"
    page.fill("#step-examine textarea", "Pegawai mengakui tidak masuk tanpa izin.")
    page.click("#step-examine button")
    page.wait_for_selector("#step-decide")
    page.screenshot(path=str(screenshot_dir / "discipline-case.png"), full_page=True)
    case.refresh_from_db()
    assert case.state == CaseState.EXAMINED and case.summons_number == "800/17/SEK/2026"

    mine = page_of("staf")
    mine.goto(f"{live_server.url}/disiplin/saya/")
    assert mine.inner_text("#ledger-tk") == "3"
    assert "Diperiksa" in mine.inner_text("#my-cases")
