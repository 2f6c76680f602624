"""End to end with the daily status: an invalid check-in counts as absent, approved
leave excuses the day, approved dinas luar lifts the geofence — all refreshed by the decision itself."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import holidays
from django.test import TestCase
from django.utils import timezone

from hadir.approvals.models import ApprovalItem
from hadir.approvals.services import decide
from hadir.leave import rules
from hadir.leave.facts import geofence_lifted
from hadir.leave.services import LeaveInput, request_leave
from hadir.presence import daily, pipeline
from hadir.presence.models import DailyStatus
from hadir.testing import Org

from .helpers import store_checkin

WIB = ZoneInfo("Asia/Jakarta")


def last_workday() -> dt.date:
    day = timezone.localdate() - dt.timedelta(days=1)
    while day.weekday() >= 5 or day in holidays.country_holidays("ID", years=day.year):
        day -= dt.timedelta(days=1)
    return day


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), WIB)


def test_invalid_checkin_counts_as_absent(org: Org) -> None:
    day = last_workday()
    masuk = store_checkin(org.staf, kind="masuk", day=day, occurred_at=at(day, 7, 25), location=org.loc_dinkes)
    store_checkin(org.staf, kind="pulang", flags=[], day=day, occurred_at=at(day, 16, 5), location=org.loc_dinkes)
    before = daily.recompute_employee_day(org.staf.pk, day)
    assert before.first_in is not None and not before.missing_in
    item = ApprovalItem.objects.get(checkin=masuk)
    with TestCase.captureOnCommitCallbacks(execute=True):
        decide(item.pk, org.sekretaris.user, False, "Swafoto bukan yang bersangkutan")
    after = DailyStatus.objects.get(employee=org.staf, date=day)
    assert after.first_in is None and after.missing_in  # the refresh ran on commit of the decision


def test_only_checkin_invalid_means_absent_day(org: Org) -> None:
    day = last_workday()
    masuk = store_checkin(org.kabid, kind="masuk", day=day, occurred_at=at(day, 7, 10), location=org.loc_dinkes)
    assert daily.recompute_employee_day(org.kabid.pk, day).status in ("hadir", "terlambat", "psw")
    with TestCase.captureOnCommitCallbacks(execute=True):
        decide(ApprovalItem.objects.get(checkin=masuk).pk, org.kadis.user, False, "Di luar lokasi")
    assert DailyStatus.objects.get(employee=org.kabid, date=day).status in ("tk", "belum")


def test_approved_leave_excuses_the_day(org: Org) -> None:
    day = last_workday()
    req = request_leave(org.staf_bidang, org.staf_bidang.user,
                        LeaveInput(rules.IZIN_SAKIT, day, day, "Demam"))
    assert daily.recompute_employee_day(org.staf_bidang.pk, day).status != "sakit"
    with TestCase.captureOnCommitCallbacks(execute=True):
        decide(ApprovalItem.objects.get(leave_request=req).pk, org.kabid.user, True)
    row = DailyStatus.objects.get(employee=org.staf_bidang, date=day)
    assert (row.status, row.excuse_ref) == ("sakit", f"SAKIT-{req.pk}")


def test_dinas_luar_lifts_geofence_in_the_pipeline(org: Org) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from hadir.leave.tests.test_services import PDF

    today = timezone.localdate()
    req = request_leave(org.staf, org.staf.user, LeaveInput(
        rules.DINAS_LUAR, today, today, "Rakor", "090/9/2026", "Kota Bengkulu",
        SimpleUploadedFile("st.pdf", PDF)))
    decide(ApprovalItem.objects.get(leave_request=req).pk, org.sekretaris.user, True)
    assert geofence_lifted(org.staf.pk, today)
    attempt = pipeline.CheckInAttempt(employee=org.staf, kind="masuk", latitude=-6.2, longitude=106.8,
                                      accuracy_m=10)  # Jakarta, far outside every fence
    row, created = pipeline.record_checkin(attempt)
    assert created and row.reason_code != "outside_geofence"
