"""In Chromium: BKPSDM finds a week's dinas luar from the menu; an operator sees only their OPD's."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from hadir.leave.models import LeaveRequest, LeaveStatus
from hadir.testing import Org

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]




def test_bkpsdm_finds_a_weeks_dinas_luar(page_of: Any, org: Org) -> None:
    monday = dt.date(2026, 11, 16)

    def request(emp: Any, kind: str, start: dt.date, letter: str = "") -> None:
        LeaveRequest.objects.create(employee=emp, kind=kind, start_date=start, end_date=start, reason="Uji",
                                    days=1, working_days=1, status=LeaveStatus.APPROVED, letter_number=letter)

    request(org.staf, "dinas_luar", monday + dt.timedelta(days=1), "090/1/DINKES")
    request(org.guru, "dinas_luar", monday + dt.timedelta(days=2), "090/7/DISDIK")
    request(org.kabid, "dinas_luar", monday + dt.timedelta(days=14), "090/9/DINKES")  # another week
    request(org.sekretaris, "izin_sakit", monday)

    page = page_of("bkpsdm")
    assert page.url.endswith("/dasbor/")  # admins land on the dashboard
    page.click("#nav-leave-overview")
    page.wait_for_selector("#leave-filters")
    page.select_option("#id_kind", "dinas_luar")
    page.fill("#id_start", monday.isoformat())
    page.fill("#id_end", (monday + dt.timedelta(days=6)).isoformat())
    page.click("#leave-filters button[type=submit]")
    page.wait_for_url("**/cuti/ikhtisar/?*")
    rows = page.locator("#leave-table tbody tr").all_inner_texts()
    assert len(rows) == 2
    assert any("090/1/DINKES" in r for r in rows) and any("090/7/DISDIK" in r for r in rows)
    assert "2 pengajuan" in page.inner_text("#leave-total")

    operator = page_of("op_dinkes")
    assert operator.url.endswith("/dasbor/")  # admins land on the dashboard
    operator.click("#nav-leave-overview")
    operator.wait_for_selector("#leave-table")
    text = operator.inner_text("#leave-table")
    assert "090/1/DINKES" in text and "090/7/DISDIK" not in text
