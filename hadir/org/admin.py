from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import admin
from django.db.models import ForeignKey, Model, QuerySet
from django.http import HttpRequest

from .models import ApiToken, Employee, Position, RoleAssignment, Unit, WorkLocation
from .scoping import admin_paths, can_administer_unit, path_q, scope_queryset, visible_units

admin.site.site_header = f"Hadir — {settings.HADIR_INSTANSI}"
admin.site.site_title = "Hadir"
admin.site.index_title = "Administrasi"


class ScopedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """ModelAdmin whose rows and foreign-key choices are limited to the user's unit subtree.

    `unit_lookup` is the path from the model to its Unit ("unit", "employee__unit", "" for Unit).
    """

    unit_lookup = "unit"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return scope_queryset(request.user, super().get_queryset(request), self.unit_lookup)

    def formfield_for_foreignkey(self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any) -> Any:
        remote = db_field.remote_field.model
        paths = admin_paths(request.user)
        if paths is not None:
            if remote is Unit:
                kwargs["queryset"] = visible_units(request.user)
            elif remote in (Position, WorkLocation, Employee):
                kwargs["queryset"] = remote._default_manager.filter(path_q(paths, "unit__"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        paths = admin_paths(request.user)
        if paths is not None and db_field.remote_field.model is WorkLocation:
            kwargs["queryset"] = WorkLocation.objects.filter(path_q(paths, "unit__"))
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def _unit_of(self, obj: Model) -> Unit | None:
        node: Any = obj
        for part in [p for p in self.unit_lookup.split("__") if p]:
            node = getattr(node, part, None)
            if node is None:
                return None
        return node if isinstance(node, Unit) else None

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or can_administer_unit(request.user, self._unit_of(obj)))

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or can_administer_unit(request.user, self._unit_of(obj)))


@admin.register(Unit)
class UnitAdmin(ScopedAdmin):
    unit_lookup = ""
    list_display = ["name", "code", "kind", "parent", "opd", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["parent"]


@admin.register(WorkLocation)
class WorkLocationAdmin(ScopedAdmin):
    list_display = ["name", "unit", "latitude", "longitude", "radius_m", "timezone", "is_active"]
    list_filter = ["timezone", "is_active"]
    search_fields = ["name", "unit__name", "address"]
    autocomplete_fields = ["unit"]


@admin.register(Position)
class PositionAdmin(ScopedAdmin):
    list_display = ["name", "unit", "eselon", "is_head", "parent"]
    list_filter = ["eselon", "is_head"]
    search_fields = ["name", "code", "unit__name"]
    autocomplete_fields = ["unit", "parent"]


@admin.register(Employee)
class EmployeeAdmin(ScopedAdmin):
    list_display = ["name", "nip", "kind", "unit", "position", "is_active"]
    list_filter = ["kind", "is_active", "sex"]
    search_fields = ["name", "nip", "nik"]
    autocomplete_fields = ["unit", "position", "user"]
    filter_horizontal = ["locations"]
    list_select_related = ["unit", "position"]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(ScopedAdmin):
    list_display = ["user", "role", "unit", "granted_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "unit__name"]
    autocomplete_fields = ["user", "unit"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["user", "label", "created_at", "last_used_at", "revoked"]
    readonly_fields = ["key_hash", "created_at", "last_used_at"]
    list_filter = ["revoked"]
