"""Admin for terminals: assign pending terminals, send commands, inspect raw logs and down days.

Non-superuser staff see only the terminals of the units they administer (hadir.org.scoping);
pending terminals are visible to regency-wide admins (BKPSDM) who assign them.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hadir.org.models import Employee
from hadir.org.scoping import admin_paths, is_bkpsdm, path_q

from . import services
from .models import AttLog, OperLog, Terminal, TerminalCommand, TerminalDownDay, TerminalPin, TerminalStatus


def _terminal_scope(request: HttpRequest, prefix: str = "") -> Q:
    paths = admin_paths(request.user)
    if paths is None:
        return Q()
    q = path_q(paths, f"{prefix}unit__")
    if is_bkpsdm(request.user):
        q |= Q(**{f"{prefix}unit__isnull": True})
    return q


class TerminalPinInline(admin.TabularInline):
    model = TerminalPin
    extra = 0
    autocomplete_fields = ["employee"]


@admin.register(Terminal)
class TerminalAdmin(admin.ModelAdmin):
    list_display = ["serial_number", "name", "unit", "location", "status", "last_seen", "last_ip", "firmware"]
    list_filter = ["status", "timezone"]
    search_fields = ["serial_number", "name", "unit__name"]
    readonly_fields = ["created_at", "activated_at", "last_seen", "last_ip", "last_attlog_at", "attlog_stamp",
                       "operlog_stamp", "attphoto_stamp", "firmware", "push_version", "info", "offline_alerted_at"]
    autocomplete_fields = ["unit", "location"]
    inlines = [TerminalPinInline]
    actions = ["send_reboot", "send_info", "sync_users", "requeue"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Terminal]:
        return super().get_queryset(request).select_related("unit", "location").filter(_terminal_scope(request))

    def save_model(self, request: HttpRequest, obj: Terminal, form: Any, change: bool) -> None:
        before = Terminal.objects.filter(pk=obj.pk).values_list("status", flat=True).first() if change else None
        if obj.status == TerminalStatus.ACTIVE and before != TerminalStatus.ACTIVE and obj.unit and obj.location:
            # Pending/disabled → active: activate through the service so held lines are released.
            obj.status = before or TerminalStatus.PENDING
            super().save_model(request, obj, form, change)
            released = services.assign_terminal(obj, unit=obj.unit, location=obj.location, tz=obj.timezone,
                                                actor=request.user)
            if released:
                self.message_user(request, ngettext(
                    "%(n)d log yang ditahan diproses menjadi presensi.",
                    "%(n)d log yang ditahan diproses menjadi presensi.", released) % {"n": released})
            return
        super().save_model(request, obj, form, change)

    @admin.action(description="Kirim perintah REBOOT")
    def send_reboot(self, request: HttpRequest, queryset: QuerySet[Terminal]) -> None:
        for t in queryset:
            services.queue_command(t, "REBOOT", by=request.user)
        self.message_user(request, _("Perintah diantrekan; mesin mengambilnya saat terhubung berikutnya."))

    @admin.action(description="Minta INFO perangkat")
    def send_info(self, request: HttpRequest, queryset: QuerySet[Terminal]) -> None:
        for t in queryset:
            services.queue_command(t, "INFO", by=request.user)
        self.message_user(request, _("Perintah diantrekan; mesin mengambilnya saat terhubung berikutnya."))

    @admin.action(description="Kirim data pegawai (PIN dan nama) ke mesin")
    def sync_users(self, request: HttpRequest, queryset: QuerySet[Terminal]) -> None:
        total = 0
        for t in queryset.filter(location__isnull=False):
            emps = Employee.objects.filter(is_active=True, locations=t.location_id, device_pin__isnull=False)
            total += len(services.queue_user_sync(t, emps, by=request.user))
        self.message_user(request, _("%(n)d perintah pegawai diantrekan.") % {"n": total})

    @admin.action(description="Proses ulang log dengan PIN yang kini dikenal")
    def requeue(self, request: HttpRequest, queryset: QuerySet[Terminal]) -> None:
        n = sum(services.requeue_unmapped(t.pk) for t in queryset)
        for t in queryset:
            services.schedule_conversion(t.pk)
        self.message_user(request, _("%(n)d log diantrekan ulang.") % {"n": n}, messages.INFO)


class ScopedByTerminal(admin.ModelAdmin):
    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).filter(_terminal_scope(request, "terminal__"))


@admin.register(AttLog)
class AttLogAdmin(ScopedByTerminal):
    list_display = ["terminal", "pin", "local_time", "status", "verify", "punch", "state", "checkin", "received_at"]
    list_filter = ["state", "punch"]
    search_fields = ["pin", "terminal__serial_number"]
    list_select_related = ["terminal"]
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # evidence: never edited


@admin.register(OperLog)
class OperLogAdmin(ScopedByTerminal):
    list_display = ["terminal", "kind", "raw", "received_at"]
    list_filter = ["kind"]
    search_fields = ["raw", "terminal__serial_number"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(TerminalCommand)
class TerminalCommandAdmin(ScopedByTerminal):
    list_display = ["pk", "terminal", "command", "status", "created_at", "sent_at", "done_at", "return_code"]
    list_filter = ["status"]
    readonly_fields = ["status", "created_at", "created_by", "sent_at", "done_at", "return_code", "result"]
    raw_id_fields = ["terminal"]

    def save_model(self, request: HttpRequest, obj: TerminalCommand, form: Any, change: bool) -> None:
        if not change:
            obj.created_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)


@admin.register(TerminalDownDay)
class TerminalDownDayAdmin(ScopedByTerminal):
    list_display = ["date", "opd", "terminal", "office_start", "office_end", "last_seen", "detected_at"]
    list_filter = ["opd"]
    date_hierarchy = "date"
    readonly_fields = ["detected_at"]
