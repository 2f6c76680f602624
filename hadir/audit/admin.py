"""Read-only admin for the audit trail: list, search and view; never add, change or delete."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from hadir.org.scoping import is_bkpsdm

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["seq", "at", "actor_name", "action", "target_type", "target_id", "target_repr"]
    list_filter = ["action", "target_type"]
    search_fields = ["actor_name", "target_repr", "target_id", "reason", "hash"]
    date_hierarchy = "at"
    readonly_fields = (
        "seq", "at", "actor_id", "actor_name", "action", "target_type", "target_id", "target_repr", "before",
        "after", "reason", "prev_hash", "hash",
    )
    fields = readonly_fields
    actions = None

    def has_module_permission(self, request: HttpRequest) -> bool:
        # The regency-wide trail is for BKPSDM / super-admins (it spans every OPD).
        return bool(request.user.is_active and request.user.is_staff and is_bkpsdm(request.user))

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
