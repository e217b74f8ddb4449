from django.urls import path

from . import projection_views

app_name = "projection"

urlpatterns = [
    path("projection/", projection_views.projection, name="projection"),
    path("projection/save/", projection_views.save_what_if, name="save"),
    path("projection/compare/", projection_views.compare, name="compare"),
    path("salaries/method/", projection_views.method, name="method"),
]
