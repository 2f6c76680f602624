"""The admin reads Indonesian throughout, Django's own strings included (its Indonesian catalog lacks some of
Django 6.1's and calls the change link a fox, "Rubah")."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from hadir.testing import Org

pytestmark = pytest.mark.django_db

ENGLISH_LEFT_OVER = ["Select an option", "Filter by", "Rubah", "Logout", "Change or view list link"]


@pytest.mark.parametrize("path", ["/admin/presence/checkin/", "/admin/leave/leaverequest/",
                                  "/admin/approvals/delegation/add/", "/admin/org/employee/1/change/"])
def test_admin_pages_have_no_english_or_wrong_indonesian_left(org: Org, path: str) -> None:
    from django.contrib.auth import get_user_model

    superuser = get_user_model().objects.create_superuser("root", "root@example.invalid", "x")
    client = Client()
    client.force_login(superuser)
    path = path.replace("/1/", f"/{org.staf.pk}/")
    html = client.get(path, follow=True).content.decode()
    assert client.get(path, follow=True).status_code == 200
    assert [s for s in ENGLISH_LEFT_OVER if s in html] == []


def test_the_overrides_translate() -> None:
    with translation.override("id"):
        assert translation.gettext("- Select an option -") == "- Pilih salah satu -"
        assert translation.gettext("Filter by %(field_name)s") == "Saring berdasarkan %(field_name)s"
        assert translation.gettext("Change or view list link") == "Tautan ubah atau lihat daftar"
