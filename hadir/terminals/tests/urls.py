"""A URLconf with only what the terminal tests need, so they do not depend on other apps' pages."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from hadir.api import api

urlpatterns = [
    path("masuk/", auth_views.LoginView.as_view(), name="login"),
    path("api/", api.urls),
    path("iclock/", include("hadir.terminals.urls")),
]
