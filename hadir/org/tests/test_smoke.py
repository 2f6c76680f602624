from django.test import Client

from hadir.testing import PASSWORD, Org


def test_root_answers_login_page_for_visitors(db):
    response = Client().get("/")
    assert response.status_code == 200
    assert "Kata sandi" in response.content.decode()
    switched = Client()
    switched.cookies["django_language"] = "en"  # what the language switch sets
    english = switched.get("/").content.decode()
    assert "Password" in english and "Log in" in english


def test_login_at_root_leads_to_the_users_home(org: Org):
    client = Client()
    answer = client.post("/masuk/", {"username": "op_dinkes", "password": PASSWORD})
    assert answer.status_code == 302
    assert client.get("/", follow=True).status_code == 200
    assert Client().post("/", {"username": "op_dinkes", "password": "salah"}).status_code == 200  # form again


def test_openapi_schema_is_served(db):
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "Hadir API"


def test_openapi_schema_is_built_once_per_language(db):
    from hadir.api import api

    first = Client().get("/api/openapi.json").json()
    assert Client().get("/api/openapi.json").json() == first
    assert Client().get("/api/openapi.json", headers={"Accept-Language": "en"}).json()["paths"].keys() == \
        first["paths"].keys()
    assert api.get_openapi_schema() is api.get_openapi_schema()  # cached, not rebuilt per request


def test_org_builder_sets_opd_and_paths(org: Org):
    assert org.dinkes.opd_id == org.dinkes.pk
    assert org.puskesmas.opd_id == org.dinkes.pk
    org.puskesmas.refresh_from_db()
    assert org.puskesmas.path.startswith(org.dinkes.path + ".")
    assert org.pemda.opd_id is None


def test_templates_have_no_multiline_hash_comments():
    """Django's {# #} comments end at the line; a multi-line one is printed on the page verbatim."""
    from pathlib import Path

    offenders = []
    for path in Path(__file__).resolve().parents[2].rglob("*.html"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if "{#" in line and "#}" not in line.split("{#", 1)[1]:
                offenders.append(f"{path}:{number}")
    assert offenders == []


def test_pages_speak_indonesian_even_when_the_browser_asks_for_english(db):
    page = Client().get("/", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert "Kata sandi" in page.content.decode()
    switched = Client()
    switched.cookies["django_language"] = "en"
    assert "Password" in switched.get("/").content.decode()


def test_api_follows_accept_language(db):
    answer = Client().post("/api/auth/token", {}, content_type="application/json", headers={"Accept-Language": "en"})
    assert answer.status_code == 422
    assert "Field required" in answer.json()["message"]
