"""The signed-in user's API tokens: which phones and clients can act for them, and revoking one (/akun/token/)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .models import ApiToken
from .tokens import live_tokens, revoke


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    return render(request, "org/tokens.html", {"tokens": live_tokens(request.user), "nav": "tokens"})


@login_required
@require_POST
def revoke_token(request: HttpRequest, pk: int) -> HttpResponse:
    if not revoke(ApiToken.objects.filter(pk=pk, user_id=request.user.pk or 0)):
        raise Http404(_("Token tidak ditemukan."))
    messages.success(request, _("Token dicabut; perangkat itu harus masuk lagi."))
    return redirect("org:tokens")
