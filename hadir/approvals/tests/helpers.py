"""Builders for the approval tests: a fuller Dinas tree and check-ins stored as the pipeline would."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone

from hadir.org.models import Employee, EmployeeKind, Eselon, UnitKind
from hadir.presence import outbox
from hadir.presence.models import CheckIn
from hadir.testing import Org, make_employee, make_position, make_unit


def extend_org(org: Org) -> dict[str, Employee]:
    """Add a subbagian under the sekretariat (tiers derived, no explicit parents), a seksi under the
    bidang (explicit parents), and a second bidang, each with staff."""
    subbag = make_unit("Subbagian Umum dan Kepegawaian", UnitKind.SUBBAGIAN, org.dinkes_sekretariat)
    seksi = make_unit("Seksi Pelayanan Kesehatan Primer", UnitKind.SEKSI, org.dinkes_bidang)
    bidang2 = make_unit("Bidang Pencegahan dan Pengendalian Penyakit", UnitKind.BIDANG, org.dinkes)
    assert org.kabid.position is not None
    p_kasubag = make_position(subbag, "Kepala Subbagian Umum", None, Eselon.IV_A, is_head=True)
    p_staf_subbag = make_position(subbag, "Pengelola Kepegawaian", None)
    p_kasi = make_position(seksi, "Kepala Seksi Yankes Primer", org.kabid.position, Eselon.IV_A, is_head=True)
    p_staf_seksi = make_position(seksi, "Perawat Terampil", p_kasi, Eselon.FUNGSIONAL)
    assert org.kadis.position is not None
    p_kabid2 = make_position(bidang2, "Kepala Bidang P2P", org.kadis.position, Eselon.III_B, is_head=True)
    p_staf2 = make_position(bidang2, "Epidemiolog", p_kabid2, Eselon.FUNGSIONAL)
    locs = [org.loc_dinkes]
    return {
        "kasubag": make_employee(subbag, "Yuni Kasubag", position=p_kasubag, locations=locs, username="kasubag"),
        "staf_subbag": make_employee(subbag, "Rudi Pengelola", position=p_staf_subbag, locations=locs,
                                     username="stafsubbag"),
        "kasi": make_employee(seksi, "Nita Kasi", position=p_kasi, locations=locs, username="kasi"),
        "staf_seksi": make_employee(seksi, "Joko Perawat", position=p_staf_seksi, locations=locs,
                                    username="stafseksi", kind=EmployeeKind.PPPK),
        "kabid2": make_employee(bidang2, "Lina Kabid P2P", position=p_kabid2, locations=locs, username="kabid2"),
        "staf_bidang2": make_employee(bidang2, "Tono Epidemiolog", position=p_staf2, locations=locs,
                                      username="stafbid2"),
    }


def store_checkin(employee: Employee, *, kind: str = "masuk", flags: list[str] | None = None,
                  source: str = "mobile", verdict: str = "accepted", day: dt.date | None = None,
                  occurred_at: dt.datetime | None = None, **extra: Any) -> CheckIn:
    """Store a CheckIn the way the pipeline does (one transaction) and run the after-commit hooks."""
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        with transaction.atomic():
            row = CheckIn.objects.create(
                client_uuid=uuid.uuid4(), employee=employee, kind=kind, source=source,
                occurred_at=occurred_at or timezone.now(), local_date=day or timezone.localdate(), verdict=verdict,
                fraud_flags=flags if flags is not None else ["mock_location"], **extra,
            )
            outbox.mark_checkin(row)
    row.refresh_from_db()
    return row
