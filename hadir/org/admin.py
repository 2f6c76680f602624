from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import ForeignKey, Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from .importing import ImportReport, read_upload, run_import
from .models import ApiToken, Employee, Position, RoleAssignment, Unit, WorkLocation
from .scoping import admin_paths, can_administer_unit, path_q, scope_queryset, visible_units

admin.site.site_header = f"Hadir — {settings.HADIR_INSTANSI}"
admin.site.site_title = "Hadir"
admin.site.index_title = _("Administrasi")


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis data"), choices=[
        ("employees", _("Pegawai")), ("positions", _("Jabatan")), ("locations", _("Lokasi kerja")),
        ("units", _("Unit kerja")),
    ])
    file = forms.FileField(label=_("Berkas (.xlsx atau .csv)"))
    update = forms.BooleanField(
        label=_("Perbarui data yang sudah ada"), required=False,
        help_text=_("Tanpa ini, kode/NIP/NIK yang sudah terdaftar dilaporkan sebagai kesalahan."),
    )
    create_accounts = forms.BooleanField(
        label=_("Buat akun untuk pegawai baru"), required=False,
        help_text=_("Nama pengguna = NIP (atau NIK bagi non-ASN)."),
    )
    initial_password = forms.CharField(
        label=_("Kata sandi awal akun baru"), required=False, widget=forms.PasswordInput,
        help_text=_("Kosongkan bila pegawai akan mengatur kata sandi sendiri lewat admin."),
    )


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

    def get_urls(self) -> list[URLPattern]:
        extra = [path("impor/", self.admin_site.admin_view(self.import_view), name="org_import")]
        return extra + super().get_urls()  # type: ignore[operator]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """Upload a file; the import is scoped to the user's units and needs the add/change permission."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        report: ImportReport | None = None
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                data = read_upload(upload)
            except ValueError as exc:
                form.add_error("file", str(exc))
            else:
                report = run_import(
                    form.cleaned_data["kind"], data, upload.name, user=request.user,
                    update=form.cleaned_data["update"], create_accounts=form.cleaned_data["create_accounts"],
                    initial_password=form.cleaned_data["initial_password"],
                )
                if report.ok:
                    self.message_user(request, _("Impor berhasil: %(created)d dibuat, %(updated)d diperbarui.")
                                      % {"created": report.created, "updated": report.updated})
        paths = admin_paths(request.user)
        scope_note = "" if paths is None else _("Impor dibatasi pada unit kerja dalam cakupan Anda: %(units)s.") % {
            "units": ", ".join(u.name for u in Unit.objects.filter(path__in=paths)) or "–"
        }
        return TemplateResponse(request, "admin/org/import.html", {
            **self.admin_site.each_context(request), "opts": self.model._meta, "title": _("Impor data"),
            "form": form, "report": report, "scope_note": scope_note,
        }, status=200 if report is None or report.ok else 422)


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
