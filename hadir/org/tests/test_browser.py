"""The admin in headless Chromium: operator logs in, switches the language, uploads a bad file, sees the
row-by-row report, fixes it and imports. Screenshots go to screenshot_dir (test-output/)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from hadir.org.models import Employee
from hadir.testing import PASSWORD, Org

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TIMEOUT = 15_000
HEADER = "Nama,NIP,Jenis Pegawai,Kode Unit,TPP Dasar\n"


def test_operator_imports_employees_through_the_admin(live_server: Any, browser: Any, org: Org,
                                                       screenshot_dir: Path, tmp_path: Path) -> None:
    bad = tmp_path / "pegawai-salah.csv"
    bad.write_text(HEADER + "Ani Wulandari,198804042012031001,PNS,DINKES,Rp 2.500.000\n"
                   "Budi Hartono,198804042012031002,PNS,DISDIK,2.500.000\n"
                   "Cici Amelia,19880404201203100,PNS,DINKES,2.500.000\n", encoding="utf-8")
    good = tmp_path / "pegawai.csv"
    good.write_text(HEADER + "Ani Wulandari,198804042012031001,PNS,DINKES,Rp 2.500.000\n"
                    "Cici Amelia,198804042012032003,PNS,PKM-TE,2.500.000\n", encoding="utf-8")
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="id-ID")
    page.set_default_timeout(TIMEOUT)
    try:
        page.goto(f"{live_server.url}/admin/login/")
        assert page.locator("#hadir-lang-select").input_value() == "id"
        page.fill("#id_username", "op_dinkes")
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        page.goto(f"{live_server.url}/admin/org/employee/")
        assert "Dewi Lestari" in page.content() and "Rina Marlina" not in page.content()
        page.click("text=Impor dari Excel/CSV")
        page.wait_for_selector("input[type=file]")
        page.set_input_files("input[type=file]", str(bad))
        page.click("input[type=submit][value='Periksa dan impor']")
        page.wait_for_selector("#import-errors")
        rows = page.locator("#import-errors tbody tr")
        assert rows.count() == 2
        assert "kode unit DISDIK tidak dikenal" in rows.nth(0).inner_text()
        assert "NIP harus 18 digit angka" in rows.nth(1).inner_text()
        page.screenshot(path=str(screenshot_dir / "org-admin-import-errors.png"), full_page=True)
        assert not Employee.objects.filter(name="Ani Wulandari").exists()

        page.set_input_files("input[type=file]", str(good))
        page.click("input[type=submit][value='Periksa dan impor']")
        page.wait_for_selector("text=2 baris diperiksa: 2 dibuat, 0 diperbarui.")
        assert Employee.objects.filter(name__in=["Ani Wulandari", "Cici Amelia"]).count() == 2

        page.select_option("#hadir-lang-select", "en")
        page.wait_for_selector("text=Import data")
        assert page.locator("html").get_attribute("lang") == "en"
        page.goto(f"{live_server.url}/admin/org/employee/")
        page.wait_for_selector("text=Select employee to change")
        page.screenshot(path=str(screenshot_dir / "org-admin-employees-en.png"), full_page=True)
    finally:
        page.close()
