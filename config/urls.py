from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Coding Career Roadmap administration"
# The admin signs in through the site's own login, with its verification and rate limits.
admin.site.login = secure_admin_login(admin.site.login)

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
