"""/api/audit: BKPSDM reads and verifies the trail; others are refused. The router is mounted on a
throwaway NinjaAPI here so the test does not depend on hadir/api.py mounting it."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from ninja.testing import TestClient

from hadir.audit.api import router
from hadir.audit.services import record
from hadir.testing import Org


@pytest.fixture
def client() -> TestClient:
    from ninja import NinjaAPI

    from hadir.errors import install_handlers

    api = NinjaAPI(urls_namespace="audit-test")
    install_handlers(api)
    api.add_router("/audit", router)
    return TestClient(api)


def test_bkpsdm_reads_and_verifies(org: Org, client: Any) -> None:
    record(org.admin_bkpsdm, "test.a", org.staf, {}, {"x": 1})
    record(org.operator_dinkes, "test.b", org.kabid, {"y": 1}, {"y": 2}, "koreksi")
    rows = client.get("/audit/entries", user=org.admin_bkpsdm).json()
    assert [r["seq"] for r in rows] == [2, 1] and rows[0]["reason"] == "koreksi"
    only = client.get(f"/audit/entries?target_type=org.employee&target_id={org.staf.pk}", user=org.admin_bkpsdm)
    assert [r["action"] for r in only.json()] == ["test.a"]
    assert client.get("/audit/verify", user=org.admin_bkpsdm).json() == {
        "ok": True, "checked": 2, "broken_seq": None, "problem": ""}
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET reason = 'x' WHERE seq = 2")
    report = client.get("/audit/verify", user=org.admin_bkpsdm).json()
    assert report["ok"] is False and report["broken_seq"] == 2


def test_others_refused(org: Org, client: Any) -> None:
    for user in (org.operator_dinkes, org.kadis.user, org.staf.user):
        assert client.get("/audit/entries", user=user).status_code == 403
