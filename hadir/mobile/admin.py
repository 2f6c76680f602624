from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from hadir.org.admin import ScopedAdmin
from hadir.org.models import DeviceBinding

from .models import SharedDeviceBinding
from .services import describe_user_agent, reset_binding


@admin.action(description=_("Reset ikatan perangkat (pegawai dapat mendaftarkan HP baru)"))
def reset_bindings(modeladmin: ScopedAdmin, request: HttpRequest, queryset: QuerySet[DeviceBinding]) -> None:
    done = 0
    for binding in queryset.select_related("employee__unit"):
        if not modeladmin.has_change_permission(request, binding):
            continue
        done += reset_binding(binding, request.user, reason="Reset oleh admin")
    modeladmin.message_user(
        request,
        ngettext("%(n)d ikatan perangkat direset.", "%(n)d ikatan perangkat direset.", done) % {"n": done},
        messages.SUCCESS if done else messages.WARNING,
    )


class ActiveFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "aktif"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("1", _("Aktif")), ("0", _("Sudah direset"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "1":
            return queryset.filter(revoked_at__isnull=True)
        if self.value() == "0":
            return queryset.filter(revoked_at__isnull=False)
        return queryset


@admin.register(DeviceBinding)
class DeviceBindingAdmin(ScopedAdmin):
    unit_lookup = "employee__unit"
    list_display = ["employee", "device", "key_hint", "bound_at", "last_seen_at", "active", "revoked_by"]
    list_filter = [ActiveFilter]
    search_fields = ["employee__name", "employee__nip", "key_hash", "label"]
    list_select_related = ["employee", "revoked_by"]
    readonly_fields = ["employee", "key_hash", "user_agent", "label", "bound_at", "last_seen_at", "revoked_at",
                       "revoked_by", "revoke_reason"]
    actions = [reset_bindings]
    date_hierarchy = "bound_at"

    @admin.display(description=_("perangkat"))
    def device(self, obj: DeviceBinding) -> str:
        return obj.label or describe_user_agent(obj.user_agent)

    @admin.display(description=_("kunci (awal hash)"))
    def key_hint(self, obj: DeviceBinding) -> str:
        return obj.key_hint

    @admin.display(description=_("aktif"), boolean=True)
    def active(self, obj: DeviceBinding) -> bool:
        return obj.is_active

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # bindings are made by the app at first login

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # history of devices is evidence; reset instead


@admin.register(SharedDeviceBinding)
class SharedDeviceBindingAdmin(DeviceBindingAdmin):
    """Devices whose key several employees bound: a sign of one phone checking in for others."""

    list_display = ["key_hint", "employee", "device", "shared_count", "bound_at", "last_seen_at", "active"]
    ordering = ["key_hash", "-bound_at"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).filter(key_hash__in=DeviceBinding.objects.shared_key_hashes())

    @admin.display(description=_("jumlah pegawai dengan kunci ini"))
    def shared_count(self, obj: DeviceBinding) -> int:
        return DeviceBinding.objects.filter(key_hash=obj.key_hash).values("employee_id").distinct().count()
