from django.urls import path

from . import views

app_name = "mobile"
urlpatterns = [
    path("", views.app, name="app"),
    path("riwayat/", views.app, name="history"),
    path("koreksi/", views.corrections, name="corrections"),
    path("shell/", views.shell, name="shell"),
    path("masuk/", views.never_cache_login, name="login"),
    path("sw.js", views.service_worker, name="sw"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
]
