from django.urls import path

from . import views

app_name = "integrity"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("panggilan/", views.rollcall_app, name="rollcall_app"),
    path("wajah/", views.enrolments, name="enrolments"),
    path("presensi/<int:checkin_id>/", views.detail, name="detail"),
    path("presensi/<int:checkin_id>/foto/", views.photo, name="photo"),
    path("presensi/<int:checkin_id>/wajah/", views.enrolled_face, name="enrolled_face"),
    path("persetujuan/<int:item_id>/wajah/", views.enrolled_face_for_approval, name="approval_face"),
]
