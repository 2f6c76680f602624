"""The monthly computation over the database: a seeded October 2026 (23 working days in the test org's
calendar as the daily statuses say), closes, adjustments after a close, scoping, imports, the API and pages."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal as D
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from hadir.audit.models import AuditEntry
from hadir.leave.models import LeaveRequest, LeaveStatus
from hadir.org.models import EmployeeKind
from hadir.presence.models import DailyStatus, DayStatus
from hadir.terminals.models import Terminal, TerminalDownDay, TerminalStatus
from hadir.testing import PASSWORD, Clock, Org
from hadir.tpp import engine
from hadir.tpp.models import Base, LeaveRule, Line, Period, Result, RuleSet

pytestmark = pytest.mark.django_db

OCT = dt.date(2026, 10, 1)
NOV = dt.date(2026, 11, 1)
WIB = dt.timezone(dt.timedelta(hours=7))


def working_days(month: dt.date) -> list[dt.date]:
    first = month.replace(day=1)
    out, d = [], first
    while d.month == first.month:
        if d.weekday() < 5:
            out.append(d)
        d += dt.timedelta(days=1)
    return out


def seed_month(org: Org, month: dt.date, closed: bool = True) -> None:
    """Every employee plain hadir on every weekday, weekends libur (what compute_day would have written)."""
    rows = []
    for emp in (org.kadis, org.sekretaris, org.kabid, org.staf, org.staf_bidang, org.kadisdik, org.guru):
        d = month
        while d.month == month.month:
            working = d.weekday() < 5
            rows.append(DailyStatus(employee=emp, date=d, status=DayStatus.HADIR if working else DayStatus.LIBUR,
                                    is_working_day=working, closed=closed))
            d += dt.timedelta(days=1)
    DailyStatus.objects.bulk_create(rows)


def set_day(emp: Any, day: dt.date, **fields: Any) -> None:
    DailyStatus.objects.filter(employee=emp, date=day).update(computed_at=timezone.now(), **fields)


@pytest.fixture
def month(org: Org) -> Org:
    rs = RuleSet.objects.create(name="TPP ASN Kabupaten Contoh", legal_basis="Perbup Contoh No. 7 Tahun 2026",
                                legal_date=dt.date(2026, 1, 2), valid_from=dt.date(2026, 1, 1))
    LeaveRule.objects.create(rule_set=rs, kind="sakit", mode="percent", pct=D(2))
    LeaveRule.objects.create(rule_set=rs, kind="cuti_besar", mode="no_tpp")
    for emp in (org.kadis, org.sekretaris, org.kabid, org.staf, org.staf_bidang, org.kadisdik, org.guru):
        Base.objects.create(employee=emp, amount=4_600_000, valid_from=dt.date(2026, 1, 1))
    seed_month(org, OCT)
    org.rule_set = rs  # type: ignore[attr-defined]
    return org


def client_for(username: str) -> Client:
    c = Client()
    assert c.login(username=username, password=PASSWORD)
    return c


def result(emp: Any, month: dt.date = OCT) -> Result:
    return Result.objects.get(employee=emp, month=month)


def test_a_month_with_events_leave_and_a_terminal_down_day(month: Org, clock: Clock) -> None:
    clock.set(dt.datetime(2026, 11, 5, 9, tzinfo=WIB))
    days = working_days(OCT)
    assert len(days) == 22
    set_day(month.staf, days[0], status=DayStatus.TERLAMBAT, late_category="TL2", late_minutes=45)
    set_day(month.staf, days[1], status=DayStatus.TK)
    req = LeaveRequest.objects.create(employee=month.staf, kind="izin_sakit", start_date=days[2], end_date=days[2],
                                      reason="demam", days=1, working_days=1, status=LeaveStatus.APPROVED)
    set_day(month.staf, days[2], status=DayStatus.SAKIT, excuse_ref=req.reference)
    set_day(month.staf, days[3], apel_pagi="tidak")
    # the Dinkes terminal was down on days[4]; staf has no scan that day (TK), the rule set: no cut
    t = Terminal.objects.create(serial_number="SN1", unit=month.dinkes, location=month.loc_dinkes,
                                status=TerminalStatus.ACTIVE)
    TerminalDownDay.objects.create(terminal=t, opd=month.dinkes, date=days[4])
    set_day(month.staf, days[4], status=DayStatus.TK)
    month.guru.kind = EmployeeKind.CPNS
    month.guru.save()

    report = engine.compute_month(OCT)
    assert report.computed == 7 and report.no_rule_set == 0
    staf = result(month.staf)
    # TL2 1 % + TK 3 % + sakit without letter 2 % + apel 0.5 % of 4.6 jt; the terminal-down TK: no cut
    assert [(ln.event, ln.amount) for ln in staf.lines.all()] == [
        ("TL2", 46_000), ("TK", 138_000), ("LEAVE", 92_000), ("APEL_PAGI", 23_000)]
    assert (staf.gross, staf.cuts, staf.net, staf.working_days) == (4_600_000, 299_000, 4_301_000, 22)
    assert result(month.guru).gross == 3_680_000  # CPNS 80 %
    assert result(month.kadis).net == 4_600_000 and not result(month.kadis).lines.exists()

    # the rule set switches to "no TPP on a terminal-down day": 1/22 of the month for everyone in Dinkes
    month.rule_set.terminal_down = "no_tpp"  # type: ignore[attr-defined]
    month.rule_set.save()  # type: ignore[attr-defined]
    engine.compute_month(OCT)
    per_day = round(4_600_000 / 22)
    assert result(month.kadis).no_tpp == per_day and result(month.kadisdik).no_tpp == 0
    assert result(month.staf).lines.filter(event="TERMINAL_DOWN").count() == 1


def test_rule_set_per_opd_and_kind_wins(month: Org, clock: Clock) -> None:
    clock.set(dt.datetime(2026, 11, 5, 9, tzinfo=WIB))
    special = RuleSet.objects.create(name="Guru", legal_basis="Perbup Contoh No. 9", legal_date=OCT,
                                     valid_from=dt.date(2026, 6, 1), opd=month.disdik, tk_pct=D(5))
    set_day(month.guru, working_days(OCT)[0], status=DayStatus.TK)
    set_day(month.staf, working_days(OCT)[0], status=DayStatus.TK)
    engine.compute_month(OCT)
    assert result(month.guru).rule_set == special and result(month.guru).cuts == 230_000
    assert result(month.staf).cuts == 138_000


def test_close_freezes_and_a_late_change_becomes_an_adjustment(month: Org, clock: Clock) -> None:
    clock.set(dt.datetime(2026, 11, 5, 9, tzinfo=WIB))
    day = working_days(OCT)[5]
    set_day(month.staf, day, status=DayStatus.TK)
    bkpsdm = client_for("bkpsdm")
    r = bkpsdm.post("/api/tpp/close", {"month": "2026-10", "opd_id": month.dinkes.pk}, content_type="application/json")
    assert r.status_code == 200, r.content
    assert r.json()["closed_opds"] == [month.dinkes.pk]
    assert result(month.staf).closed and result(month.staf).net == 4_462_000
    again = bkpsdm.post("/api/tpp/close", {"month": "2026-10", "opd_id": month.dinkes.pk},
                        content_type="application/json")
    assert again.status_code == 409 and "sudah ditutup" in again.json()["message"]

    # a late-approved leave turns the TK into cuti; recomputing October does not touch the closed OPD
    clock.set(dt.datetime(2026, 11, 10, 9, tzinfo=WIB))
    set_day(month.staf, day, status=DayStatus.CUTI, excuse_ref="CUTI-999")
    engine.compute_month(OCT)
    assert result(month.staf).net == 4_462_000 and result(month.staf).closed
    # … it becomes a pay-back in November, the next open month
    seed_month(month, NOV, closed=False)
    clock.set(dt.datetime(2026, 11, 20, 9, tzinfo=WIB))
    report = engine.compute_month(NOV)
    assert report.adjustments == 1
    nov = result(month.staf, NOV)
    adj = nov.lines.get(event="ADJUSTMENT")
    assert (adj.amount, adj.of_month) == (-138_000, OCT)
    assert nov.net == 4_600_000 + 138_000 and nov.adjustment == -138_000
    assert AuditEntry.objects.filter(action="tpp.adjust").count() == 1
    assert AuditEntry.objects.filter(action="tpp.close").count() == 1
    # computed again: the same single adjustment, not a second one
    engine.compute_month(NOV)
    assert Line.objects.filter(event="ADJUSTMENT").count() == 1


def test_close_is_refused_while_days_are_open_or_the_month_is_not_over(month: Org, clock: Clock) -> None:
    bkpsdm = client_for("bkpsdm")
    clock.set(dt.datetime(2026, 10, 20, 9, tzinfo=WIB))
    r = bkpsdm.post("/api/tpp/close", {"month": "2026-10"}, content_type="application/json")
    assert r.status_code == 422 and "belum berakhir" in r.json()["message"]
    clock.set(dt.datetime(2026, 11, 5, 9, tzinfo=WIB))
    DailyStatus.objects.filter(employee=month.guru, date=working_days(OCT)[-1]).update(closed=False)
    r = bkpsdm.post("/api/tpp/close", {"month": "2026-10"}, content_type="application/json")
    assert r.status_code == 422 and "belum ditutup" in r.json()["message"] and "Pendidikan" in r.json()["message"]
    assert not Period.objects.exists() and not Result.objects.exists()


def test_future_month_and_bad_months_are_refused(month: Org, clock: Clock) -> None:
    clock.set(dt.datetime(2026, 11, 5, 9, tzinfo=WIB))
    bkpsdm = client_for("bkpsdm")
    r = bkpsdm.post("/api/tpp/compute", {"month": "2026-12"}, content_type="application/json")
    assert r.status_code == 422 and "belum berjalan" in r.json()["message"]
    for bad in ("2026-13", "abc", "2026"):
        r = bkpsdm.post("/api/tpp/compute", {"month": bad}, content_type="application/json")
        assert r.status_code in (400, 422), bad
    assert not Result.objects.exists()


def test_scoping_of_lists_and_details(month: Org, clock: Clock) -> None:
    clock.set(dt.datetime(2026, 11, 5, 9, tzinfo=WIB))
    engine.compute_month(OCT)
    op = client_for("op_dinkes")
    names = {r["name"] for r in op.get("/api/tpp/results", {"month": "2026-10"}).json()}
    assert month.staf.name in names and month.guru.name not in names
    assert op.get(f"/api/tpp/results/{month.guru.pk}", {"month": "2026-10"}).status_code == 404
    staf = client_for("staf")
    mine = staf.get("/api/tpp/me", {"month": "2026-10"}).json()
    assert mine["net"] == 4_600_000 and mine["legal_basis"] == "Perbup Contoh No. 7 Tahun 2026"
    assert staf.get(f"/api/tpp/results/{month.kabid.pk}", {"month": "2026-10"}).status_code == 404
    assert staf.post("/api/tpp/compute", {"month": "2026-10"}, content_type="application/json").status_code == 403
    assert op.post("/api/tpp/close", {"month": "2026-10"}, content_type="application/json").status_code == 403
    totals = client_for("bkpsdm").get("/api/tpp/totals", {"month": "2026-10"}).json()
    assert {t["name"] for t in totals} == {month.dinkes.name, month.disdik.name}
    assert sum(t["net"] for t in totals) == 7 * 4_600_000


def _xlsx(rows: list[list[Any]]) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_bases_import_is_all_or_nothing(month: Org) -> None:
    bkpsdm = client_for("bkpsdm")
    bad = _xlsx([["NIP", "jumlah", "golongan", "berlaku_mulai"],
                 [month.staf.nip, 5_100_000, "III/b", "2026-11-01"],
                 ["199001012020121999", 4_000_000, "", "2026-11-01"],
                 [month.kabid.nip, -5, "", "2026-11-01"]])
    r = bkpsdm.post("/api/tpp/bases/import", {"file": _upload(bad)})
    assert r.status_code == 422 and r.json()["message"] == "2 baris salah; tidak ada yang disimpan."
    errors = r.json()["errors"]
    assert [(e["row"], e["errors"]) for e in errors] == [(3, ["NIP tidak dikenal"]),
                                                           (4, ["jumlah tidak boleh negatif"])]
    assert Base.objects.count() == 7
    good = _xlsx([["NIP", "kelas_jabatan", "nilai_per_kelas", "golongan", "berlaku_mulai"],
                  [month.staf.nip, 7, 700_000, "III/b", dt.date(2026, 11, 1)]])
    r = bkpsdm.post("/api/tpp/bases/import", {"file": _upload(good)})
    assert r.status_code == 200 and r.json()["created"] == 1
    assert Base.objects.get(employee=month.staf, valid_from=NOV).amount == 4_900_000
    assert AuditEntry.objects.filter(action="tpp.base_import").count() == 1
    assert client_for("op_dinkes").post("/api/tpp/bases/import", {"file": _upload(good)}).status_code == 403


def _upload(content: bytes) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("tpp.xlsx", content)


def test_rule_set_file_round_trip_and_validation(month: Org) -> None:
    bkpsdm = client_for("bkpsdm")
    exported = bkpsdm.get(f"/api/tpp/rulesets/{month.rule_set.pk}/export").json()  # type: ignore[attr-defined]
    assert exported["rule_set"]["legal_basis"] == "Perbup Contoh No. 7 Tahun 2026"
    # the same validity as the existing one: overlapping, refused
    r = bkpsdm.post("/api/tpp/rulesets/import", {"file": _file(exported)})
    assert r.status_code == 400 and "tumpang tindih" in r.json()["message"]
    exported["rule_set"]["opd"] = 1
    assert bkpsdm.post("/api/tpp/rulesets/import", {"file": _file(exported)}).status_code == 400  # unknown field
    del exported["rule_set"]["opd"]
    exported["rule_set"]["tk_pct"] = "120"
    r = bkpsdm.post("/api/tpp/rulesets/import", {"file": _file(exported)})
    assert r.status_code == 400 and "tk_pct" in r.json()["message"]
    exported["rule_set"].update(tk_pct="4", valid_from="2027-01-01", name="Perbup 2027")
    month.rule_set.valid_to = dt.date(2026, 12, 31)  # type: ignore[attr-defined]
    month.rule_set.save()  # type: ignore[attr-defined]
    r = bkpsdm.post("/api/tpp/rulesets/import", {"file": _file(exported)})
    assert r.status_code == 201
    assert RuleSet.objects.get(name="Perbup 2027").leave_rules.count() == 2
    assert RuleSet.objects.count() == 2


def _file(data: dict[str, Any]) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("aturan.json", json.dumps(data).encode())


def test_pages_and_excel(month: Org, clock: Clock) -> None:
    clock.set(dt.datetime(2026, 11, 5, 9, tzinfo=WIB))
    set_day(month.staf, working_days(OCT)[0], status=DayStatus.TK)
    bkpsdm = client_for("bkpsdm")
    r = bkpsdm.post("/tpp/hitung/", {"bulan": "2026-10", "action": "compute"}, follow=True)
    assert "7 pegawai dihitung" in r.content.decode()
    page = bkpsdm.get("/tpp/", {"bulan": "2026-10", "opd": str(month.dinkes.pk)}).content.decode()
    assert month.staf.name in page and "4.462.000" in page
    detail = bkpsdm.get(f"/tpp/pegawai/{month.staf.pk}/", {"bulan": "2026-10"}).content.decode()
    assert "Tanpa keterangan" in detail and "138.000" in detail
    xlsx = bkpsdm.get("/tpp/unduh/", {"bulan": "2026-10"})
    wb = load_workbook(io.BytesIO(xlsx.content))
    assert sorted(wb.sheetnames) == sorted([month.dinkes.name, month.disdik.name])
    ws = wb[month.dinkes.name]
    assert "Perbup Contoh No. 7 Tahun 2026" in ws["A4"].value
    staf_row = next(row for row in ws.iter_rows(values_only=True) if row[2] == month.staf.name)
    assert staf_row[1] == month.staf.nip and staf_row[-1] == 4_462_000 and staf_row[9] == 138_000
    # the employee's own page in the app
    mine = client_for("staf").get("/tpp/saya/", {"bulan": "2026-10"}).content.decode()
    assert "Mengapa TPP saya dipotong" in mine and "4.462.000" in mine
    # an operator sees their OPD's page, not another's
    op = client_for("op_dinkes")
    assert op.get("/tpp/", {"bulan": "2026-10", "opd": str(month.disdik.pk)}).status_code == 404
    assert op.get(f"/tpp/pegawai/{month.guru.pk}/", {"bulan": "2026-10"}).status_code == 404


def test_english_when_asked(month: Org, clock: Clock) -> None:
    clock.set(dt.datetime(2026, 11, 5, 9, tzinfo=WIB))
    set_day(month.staf, working_days(OCT)[0], status=DayStatus.TK)
    engine.compute_month(OCT)
    staf = client_for("staf")
    staf.post("/i18n/setlang/", {"language": "en", "next": "/tpp/saya/"})
    page = staf.get("/tpp/saya/", {"bulan": "2026-10"}).content.decode()
    assert "Why my TPP was cut" in page and "Absent without reason" in page
    r = client_for("bkpsdm").post("/api/tpp/compute", {"month": "2026-12"}, content_type="application/json",
                                  headers={"Accept-Language": "en"})
    assert r.json()["message"] == "TPP cannot be computed for a month that has not started."


def test_a_month_with_a_holiday_and_cuti_bersama(month: Org, clock: Clock) -> None:
    """A regional holiday is not a working day (the divisor of a day's TPP drops to 21); cuti bersama counts as the
    rule set says (here: no cut); a day of cuti besar earns no TPP: 1/21 of the month."""
    clock.set(dt.datetime(2026, 11, 5, 9, tzinfo=WIB))
    days = working_days(OCT)
    DailyStatus.objects.filter(date=days[10]).update(status=DayStatus.LIBUR, is_working_day=False)
    bersama = LeaveRequest.objects.create(employee=month.staf, kind="cuti_bersama", start_date=days[11],
                                          end_date=days[11], reason="cuti bersama", days=1, working_days=1,
                                          status=LeaveStatus.APPROVED)
    besar = LeaveRequest.objects.create(employee=month.staf, kind="cuti_besar", start_date=days[12],
                                        end_date=days[12], reason="umrah", days=1, working_days=1,
                                        status=LeaveStatus.APPROVED)
    set_day(month.staf, days[11], status=DayStatus.CUTI, excuse_ref=bersama.reference)
    set_day(month.staf, days[12], status=DayStatus.CUTI, excuse_ref=besar.reference)
    engine.compute_month(OCT)
    staf = result(month.staf)
    assert staf.working_days == 21
    assert [(ln.event, ln.note, ln.amount) for ln in staf.lines.all()] == [("NO_TPP", "cuti_besar", 219_048)]
    assert staf.net == 4_600_000 - 219_048


def test_a_corrected_day_is_marked_on_its_lines(month: Org, clock: Clock) -> None:
    clock.set(dt.datetime(2026, 11, 5, 9, tzinfo=WIB))
    set_day(month.staf, working_days(OCT)[3], status=DayStatus.TERLAMBAT, late_category="TL1", corrected=True)
    engine.compute_month(OCT)
    assert list(result(month.staf).lines.values_list("event", "note")) == [("TL1", "(koreksi)")]


def test_a_decided_tukin_sanction_cuts_25_percent_on_top(month: Org, clock: Clock) -> None:
    from hadir.discipline.models import Case, CaseState

    clock.set(dt.datetime(2026, 11, 5, 9, tzinfo=WIB))
    Case.objects.create(employee=month.staf, year=2026, threshold="11-13", level="sedang", authority="ppk",
                        reason="11 hari", tk_days=11, longest_run=3, state=CaseState.DECIDED,
                        decided_sanction="11-13", decision_number="862/1", decision_date=dt.date(2026, 9, 20),
                        sanction_start=dt.date(2026, 10, 1))
    engine.compute_month(OCT)
    staf = result(month.staf)
    assert (staf.sanction, staf.net) == (1_150_000, 3_450_000)
    assert staf.lines.get(event="SANCTION").note == "PP 94/2021"
    assert result(month.kabid).sanction == 0


def test_the_copy_path_writes_the_same_rows(month: Org, clock: Clock, monkeypatch: Any) -> None:
    """A regency-sized run on PostgreSQL writes through COPY; it must give the rows the ORM path gives."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("COPY is PostgreSQL's (the suite runs there too)")
    clock.set(dt.datetime(2026, 11, 5, 9, tzinfo=WIB))
    set_day(month.staf, working_days(OCT)[0], status=DayStatus.TERLAMBAT, late_category="TL2")
    set_day(month.guru, working_days(OCT)[1], status=DayStatus.TK)

    def snapshot() -> list[tuple[Any, ...]]:
        rows = Result.objects.order_by("employee_id").values_list("employee_id", "opd_id", "gross", "cuts", "net")
        lines = Line.objects.order_by("result__employee_id", "date").values_list(
            "result__employee_id", "date", "event", "pct", "amount", "note")
        return [*rows, *lines]

    engine.compute_month(OCT)
    via_orm = snapshot()
    monkeypatch.setattr(engine, "COPY_THRESHOLD", 0)
    engine.compute_month(OCT)
    assert snapshot() == via_orm and Result.objects.count() == 7


def test_bases_per_position_with_a_nip_row_winning(month: Org) -> None:
    assert month.staf.position is not None and month.guru.position is not None
    staff_code, guru_code = month.staf.position.code, month.guru.position.code
    rows: list[list[Any]] = [["kode_jabatan", "NIP", "jumlah", "berlaku_mulai"],
            [guru_code, None, 3_900_000, "2026-11-01"],
            [staff_code, None, 3_100_000, "2026-11-01"],
            [None, month.staf.nip, 3_300_000, "2026-11-01"],
            ["TIDAK-ADA", None, 1, "2026-11-01"]]
    bkpsdm = client_for("bkpsdm")
    r = bkpsdm.post("/api/tpp/bases/import", {"file": _upload(_xlsx(rows))})
    assert r.status_code == 422 and r.json()["errors"] == [
        {"row": 5, "nip": "TIDAK-ADA", "errors": ["kode jabatan tidak dikenal atau tanpa pemegang"]}]
    r = bkpsdm.post("/api/tpp/bases/import", {"file": _upload(_xlsx(rows[:4]))})
    assert r.status_code == 200, r.content
    amounts = dict(Base.objects.filter(valid_from=NOV).values_list("employee__name", "amount"))
    assert amounts[month.guru.name] == 3_900_000
    assert amounts[month.staf.name] == 3_300_000  # its own NIP row wins over the position's
