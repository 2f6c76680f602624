"""Every Django admin add/change/delete lands in the audit chain with before/after values."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from hadir.audit.models import AuditEntry
from hadir.audit.services import verify_chain
from hadir.org.models import Unit, UnitKind
from hadir.testing import PASSWORD, Org


def _superuser_client() -> tuple[Client, object]:
    user = get_user_model().objects.create_superuser("root", "root@example.org", PASSWORD)
    client = Client()
    client.force_login(user)
    return client, user


def test_admin_change_is_logged_with_before_and_after(org: Org) -> None:
    client, user = _superuser_client()
    unit = org.puskesmas
    url = reverse("admin:org_unit_change", args=[unit.pk])
    response = client.post(url, {
        "name": "Puskesmas Talang Lima", "code": unit.code, "kind": unit.kind, "parent": unit.parent_id,
        "is_active": "on",
    })
    assert response.status_code == 302, response.content[:2000]
    entry = AuditEntry.objects.get(action="admin.change")
    assert entry.actor_id == user.pk  # type: ignore[attr-defined]
    assert entry.target_type == "org.unit" and entry.target_id == str(unit.pk)
    assert entry.before == {"name": "Puskesmas Talang Empat"}
    assert entry.after == {"name": "Puskesmas Talang Lima"}
    assert verify_chain().ok


def test_admin_add_and_bulk_delete_are_logged(org: Org) -> None:
    client, user = _superuser_client()
    response = client.post(reverse("admin:org_unit_add"), {
        "name": "Seksi Uji", "code": "SEKSI-UJI", "kind": UnitKind.SEKSI, "parent": org.dinkes_bidang.pk,
        "is_active": "on",
    })
    assert response.status_code == 302, response.content[:2000]
    created = Unit.objects.get(code="SEKSI-UJI")
    added = AuditEntry.objects.get(action="admin.add")
    assert added.target_id == str(created.pk) and added.after["name"] == "Seksi Uji" and added.before == {}

    response = client.post(reverse("admin:org_unit_changelist"), {
        "action": "delete_selected", "_selected_action": [created.pk], "post": "yes",
    })
    assert response.status_code == 302
    assert not Unit.objects.filter(pk=created.pk).exists()
    deleted = AuditEntry.objects.get(action="admin.delete")
    assert deleted.actor_id == user.pk  # type: ignore[attr-defined]
    assert deleted.before["code"] == "SEKSI-UJI" and deleted.after == {}
    assert verify_chain().ok


def test_audit_admin_is_read_only(org: Org) -> None:
    client, _ = _superuser_client()
    from hadir.audit.services import record

    entry = record(None, "test.x", org.staf, {}, {"a": 1})
    assert client.get(reverse("admin:audit_auditentry_changelist")).status_code == 200
    assert client.get(reverse("admin:audit_auditentry_change", args=[entry.pk])).status_code == 200
    assert client.get(reverse("admin:audit_auditentry_add")).status_code == 403
    assert client.post(reverse("admin:audit_auditentry_delete", args=[entry.pk]), {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
