"""Admin for schedules. Regency-wide tables (patterns, Ramadan, holidays, TL/PSW rules, global shifts) are
changed by BKPSDM / super-admins; rosters and OPD shifts by the OPD's operator within their units."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import ForeignKey, Model, Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hadir.org.admin import ScopedAdmin
from hadir.org.models import Employee, Unit
from hadir.org.scoping import admin_paths, can_administer_unit, is_bkpsdm, path_q, visible_units

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
from .roster import RotationError, coverage, parse_rotation, rotation_roster
from .signals import schedule_changed


def _schedule_changed(day: dt.date, employee_ids: list[int] | None = None) -> None:
    """Statuses of a date already under way depend on the edited schedule: tell the apps that derive them."""
    if day <= timezone.localdate() + dt.timedelta(days=1):
        schedule_changed.send(sender=Holiday if employee_ids is None else ShiftAssignment, day=day,
                              employee_ids=employee_ids)


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
        _schedule_changed(obj.date)

    def delete_model(self, request: HttpRequest, obj: Holiday) -> None:
        day = obj.date
        super().delete_model(request, obj)
        _schedule_changed(day)


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

    def get_urls(self) -> list[URLPattern]:
        extra = [path("rotasi/", self.admin_site.admin_view(self.rotation_view), name="schedules_roster_rotation")]
        return extra + super().get_urls()  # type: ignore[operator]

    def rotation_view(self, request: HttpRequest) -> HttpResponse:
        """Lay a rotation (pagi,pagi,siang,siang,malam,-,-) over a month for a unit's staff."""
        return _rotation_view(self, request)

    def save_model(self, request: HttpRequest, obj: ShiftAssignment, form: Any, change: bool) -> None:
        unit: Unit | None = obj.employee.unit if obj.employee_id else None
        if not can_administer_unit(request.user, unit):
            raise PermissionDenied
        super().save_model(request, obj, form, change)
        _schedule_changed(obj.date, [obj.employee_id])


# Every roster made from a rotation counts positions from this Monday, so consecutive months (generated
# separately) continue the same cycle.
ROTATION_ANCHOR = dt.date(2024, 1, 1)


class RotationForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit kerja"), queryset=Unit.objects.none(),
                                  help_text=_("Semua pegawai aktif unit ini beserta sub-unitnya."))
    month = forms.RegexField(label=_("Bulan"), regex=r"^(20\d{2}|2100)-(0[1-9]|1[0-2])$",
                             help_text=_("Format YYYY-MM, mis. 2026-12."),
                             error_messages={"invalid": _("Tulis bulan sebagai YYYY-MM, mis. 2026-12.")})
    rotation = forms.CharField(label=_("Rotasi"), initial="pagi,pagi,siang,siang,malam,-,-",
                               widget=forms.TextInput(attrs={"size": 60}),
                               help_text=_("Kode shift dipisah koma, satu per hari; '-' untuk libur."))
    replace = forms.BooleanField(label=_("Ganti jadwal yang sudah ada di bulan itu"), required=False)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = visible_units(user)  # type: ignore[attr-defined]


def shifts_for(unit: Unit | None) -> dict[str, Shift]:
    """Shift codes usable in `unit`: the regency-wide ones, overridden by the unit's OPD's own."""
    shifts = {s.code: s for s in Shift.objects.filter(unit__isnull=True)}
    if unit is not None and unit.opd_id:
        shifts.update({s.code: s for s in Shift.objects.filter(unit_id=unit.opd_id)})
    return shifts


def _rotation_view(model_admin: ShiftAssignmentAdmin, request: HttpRequest) -> HttpResponse:
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    form = RotationForm(request.POST or None, user=request.user)
    cov_rows: list[tuple[dt.date, list[int]]] = []
    unit: Unit | None = None
    if request.method == "POST" and form.is_valid():
        unit = form.cleaned_data["unit"]
        shifts = shifts_for(unit)
        try:
            rotation = parse_rotation(form.cleaned_data["rotation"], set(shifts))
        except RotationError as exc:
            form.add_error("rotation", str(exc))
        else:
            assert unit is not None
            year, month = (int(x) for x in form.cleaned_data["month"].split("-"))
            first = dt.date(year, month, 1)
            days = [first + dt.timedelta(days=i) for i in range(calendar.monthrange(year, month)[1])]
            staff = list(Employee.objects.filter(Q(unit__path=unit.path) | Q(unit__path__startswith=unit.path + "."),
                                                 is_active=True).order_by("name", "pk").values_list("pk", flat=True))
            plan = rotation_roster(staff, days, rotation, anchor=ROTATION_ANCHOR)
            with transaction.atomic():
                if form.cleaned_data["replace"]:
                    ShiftAssignment.objects.filter(employee_id__in=staff, date__range=(days[0], days[-1])).delete()
                before = ShiftAssignment.objects.filter(employee_id__in=staff, date__range=(days[0], days[-1])).count()
                ShiftAssignment.objects.bulk_create(
                    [ShiftAssignment(employee_id=e, date=d, shift=shifts[c] if c else None) for e, d, c in plan],
                    batch_size=2000, ignore_conflicts=True)
                after = ShiftAssignment.objects.filter(employee_id__in=staff, date__range=(days[0], days[-1])).count()
            for day in days:
                _schedule_changed(day, staff)
            model_admin.message_user(request, _(
                "Jadwal %(month)s untuk %(n)s pegawai %(unit)s: %(rows)s baris baru%(kept)s.") % {
                "month": form.cleaned_data["month"], "n": len(staff), "unit": unit.name, "rows": after - before,
                "kept": (_("; %(k)s baris lama dipertahankan") % {"k": before}) if before else ""},
                messages.SUCCESS)
            cov = coverage(plan)
            codes = sorted(shifts.values(), key=lambda s: s.start)
            cov_rows = [(d, [cov.get(d, {}).get(s.code, 0) for s in codes]) for d in days]
    context = {
        **model_admin.admin_site.each_context(request), "opts": model_admin.model._meta, "form": form,
        "title": _("Buat jadwal shift dari rotasi"), "coverage": cov_rows,
        "shifts": sorted(shifts_for(unit).values(), key=lambda s: s.start),
    }
    return TemplateResponse(request, "admin/schedules/rotation.html", context)
