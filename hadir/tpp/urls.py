from django.urls import path

from . import views

app_name = "tpp"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("hitung/", views.act, name="act"),
    path("unduh/", views.download, name="download"),
    path("pegawai/<int:employee_id>/", views.detail, name="detail"),
    path("saya/", views.mine, name="mine"),
    path("impor/", views.import_bases, name="import_bases"),
]
