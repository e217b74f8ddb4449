from django.contrib import admin

from .models import Roadmap, Step


class StepInline(admin.StackedInline):
    model = Step
    extra = 0
    fk_name = "roadmap"
    filter_horizontal = ["prerequisites"]
    autocomplete_fields = ["credential"]


@admin.register(Roadmap)
class RoadmapAdmin(admin.ModelAdmin):
    list_display = ["name", "key", "setting", "is_default"]
    inlines = [StepInline]
