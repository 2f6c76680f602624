"""Read-only, scoped admin pages: enrolments are made through the API and decided by their services; the photo
stays private (no /media/ link) and the embedding is only numbers."""

from django.contrib import admin

from hadir.presence.admin import ReadOnlyScopedAdmin

from .models import FaceCheck, FaceEnrolment


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
