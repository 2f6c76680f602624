"""The review API contract: every check-in of a local date, rejected ones too, riskiest first, scoped."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.test import Client

from hadir.presence.models import CheckIn
from hadir.testing import PASSWORD, Org

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 2)
FIELDS = {"id", "client_uuid", "employee_id", "nip", "kind", "source", "occurred_at", "verdict", "reason_code",
          "fraud_flags", "risk", "face", "face_distance"}


def checkin(emp: Any, minute: int, *, verdict: str = "accepted", reason_code: str = "", flags: list[str] | None = None,
            day: dt.date = DAY) -> CheckIn:
    return CheckIn.objects.create(
        employee=emp, kind="masuk", source="mobile", client_uuid=uuid.uuid4(), local_date=day,
        occurred_at=dt.datetime(day.year, day.month, day.day, 0, minute, tzinfo=dt.UTC), latitude=-7.3, longitude=110.1,
        verdict=verdict, reason_code=reason_code, fraud_flags=flags or [])


def client(username: str) -> Client:
    c = Client()
    assert c.login(username=username, password=PASSWORD)
    return c


@pytest.fixture
def day(org: Org) -> dict[str, CheckIn]:
    return {
        "honest": checkin(org.staf, 10),
        "fake": checkin(org.kabid, 12, flags=["mock_location", "round_coordinates"]),
        "rejected": checkin(org.staf_bidang, 15, verdict="rejected", reason_code="outside_radius"),
        "guru": checkin(org.guru, 20, flags=["shared_device"]),
        "yesterday": checkin(org.staf, 5, day=DAY - dt.timedelta(days=1)),
    }


def test_bkpsdm_gets_every_checkin_of_the_date_riskiest_first(day: dict[str, CheckIn], org: Org) -> None:
    rows = client("bkpsdm").get("/api/integrity/checkins", {"date": "2026-11-02"}).json()
    assert [r["id"] for r in rows] == [day[k].pk for k in ("fake", "guru", "rejected", "honest")]
    assert set(rows[0]) == FIELDS
    fake = rows[0]
    assert (fake["fraud_flags"], fake["risk"], fake["nip"], fake["client_uuid"]) == (
        ["mock_location", "round_coordinates"], 80, org.kabid.nip, str(day["fake"].client_uuid))
    rejected = next(r for r in rows if r["id"] == day["rejected"].pk)
    assert (rejected["verdict"], rejected["reason_code"], rejected["risk"]) == ("rejected", "outside_radius", 20)


def test_filters(day: dict[str, CheckIn], org: Org) -> None:
    bk = client("bkpsdm")
    assert [r["id"] for r in bk.get("/api/integrity/checkins", {"date": "2026-11-02", "min_risk": "30"}).json()] == [
        day["fake"].pk, day["guru"].pk]
    assert [r["id"] for r in bk.get("/api/integrity/checkins", {"date": "2026-11-02", "opd": str(org.disdik.pk)}).json()
            ] == [day["guru"].pk]
    assert [r["id"] for r in bk.get("/api/integrity/checkins", {"date": "2026-11-02", "employee": str(org.staf.pk)}
                                    ).json()] == [day["honest"].pk]


def test_an_operator_sees_their_opd_only(day: dict[str, CheckIn], org: Org) -> None:
    op = client("op_dinkes")
    ids = {r["id"] for r in op.get("/api/integrity/checkins", {"date": "2026-11-02"}).json()}
    assert ids == {day["honest"].pk, day["fake"].pk, day["rejected"].pk}
    assert op.get("/api/integrity/checkins", {"date": "2026-11-02", "opd": str(org.disdik.pk)}).status_code == 403
    assert op.get("/api/integrity/checkins", {"date": "2026-11-02", "employee": str(org.guru.pk)}).status_code == 403


@pytest.mark.parametrize(("username", "params", "status", "code"), [
    ("staf", {"date": "2026-11-02"}, 403, "forbidden"),         # an employee reviews nobody
    ("kadis", {"date": "2026-11-02"}, 403, "forbidden"),        # a head approves, BKPSDM/operators review
    ("bkpsdm", {"date": "2026-02-30"}, 400, "bad_date"),
    ("bkpsdm", {"date": "02-11-2026"}, 400, "bad_date"),
    ("bkpsdm", {"date": "2026-11-02", "min_risk": 101}, 422, None),
])
def test_refusals(day: dict[str, CheckIn], username: str, params: dict[str, Any], status: int,
                  code: str | None) -> None:
    response = client(username).get("/api/integrity/checkins", params)
    assert response.status_code == status
    assert response.json()["message"]
    if code:
        assert response.json()["code"] == code


def test_anonymous_is_refused() -> None:
    assert Client().get("/api/integrity/checkins", {"date": "2026-11-02"}).status_code == 401
