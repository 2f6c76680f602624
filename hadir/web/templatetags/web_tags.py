from typing import Any

from django import template
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import get_language

from hadir.leave.services import may_see_overview
from hadir.org.models import employee_of
from hadir.org.scoping import BoardScope, board_scope, is_bkpsdm
from hadir.web.manage import is_admin_role

register = template.Library()


@register.simple_tag(takes_context=True)
def dashboard_scope(context: dict[str, Any]) -> BoardScope | None:
    """The viewer's dashboard scope (None: no dashboard menu)."""
    if context.get("board_scope") is not None:
        return context["board_scope"]  # type: ignore[no-any-return]
    request = context.get("request")
    return board_scope(request.user) if request is not None else None


@register.simple_tag(takes_context=True)
def own_leave_url(context: dict[str, Any]) -> str:
    """The viewer's own leave page, or "" for an account without an employee record (an admin), which
    that page would refuse."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or employee_of(user) is None:
        return ""
    return reverse("leave:mine")


@register.simple_tag(takes_context=True)
def leave_overview_url(context: dict[str, Any]) -> str:
    """The leave & DL overview of the viewer's scope (operators, BKPSDM, super-admins), or ""."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not may_see_overview(user):
        return ""
    return reverse("leave:overview")


@register.simple_tag(takes_context=True)
def manage_url(context: dict[str, Any]) -> str:
    """The "Kelola" page for a role with routine tasks (operators, BKPSDM, super-admins), or ""."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return reverse("web:manage") if user is not None and is_admin_role(user) else ""


@register.simple_tag(takes_context=True)
def integrity_url(context: dict[str, Any]) -> str:
    """The "Integritas" review page for operators, BKPSDM and super-admins, or ""."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return reverse("integrity:overview") if user is not None and is_admin_role(user) else ""


@register.simple_tag(takes_context=True)
def is_auditor(context: dict[str, Any]) -> bool:
    """May the viewer read the audit trail (BKPSDM and super-admins)?"""
    request = context.get("request")
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and is_bkpsdm(user))


@register.filter
def get(mapping: dict[Any, Any], key: Any) -> Any:
    return mapping.get(key, "") if mapping else ""


@register.filter
def pct(value: float | None) -> str:
    """72.5 → "72,5%" (Indonesian decimal comma); None → "—"."""
    if value is None:
        return "—"
    return f"{number_format(value, 1)}%"


@register.filter
def heat(value: float | None) -> str:
    """A CSS class for a 0–100 rate cell."""
    if value is None:
        return "h-none"
    if value >= 95:
        return "h5"
    if value >= 90:
        return "h4"
    if value >= 80:
        return "h3"
    if value >= 70:
        return "h2"
    return "h1"


@register.filter
def num(value: int | None) -> str:
    """Grouped integer, cheaply: 12345 → "12.345" (Indonesian) or "12,345" (English)."""
    if value is None or value == "":
        return "—"
    text = f"{int(value):,}"
    return text if (get_language() or "id").startswith("en") else text.replace(",", ".")


@register.filter
def cell(value: Any) -> str:
    """A chart table's cell as the page shows it: a rate (float) "96,7%", a count grouped, None "—"."""
    if value is None:
        return "—"
    if isinstance(value, float):
        return pct(value)
    if isinstance(value, int):
        return num(value)
    return str(value)


@register.filter
def is_rate(value: Any) -> bool:
    return value is None or isinstance(value, float)
