from django.contrib import admin

from .models import CalendarToken, CeuEntry, Reminder


@admin.register(CeuEntry)
class CeuEntryAdmin(admin.ModelAdmin):
    list_display = ["user", "completed_on", "hours", "activity", "category"]
    list_select_related = ["user"]
    search_fields = ["user__email", "activity", "provider"]


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "due_on", "threshold", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind"]
    list_select_related = ["user"]
    readonly_fields = ["last_error", "claimed_at", "sent_at", "attempts"]


@admin.register(CalendarToken)
class CalendarTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at", "revoked_at"]
    readonly_fields = ["token_hash"]
