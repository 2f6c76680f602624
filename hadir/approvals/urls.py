from django.urls import path

from . import views

app_name = "approvals"
urlpatterns = [
    path("", views.inbox_page, name="inbox"),
    path("<int:pk>/foto/", views.checkin_photo, name="photo"),
]
