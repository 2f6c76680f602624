"""Admin: approval policies (regency/OPD), acting heads (Plt/Plh) and a read-only view of the queue."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import ForeignKey, Model
from django.http import HttpRequest

from hadir.org.admin import ScopedAdmin
from hadir.org.models import Employee, Position
from hadir.org.scoping import admin_paths, path_q

from .models import ApprovalItem, ApprovalPolicy, Delegation


@admin.register(ApprovalPolicy)
class ApprovalPolicyAdmin(ScopedAdmin):
    list_display = ["unit", "mode", "escalate_after_days", "updated_at"]
    list_filter = ["mode"]
    autocomplete_fields = ["unit"]


@admin.register(Delegation)
class DelegationAdmin(ScopedAdmin):
    unit_lookup = "position__unit"
    list_display = ["position", "delegate", "kind", "start_date", "end_date", "decree_number"]
    list_filter = ["kind"]
    search_fields = ["position__name", "delegate__name", "decree_number"]
    date_hierarchy = "start_date"
    exclude = ["created_by"]

    def formfield_for_foreignkey(self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any) -> Any:
        paths = admin_paths(request.user)
        if paths is not None and db_field.remote_field.model in (Position, Employee):
            kwargs["queryset"] = db_field.remote_field.model._default_manager.filter(path_q(paths, "unit__"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Model, form: Any, change: bool) -> None:
        if not change and isinstance(obj, Delegation) and request.user.is_authenticated:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(ApprovalItem)
class ApprovalItemAdmin(ScopedAdmin):
    """The queue, for oversight. Decisions are made in the inbox (they must update the check-in/leave
    and the daily status together), so nothing is editable here."""

    unit_lookup = "employee__unit"
    list_display = ["pk", "kind", "employee", "approver_position", "escalation_level", "status", "created_at",
                    "decided_by", "decided_at"]
    list_filter = ["kind", "status", "escalation_level"]
    search_fields = ["employee__name", "employee__nip"]
    date_hierarchy = "created_at"
    list_select_related = ["employee", "approver_position", "decided_by"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
