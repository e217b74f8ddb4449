"""Plan everyone's reminders again at the next sweep: after data was changed behind the signals that
keep plans current (a queryset.update(), raw SQL, a restored backup)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from ceu.sweep import mark_everyone_stale


class Command(BaseCommand):
    help = "Mark every person holding a credential for their reminders to be planned again at the next sweep."

    def handle(self, *args, **options):
        marked = mark_everyone_stale()
        self.stdout.write(f"{marked} people marked; the next sweep plans their reminders again.")
