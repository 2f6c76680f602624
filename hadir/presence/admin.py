"""Admin for check-ins (read-only evidence) and daily statuses (read-only, derived).

Rows are scoped to the user's units (ScopedAdmin, through employee__unit). Selfies are never linked
from MEDIA_URL: they are streamed by a view of this admin that checks, for each photo, that the user
administers the employee's unit (an operator of another OPD gets 403 even with the URL).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from hadir.files import private_file
from hadir.org.admin import ScopedAdmin
from hadir.org.scoping import can_administer_unit

from .fraud import FLAG_LABELS
from .models import CheckIn, DailyStatus

PHOTO_TYPES = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp"}


class ReadOnlyScopedAdmin(ScopedAdmin):
    unit_lookup = "employee__unit"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class FlaggedFilter(admin.SimpleListFilter):
    title = _("tanda kecurangan")
    parameter_name = "bertanda"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("ya", str(_("Ada tanda"))), ("tidak", str(_("Tanpa tanda")))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "ya":
            return queryset.exclude(fraud_flags=[])
        if self.value() == "tidak":
            return queryset.filter(fraud_flags=[])
        return queryset


@admin.register(CheckIn)
class CheckInAdmin(ReadOnlyScopedAdmin):
    list_display = ["occurred_at", "employee", "kind", "verdict", "reason_code", "source", "location", "distance_m",
                    "validity", "flag_count"]
    list_filter = ["verdict", "kind", "source", "validity", FlaggedFilter, "local_date"]
    search_fields = ["employee__name", "employee__nip", "client_uuid", "device_id", "terminal_sn"]
    date_hierarchy = "local_date"
    list_select_related = ["employee", "location"]
    exclude = ["photo"]  # never link MEDIA_URL; see selfie()
    readonly_fields = [
        "client_uuid", "employee", "kind", "source", "occurred_at", "received_at", "client_time", "local_date",
        "latitude", "longitude", "accuracy_m", "mock_location", "device_id", "location", "distance_m", "selfie",
        "terminal_sn", "verdict", "reason_code", "reason", "flags", "validity", "validated_by", "validated_at",
        "validity_reason",
    ]

    @admin.display(description=_("tanda"))
    def flag_count(self, obj: CheckIn) -> int:
        return len(obj.fraud_flags or [])

    @admin.display(description=_("tanda kecurangan"))
    def flags(self, obj: CheckIn) -> str:
        return "; ".join(str(FLAG_LABELS.get(code, code)) for code in obj.fraud_flags or []) or "—"

    @admin.display(description=_("swafoto"))
    def selfie(self, obj: CheckIn) -> str:
        if not obj.photo:
            return "—"
        url = reverse("admin:presence_checkin_photo", args=[obj.pk])
        return format_html('<a href="{0}" target="_blank"><img src="{0}" alt="swafoto" style="max-height:240px"></a>',
                           url)

    @admin.display(description=_("swafoto"))
    def selfie_hidden(self, obj: CheckIn) -> str:
        return "—" if not obj.photo else str(_("(hanya untuk pengelola unit pegawai ini)"))

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fields = list(self.readonly_fields)
        if obj is None or not can_administer_unit(request.user, obj.employee.unit):
            fields[fields.index("selfie")] = "selfie_hidden"
        return fields

    def get_urls(self) -> list[URLPattern]:
        extra = [path("<int:pk>/swafoto/", self.admin_site.admin_view(self.photo_view), name="presence_checkin_photo")]
        return extra + super().get_urls()

    def photo_view(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        row = get_object_or_404(self.get_queryset(request).select_related("employee__unit"), pk=pk)
        if not self.has_view_permission(request, row) or not can_administer_unit(request.user, row.employee.unit):
            raise PermissionDenied
        if not row.photo:
            raise Http404
        ext = str(row.photo.name).rsplit(".", 1)[-1].lower()
        try:
            return private_file(row.photo, content_type=PHOTO_TYPES.get(ext, "application/octet-stream"))
        except FileNotFoundError:
            raise Http404 from None


@admin.register(DailyStatus)
class DailyStatusAdmin(ReadOnlyScopedAdmin):
    list_display = ["date", "employee", "status", "late_minutes", "late_category", "early_minutes", "early_category",
                    "first_in", "last_out", "closed"]
    list_filter = ["status", "closed", "is_working_day", "late_category", "early_category"]
    search_fields = ["employee__name", "employee__nip"]
    date_hierarchy = "date"
    list_select_related = ["employee"]
