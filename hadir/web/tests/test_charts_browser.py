"""The chart page in headless Chromium as the demo's BKPSDM admin: the charts of last month (the demo's
history covers it whole), the map of check-ins per location, and a chart downloaded as PNG."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from hadir.testing import PASSWORD, run_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_bkpsdm_reads_last_months_charts_and_downloads_a_png(page_of: Any, live_server: Any, settings: Any,
                                                             screenshot_dir: Path) -> None:
    settings.HADIR_MAP_TILE_URL = ""  # no tile server in tests: the circles show on a plain background
    run_demo()  # with the apps' hooks: the presence history (check-ins, daily statuses)
    user = get_user_model().objects.get(username="admin.bkpsdm")
    user.set_password(PASSWORD)
    user.save()
    last_month = (dt.date.today().replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    page = page_of("admin.bkpsdm")
    # Let the landing board finish its own map request first: the live server shares one in-memory SQLite
    # connection between its threads, and two requests querying at once there can stall each other.
    page.wait_for_selector("#map[data-loaded]", state="attached")
    page.goto(f"{live_server.url}/dasbor/grafik/?bulan={last_month}")
    page.screenshot(path=str(screenshot_dir / "charts-month.png"), full_page=True)
    page.wait_for_selector("#chart-rank rect.bar")
    assert page.locator("#chart-rank rect.bar").count() > 3  # every OPD of the regency
    assert page.locator("#chart-weekly polyline.series").count() >= 2  # the worst OPDs and the regency
    first_tick = page.locator("#chart-rank text").first.text_content()
    assert first_tick != "0%"  # the axis is fitted to the data
    assert page.locator("#heat-weekly tbody tr").count() > 3
    assert int(page.get_attribute("#map", "data-points") or "0") > 0
    assert page.locator("#chart-map circle.loc").count() > 0
    shot = screenshot_dir / "charts-month.png"
    page.screenshot(path=str(shot), full_page=True)
    with page.expect_download() as info:
        page.click("button.png[data-svg='chart-rank']")
    download = info.value
    assert download.suggested_filename == "tingkat-kehadiran-per-opd.png"
    with open(download.path(), "rb") as fh:
        assert fh.read(8) == b"\x89PNG\r\n\x1a\n"
    with page.expect_download() as info:
        page.click("#xlsx-tk")
    assert info.value.suggested_filename.startswith("grafik-tk-") and info.value.suggested_filename.endswith(".xlsx")
