from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views
from .api import api

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("masuk/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("iclock/", include("hadir.terminals.urls")),
    path("m/", include("hadir.mobile.urls")),
    path("persetujuan/", include("hadir.approvals.urls")),
    path("cuti/", include("hadir.leave.urls")),
    path("tpp/", include("hadir.tpp.urls")),
    path("disiplin/", include("hadir.discipline.urls")),
    path("laporan/", include("hadir.reports.urls")),
    path("integritas/", include("hadir.integrity.urls")),
    path("akun/", include("hadir.org.urls")),
    path("", include("hadir.web.urls")),
]
# No /media/ URL, not even in the demo: selfies, letters and evidence are personal data, streamed only by views
# that check who asks (approvals, leave, presence admin; X-Accel-Redirect is documented in docs/deploy.md).
