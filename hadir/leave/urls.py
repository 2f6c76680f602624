from django.urls import path

from . import views

app_name = "leave"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("ikhtisar/", views.overview, name="overview"),
    path("<int:pk>/batal/", views.cancel, name="cancel"),
    path("<int:pk>/dokumen/", views.document, name="document"),
]
