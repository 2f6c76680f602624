from django.test import Client

from hadir.testing import PASSWORD, Org


def test_root_answers_login_page_for_visitors(db):
    response = Client().get("/")
    assert response.status_code == 200
    assert "Kata sandi" in response.content.decode()
    english = Client().get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
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


def test_org_builder_sets_opd_and_paths(org: Org):
    assert org.dinkes.opd_id == org.dinkes.pk
    assert org.puskesmas.opd_id == org.dinkes.pk
    org.puskesmas.refresh_from_db()
    assert org.puskesmas.path.startswith(org.dinkes.path + ".")
    assert org.pemda.opd_id is None
