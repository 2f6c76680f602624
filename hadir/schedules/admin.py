"""Admin for schedules. Regency-wide tables (patterns, Ramadan, holidays, TL/PSW rules, global shifts) are
changed by BKPSDM / super-admins; rosters and OPD shifts by the OPD's operator within their units."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import ForeignKey, Model, Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext_lazy as _

from hadir.org.admin import ScopedAdmin
from hadir.org.models import Unit
from hadir.org.scoping import admin_paths, can_administer_unit, is_bkpsdm, path_q

from .holiday_calendar import import_national_holidays
from .models import (
    Holiday,
    LatenessRuleSet,
    PatternAssignment,
    RamadanPeriod,
    Shift,
    ShiftAssignment,
    WorkPattern,
    WorkPatternDay,
)


def _recompute_later(day: dt.date, employee_ids: list[int] | None = None) -> None:
    """Statuses of a date already under way depend on the edited schedule: recompute them in the background."""
    from django.utils import timezone

    if day <= timezone.localdate() + dt.timedelta(days=1):
        from hadir.presence.tasks import compute_day_task

        compute_day_task.delay(day.isoformat(), employee_ids)


class RegencyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Anyone with the Django permission may look; only BKPSDM / super-admins may change."""

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return super().has_add_permission(request, *args) and is_bkpsdm(request.user)  # type: ignore[arg-type]

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return super().has_change_permission(request, obj) and is_bkpsdm(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return super().has_delete_permission(request, obj) and is_bkpsdm(request.user)


class WorkPatternDayInline(admin.TabularInline):  # type: ignore[type-arg]
    model = WorkPatternDay
    extra = 0
    fields = ["weekday", "ramadan", "start", "end", "masuk_open", "masuk_close", "pulang_open", "pulang_close",
              "apel_pagi_open", "apel_pagi_close", "apel_sore_open", "apel_sore_close"]


class PatternAssignmentInline(admin.TabularInline):  # type: ignore[type-arg]
    model = PatternAssignment
    extra = 0
    autocomplete_fields = ["unit", "location"]
    verbose_name_plural = _("dipakai oleh unit / lokasi (yang paling spesifik berlaku)")


@admin.register(WorkPattern)
class WorkPatternAdmin(RegencyAdmin):
    list_display = ["name", "code", "is_default", "uses_roster", "works_on_holidays"]
    list_filter = ["is_default", "uses_roster"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"code": ["name"]}
    inlines = [WorkPatternDayInline, PatternAssignmentInline]


@admin.register(RamadanPeriod)
class RamadanPeriodAdmin(RegencyAdmin):
    list_display = ["name", "start", "end"]
    date_hierarchy = "start"


@admin.register(LatenessRuleSet)
class LatenessRuleSetAdmin(RegencyAdmin):
    list_display = ["name", "effective_from", "tl2_from", "tl3_from", "tl4_from", "psw2_from", "psw3_from",
                    "psw4_from", "grace_minutes", "missing_out_is_psw4", "missing_in_is_tl4"]
    fieldsets = [
        (None, {"fields": ["name", "effective_from", "grace_minutes"]}),
        (_("Terlambat (TL1 mulai menit ke-1)"), {"fields": ["tl2_from", "tl3_from", "tl4_from", "missing_in_is_tl4"]}),
        (_("Pulang sebelum waktunya (PSW1 mulai menit ke-1)"),
         {"fields": ["psw2_from", "psw3_from", "psw4_from", "missing_out_is_psw4"]}),
    ]


@admin.register(Holiday)
class HolidayAdmin(RegencyAdmin):
    list_display = ["date", "name", "kind", "unit", "imported", "is_active"]
    list_filter = ["kind", "is_active", "imported"]
    search_fields = ["name"]
    date_hierarchy = "date"
    autocomplete_fields = ["unit"]
    readonly_fields = ["imported"]

    def get_urls(self) -> list[URLPattern]:
        extra = [path("impor/", self.admin_site.admin_view(self.import_view), name="schedules_holiday_import")]
        return extra + super().get_urls()  # type: ignore[operator]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if request.method != "POST" or not self.has_add_permission(request):
            raise PermissionDenied
        year = dt.date.today().year
        result = import_national_holidays([year, year + 1])
        self.message_user(
            request,
            _("Libur nasional %(a)s–%(b)s: %(new)s baru, %(gone)s dihapus, %(kept)s tetap.")
            % {"a": year, "b": year + 1, "new": result.created, "gone": result.removed, "kept": result.kept},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:schedules_holiday_changelist"))

    def save_model(self, request: HttpRequest, obj: Holiday, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        _recompute_later(obj.date)

    def delete_model(self, request: HttpRequest, obj: Holiday) -> None:
        day = obj.date
        super().delete_model(request, obj)
        _recompute_later(day)


@admin.register(Shift)
class ShiftAdmin(ScopedAdmin):
    list_display = ["name", "code", "start", "end", "unit", "masuk_open_minutes", "pulang_close_minutes"]
    list_filter = ["unit"]
    autocomplete_fields = ["unit"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        # an operator sees the regency-wide shifts (read-only) beside their own OPD's
        paths = admin_paths(request.user)
        qs = admin.ModelAdmin.get_queryset(self, request)
        return qs if paths is None else qs.filter(path_q(paths, "unit__") | Q(unit__isnull=True))

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        if obj is not None and getattr(obj, "unit_id", None) is None:
            return admin.ModelAdmin.has_change_permission(self, request, obj) and is_bkpsdm(request.user)
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        if obj is not None and getattr(obj, "unit_id", None) is None:
            return admin.ModelAdmin.has_delete_permission(self, request, obj) and is_bkpsdm(request.user)
        return super().has_delete_permission(request, obj)


@admin.register(ShiftAssignment)
class ShiftAssignmentAdmin(ScopedAdmin):
    unit_lookup = "employee__unit"
    list_display = ["date", "employee", "shift"]
    list_filter = ["shift"]
    date_hierarchy = "date"
    search_fields = ["employee__name", "employee__nip"]
    autocomplete_fields = ["employee"]
    list_select_related = ["employee", "shift"]

    def formfield_for_foreignkey(self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.remote_field.model is Shift:
            paths = admin_paths(request.user)
            kwargs["queryset"] = Shift.objects.all() if paths is None else Shift.objects.filter(
                path_q(paths, "unit__") | Q(unit__isnull=True))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: ShiftAssignment, form: Any, change: bool) -> None:
        unit: Unit | None = obj.employee.unit if obj.employee_id else None
        if not can_administer_unit(request.user, unit):
            raise PermissionDenied
        super().save_model(request, obj, form, change)
        _recompute_later(obj.date, [obj.employee_id])
