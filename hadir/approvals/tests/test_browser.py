"""In headless Chromium: a staff member files a dinas luar with a surat tugas, the atasan approves it
(and rejects a flagged check-in with a reason) from the inbox. Screenshots go to test-output/."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hadir.approvals.models import ApprovalItem
from hadir.leave.models import LeaveRequest, LeaveStatus
from hadir.leave.tests.test_services import PDF, clear_week
from hadir.presence.models import CheckIn, Validity
from hadir.testing import PASSWORD, Org

from .helpers import store_checkin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TIMEOUT = 15_000


@pytest.fixture
def contexts(browser: Any) -> Iterator[list[Any]]:
    made: list[Any] = []
    yield made
    for ctx in made:
        ctx.close()


def login(browser: Any, made: list[Any], base: str, username: str, next_path: str, lang: str = "id-ID") -> Any:
    ctx = browser.new_context(locale=lang, timezone_id="Asia/Jakarta", viewport={"width": 1300, "height": 900})
    ctx.set_default_timeout(TIMEOUT)
    made.append(ctx)
    page = ctx.new_page()
    page.goto(f"{base}/masuk/?next={next_path}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}{next_path}")
    return page


def test_file_dinas_luar_then_decide_in_inbox(browser: Any, contexts: list[Any], live_server: Any, org: Org,
                                              screenshot_dir: Path) -> None:
    monday = clear_week()
    flagged = store_checkin(org.staf, flags=["mock_location"])

    staf = login(browser, contexts, live_server.url, "staf", "/cuti/")
    assert staf.locator("#row-letter_number").is_hidden()  # only for dinas luar
    staf.select_option("#id_kind", "dinas_luar")
    assert staf.locator("#row-letter_number").is_visible()
    staf.fill("#id_start_date", monday.isoformat())
    staf.fill("#id_end_date", (monday + dt.timedelta(days=1)).isoformat())
    staf.fill("#id_reason", "Rapat koordinasi imunisasi")
    staf.fill("#id_letter_number", "090/321/DINKES/2026")
    staf.fill("#id_destination", "Dinas Kesehatan Provinsi Bengkulu")
    staf.set_input_files("#id_document", files=[{"name": "surat-tugas.pdf", "mimeType": "application/pdf",
                                                 "buffer": PDF}])
    staf.click("form.leave button[type=submit]")
    staf.wait_for_selector(".msgs .success")
    assert "Menunggu persetujuan" in staf.inner_text("#requests")
    staf.screenshot(path=str(screenshot_dir / "leave-mine.png"), full_page=True)

    sek = login(browser, contexts, live_server.url, "sekdin", "/persetujuan/")
    rows = sek.locator("tbody tr")
    assert rows.count() == 2
    sek.screenshot(path=str(screenshot_dir / "approvals-inbox.png"), full_page=True)
    leave_item = ApprovalItem.objects.get(kind="leave")
    sek.check(f"#item-{leave_item.pk} input[name=ids]")
    sek.click("button[value=approve]")
    sek.wait_for_selector(".msgs .success")
    assert LeaveRequest.objects.get().status == LeaveStatus.APPROVED

    checkin_item = ApprovalItem.objects.get(checkin=flagged)
    sek.check(f"#item-{checkin_item.pk} input[name=ids]")
    sek.click("button[value=reject]")  # no reason yet
    sek.wait_for_selector(".msgs .error")
    assert "Alasan wajib diisi" in sek.inner_text(".msgs")
    sek.check(f"#item-{checkin_item.pk} input[name=ids]")
    sek.fill("input[name=reason]", "Lokasi palsu (mock location)")
    sek.click("button[value=reject]")
    sek.wait_for_selector("#empty")
    assert CheckIn.objects.get(pk=flagged.pk).validity == Validity.INVALID
    sek.screenshot(path=str(screenshot_dir / "approvals-inbox-done.png"), full_page=True)
