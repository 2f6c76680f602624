"""The audit page: BKPSDM and super-admins read the trail with filters; nobody else sees it."""

from __future__ import annotations

import pytest
from django.test import Client

from hadir.audit.services import record
from hadir.testing import Org

pytestmark = pytest.mark.django_db


def client_for(user: object) -> Client:
    c = Client()
    c.force_login(user)  # type: ignore[arg-type]
    return c


def test_bkpsdm_reads_and_filters_the_trail(org: Org) -> None:
    record(org.operator_dinkes, "leave.cancel", org.staf, {"status": "approved"}, {"status": "cancelled"}, "salah input")
    record(org.admin_bkpsdm, "org.import", org.guru, {}, {"rows": 3}, "impor pegawai")
    c = client_for(org.admin_bkpsdm)
    page = c.get("/dasbor/audit/").content.decode()
    assert "salah input" in page and "impor pegawai" in page and 'href="/dasbor/audit/"' in page
    only = c.get("/dasbor/audit/", {"aksi": "leave.cancel"}).content.decode()
    assert "salah input" in only and "impor pegawai" not in only
    by_actor = c.get("/dasbor/audit/", {"pelaku": "bkpsdm"}).content.decode()
    assert "impor pegawai" in by_actor and "salah input" not in by_actor
    bad_date = c.get("/dasbor/audit/", {"dari": "2026-13-45"})
    assert bad_date.status_code == 200 and "tidak valid" in bad_date.content.decode()


@pytest.mark.parametrize("who", ["operator_dinkes", "kadis", "staf"])
def test_others_cannot_read_it(org: Org, who: str) -> None:
    user = getattr(org, who)
    user = getattr(user, "user", user)
    response = client_for(user).get("/dasbor/audit/")
    assert response.status_code == 403
    assert 'href="/dasbor/audit/"' not in client_for(user).get("/dasbor/", follow=True).content.decode()
