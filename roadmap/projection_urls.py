from django.urls import path

app_name = "projection"

urlpatterns: list = []
