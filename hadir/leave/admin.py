"""Admin for leave: BKPSDM/operators see requests in their scope and may cancel them (through the same
service as the employee: audited, daily status refreshed); requests are filed and decided in the app,
so their fields are read-only here. Opening balances of cuti tahunan are entered here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from hadir.errors import DomainError
from hadir.org.admin import ScopedAdmin

from .models import AnnualLeaveOpening, LeaveRequest
from .services import cancel_request


@admin.register(LeaveRequest)
class LeaveRequestAdmin(ScopedAdmin):
    unit_lookup = "employee__unit"
    list_display = ["pk", "employee", "kind", "start_date", "end_date", "working_days", "status", "letter_number",
                    "requested_at"]
    list_filter = ["kind", "status"]
    search_fields = ["employee__name", "employee__nip", "letter_number", "destination", "reason"]
    date_hierarchy = "start_date"
    list_select_related = ["employee"]
    actions = ["cancel_selected"]

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        return [f.name for f in LeaveRequest._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    @admin.action(description="Batalkan pengajuan terpilih")
    def cancel_selected(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        done, failed = 0, []
        for req in queryset.select_related("employee__unit"):
            try:
                cancel_request(req, request.user, "Dibatalkan oleh admin")
                done += 1
            except DomainError as exc:
                failed.append(f"#{req.pk}: {exc.message}")
        if done:
            self.message_user(request, f"{done} pengajuan dibatalkan.", messages.SUCCESS)
        for line in failed:
            self.message_user(request, line, messages.ERROR)


@admin.register(AnnualLeaveOpening)
class AnnualLeaveOpeningAdmin(ScopedAdmin):
    unit_lookup = "employee__unit"
    list_display = ["employee", "year", "carried_days", "note", "updated_at"]
    list_filter = ["year"]
    search_fields = ["employee__name", "employee__nip"]
    autocomplete_fields = ["employee"]
