from django.urls import path

from . import views

app_name = "roadmap"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("roadmaps/<slug:key>/follow/", views.follow, name="follow"),
    path("enrollments/<int:enrollment_pk>/primary/", views.make_primary, name="make-primary"),
    path("enrollments/<int:enrollment_pk>/unfollow/", views.unfollow, name="unfollow"),
    path("enrollments/<int:enrollment_pk>/steps/<int:step_pk>/", views.change_step, name="change-step"),
    path("enrollments/<int:enrollment_pk>/steps/<int:step_pk>/undo/", views.undo_step, name="undo-step"),
]
