from django.contrib import admin

from .models import CalendarToken, CeuEntry, Reminder


@admin.register(CeuEntry)
class CeuEntryAdmin(admin.ModelAdmin):
    list_display = ["user", "completed_on", "hours", "activity", "category"]
    list_select_related = ["user"]
    search_fields = ["user__email", "activity", "provider"]


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    """Failed reminders are where staff look: the server's answer says why, "Send again" retries."""

    list_display = ["user", "kind", "due_on", "threshold", "status", "attempts", "last_error", "sent_at"]
    list_filter = ["status", "kind"]
    list_select_related = ["user"]
    search_fields = ["user__email"]
    readonly_fields = ["last_error", "claimed_at", "next_attempt_at", "sent_at", "attempts"]
    actions = ["send_again"]

    @admin.action(description="Send again (failed reminders only)")
    def send_again(self, request, queryset):
        count = queryset.filter(status=Reminder.Status.FAILED).update(
            status=Reminder.Status.PENDING, attempts=0, next_attempt_at=None, claim_token=None
        )
        self.message_user(request, f"{count} failed reminder(s) will be sent again within a minute.")


@admin.register(CalendarToken)
class CalendarTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at", "revoked_at"]
    readonly_fields = ["token_hash"]
