"""Admin: the rule sets (Perbup as data) with their leave rules, the bases, and read-only results and closes."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from hadir.org.admin import ScopedAdmin

from .models import Base, LeaveRule, Line, Period, Result, RuleSet
from .services import export_rule_set


class LeaveRuleInline(admin.TabularInline):  # type: ignore[type-arg]
    model = LeaveRule
    extra = 0


@admin.action(description=_("Unduh sebagai berkas (JSON) untuk dibagikan"))
def download(modeladmin: Any, request: HttpRequest, queryset: QuerySet[RuleSet]) -> HttpResponse:
    data = [export_rule_set(rs) for rs in queryset]
    response = HttpResponse(json.dumps(data[0] if len(data) == 1 else data, ensure_ascii=False, indent=1),
                            content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="aturan-tpp.json"'
    return response


@admin.register(RuleSet)
class RuleSetAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "legal_basis", "valid_from", "valid_to", "opd", "employee_kind", "share_pct", "tk_pct"]
    list_filter = ["employee_kind"]
    search_fields = ["name", "legal_basis"]
    inlines = [LeaveRuleInline]
    actions = [download]
    fieldsets = [
        (_("Dasar hukum dan masa berlaku"), {"fields": ["name", "legal_basis", "legal_date", "valid_from",
                                                        "valid_to", "opd", "employee_kind"]}),
        (_("Bagian TPP dan batas"), {"fields": ["share_pct", "percent_of", "cpns_pct", "pppk_pct"]}),
        (_("Potongan per kejadian (%)"), {"fields": [("tl1_pct", "tl2_pct", "tl3_pct", "tl4_pct"),
                                                      ("psw1_pct", "psw2_pct", "psw3_pct", "psw4_pct"),
                                                      "tk_pct", ("apel_pagi_pct", "apel_sore_pct"), "invalid_pct",
                                                      ("missing_in_pct", "missing_out_pct")]}),
        (_("Mesin mati dan pembulatan"), {"fields": ["terminal_down", "rounding_unit", "rounding_down"]}),
    ]


@admin.register(Base)
class BaseAdmin(ScopedAdmin):
    unit_lookup = "employee__unit"
    list_display = ["employee", "amount", "valid_from", "golongan", "kelas_jabatan", "source"]
    search_fields = ["employee__name", "employee__nip"]
    autocomplete_fields = ["employee"]
    date_hierarchy = "valid_from"


class ReadOnly(ScopedAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class LineInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Line
    extra = 0
    can_delete = False
    readonly_fields = ["date", "event", "pct", "amount", "note", "of_month"]

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(Result)
class ResultAdmin(ReadOnly):
    unit_lookup = "employee__unit"
    list_display = ["month", "employee", "opd", "base", "gross", "cuts", "no_tpp", "sanction", "adjustment", "net",
                    "closed"]
    list_filter = ["month", "closed"]
    search_fields = ["employee__name", "employee__nip"]
    list_select_related = ["employee", "opd"]
    inlines = [LineInline]


@admin.register(Period)
class PeriodAdmin(ReadOnly):
    unit_lookup = "opd"
    list_display = ["month", "opd", "closed_at", "closed_by"]
    list_filter = ["month"]
