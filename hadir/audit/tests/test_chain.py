"""The audit chain: append-only, hash-linked, verifiable; tampering is found at the right entry."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from hadir.audit.models import AuditEntry, AuditImmutableError, ChainHead
from hadir.audit.services import record, verify_chain
from hadir.testing import Org


def _three_entries(org: Org) -> list[AuditEntry]:
    return [
        record(org.admin_bkpsdm, "test.ubah", org.staf, {"status": "belum"}, {"status": "hadir"}, "uji"),
        record(None, "test.sistem", org.kabid, {}, {"n": 1.5, "when": "2026-11-23"}),
        record(org.operator_dinkes, "test.koreksi", org.dinkes, {"name": "A"}, {"name": "Dinas Kesehatan"}),
    ]


def test_entries_link_to_the_previous_hash(org: Org) -> None:
    first, second, third = _three_entries(org)
    assert [e.seq for e in (first, second, third)] == [1, 2, 3]
    assert first.prev_hash == "0" * 64
    assert second.prev_hash == first.hash and third.prev_hash == second.hash
    assert second.actor_id is None and second.actor_name == "sistem"
    assert first.target_type == "org.employee" and first.target_id == str(org.staf.pk)
    head = ChainHead.objects.get(pk=1)
    assert (head.last_seq, head.last_hash) == (3, third.hash)
    assert verify_chain().ok and verify_chain().checked == 3


def test_hash_survives_a_database_round_trip(org: Org) -> None:
    entry = record(org.admin_bkpsdm, "test.rt", org.staf, {"x": [1, 2, {"b": 1, "a": None}]}, {"ü": "é"})
    fresh = AuditEntry.objects.get(pk=entry.pk)
    assert fresh.compute_hash() == entry.hash


def test_model_refuses_edit_and_delete(org: Org) -> None:
    entry = _three_entries(org)[0]
    entry.reason = "diubah"
    with pytest.raises(AuditImmutableError):
        entry.save()
    with pytest.raises(AuditImmutableError):
        entry.delete()
    with pytest.raises(AuditImmutableError):
        AuditEntry.objects.filter(pk=entry.pk).update(reason="x")
    with pytest.raises(AuditImmutableError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).reason == "uji"


@pytest.mark.parametrize(
    ("sql", "broken_seq"),
    [
        ("UPDATE audit_auditentry SET reason = 'dipalsukan' WHERE seq = 2", 2),
        ("UPDATE audit_auditentry SET actor_name = 'orang lain' WHERE seq = 1", 1),
        ("UPDATE audit_auditentry SET target_id = '999' WHERE seq = 3", 3),
        ("DELETE FROM audit_auditentry WHERE seq = 2", 2),
        ("DELETE FROM audit_auditentry WHERE seq = 3", 3),
    ],
)
def test_verify_finds_the_first_tampered_row(org: Org, sql: str, broken_seq: int) -> None:
    _three_entries(org)
    with connection.cursor() as cursor:
        cursor.execute(sql)
    report = verify_chain()
    assert not report.ok
    assert report.broken_seq == broken_seq


def test_rehashing_an_edited_row_still_breaks_the_next_link(org: Org) -> None:
    entries = _three_entries(org)
    forged = AuditEntry.objects.get(seq=2)
    forged.after = {"n": 99}
    new_hash = forged.compute_hash()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET after = %s, hash = %s WHERE seq = 2", ['{"n": 99}', new_hash])
    report = verify_chain()
    assert not report.ok and report.broken_seq == 3
    assert entries[2].prev_hash != new_hash


def test_audit_verify_command_exit_status(org: Org) -> None:
    _three_entries(org)
    out = StringIO()
    call_command("audit_verify", stdout=out)
    assert "3 entri" in out.getvalue()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET before = %s WHERE seq = 1", ['{"status": "tk"}'])
    with pytest.raises(CommandError, match="#1"):
        call_command("audit_verify", stdout=StringIO())


def test_empty_chain_verifies(db: Any) -> None:
    assert verify_chain().ok


def test_record_many_extends_the_same_chain(org: Org) -> None:
    from hadir.audit.services import record_many

    first = record(None, "test.one", org.staf, {}, {"a": 1})
    many = record_many(org.admin_bkpsdm, "test.bulk", [(org.staf, {"v": "pending"}, {"v": "valid"}),
                                                       (org.kabid, {"v": "pending"}, {"v": "valid"})], "massal")
    last = record(None, "test.two", org.staf, {}, {"a": 2})
    assert [e.seq for e in many] == [2, 3] and many[0].prev_hash == first.hash
    assert last.prev_hash == many[1].hash and last.seq == 4
    assert record_many(None, "test.none", []) == []
    assert verify_chain().ok and verify_chain().checked == 4
