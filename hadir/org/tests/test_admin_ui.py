"""The admin in Bahasa Indonesia with English switchable, and the admin/API upload of import files."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from hadir.org.models import Employee
from hadir.org.tokens import issue_token
from hadir.testing import PASSWORD, Org

HEADER = "Nama,NIP,NIK,Jenis Pegawai,Kode Unit\n"


def login(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def test_admin_speaks_indonesian_and_switches_to_english(org: Org) -> None:
    client = login("bkpsdm")
    page = client.get("/admin/org/employee/").content.decode()
    assert 'lang="id"' in page and "Pilih pegawai untuk diubah" in page and "jenis pegawai" in page.lower()
    assert 'action="/i18n/setlang/"' in page and 'value="en"' in page  # the language switch
    answer = client.post("/i18n/setlang/", {"language": "en", "next": "/admin/org/employee/"})
    assert answer.status_code == 302 and answer["Location"] == "/admin/org/employee/"
    page = client.get("/admin/org/employee/").content.decode()
    assert 'lang="en"' in page and "Select employee to change" in page and "Employee type" in page
    assert "Import from Excel/CSV" in page
    index = client.get("/admin/").content.decode()
    assert "Organisation" in index and "Work locations" in index and "Employees" in index
    client.post("/i18n/setlang/", {"language": "id", "next": "/admin/"})
    assert "Organisasi" in client.get("/admin/").content.decode()


def test_admin_login_page_has_language_switch(db: object) -> None:
    page = Client().get("/admin/login/").content.decode()
    assert 'action="/i18n/setlang/"' in page


def test_identity_errors_follow_the_language(org: Org) -> None:
    client = login("op_dinkes")
    body = HEADER + "Ani,19850314201001100,,PNS,DINKES\n"
    upload = SimpleUploadedFile("pegawai.csv", body.encode(), content_type="text/csv")
    answer = client.post("/api/org/import/employees", {"file": upload}, HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["message"] == "NIP must be 18 digits."
    upload = SimpleUploadedFile("pegawai.csv", body.encode(), content_type="text/csv")
    answer = client.post("/api/org/import/employees", {"file": upload})
    assert answer.json()["errors"][0]["message"] == "NIP harus 18 digit angka."


def test_admin_upload_view_reports_rows_and_imports_all_or_nothing(org: Org) -> None:
    client = login("op_dinkes")
    assert client.get("/admin/org/employee/").content.decode().count("/admin/org/employee/impor/") == 1
    page = client.get("/admin/org/employee/impor/")
    assert page.status_code == 200 and "Dinas Kesehatan" in page.content.decode()  # scope is shown
    bad = HEADER + "Ani,198804042012031001,,PNS,DINKES\nBudi,198804042012031002,,PNS,DISDIK\n"
    answer = client.post("/admin/org/employee/impor/", {
        "kind": "employees", "file": SimpleUploadedFile("pegawai.csv", bad.encode()),
    })
    html = answer.content.decode()
    assert answer.status_code == 422 and "import-errors" in html and "kode unit DISDIK tidak dikenal" in html
    assert not Employee.objects.filter(name__in=["Ani", "Budi"]).exists()
    good = HEADER + "Ani,198804042012031001,,PNS,DINKES\n"
    answer = client.post("/admin/org/employee/impor/", {
        "kind": "employees", "file": SimpleUploadedFile("pegawai.csv", good.encode()),
    }, follow=True)
    assert answer.status_code == 200 and "1 baris diperiksa: 1 dibuat" in answer.content.decode()
    assert Employee.objects.get(nip="198804042012031001").unit == org.dinkes


def test_admin_upload_view_needs_add_permission(org: Org) -> None:
    assert login("staf").get("/admin/org/employee/impor/").status_code == 302  # not staff: to login
    from django.contrib.auth.models import User

    User.objects.filter(username="staf").update(is_staff=True)
    assert login("staf").get("/admin/org/employee/impor/").status_code == 403


def test_api_import_with_token(org: Org) -> None:
    token = issue_token(org.admin_bkpsdm, "uji")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")

    def post(kind: str, text: str, **extra: str) -> dict[str, Any]:
        answer = client.post(f"/api/org/import/{kind}", {"file": SimpleUploadedFile("data.csv", text.encode()), **extra})
        return {"status": answer.status_code, **answer.json()}

    units = "Kode,Nama,Jenis,Kode Induk\nDISHUB,Dinas Perhubungan,Dinas,PEMDA\nDISHUB-LLAJ,Bidang LLAJ,Bidang,DISHUB\n"
    first = post("units", units)
    assert first["status"] == 200 and first["created"] == 2 and first["ok"] is True
    again = post("units", units)
    assert again["status"] == 422 and again["created"] == 0
    assert [(e["row"], e["column"]) for e in again["errors"]] == [(2, "Kode"), (3, "Kode")]
    assert "Baris 2" in str(again["message"])
    renamed = post("units", units.replace("Bidang LLAJ", "Bidang Lalu Lintas"), update="true")
    assert renamed["status"] == 200 and renamed["updated"] == 2
    assert client.post("/api/org/import/unknown", {"file": SimpleUploadedFile("x.csv", b"a\n")}).status_code == 404
    assert Client().post("/api/org/import/units", {"file": SimpleUploadedFile("x.csv", b"a\n")}).status_code == 401
    schema = client.get("/api/openapi.json").json()
    assert "/api/org/import/{kind}" in schema["paths"]


def test_api_import_is_refused_to_plain_employees(org: Org) -> None:
    client = login("staf")
    answer = client.post("/api/org/import/employees",
                         {"file": SimpleUploadedFile("p.csv", (HEADER + "Ani,198804042012031001,,PNS,DINKES\n").encode())})
    assert answer.status_code == 403 and "tidak berhak" in answer.json()["message"]


def test_import_templates_round_trip(org: Org) -> None:
    import io

    from openpyxl import load_workbook

    client = login("op_dinkes")
    page = client.get("/admin/org/employee/impor/").content.decode()
    assert "/admin/org/employee/impor/templat/employees.xlsx" in page
    answer = client.get("/admin/org/employee/impor/templat/employees.xlsx")
    assert answer.status_code == 200 and answer["Content-Disposition"].endswith('templat-employees.xlsx"')
    wb = load_workbook(io.BytesIO(answer.content))
    sheet = wb["Pegawai"]
    headers = [c.value for c in sheet[1]]
    assert headers[:4] == ["Nama", "NIP", "NIK", "Jenis Pegawai"] and "Petunjuk" in wb.sheetnames
    assert sheet["B2"].number_format == "@"  # NIP typed into the template stays text
    sheet.append(["Ani", "198804042012031001", None, "PNS", None, None, "DINKES"])
    buffer = io.BytesIO()
    wb.save(buffer)
    answer = client.post("/api/org/import/employees", {"file": SimpleUploadedFile("isi.xlsx", buffer.getvalue())})
    assert answer.status_code == 200 and answer.json()["created"] == 1 and answer.json()["warnings"] == []
    api = client.get("/api/org/import/locations/template")
    assert api.status_code == 200 and load_workbook(io.BytesIO(api.content))["Lokasi"]["A1"].value == "Kode"
    assert login("staf").get("/api/org/import/units/template").status_code == 403
