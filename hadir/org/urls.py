from django.urls import path

from . import views

app_name = "org"
urlpatterns = [
    path("token/", views.tokens, name="tokens"),
    path("token/<int:pk>/cabut/", views.revoke_token, name="revoke_token"),
]
