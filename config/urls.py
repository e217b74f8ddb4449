from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Coding Career Roadmap administration"

urlpatterns = [
    path("", include("content.urls")),
    path("", include("roadmap.projection_urls")),
    path("", include("roadmap.urls")),
    path("", include("accounts.urls")),
    path("", include("ceu.urls")),
    path("", include("schools.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]
