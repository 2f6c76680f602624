from django.urls import path

from . import views

app_name = "discipline"
urlpatterns = [
    path("", views.case_list, name="cases"),
    path("kasus/<int:case_id>/", views.case_detail, name="case"),
    path("saya/", views.mine, name="mine"),
    path("kasus/<int:case_id>/surat/<str:kind>.pdf", views.letter, name="letter"),
]
