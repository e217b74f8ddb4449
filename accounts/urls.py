from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("account/profile/", views.profile, name="profile"),
    path("account/export/", views.export_json, name="export"),
    path("account/delete/", views.delete_account, name="delete"),
]
