"""Enrolment decisions outside the API's make-and-approve path: a pending enrolment approved or rejected later."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hadir.audit.models import AuditEntry
from hadir.errors import Conflict
from hadir.integrity import services
from hadir.integrity.models import FaceEnrolment

from .conftest import photo

pytestmark = pytest.mark.django_db


def upload(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, photo(name), content_type="image/jpeg")


def test_pending_enrolment_approved_later_replaces_the_current_one(org: Any) -> None:
    current = services.enrol(org.staf, upload("obama.jpg"), org.operator_dinkes)
    pending = services.enrol(org.staf, upload("obama3.jpg"), org.staf.user, source="camera", approve=False)
    assert pending.status == "pending"
    current.refresh_from_db()
    assert current.status == "approved"  # a pending photo changes nothing yet
    services.approve_enrolment(pending, org.operator_dinkes)
    assert dict(FaceEnrolment.objects.values_list("pk", "status")) == {current.pk: "replaced",
                                                                        pending.pk: "approved"}
    with pytest.raises(Conflict):
        services.approve_enrolment(pending, org.operator_dinkes)


def test_rejected_enrolment_keeps_the_current_one(org: Any) -> None:
    current = services.enrol(org.staf, upload("obama.jpg"), org.operator_dinkes)
    pending = services.enrol(org.staf, upload("biden.jpg"), org.staf.user, source="camera", approve=False)
    services.reject_enrolment(pending, org.operator_dinkes, "bukan orangnya")
    assert dict(FaceEnrolment.objects.values_list("pk", "status")) == {current.pk: "approved",
                                                                        pending.pk: "rejected"}
    entry = AuditEntry.objects.get(action="face_enrolment.reject")
    assert entry.reason == "bukan orangnya" and entry.actor_name == org.operator_dinkes.username
