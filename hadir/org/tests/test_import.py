"""Import of units, positions, locations and employees: row-by-row errors, all-or-nothing, scoping."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from hadir.org.importing.cells import CellError, parse_bool, parse_date, parse_eselon, parse_rupiah
from hadir.org.importing.columns import normalise_header
from hadir.org.importing.report import ImportReport
from hadir.org.importing.run import import_file, run_import
from hadir.org.models import Employee, EmployeeKind, Eselon, Position, Unit, UnitKind, WorkLocation
from hadir.testing import Org

SAMPLES = Path(__file__).resolve().parents[3] / "docs" / "samples"

HEADER = "Nama,NIP,NIK,Jenis Pegawai,Kode Unit,Kode Jabatan,TPP Dasar,PIN Mesin\n"


def imp(kind: str, text: str, **kwargs: Any) -> ImportReport:
    return run_import(kind, text.encode(), "berkas.csv", **kwargs)


def errors(report: ImportReport) -> list[tuple[int, str, str]]:
    return [(e.row, e.column, e.message) for e in report.errors]


# --- pure parsing rules ------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("3500000", 3_500_000), ("Rp 3.500.000", 3_500_000), ("Rp. 3.500.000,00", 3_500_000), ("3,500,000", 3_500_000),
    ("rp3.500.000", 3_500_000), ("", 0), ("0", 0), ("750.000", 750_000), ("12.000.000,00", 12_000_000),
])
def test_parse_rupiah(text: str, expected: int) -> None:
    assert parse_rupiah(text) == expected


@pytest.mark.parametrize("text", ["-5000", "3.5 juta", "3.50.000", "abc", "3.500.000,50"])
def test_parse_rupiah_rejects(text: str) -> None:
    with pytest.raises(CellError):
        parse_rupiah(text)


@pytest.mark.parametrize(("value", "expected"), [
    ("2026-01-31", dt.date(2026, 1, 31)), ("31-01-2026", dt.date(2026, 1, 31)), ("31/01/2026", dt.date(2026, 1, 31)),
    ("31.01.2026", dt.date(2026, 1, 31)), ("1 Maret 1985", dt.date(1985, 3, 1)), ("17 Agustus 1945", dt.date(1945, 8, 17)),
    ("5 Nopember 1990", dt.date(1990, 11, 5)), (dt.datetime(2020, 2, 29, 0, 0), dt.date(2020, 2, 29)), ("", None),
    (None, None),
])
def test_parse_date(value: object, expected: dt.date | None) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize("text", ["30-02-2026", "2026-13-01", "31 Bulan 2026", "kemarin", "01-01-26"])
def test_parse_date_rejects(text: str) -> None:
    with pytest.raises(CellError):
        parse_date(text)


@pytest.mark.parametrize(("text", "expected"), [
    ("II.a", Eselon.II_A), ("iib", Eselon.II_B), ("III/a", Eselon.III_A), ("IV.b", Eselon.IV_B),
    ("JF", Eselon.FUNGSIONAL), ("Fungsional", Eselon.FUNGSIONAL), ("Jabatan Pelaksana", Eselon.PELAKSANA),
    ("non-ASN", Eselon.NON_ASN),
])
def test_parse_eselon(text: str, expected: str) -> None:
    assert parse_eselon(text) == expected


def test_parse_bool_and_headers() -> None:
    assert parse_bool("Ya", False) and not parse_bool("tidak", True) and parse_bool("", True)
    with pytest.raises(CellError):
        parse_bool("mungkin", True)
    assert normalise_header("  Kode  Unit ") == normalise_header("kode_unit") == "kode unit"
    assert normalise_header("TPP Dasar (Rp)") == "tpp dasar rp"


# --- the documented sample files ---------------------------------------------------------------------

def test_samples_import_in_order_into_an_empty_database(db: Any) -> None:
    for kind, name, created in [("units", "unit.csv", 7), ("positions", "jabatan.csv", 10),
                                ("locations", "lokasi.csv", 4), ("employees", "pegawai.csv", 9)]:
        report = import_file(kind, SAMPLES / name)
        assert report.ok, report.errors
        assert report.created == created, (name, report)
    dinkes = Unit.objects.get(code="DINKES")
    assert dinkes.is_opd and Unit.objects.get(code="PKM-01").opd == dinkes
    assert Position.objects.get(code="J-PERAWAT-01").parent == Position.objects.get(code="J-KAPKM-01")
    loc = WorkLocation.objects.get(code="LOK-PKM-01")
    assert (loc.latitude, loc.longitude, loc.radius_m, loc.timezone) == (-3.7025, 102.4338, 100, "Asia/Jakarta")
    kadis = Employee.objects.get(nip="197604122002121003")
    assert kadis.tpp_base == 11_500_000 and kadis.position and kadis.position.code == "J-KADINKES"
    budi = Employee.objects.get(nip="198506072010011002")
    assert {loc.code for loc in budi.locations.all()} == {"LOK-DINKES", "LOK-PKM-01"}
    tkk = Employee.objects.get(nik="1709012308990005")
    assert tkk.kind == EmployeeKind.TKK and tkk.nip is None and tkk.birth_date == dt.date(1999, 8, 23)
    assert Employee.objects.get(nip="199511302025212002").kind == EmployeeKind.PPPK_PARUH_WAKTU

    # the .xlsx sample holds the same people: rejected as duplicates, accepted with update
    again = import_file("employees", SAMPLES / "pegawai.xlsx")
    assert not again.ok and len(again.errors) == 9 and all("sudah terdaftar" in e.message for e in again.errors)
    updated = import_file("employees", SAMPLES / "pegawai.xlsx", update=True)
    assert updated.ok and updated.updated == 9 and updated.created == 0
    assert Employee.objects.count() == 9


def test_xlsx_sample_imports_into_fresh_organisation(db: Any) -> None:
    for kind, name in [("units", "unit.csv"), ("positions", "jabatan.csv"), ("locations", "lokasi.csv")]:
        assert import_file(kind, SAMPLES / name).ok
    report = import_file("employees", SAMPLES / "pegawai.xlsx", create_accounts=True, initial_password="Awal-2026!")
    assert report.ok and report.created == 9, report.errors
    emp = Employee.objects.get(nip="198209152008012005")
    assert emp.birth_date == dt.date(1982, 9, 15) and emp.active_from == dt.date(2008, 1, 1)
    assert emp.user is not None and emp.user.username == emp.nip and emp.user.check_password("Awal-2026!")


# --- errors, row by row, and nothing written ---------------------------------------------------------

BAD_EMPLOYEE_ROWS = [
    # row text, column named in the report, words in the message
    ("Ani,198503142010011003,,PNS,NOPE,,0,", "Kode Unit", "tidak dikenal"),
    ("Ani,19850314201001100,,PNS,DINKES,,0,", "NIP", "18 digit"),
    ("Ani,198502302010011003,,PNS,DINKES,,0,", "NIP", "tanggal lahir"),
    ("Ani,198503142010013003,,PNS,DINKES,,0,", "NIP", "jenis kelamin"),
    ("Ani,198503142010011003,,PPPK,DINKES,,0,", "NIP", "PPPK"),
    ("Ani,,1709011403850001,PNS,DINKES,,0,", "NIP", "wajib"),
    ("Ani,,1709013203850001,TKK,DINKES,,0,", "NIK", "tanggal lahir"),
    ("Ani,,,TKK,DINKES,,0,", "NIK", "tanpa NIP"),
    ("Ani,198503142010011003,,Pegawai Tetap,DINKES,,0,", "Jenis Pegawai", "salah satu"),
    ("Ani,198503142010011003,,PNS,DINKES,J-TIDAK-ADA,0,", "Kode Jabatan", "tidak dikenal"),
    ("Ani,198503142010011003,,PNS,DINKES,,tiga juta,", "TPP Dasar", "rupiah"),
    ("Ani,198503142010011003,,PNS,DINKES,,0,12A4", "PIN Mesin", "angka"),
    (",198503142010011003,,PNS,DINKES,,0,", "Nama", "wajib"),
]


@pytest.mark.parametrize(("line", "column", "words"), BAD_EMPLOYEE_ROWS)
def test_bad_employee_row_is_reported_and_nothing_written(org: Org, line: str, column: str, words: str) -> None:
    before = Employee.objects.count()
    good = "Budi,198804042012031001,,PNS,DINKES,,Rp 2.500.000,\n"
    report = imp("employees", HEADER + good + line + "\n" + good.replace("Budi", "Cici").replace("1001", "1002"))
    assert not report.ok
    assert [(e.row, e.column) for e in report.errors] == [(3, column)], errors(report)
    assert words in report.errors[0].message, errors(report)
    assert Employee.objects.count() == before  # all-or-nothing: the good rows were not written either
    assert "Baris 3" in str(report.errors[0]) and column in str(report.errors[0])


def test_duplicates_within_file_and_database(org: Org) -> None:
    report = imp("employees", HEADER
                 + "A,198804042012031001,,PNS,DINKES,,0,90001\n"
                 + "B,198804042012031001,,PNS,DINKES,,0,90002\n"
                 + f"C,{org.staf.nip},,PNS,DINKES,,0,\n"
                 + f"D,,{org.guru.nik},TKK,DINKES,,0,\n"
                 + "E,198804042012031003,,PNS,DINKES,,0,90001\n")
    assert errors(report) == [
        (3, "NIP", "NIP 198804042012031001 sudah dipakai di baris 2 berkas ini"),
        (4, "NIP", f"sudah terdaftar ({org.staf.name}); gunakan mode perbarui untuk mengubah data pegawai yang ada"),
        (5, "NIK", f"sudah terdaftar ({org.guru.name}); gunakan mode perbarui untuk mengubah data pegawai yang ada"),
        (6, "PIN Mesin", "PIN 90001 sudah dipakai di baris 2 berkas ini"),
    ]
    assert not Employee.objects.filter(name__in=["A", "B", "E"]).exists()


def test_missing_required_columns_and_unknown_columns(org: Org) -> None:
    report = imp("employees", "Nama,NIP,Warna Favorit\nAni,198804042012031001,biru\n")
    assert {(e.row, e.column) for e in report.errors} == {(1, "Jenis Pegawai"), (1, "Kode Unit")}
    assert any("Warna Favorit" in w for w in report.warnings)


def test_empty_and_unsupported_files(db: Any) -> None:
    assert "kosong" in imp("units", "").errors[0].message
    assert "tidak berisi baris" in imp("units", "Kode,Nama,Jenis\n").errors[0].message
    report = run_import("units", b"%PDF-1.4", "unit.pdf")
    assert ".xlsx" in report.errors[0].message
    assert "Excel" in run_import("units", b"bukan zip", "unit.xlsx").errors[0].message


def test_excel_number_cells_that_lost_nip_digits_are_caught(org: Org) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Nama", "NIP", "Jenis Pegawai", "Kode Unit", "Tanggal Lahir", "PIN Mesin"])
    ws.append(["Ani", 198804042012031001, "PNS", "DINKES", dt.datetime(1988, 4, 4), 777])  # typed as a number
    ws.append(["Budi", "198804042012031002", "PNS", "DINKES", "04-04-1988", 778])
    buf = io.BytesIO()
    wb.save(buf)
    report = run_import("employees", buf.getvalue(), "pegawai.xlsx")
    assert [(e.row, e.column) for e in report.errors] == [(2, "NIP")]
    assert "Teks" in report.errors[0].message
    ws.delete_rows(2)
    buf = io.BytesIO()
    wb.save(buf)
    report = run_import("employees", buf.getvalue(), "pegawai.xlsx")
    assert report.ok, report.errors
    assert Employee.objects.get(nip="198804042012031002").device_pin == "778"


def test_unit_errors(org: Org) -> None:
    report = imp("units", "Kode,Nama,Jenis,Kode Induk\n"
                 "X1,Bidang Baru,Bidang,TIDAK-ADA\n"
                 "X2,Unit Aneh,Kantor Pos,DINKES\n"
                 "DINKES,Dinas Kesehatan,Dinas,PEMDA\n"
                 "X3,Lingkar A,Bidang,X4\n"
                 "X4,Lingkar B,Bidang,X3\n"
                 "X5,Tanpa Induk,Bidang,\n")
    assert [(e.row, e.column) for e in report.errors] == [
        (3, "Jenis"), (4, "Kode"), (7, "Kode Induk"), (2, "Kode Induk"), (5, "Kode Induk"), (6, "Kode Induk"),
    ], errors(report)
    assert not Unit.objects.filter(code__startswith="X").exists()


def test_units_may_reference_parents_later_in_the_file(org: Org) -> None:
    report = imp("units", "Kode,Nama,Jenis,Kode Induk\n"
                 "BARU-SEKSI,Seksi Baru,Seksi,BARU-BIDANG\n"
                 "BARU-BIDANG,Bidang Baru,Bidang,BARU\n"
                 "BARU,Dinas Baru,Dinas,PEMDA\n")
    assert report.ok and report.created == 3, errors(report)
    seksi = Unit.objects.get(code="BARU-SEKSI")
    assert seksi.opd == Unit.objects.get(code="BARU") and seksi.path.startswith(Unit.objects.get(code="BARU").path)


def test_location_errors(org: Org) -> None:
    report = imp("locations", "Nama,Kode Unit,Lintang,Bujur,Radius,Zona Waktu\n"
                 "Pos A,DINKES,-3.79,102.25,100,WIB\n"
                 "Pos B,DINKES,-93.79,102.25,100,WIB\n"
                 "Pos C,DINKES,-3.79,timur,100,WIB\n"
                 "Pos D,DINKES,-3.79,102.25,5,WIB\n"
                 "Pos E,DINKES,-3.79,102.25,100,GMT\n"
                 "Pos A,DINKES,-3.79,102.25,100,WITA\n")
    assert [(e.row, e.column) for e in report.errors] == [
        (3, "Lintang"), (4, "Bujur"), (5, "Radius"), (6, "Zona Waktu"), (7, "Nama"),
    ], errors(report)
    assert not WorkLocation.objects.filter(name__startswith="Pos").exists()
    ok = imp("locations", "Nama;Kode Unit;Lintang;Bujur;Zona Waktu\nPos Papua;DINKES;-2,5337;140,7181;WIT\n")
    assert ok.ok, errors(ok)
    papua = WorkLocation.objects.get(name="Pos Papua")
    assert (papua.latitude, papua.longitude, papua.radius_m, papua.timezone) == (-2.5337, 140.7181, 100, "Asia/Jayapura")


def test_position_errors_and_tree(org: Org) -> None:
    report = imp("positions", "Kode,Nama Jabatan,Kode Unit,Kode Atasan,Eselon\n"
                 "JB-1,Kepala Seksi,DINKES,JB-9,IV.a\n"
                 "JB-2,Analis,NOPE,,JF\n"
                 "JB-3,Analis,DINKES,JB-3,JF\n"
                 "JB-4,Analis,DINKES,,Eselon VII\n")
    assert [(e.row, e.column) for e in report.errors] == [(3, "Kode Unit"), (5, "Eselon"), (2, "Kode Atasan"),
                                                          (4, "Kode Atasan")], errors(report)
    ok = imp("positions", "Kode,Nama Jabatan,Kode Unit,Kode Atasan,Eselon,Kepala Unit\n"
             "JB-2,Pranata Komputer,DINKES,JB-1,JF,tidak\n"
             "JB-1,Kepala Subbagian Umum,DINKES,,IV.a,ya\n")
    assert ok.ok and ok.created == 2
    assert Position.objects.get(code="JB-2").parent == Position.objects.get(code="JB-1")


# --- scoping: an operator imports only into their own OPD --------------------------------------------

def test_operator_imports_only_into_own_opd(org: Org) -> None:
    op = org.operator_dinkes
    report = imp("employees", HEADER + "Ani,198804042012031001,,PNS,DISDIK,,0,\n", user=op)
    assert errors(report) == [(2, "Kode Unit", "kode unit DISDIK tidak dikenal")]
    report = imp("employees", HEADER + f"Ani,{org.guru.nip},,PNS,DINKES,,0,\n", user=op, update=True)
    assert errors(report) == [(2, "NIP", "sudah terdaftar untuk pegawai di luar cakupan Anda")]
    assert Employee.objects.get(pk=org.guru.pk).unit == org.disdik  # not moved into Dinkes
    ok = imp("employees", HEADER + "Ani,198804042012031001,,PNS,PKM-TE,,0,\n", user=op)
    assert ok.ok, errors(ok)
    ani = Employee.objects.get(nip="198804042012031001")
    assert list(ani.locations.all()) == [org.loc_puskesmas]  # defaulted to the unit's own location


def test_operator_may_not_import_units(org: Org) -> None:
    report = imp("units", "Kode,Nama,Jenis,Kode Induk\nX,Bidang X,Bidang,DINKES\n", user=org.operator_dinkes)
    assert "tidak berhak" in report.errors[0].message
    assert not Unit.objects.filter(code="X").exists()


def test_plain_employee_may_not_import(org: Org) -> None:
    report = imp("employees", HEADER + "Ani,198804042012031001,,PNS,DINKES,,0,\n", user=org.staf.user)
    assert not report.ok and "tidak berhak" in report.errors[0].message


def test_update_mode_changes_existing_employee(org: Org) -> None:
    report = imp("employees", HEADER + f"Dewi Lestari Baru,{org.staf.nip},,PNS,DINKES-SEK,,Rp 4.000.000,\n",
                 user=org.operator_dinkes, update=True)
    assert report.ok and report.updated == 1 and report.created == 0, errors(report)
    staf = Employee.objects.get(pk=org.staf.pk)
    assert staf.name == "Dewi Lestari Baru" and staf.tpp_base == 4_000_000
    assert list(staf.locations.all()) == [org.loc_dinkes]  # locations kept when the file names none


# --- the management command --------------------------------------------------------------------------

def test_command_success_and_failure(org: Org, tmp_path: Path) -> None:
    good = tmp_path / "pegawai.csv"
    good.write_text(HEADER + "Ani,198804042012031001,,PNS,DINKES,,Rp 2.500.000,\n", encoding="utf-8")
    out = io.StringIO()
    call_command("import", "pegawai", str(good), stdout=out)
    assert "1 dibuat" in out.getvalue()
    bad = tmp_path / "pegawai-salah.csv"
    bad.write_text(HEADER + "Budi,198804042012031002,,PNS,NOPE,,0,\nCici,123,,PNS,DINKES,,0,\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="2 kesalahan"):
        call_command("import", "employees", str(bad), stdout=io.StringIO(), stderr=err)
    assert "Baris 2, kolom “Kode Unit”: kode unit NOPE tidak dikenal" in err.getvalue()
    assert "Baris 3, kolom “NIP”: NIP harus 18 digit angka." in err.getvalue()
    assert not Employee.objects.filter(name__in=["Budi", "Cici"]).exists()
    with pytest.raises(CommandError, match="operator_x"):
        call_command("import", "employees", str(good), "--as-user", "operator_x")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import", "employees", str(good), "--as-user", "op_disdik", "--update", stderr=err)
    assert "di luar cakupan" in err.getvalue()


def test_unit_kinds_accept_labels(db: Any) -> None:
    report = imp("units", "Kode,Nama,Jenis,Kode Induk\nP,Pemkab,pemda,\nS,Setda,Sekretariat Daerah,P\n"
                 "R,RSUD,rsud,P\n")
    assert report.ok, errors(report)
    assert Unit.objects.get(code="S").kind == UnitKind.SEKRETARIAT_DAERAH and Unit.objects.get(code="R").is_opd


def test_every_import_run_is_in_the_audit_trail(org: Any) -> None:
    import hashlib

    from hadir.audit.models import AuditEntry
    from hadir.org.importing.run import run_import

    good = b"kode,nama,jenis,induk\nDINSOS,Dinas Sosial,dinas,PEMDA\n"
    bad = b"kode,nama,jenis,induk\nX,,dinas,PEMDA\n"
    assert run_import("units", good, "unit.csv").ok
    assert not run_import("units", bad, "unit-salah.csv").ok
    entries = list(AuditEntry.objects.filter(action="org.import").order_by("seq"))
    assert [(e.target_repr, e.after["written"], e.after["created"]) for e in entries] == [
        ("unit.csv", True, 1), ("unit-salah.csv", False, 0)]
    assert entries[0].after["sha256"] == hashlib.sha256(good).hexdigest() and entries[1].after["errors"] == 1
