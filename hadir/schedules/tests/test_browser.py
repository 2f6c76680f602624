"""The roster-from-rotation page in headless Chromium (operator of Dinas Kesehatan)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from hadir.schedules.models import Shift, ShiftAssignment
from hadir.testing import PASSWORD, Org

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_operator_builds_roster_in_the_browser(live_server: Any, browser: Any, org: Org,
                                               screenshot_dir: Path) -> None:
    # (a transactional test starts from empty tables: the migration's shifts are not there)
    for code, start, end in [("pagi", 7, 14), ("siang", 14, 21), ("malam", 21, 7)]:
        Shift.objects.create(code=code, name=code.capitalize(), start=dt.time(start), end=dt.time(end))
    page = browser.new_page(viewport={"width": 1280, "height": 1000}, locale="id-ID")
    page.set_default_timeout(15_000)
    try:
        page.goto(f"{live_server.url}/admin/login/")
        page.fill("#id_username", "op_dinkes")
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        page.goto(f"{live_server.url}/admin/schedules/shiftassignment/")
        page.click("text=Buat jadwal sebulan dari rotasi")
        page.wait_for_selector("#id_rotation")
        page.select_option("#id_unit", label="Sekretariat Dinas Kesehatan")
        page.fill("#id_month", "2026-12")
        page.fill("#id_rotation", "pagi, siang, malam, -")
        page.click("input[type=submit][value='Buat jadwal']")
        page.wait_for_selector("#roster-coverage")
        assert "baris baru" in page.content()
        page.screenshot(path=str(screenshot_dir / "schedules-roster-rotation.png"), full_page=False)
        assert page.locator("#roster-coverage tbody tr").count() == 31
    finally:
        page.close()
    assert ShiftAssignment.objects.filter(date__month=12, employee=org.staf).count() == 31
