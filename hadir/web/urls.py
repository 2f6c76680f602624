from django.urls import path

from hadir.notify import views as notify_views

from . import manage, views

app_name = "web"
urlpatterns = [
    path("dasbor/", views.board, name="board"),
    path("dasbor/opd/<int:opd_id>/", views.board_opd, name="board_opd"),
    path("dasbor/peta/", views.board_map, name="board_map"),
    path("dasbor/ketidakhadiran/", views.absence, name="absence"),
    path("dasbor/ketidakhadiran/<int:employee_id>/", views.absence_detail, name="absence_detail"),
    path("dasbor/grafik/", views.charts, name="charts"),
    path("dasbor/kesiapan/", views.readiness, name="readiness"),
    path("dasbor/audit/", views.audit, name="audit"),
    path("dasbor/kelola/", manage.index, name="manage"),
    path("dasbor/kelola/perangkat/", manage.devices, name="manage_devices"),
    path("dasbor/kelola/persetujuan/", manage.overdue, name="manage_overdue"),
    path("dasbor/kelola/kebijakan/", manage.policies, name="manage_policies"),
    path("dasbor/kelola/plt-plh/", manage.acting, name="manage_acting"),
    path("dasbor/kelola/koreksi/", manage.correction, name="manage_correction"),
    path("dasbor/kelola/lokasi/", manage.locations, name="manage_locations"),
    path("notifikasi/", notify_views.inbox, name="inbox"),
    path("notifikasi/<int:pk>/", notify_views.open_notification, name="inbox_open"),
    path("notifikasi/baca-semua/", notify_views.read_all, name="inbox_read_all"),
]
