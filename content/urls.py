from django.urls import path

from . import views

app_name = "content"

urlpatterns = [
    path("credentials/<str:code>/", views.credential_detail, name="credential"),
    path("roles/<slug:key>/", views.role_detail, name="role"),
    path("education/<slug:key>/", views.education_detail, name="education"),
    path("salaries/", views.salaries, name="salaries"),
    path("healthz", views.health, name="health"),
    path("theme.css", views.theme_css, name="theme-css"),
    path("theme/", views.set_theme, name="theme"),
]
