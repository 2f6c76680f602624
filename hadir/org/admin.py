from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.db.models import ForeignKey, Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from .importing.columns import KINDS
from .importing.reading import read_upload
from .importing.report import ImportReport
from .importing.run import run_import
from .importing.template import template_workbook
from .models import ApiToken, Employee, Position, Role, RoleAssignment, Unit, WorkLocation, employee_of
from .scoping import (
    ROLE_RANK,
    accounts_in_scope,
    admin_paths,
    can_administer_unit,
    can_grant_role,
    can_link_accounts,
    is_approver,
    is_super_admin,
    link_refusal,
    linkable_accounts,
    path_q,
    scope_queryset,
    self_service_refusal,
    visible_units,
)
from .tokens import revoke

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

    def refusal(self, request: HttpRequest, obj: Any, form: forms.ModelForm[Any]) -> str | None:
        """Why this save is refused for this user (one sentence, shown on the form), or None. `obj` is the
        instance with the form's values; `form.changed_data` tells what changed."""
        return None

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        base = super().get_form(request, obj, change=change, **kwargs)
        admin_ = self

        class RefusingForm(base):  # type: ignore[valid-type,misc]
            def _post_clean(self) -> None:
                super()._post_clean()
                if not self.errors:
                    message = admin_.refusal(request, self.instance, self)
                    if message:
                        self.add_error(None, message)

        RefusingForm.__name__ = base.__name__
        return RefusingForm

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

    def refusal(self, request: HttpRequest, obj: Any, form: forms.ModelForm[Any]) -> str | None:
        return self_service_refusal(
            request.user, position=obj if obj.pk else None,
            new_parent_id=obj.parent_id if "parent" in form.changed_data else None,
        )


@admin.register(Employee)
class EmployeeAdmin(ScopedAdmin):
    list_display = ["name", "nip", "kind", "unit", "position", "is_active"]
    list_filter = ["kind", "is_active", "sex"]
    search_fields = ["name", "nip", "nik"]
    autocomplete_fields = ["unit", "position", "user"]
    filter_horizontal = ["locations"]
    list_select_related = ["unit", "position"]
    actions = ["create_accounts"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # Linking an account gives its holder the employee's powers: only BKPSDM and the super-admin link.
        fields = list(super().get_readonly_fields(request, obj))
        return fields if can_link_accounts(request.user) else [*fields, "user"]

    def formfield_for_foreignkey(self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "user":
            kwargs["queryset"] = linkable_accounts(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def refusal(self, request: HttpRequest, obj: Any, form: forms.ModelForm[Any]) -> str | None:
        if "user" in form.changed_data:
            refused = link_refusal(request.user, obj, obj.user)
            if refused:
                return refused
        return self_service_refusal(request.user, employee=obj if obj.pk else None)

    @admin.action(description=_("Buat akun login (nama pengguna = NIP/NIK) untuk pegawai terpilih"))
    def create_accounts(self, request: HttpRequest, queryset: QuerySet[Employee]) -> None:
        """Accounts without a usable password: the operator then sets one (Akun → ubah kata sandi). An account
        for a head, an atasan or an acting head is made by BKPSDM only (whoever sets its password acts for them)."""
        user_model = get_user_model()
        made = skipped = 0
        linker = can_link_accounts(request.user)
        for emp in queryset.filter(user__isnull=True).select_related("unit"):
            if not can_administer_unit(request.user, emp.unit):
                continue
            if not linker and is_approver(emp):
                skipped += 1
                continue
            username = emp.nip or emp.nik
            if not username or user_model.objects.filter(username=username).exists():
                continue
            user = user_model(username=username, first_name=emp.name[:150], email=emp.email)
            user.set_unusable_password()
            user.save()
            emp.user = user
            emp.save(update_fields=["user"])
            made += 1
        self.message_user(request, _("%(n)d akun dibuat; atur kata sandinya lewat menu Akun.") % {"n": made})
        if skipped:
            self.message_user(request, _(
                "%(n)d pegawai adalah kepala unit atau atasan: akunnya hanya dapat dibuat oleh admin BKPSDM."
            ) % {"n": skipped}, level=messages.WARNING)

    def get_urls(self) -> list[URLPattern]:
        extra = [
            path("impor/", self.admin_site.admin_view(self.import_view), name="org_import"),
            path("impor/templat/<str:kind>.xlsx", self.admin_site.admin_view(self.import_template_view),
                 name="org_import_template"),
        ]
        return extra + super().get_urls()  # type: ignore[operator]

    def import_template_view(self, request: HttpRequest, kind: str) -> HttpResponse:
        if not self.has_add_permission(request) or kind not in KINDS:
            raise PermissionDenied
        response = HttpResponse(
            template_workbook(kind), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="templat-{kind}.xlsx"'
        return response

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
            "templates": [(kind, label) for kind, label in ImportForm.base_fields["kind"].choices],  # type: ignore[attr-defined]
        }, status=200 if report is None or report.ok else 422)


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(ScopedAdmin):
    list_display = ["user", "role", "unit", "granted_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__first_name", "unit__name"]
    autocomplete_fields = ["user", "unit"]

    def formfield_for_choice_field(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        # Only roles the user holds themself (a super-admin makes super-admins: the role makes a Django superuser).
        if db_field.name == "role" and not is_super_admin(request.user):
            held = max((ROLE_RANK.get(Role(r), 0) for r in RoleAssignment.objects.filter(
                user_id=request.user.pk or 0).values_list("role", flat=True)), default=0)
            kwargs["choices"] = [(v, label) for v, label in Role.choices
                                 if v != Role.SUPER_ADMIN and ROLE_RANK[Role(v)] <= held]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "user":
            kwargs["queryset"] = accounts_in_scope(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _may_manage(self, request: HttpRequest, obj: Any) -> bool:
        return obj is None or can_grant_role(request.user, obj.role, obj.unit)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return super().has_change_permission(request, obj) and self._may_manage(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return super().has_delete_permission(request, obj) and self._may_manage(request, obj)

    def refusal(self, request: HttpRequest, obj: Any, form: forms.ModelForm[Any]) -> str | None:
        if not can_grant_role(request.user, obj.role, obj.unit):
            return str(_("Anda hanya dapat memberikan peran yang Anda pegang sendiri, dalam cakupan unit Anda."))
        if obj.user_id is not None and obj.user.is_superuser and not is_super_admin(request.user):
            return str(_("Peran akun super-admin hanya dapat diubah oleh super-admin."))
        return None

    def save_model(self, request: HttpRequest, obj: RoleAssignment, form: Any, change: bool) -> None:
        if not can_grant_role(request.user, obj.role, obj.unit) or (
                obj.user.is_superuser and not is_super_admin(request.user)):
            raise PermissionDenied
        super().save_model(request, obj, form, change)


User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class ScopedUserAdmin(DjangoUserAdmin):  # type: ignore[type-arg]
    """Accounts, scoped like everything else.

    Operators and BKPSDM see the accounts of employees (and operators) in their units, so that the
    account pickers work and they can reset a forgotten password or deactivate an account. They can
    change only plain employee accounts — never an admin's or their own — and never privileges.
    """

    list_display = ["username", "first_name", "email", "is_active", "is_staff", "last_login"]
    search_fields = ["username", "first_name", "last_name", "email", "employee__name", "employee__nip"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        qs = super().get_queryset(request)
        if admin_paths(request.user) is None:
            return qs
        # BKPSDM also sees the accounts linked to nobody, so that the employee form's account picker finds them
        scoped = linkable_accounts(request.user) if can_link_accounts(request.user) else accounts_in_scope(request.user)
        return qs.filter(pk__in=scoped.values("pk"))

    def _plain_account_in_scope(self, request: HttpRequest, obj: Any) -> bool:
        # Whoever sets a password acts as the account: an operator never for a head, an atasan or an acting head.
        return (
            obj.pk != request.user.pk
            and not obj.is_superuser
            and not obj.is_staff
            and not RoleAssignment.objects.filter(user=obj).exists()
            and self.get_queryset(request).filter(pk=obj.pk).exists()
            and (can_link_accounts(request.user) or not is_approver(employee_of(obj)))
        )

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or is_super_admin(request.user) or self._plain_account_in_scope(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Accounts for employees are made by the import or the "Buat akun login" action.
        return is_super_admin(request.user) and super().has_add_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_super_admin(request.user) and super().has_delete_permission(request, obj)

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        if is_super_admin(request.user) or obj is None:
            return super().get_fieldsets(request, obj)
        return [
            (None, {"fields": ["username", "password"]}),
            (_("Data akun"), {"fields": ["first_name", "last_name", "email", "is_active"]}),
            (_("Riwayat"), {"fields": ["last_login", "date_joined"]}),
        ]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if is_super_admin(request.user):
            return super().get_readonly_fields(request, obj)
        return ["username", "last_login", "date_joined"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """The phone app's tokens: BKPSDM admins see those of the accounts in their scope and revoke them (a lost
    phone, a leaver). Keys are never shown, nor their hashes."""

    list_display = ["user", "label", "created_at", "last_used_at", "expires_at", "revoked"]
    list_filter = ["revoked"]
    search_fields = ["user__username", "user__first_name", "label"]
    fields = ["user", "label", "created_at", "last_used_at", "expires_at", "revoked", "revoked_at"]
    readonly_fields = ["user", "label", "created_at", "last_used_at", "expires_at", "revoked", "revoked_at"]
    list_select_related = ["user"]
    actions = ["revoke_tokens"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[ApiToken]:
        qs = super().get_queryset(request)
        if not can_link_accounts(request.user):
            return qs.none()
        return qs.filter(user__in=accounts_in_scope(request.user).values("pk"))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # a token is issued at sign-in only (POST /api/auth/token)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # revoked, not deleted: the row says when and what was in use

    @admin.action(description=_("Cabut token terpilih"), permissions=["change"])
    def revoke_tokens(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        n = revoke(queryset)
        self.message_user(request, _("%(n)d token dicabut; perangkatnya harus masuk lagi.") % {"n": n})
