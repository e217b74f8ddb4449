app_name = "projection"

urlpatterns: list = []
