from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("account/profile/", views.profile, name="profile"),
    path("account/credentials/add/", views.add_credential, name="add-credential"),
    path("account/credentials/<int:pk>/remove/", views.remove_credential, name="remove-credential"),
    path("account/export/", views.export_json, name="export"),
    path("account/export/progress.csv", views.export_progress_csv, name="export-csv"),
    path("account/delete/", views.delete_account, name="delete"),
]
