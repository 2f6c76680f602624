"""Works on an intranet: no page loads a script, style sheet or font from another host."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from hadir.testing import Org

pytestmark = pytest.mark.django_db

ASSET = re.compile(r"""<(?:script|link|img)\b[^>]*?\b(?:src|href)\s*=\s*["']([^"']+)["']""", re.I)


def external_assets(html: str) -> list[str]:
    return [url for url in ASSET.findall(html) if re.match(r"^(?:https?:)?//", url)]


@pytest.mark.parametrize("path", ["/api/docs", "/masuk/", "/m/", "/admin/login/"])
def test_public_pages_load_nothing_from_outside(path: str) -> None:
    response = Client().get(path, follow=True)
    assert response.status_code == 200
    assert external_assets(response.content.decode()) == []


@pytest.mark.parametrize("user", ["admin_bkpsdm", "operator_dinkes"])
def test_dashboard_pages_load_nothing_from_outside(org: Org, user: str) -> None:
    client = Client()
    client.force_login(getattr(org, user))
    for path in ["/", "/dasbor/", "/dasbor/peta/", "/dasbor/grafik/", "/dasbor/kesiapan/", "/persetujuan/",
                 "/notifikasi/", "/admin/"]:
        response = client.get(path, follow=True)
        assert response.status_code == 200, path
        assert external_assets(response.content.decode()) == [], path


def test_swagger_ui_is_served_by_hadir(client: Any) -> None:
    html = Client().get("/api/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert Client().get("/static/ninja/swagger-ui-bundle.js").status_code == 200
