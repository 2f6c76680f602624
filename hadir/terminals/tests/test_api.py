"""/api/terminals: scoping, claiming a pending terminal, commands, down days."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from hadir.terminals.models import (
    AttLog,
    AttLogState,
    Terminal,
    TerminalCommand,
    TerminalDownDay,
    TerminalStatus,
)
from hadir.testing import Org

pytestmark = [pytest.mark.django_db, pytest.mark.urls("hadir.terminals.tests.urls")]


def login(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def terminals(org: Org) -> dict[str, Terminal]:
    return {
        "dinkes": Terminal.objects.create(serial_number="SN-DINKES", name="Lobi", unit=org.dinkes,
                                          location=org.loc_dinkes, status=TerminalStatus.ACTIVE),
        "disdik": Terminal.objects.create(serial_number="SN-DISDIK", name="Aula", unit=org.disdik,
                                          location=org.loc_disdik, status=TerminalStatus.ACTIVE),
        "pending": Terminal.objects.create(serial_number="SN-NEW"),
    }


def test_operator_sees_only_their_opd(org: Org, terminals: dict[str, Terminal]) -> None:
    resp = login(org.operator_dinkes).get("/api/terminals")
    assert resp.status_code == 200
    assert [t["serial_number"] for t in resp.json()] == ["SN-DINKES"]
    assert login(org.operator_dinkes).get(f"/api/terminals/{terminals['disdik'].pk}").status_code == 404
    resp = login(org.admin_bkpsdm).get("/api/terminals")
    assert {t["serial_number"] for t in resp.json()} == {"SN-DINKES", "SN-DISDIK", "SN-NEW"}
    assert login(org.staf.user).get("/api/terminals").json() == []
    assert Client().get("/api/terminals").status_code == 401


def test_operator_claims_pending_terminal_and_held_logs_are_released(
        org: Org, terminals: dict[str, Terminal], fake_pipeline: Any,
        django_capture_on_commit_callbacks: Any) -> None:
    org.staf.device_pin = "77"
    org.staf.save()
    AttLog.objects.create(terminal=terminals["pending"], pin="77", local_time="2026-11-23 07:10:00",
                          occurred_at=dt.datetime(2026, 11, 23, 0, 10, tzinfo=dt.UTC), punch="masuk",
                          raw="77\t2026-11-23 07:10:00\t0\t1", state=AttLogState.HELD)
    client = login(org.operator_dinkes)
    # not their unit
    resp = client.post("/api/terminals/claim", {"serial_number": "SN-NEW", "unit_id": org.disdik.pk,
                                                "location_id": org.loc_disdik.pk}, content_type="application/json")
    assert resp.status_code == 403
    assert resp.json()["message"] == "Anda tidak berhak menetapkan mesin ke unit ini."
    # a location of another OPD
    resp = client.post("/api/terminals/claim", {"serial_number": "SN-NEW", "unit_id": org.puskesmas.pk,
                                                "location_id": org.loc_disdik.pk}, content_type="application/json")
    assert resp.status_code == 422
    resp = client.post("/api/terminals/claim", {"serial_number": "NOPE", "unit_id": org.puskesmas.pk,
                                                "location_id": org.loc_puskesmas.pk},
                       content_type="application/json")
    assert resp.status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post("/api/terminals/claim", {"serial_number": "SN-NEW", "unit_id": org.puskesmas.pk,
                                                    "location_id": org.loc_puskesmas.pk, "name": "Mesin Puskesmas"},
                           content_type="application/json")
    assert resp.status_code == 200, resp.content
    body = resp.json()
    assert body["released"] == 1
    assert body["terminal"]["status"] == "active"
    assert body["terminal"]["unit"]["name"] == "Puskesmas Talang Empat"
    assert AttLog.objects.get().state == AttLogState.CONVERTED
    # claiming twice is refused
    resp = client.post("/api/terminals/claim", {"serial_number": "SN-NEW", "unit_id": org.puskesmas.pk,
                                                "location_id": org.loc_puskesmas.pk},
                       content_type="application/json")
    assert resp.status_code == 409


def test_english_error_messages(org: Org, terminals: dict[str, Terminal]) -> None:
    resp = login(org.operator_dinkes).get("/api/terminals/down-days?month=2026-13", HTTP_ACCEPT_LANGUAGE="en")
    assert resp.status_code == 422
    assert resp.json()["message"] == "Month must be in YYYY-MM format."


def test_commands(org: Org, terminals: dict[str, Terminal]) -> None:
    client = login(org.operator_dinkes)
    t = terminals["dinkes"]
    resp = client.post(f"/api/terminals/{t.pk}/commands", {"command": "reboot"}, content_type="application/json")
    assert resp.status_code == 201
    assert resp.json()[0]["command"] == "REBOOT"
    resp = client.post(f"/api/terminals/{t.pk}/commands", {"command": "sync_users"},
                       content_type="application/json")
    assert resp.status_code == 422  # nobody has a PIN yet
    org.staf.device_pin = "1001"
    org.staf.save()
    org.guru.device_pin = "2001"  # another OPD: out of the operator's scope
    org.guru.save()
    resp = client.post(f"/api/terminals/{t.pk}/commands", {"command": "sync_users", "employee_ids": [
        org.staf.pk, org.guru.pk]}, content_type="application/json")
    assert resp.status_code == 201
    assert [c["command"].split("\t")[0] for c in resp.json()] == ["DATA UPDATE USERINFO PIN=1001"]
    resp = client.post(f"/api/terminals/{t.pk}/commands", {"command": "raw", "raw": "CLEAR LOG"},
                       content_type="application/json")
    assert resp.status_code == 403
    resp = client.post(f"/api/terminals/{t.pk}/commands", {"command": "format_disk"},
                       content_type="application/json")
    assert resp.status_code == 422
    assert len(client.get(f"/api/terminals/{t.pk}/commands").json()) == 2
    assert TerminalCommand.objects.count() == 2


def test_disable_and_patch(org: Org, terminals: dict[str, Terminal]) -> None:
    client = login(org.operator_dinkes)
    t = terminals["dinkes"]
    resp = client.patch(f"/api/terminals/{t.pk}", {"status": "disabled", "ip_allowlist": "10.0.0.0/8"},
                        content_type="application/json")
    assert resp.status_code == 200
    assert resp.json()["status"] == "disabled"
    resp = client.patch(f"/api/terminals/{t.pk}", {"ip_allowlist": "bukan ip"}, content_type="application/json")
    assert resp.status_code == 422
    assert resp.json()["errors"][0]["field"] == "ip_allowlist"
    t.refresh_from_db()
    assert t.ip_allowlist == "10.0.0.0/8"


def test_down_days_listing_is_scoped(org: Org, terminals: dict[str, Terminal]) -> None:
    TerminalDownDay.objects.create(terminal=terminals["dinkes"], opd=org.dinkes, date=dt.date(2026, 11, 10))
    TerminalDownDay.objects.create(terminal=terminals["disdik"], opd=org.disdik, date=dt.date(2026, 11, 11))
    TerminalDownDay.objects.create(terminal=terminals["disdik"], opd=org.disdik, date=dt.date(2026, 10, 30))
    rows = login(org.operator_dinkes).get("/api/terminals/down-days?month=2026-11").json()
    assert [(r["serial_number"], r["date"]) for r in rows] == [("SN-DINKES", "2026-11-10")]
    rows = login(org.admin_bkpsdm).get("/api/terminals/down-days?month=2026-11").json()
    assert [(r["opd_name"], r["date"]) for r in rows] == [("Dinas Kesehatan", "2026-11-10"),
                                                          ("Dinas Pendidikan", "2026-11-11")]


def test_raw_logs_of_a_day(org: Org, terminals: dict[str, Terminal]) -> None:
    org.staf.device_pin = "31"
    org.staf.save()
    t = terminals["dinkes"]
    for pin, when in [("31", "2026-11-23 07:01:00"), ("31", "2026-11-23 16:00:00"), ("32", "2026-11-23 23:59:59"),
                      ("31", "2026-11-24 00:00:00"), ("31", "2026-11-22 23:59:59")]:
        AttLog.objects.create(terminal=t, pin=pin, local_time=when, occurred_at=dt.datetime(2026, 11, 23, tzinfo=dt.UTC),
                              raw=f"{pin}\t{when}", state=AttLogState.QUEUED)
    rows = login(org.operator_dinkes).get(f"/api/terminals/{t.pk}/logs?date=2026-11-23").json()
    assert [(r["pin"], r["local_time"], r["employee_name"]) for r in rows] == [
        ("31", "2026-11-23 07:01:00", "Dewi Lestari"), ("31", "2026-11-23 16:00:00", "Dewi Lestari"),
        ("32", "2026-11-23 23:59:59", None)]
    assert login(org.operator_disdik).get(f"/api/terminals/{t.pk}/logs?date=2026-11-23").status_code == 404
