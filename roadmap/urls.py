from django.urls import path

from . import views

app_name = "roadmap"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
]
