from django.contrib.auth.views import LoginView
from django.db import connection
from django.http import HttpRequest, HttpResponseBase, JsonResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch

from hadir.org.models import employee_of
from hadir.org.scoping import admin_paths


def home(request: HttpRequest) -> HttpResponseBase:
    """Landing: the login page for visitors; admins and heads go to the dashboard, staff to the app."""
    if not request.user.is_authenticated:
        # Visitors get the login form right here (200), not a redirect: `/` is the front door.
        return LoginView.as_view(redirect_authenticated_user=True)(request)
    has_admin_scope = admin_paths(request.user) != []
    emp = employee_of(request.user)
    is_head = bool(emp and emp.position_id and emp.position and emp.position.is_head)
    for name in (["web:board"] if (has_admin_scope or is_head) else []) + ["mobile:app"]:
        try:
            return redirect(name)
        except NoReverseMatch:
            continue
    return redirect("admin:index") if request.user.is_staff else redirect("api:openapi-view")


def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
