from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("ekspor/", views.export, name="export_new"),
    path("ekspor/<int:export_id>/", views.export_status, name="export"),
    path("ekspor/<int:export_id>/unduh/", views.export_download, name="export_download"),
    path("saya/", views.mine, name="mine"),
    path("saya/rekap.pdf", views.mine_pdf, name="mine_pdf"),
]
