"""Log every Django admin add/change/delete, across all apps, into the audit chain.

An admin request is recognised at `request_started` (path under the admin prefix). While it runs,
pre_save keeps a snapshot of rows about to change (so the entry has real before-values), the admin's
own LogEntry (post_save) triggers the add/change entry, and post_delete logs deletions — that also
covers the bulk "delete selected" action, whose LogEntries are bulk-created without signals.
"""

from __future__ import annotations

import contextvars
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.models import ADDITION, DELETION, LogEntry
from django.core.signals import request_finished, request_started
from django.db.models import Model
from django.db.models.signals import post_delete, post_save, pre_save
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

from hadir.org.signals import import_finished

from .models import AuditEntry, ChainHead
from .services import AuditRow, record, record_rows, snapshot

_admin_request: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar(
    "hadir_audit_admin_request", default=None
)


def _admin_prefix() -> str:
    """The admin's path as PATH_INFO shows it (without the script prefix); reversed once per URLconf, as
    `request_started` runs on every request."""
    return _admin_prefix_for(get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())


@lru_cache(maxsize=8)
def _admin_prefix_for(urlconf: str, script_prefix: str) -> str:
    try:
        path = reverse("admin:index", urlconf=urlconf)
    except NoReverseMatch:
        return "/admin/"
    return "/" + path[len(script_prefix):] if path.startswith(script_prefix) else path


def _path_of(kwargs: dict[str, Any]) -> str:
    environ = kwargs.get("environ")
    if environ:
        return str(environ.get("PATH_INFO", ""))
    scope = kwargs.get("scope")
    if scope:
        return str(scope.get("path", ""))
    return ""


def _on_request_started(sender: Any, **kwargs: Any) -> None:
    path = _path_of(kwargs)
    _admin_request.set({"snapshots": {}} if path.startswith(_admin_prefix()) else None)


def _on_request_finished(sender: Any, **kwargs: Any) -> None:
    _admin_request.set(None)


def _tracked(model: type[Model]) -> bool:
    return model in admin.site._registry and model not in (AuditEntry, ChainHead, LogEntry)


def _on_pre_save(sender: type[Model], instance: Model, raw: bool = False, **kwargs: Any) -> None:
    state = _admin_request.get()
    if state is None or raw or instance.pk is None or not _tracked(sender):
        return
    old = sender._default_manager.filter(pk=instance.pk).first()
    if old is not None:
        state["snapshots"][(sender._meta.label_lower, str(instance.pk))] = snapshot(old)


def _on_log_entry(sender: type[LogEntry], instance: LogEntry, created: bool, **kwargs: Any) -> None:
    if not created:
        return
    if instance.action_flag == DELETION:
        state = _admin_request.get()
        if state is not None:
            state["user"] = instance.user
        return  # logged by post_delete with the object's last values
    model = instance.content_type.model_class() if instance.content_type is not None else None
    if model is None:
        return
    obj = model._default_manager.filter(pk=instance.object_id).first()
    if obj is None:
        return
    state = _admin_request.get() or {"snapshots": {}}
    before = {} if instance.action_flag == ADDITION else state["snapshots"].pop(
        (model._meta.label_lower, str(obj.pk)), {}
    )
    after = snapshot(obj)
    if before:
        changed = {k for k in after if before.get(k) != after.get(k)}
        before = {k: v for k, v in before.items() if k in changed}
        after = {k: v for k, v in after.items() if k in changed}
    action = "admin.add" if instance.action_flag == ADDITION else "admin.change"
    record(instance.user, action, obj, before, after, reason=instance.get_change_message())


def _on_post_delete(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    state = _admin_request.get()
    if state is None or not _tracked(sender):
        return
    # Deletion LogEntries are written before the rows go (bulk-created for the "delete selected" action,
    # so without a signal); find the one for this object to name the actor and the cascade's origin.
    entry = (
        LogEntry.objects.filter(
            action_flag=DELETION, object_id=str(instance.pk),
            content_type__app_label=sender._meta.app_label, content_type__model=sender._meta.model_name,
        )
        .select_related("user")
        .order_by("-action_time", "-pk")
        .first()
    )
    if entry is not None:
        state["user"] = entry.user
        reason = ""
    else:
        reason = "terhapus berantai bersama objek induk"
    record(state.get("user"), "admin.delete", instance, snapshot(instance, m2m=False), {}, reason=reason)


def _on_import(sender: Any, user: Any, report: Any, filename: str, sha256: str, **kwargs: Any) -> None:
    """One entry per import run (org → audit through hadir.org.signals.import_finished)."""
    after = {"kind": report.kind, "file": filename, "sha256": sha256, "rows": report.rows, "created": report.created,
             "updated": report.updated, "errors": len(report.errors), "written": report.ok}
    record_rows(user, "org.import", [AuditRow("org.import", sha256[:64], filename[:200], {}, after,
                                              f"impor {report.kind}")])


def connect() -> None:
    request_started.connect(_on_request_started, dispatch_uid="hadir_audit_request_started")
    request_finished.connect(_on_request_finished, dispatch_uid="hadir_audit_request_finished")
    pre_save.connect(_on_pre_save, dispatch_uid="hadir_audit_pre_save")
    post_save.connect(_on_log_entry, sender=LogEntry, dispatch_uid="hadir_audit_log_entry")
    post_delete.connect(_on_post_delete, dispatch_uid="hadir_audit_post_delete")
    import_finished.connect(_on_import, dispatch_uid="hadir_audit_import_finished")
