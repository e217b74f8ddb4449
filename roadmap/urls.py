from django.urls import path

from . import account_views, ladder_views, views

app_name = "roadmap"

urlpatterns = [
    path("", ladder_views.home, name="home"),
    path("ladder/", ladder_views.ladder, name="ladder"),
    path("roadmaps/<slug:key>/", ladder_views.roadmap_detail, name="detail"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/share/", views.share, name="share"),
    path("dashboard/unshare/", views.unshare, name="unshare"),
    path("shared/<str:token>/", views.shared, name="shared"),
    path("account/credentials/add/", account_views.add_credential, name="add-credential"),
    path("account/credentials/<int:pk>/remove/", account_views.remove_credential, name="remove-credential"),
    path("account/export/progress.csv", account_views.export_progress_csv, name="export-progress"),
    path("roadmaps/<slug:key>/follow/", views.follow, name="follow"),
    path("enrollments/<int:enrollment_pk>/primary/", views.make_primary, name="make-primary"),
    path("enrollments/<int:enrollment_pk>/unfollow/", views.unfollow, name="unfollow"),
    path("enrollments/<int:enrollment_pk>/steps/<int:step_pk>/", views.change_step, name="change-step"),
    path("enrollments/<int:enrollment_pk>/steps/<int:step_pk>/undo/", views.undo_step, name="undo-step"),
]
