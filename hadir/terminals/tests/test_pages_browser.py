"""The OPD terminal page in a real browser (screenshot in test-output/)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from hadir.terminals import protocol, services
from hadir.terminals.models import Terminal, TerminalDownDay, TerminalStatus
from hadir.testing import Org


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_operator_sees_terminal_health(live_server: Any, browser: Any, screenshot_dir: Path, org: Org) -> None:
    online = Terminal.objects.create(serial_number="CKJE201160001", name="Lobi Dinkes", unit=org.dinkes,
                                     location=org.loc_dinkes, status=TerminalStatus.ACTIVE, firmware="Ver 8.0.4.2")
    services.touch(online, "10.1.1.201")
    today = timezone.now().astimezone(online.tzinfo).date()
    lines = [protocol.parse_attlog_line(f"{1000 + i}\t{today} 07:{i % 60:02d}:00\t0\t1") for i in range(87)]
    services.store_attlog(online, [ln for ln in lines if ln is not None])
    silent = Terminal.objects.create(serial_number="CKJE201160002", name="Puskesmas Talang Empat",
                                     unit=org.puskesmas, location=org.loc_puskesmas, status=TerminalStatus.ACTIVE)
    services.touch(silent, "10.1.2.201", timezone.now() - dt.timedelta(hours=5))
    TerminalDownDay.objects.create(terminal=silent, opd=org.dinkes, date=timezone.localdate() - dt.timedelta(days=1),
                                   office_start=dt.time(7, 30), office_end=dt.time(16))
    client = Client()
    client.force_login(org.operator_dinkes)  # the login page belongs to another app; a session is enough here
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="id-ID")
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                          "url": live_server.url}])
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/iclock/pantau/{org.dinkes.pk}/")
        page.wait_for_selector("#terminals")
        rows = page.locator("#terminals tbody tr")
        assert rows.count() == 2
        lobi = page.locator("tr[data-sn=CKJE201160001]")
        assert "Daring" in lobi.inner_text() and "87" in lobi.inner_text()
        assert "Luring" in page.locator("tr[data-sn=CKJE201160002]").inner_text()
        assert page.locator("#down-days tbody tr").count() == 1
        page.screenshot(path=str(screenshot_dir / "terminals-opd.png"), full_page=True)
    finally:
        context.close()
