"""Read-only, scoped admin pages: enrolments are made through the API and decided by their services; the photo
stays private (no /media/ link) and the embedding is only numbers."""

from django.contrib import admin

from hadir.org.admin import ScopedAdmin
from hadir.presence.admin import ReadOnlyScopedAdmin

from .models import FaceCheck, FaceEnrolment, FieldWorkPosition, RollCall, RollCallPolicy


@admin.register(FaceEnrolment)
class FaceEnrolmentAdmin(ReadOnlyScopedAdmin):
    list_display = ["employee", "status", "source", "created_by", "created_at", "decided_at"]
    list_filter = ["status", "source"]
    search_fields = ["employee__name", "employee__nip"]
    exclude = ["photo", "embedding"]


@admin.register(FaceCheck)
class FaceCheckAdmin(ReadOnlyScopedAdmin):
    unit_lookup = "checkin__employee__unit"
    list_display = ["checkin", "flag", "faces", "distance", "threshold", "computed_at"]
    list_filter = ["flag"]


@admin.register(RollCallPolicy)
class RollCallPolicyAdmin(ScopedAdmin):
    """Operators set their OPD's (or a unit's) roll calls; BKPSDM any unit's."""

    unit_lookup = "unit"
    list_display = ["unit", "calls_per_day", "answer_minutes", "selfie_required", "active"]
    list_filter = ["active", "selfie_required"]


@admin.register(FieldWorkPosition)
class FieldWorkPositionAdmin(ScopedAdmin):
    unit_lookup = "position__unit"
    list_display = ["position", "note"]
    search_fields = ["position__name"]


@admin.register(RollCall)
class RollCallAdmin(ReadOnlyScopedAdmin):
    unit_lookup = "employee__unit"
    list_display = ["employee", "date", "seq", "asked_at", "status", "in_place", "distance_m", "face_flag"]
    list_filter = ["status", "in_place", "date"]
    search_fields = ["employee__name", "employee__nip"]
    exclude = ["photo"]
