"""Template tags for pages of lower apps that show integrity evidence (the atasan's approval queue)."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from hadir.integrity.models import EnrolmentStatus, FaceEnrolment

register = template.Library()


@register.simple_tag
def enrolled_face_url(item: Any) -> str:
    """The enrolled face of an approval item's employee (to show beside the selfie), or "" when none."""
    if not FaceEnrolment.objects.filter(employee_id=item.employee_id, status=EnrolmentStatus.APPROVED).exists():
        return ""
    return reverse("integrity:approval_face", args=[item.pk])
