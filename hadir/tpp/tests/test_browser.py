"""In Chromium: BKPSDM computes a month from the TPP page and follows it down to one employee's lines; the
employee reads "why my TPP was cut" in the phone app."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from hadir.presence.models import DayStatus
from hadir.testing import Clock, Org

from .test_engine import OCT, seed_month, set_day, working_days

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]



def test_bkpsdm_computes_and_the_employee_reads_the_lines(page_of: Any, org: Org, clock: Clock,
                                                            live_server: Any, screenshot_dir: Path) -> None:
    from hadir.tpp.models import Base, RuleSet

    clock.set(dt.datetime(2026, 11, 5, 9, tzinfo=dt.timezone(dt.timedelta(hours=7))), tick=True)
    RuleSet.objects.create(name="TPP ASN", legal_basis="Perbup Contoh No. 7 Tahun 2026",
                           legal_date=dt.date(2026, 1, 2), valid_from=dt.date(2026, 1, 1))
    for emp in (org.kadis, org.sekretaris, org.kabid, org.staf, org.staf_bidang, org.kadisdik, org.guru):
        Base.objects.create(employee=emp, amount=4_600_000, valid_from=dt.date(2026, 1, 1))
    seed_month(org, OCT)
    set_day(org.staf, working_days(OCT)[0], status=DayStatus.TERLAMBAT, late_category="TL3", late_minutes=75)
    set_day(org.staf, working_days(OCT)[1], status=DayStatus.TK)

    page = page_of("bkpsdm")
    page.click("#nav-tpp")
    page.fill("#id_bulan", "2026-10")
    page.click("#tpp-month button")
    page.click("#tpp-compute")
    page.wait_for_selector("#messages .success")
    assert "7 pegawai dihitung" in page.inner_text("#messages")
    assert "22.804.500" in page.inner_text("#tpp-totals") and "32.004.500" in page.inner_text("#tpp-sum-net")
    page.click(f"#tpp-totals tr[data-opd='{org.dinkes.pk}'] a")
    page.click(f"#tpp-rows tr[data-employee='{org.staf.pk}'] a")
    lines = page.locator("#tpp-lines tbody tr").all_inner_texts()
    assert len(lines) == 2 and "Terlambat TL3" in lines[0] and "57.500" in lines[0] and "138.000" in lines[1]
    assert "4.404.500" in page.inner_text("#tpp-net")
    page.screenshot(path=str(screenshot_dir / "tpp-detail.png"), full_page=True)

    phone = page_of("staf", viewport={"width": 390, "height": 844}, is_mobile=True)
    phone.goto(f"{live_server.url}/tpp/saya/?bulan=2026-10")
    assert "Rp 4.404.500" in phone.inner_text("#tpp-net")
    assert phone.locator("#tpp-lines tbody tr").count() == 2
    phone.screenshot(path=str(screenshot_dir / "tpp-mine.png"), full_page=True)
