from django.test import Client

from hadir.testing import Org


def test_root_answers_login_page_for_visitors(db):
    response = Client().get("/", follow=True)
    assert response.status_code == 200
    assert "Kata sandi" in response.content.decode()


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
