"""Admin for leave requests: BKPSDM/operators see and correct requests in their scope. Every change
is logged to the audit trail by the audit app's admin hook; approval itself goes through the inbox."""

from __future__ import annotations

from django.contrib import admin

from hadir.org.admin import ScopedAdmin

from .models import AnnualLeaveOpening, LeaveRequest


@admin.register(LeaveRequest)
class LeaveRequestAdmin(ScopedAdmin):
    unit_lookup = "employee__unit"
    list_display = ["pk", "employee", "kind", "start_date", "end_date", "working_days", "status", "letter_number",
                    "requested_at"]
    list_filter = ["kind", "status"]
    search_fields = ["employee__name", "employee__nip", "letter_number", "destination", "reason"]
    date_hierarchy = "start_date"
    list_select_related = ["employee"]
    autocomplete_fields = ["employee"]
    readonly_fields = ["days", "working_days", "working_days_by_year", "document_type", "requested_by",
                       "requested_at", "decided_by", "decided_at", "cancelled_by", "cancelled_at"]


@admin.register(AnnualLeaveOpening)
class AnnualLeaveOpeningAdmin(ScopedAdmin):
    unit_lookup = "employee__unit"
    list_display = ["employee", "year", "carried_days", "note", "updated_at"]
    list_filter = ["year"]
    search_fields = ["employee__name", "employee__nip"]
    autocomplete_fields = ["employee"]
