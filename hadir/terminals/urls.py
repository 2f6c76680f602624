from django.urls import path  # noqa: F401

app_name = "terminals"
urlpatterns: list = []
