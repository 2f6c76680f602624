"""PP 94/2021 cases: opened at a threshold, kept in step with the facts, carried through their states in order by
the right authority, and read by the TPP engine as active sanctions."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from hadir.audit.models import AuditEntry
from hadir.discipline.cases import refresh_cases
from hadir.discipline.models import Case, CaseState
from hadir.discipline.sanctions import active_tukin_cuts
from hadir.notify.models import Notification
from hadir.presence.models import DailyStatus, DayStatus
from hadir.testing import PASSWORD, Org

pytestmark = pytest.mark.django_db


def weekdays(start: dt.date, n: int) -> list[dt.date]:
    out: list[dt.date] = []
    d = start
    while len(out) < n:
        if d.weekday() < 5:
            out.append(d)
        d += dt.timedelta(days=1)
    return out


def days_from(emp: Any, start: dt.date, statuses: list[str]) -> list[dt.date]:
    """Working days from `start` with the given statuses (weekends written as libur in between)."""
    days = weekdays(start, len(statuses))
    d = start
    rows = []
    while d <= days[-1]:
        if d.weekday() >= 5:
            rows.append(DailyStatus(employee=emp, date=d, status=DayStatus.LIBUR, is_working_day=False, closed=True))
        d += dt.timedelta(days=1)
    rows += [DailyStatus(employee=emp, date=day, status=st, is_working_day=True, closed=True)
             for day, st in zip(days, statuses, strict=True)]
    DailyStatus.objects.bulk_create(rows)
    return days


def client_for(username: str) -> Client:
    c = Client()
    assert c.login(username=username, password=PASSWORD)
    return c


def test_a_case_opens_at_three_days_and_rises_with_the_count(org: Org) -> None:
    days = days_from(org.staf, dt.date(2026, 3, 2), ["tk", "hadir", "tk", "hadir", "tk"])
    refresh_cases(days[-1])
    case = Case.objects.get(employee=org.staf)
    assert (case.threshold, case.level, case.authority, case.state) == ("3-3", "ringan", "atasan", "proposed")
    assert case.evidence == [d.isoformat() for d in (days[0], days[2], days[4])]
    assert AuditEntry.objects.filter(action="discipline.case_open").count() == 1
    # the employee and the atasan (sekretaris holds staf's parent position) are told, once
    told = set(Notification.objects.filter(key__startswith="pp94-crossed").values_list("user__username", flat=True))
    assert told == {"staf", "sekdin"}
    refresh_cases(days[-1])
    assert Case.objects.count() == 1 and Notification.objects.filter(key__startswith="pp94-crossed").count() == 2
    # one more TK: 4 days, the proposal rises to teguran tertulis (still one case)
    more = days_from(org.staf, dt.date(2026, 3, 16), ["tk"])
    refresh_cases(more[-1])
    case.refresh_from_db()
    assert Case.objects.count() == 1 and case.threshold == "4-6" and case.tk_days == 4


def test_one_day_before_a_threshold_warns_once(org: Org) -> None:
    days = days_from(org.staf, dt.date(2026, 3, 2), ["tk", "tk"])
    refresh_cases(days[-1])
    refresh_cases(days[-1])
    warned = Notification.objects.filter(key__startswith="pp94-warn")
    assert set(warned.values_list("user__username", flat=True)) == {"staf", "sekdin"}
    assert warned.count() == 2 and not Case.objects.exists()


def test_ten_consecutive_days_propose_dismissal_and_a_late_leave_dismisses_the_proposal(org: Org) -> None:
    days = days_from(org.staf, dt.date(2026, 3, 2), ["tk"] * 10)  # two weeks across a weekend
    refresh_cases(days[-1])
    case = Case.objects.get(employee=org.staf)
    assert (case.threshold, case.level, case.authority) == ("28-", "berat", "ppk")
    assert "berturut-turut" in case.reason and case.longest_run == 10
    # the first Monday's leave is approved late: the run is 9, the count 9 → pernyataan tidak puas (7–10)
    DailyStatus.objects.filter(employee=org.staf, date=days[0]).update(status=DayStatus.CUTI)
    refresh_cases(days[-1])
    case.refresh_from_db()
    assert case.threshold == "7-10" and case.state == CaseState.PROPOSED and case.level == "ringan"
    # the whole first week was excused: 5 TK days → teguran tertulis
    DailyStatus.objects.filter(employee=org.staf, date__in=days[:5]).update(status=DayStatus.CUTI)
    DailyStatus.objects.filter(employee=org.staf, date__in=days[5:8]).update(status=DayStatus.IZIN)
    refresh_cases(days[-1])
    case.refresh_from_db()
    assert case.state == CaseState.DISMISSED and "tidak lagi terpenuhi" in case.closing_reason


def test_the_count_starts_again_with_the_year(org: Org) -> None:
    """Mon 28 Dec 2026 – Tue 5 Jan 2027, New Year's Day a holiday: TK on 29, 30, 31 Dec and 4, 5 Jan. 2026 has 3
    (teguran lisan); 2027 starts from 2 — no case yet, a warning."""
    days = days_from(org.staf, dt.date(2026, 12, 28), ["hadir", "tk", "tk", "tk", "tk", "tk", "tk"])
    DailyStatus.objects.filter(employee=org.staf, date=days[4]).update(status=DayStatus.LIBUR, is_working_day=False)
    refresh_cases(dt.date(2027, 1, 5))
    assert not Case.objects.filter(year=2027).exists()
    assert Notification.objects.filter(key=f"pp94-warn:{org.staf.pk}:2027:3-3").exists()
    refresh_cases(dt.date(2026, 12, 31))
    case = Case.objects.get(year=2026)
    assert (case.tk_days, case.threshold) == (3, "3-3")


def test_transitions_in_order_by_the_authority(org: Org) -> None:
    days_from(org.staf, dt.date(2026, 3, 2), ["tk"] * 12)  # 12 → tukin −25 % 6 months (sedang): PPK via BKPSDM
    refresh_cases(dt.date(2026, 3, 17))
    case = Case.objects.get(employee=org.staf)
    assert case.threshold == "28-"  # 12 consecutive days: dismissal proposal outranks 11–13
    case.threshold, case.level, case.authority = "11-13", "sedang", "ppk"
    case.save()
    url = f"/api/discipline/cases/{case.pk}"
    atasan = client_for("sekdin")
    assert atasan.post(f"{url}/summon", {"number": "800/1", "hearing_date": "2026-03-20"},
                       content_type="application/json").status_code == 403  # sedang: not the atasan's
    bk = client_for("bkpsdm")
    out_of_order = bk.post(f"{url}/decide", {"sanction": "11-13", "number": "X", "decision_date": "2026-03-25",
                                             "start": "2026-04-01"}, content_type="application/json")
    assert out_of_order.status_code == 409 and "diusulkan" in out_of_order.json()["message"]
    assert bk.post(f"{url}/summon", {"number": "800/1/BKPSDM", "hearing_date": "2026-03-20"},
                   content_type="application/json").status_code == 200
    assert bk.post(f"{url}/examine", {"notes": "Mengakui tidak masuk."},
                   content_type="application/json").status_code == 200
    wrong = bk.post(f"{url}/decide", {"sanction": "3-3", "number": "862/5", "decision_date": "2026-03-25",
                                      "start": "2026-04-01"}, content_type="application/json")
    assert wrong.status_code == 400 and "tingkat sedang" in wrong.json()["message"]
    ok = bk.post(f"{url}/decide", {"sanction": "11-13", "number": "862/5/BKPSDM/2026", "decision_date": "2026-03-25",
                                   "start": "2026-04-01"}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["state"] == "decided"
    assert bk.post(f"{url}/dismiss", {"reason": "x"}, content_type="application/json").status_code == 409
    actions = list(AuditEntry.objects.filter(target_id=str(case.pk), action__startswith="discipline.case_")
                   .order_by("seq").values_list("action", flat=True))
    assert actions == ["discipline.case_open", "discipline.case_summon", "discipline.case_examine",
                       "discipline.case_decide"]
    # the TPP engine reads it: April–September 2026, not March nor October
    assert active_tukin_cuts(dt.date(2026, 4, 1), dt.date(2026, 4, 30), None) == {org.staf.pk: 25}
    assert active_tukin_cuts(dt.date(2026, 9, 1), dt.date(2026, 9, 30), [org.staf.pk]) == {org.staf.pk: 25}
    assert active_tukin_cuts(dt.date(2026, 3, 1), dt.date(2026, 3, 31), None) == {}
    assert active_tukin_cuts(dt.date(2026, 10, 1), dt.date(2026, 10, 31), None) == {}
    # annulled by a new decision: no longer cuts
    assert bk.post(f"{url}/annul", {"reason": "Banding dikabulkan"}, content_type="application/json").json()[
        "state"] == "annulled"
    assert active_tukin_cuts(dt.date(2026, 4, 1), dt.date(2026, 4, 30), None) == {}


def test_documents_and_scoping(org: Org) -> None:
    days_from(org.guru, dt.date(2026, 3, 2), ["tk", "tk", "tk"])
    refresh_cases(dt.date(2026, 3, 4))
    case = Case.objects.get(employee=org.guru)
    url = f"/api/discipline/cases/{case.pk}"
    assert client_for("op_dinkes").get(url).status_code == 404  # another OPD
    assert client_for("staf").get(url).status_code == 404
    assert client_for("guru").get(url).status_code == 200  # their own
    bk = client_for("bkpsdm")
    detail = bk.get(url).json()
    assert [d["missing"] for d in detail["evidence"]] == [["masuk", "pulang"]] * 3
    bad = bk.post(f"{url}/documents", {"kind": "summons", "file": SimpleUploadedFile("x.pdf", b"hello world")})
    assert bad.status_code == 400 and "PDF, JPEG atau PNG" in bad.json()["message"]
    good = bk.post(f"{url}/documents", {"kind": "summons",
                                        "file": SimpleUploadedFile("s.pdf", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj\n")})
    assert good.status_code == 201
    assert bk.get(good.json()["url"]).status_code == 200
    assert client_for("op_dinkes").get(good.json()["url"]).status_code == 404
    # pages
    assert "Rina Marlina" in bk.get("/disiplin/").content.decode()
    assert "Rina Marlina" not in client_for("op_dinkes").get("/disiplin/").content.decode()
    mine = client_for("guru").get("/disiplin/saya/").content.decode()
    assert 'id="ledger-tk">3<' in mine


def test_a_dismissal_proposal_shows_on_the_board_until_decided(org: Org) -> None:
    days_from(org.staf, dt.date(2026, 3, 2), ["tk"] * 10)
    refresh_cases(dt.date(2026, 3, 13))
    bk = client_for("bkpsdm")
    page = bk.get("/dasbor/", {"tanggal": "2026-03-13"}).content.decode()
    assert 'id="dismissal-proposals"' in page and "Dewi Lestari" in page
    assert 'id="dismissal-proposals"' not in client_for("op_disdik").get("/dasbor/").content.decode()
    case = Case.objects.get()
    case.state, case.decided_sanction = CaseState.DECIDED, "28-"
    case.save()
    assert 'id="dismissal-proposals"' not in bk.get("/dasbor/").content.decode()


def test_letters_as_pdf_on_the_letterhead_once_their_step_is_done(org: Org, settings: Any) -> None:
    import io

    from pypdf import PdfReader

    settings.HADIR_INSTANSI = "Pemerintah Kabupaten Mukomuko"
    days_from(org.staf, dt.date(2026, 3, 2), ["tk", "tk", "tk"])
    refresh_cases(dt.date(2026, 3, 4))
    case = Case.objects.get()
    atasan = client_for("sekdin")  # ringan: the atasan langsung acts
    base = f"/disiplin/kasus/{case.pk}/surat"
    assert atasan.get(f"{base}/panggilan.pdf").status_code == 404  # not summoned yet
    atasan.post(f"/disiplin/kasus/{case.pk}/", {"step": "summon", "number": "800/17/SEK", "hearing_date": "2026-03-10"})
    response = atasan.get(f"{base}/panggilan.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    for expected in ("PEMERINTAH KABUPATEN MUKOMUKO", "SURAT PANGGILAN", "800/17/SEK", "Dewi Lestari",
                     str(org.staf.nip), "10 Maret 2026", "2 Maret 2026"):
        assert expected in text, expected
    assert client_for("guru").get(f"{base}/panggilan.pdf").status_code == 404  # not theirs to see
    assert client_for("staf").get(f"{base}/keputusan.pdf").status_code == 404  # not decided
    api = atasan.get(f"/api/discipline/cases/{case.pk}/letters/bap")
    assert api.status_code == 409
