"""Run the reminder sweep and send what is due, in this process (the embedded default has no worker).

With --date, choose what is due as if it were that day (noon UTC) and word the emails as of that
day. The claims that keep each reminder single are stamped by the database's clock, never by
--date, so this command can run beside a worker or another copy of itself.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ceu import delivery, services


class Command(BaseCommand):
    help = "Create the reminders that are due and send them now."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Sweep as of this day, YYYY-MM-DD (default: now).")

    def handle(self, *args, date: str | None = None, **options):
        now, day = timezone.now(), None
        if date:
            try:
                day = dt.date.fromisoformat(date)
            except ValueError:
                raise CommandError(f"--date {date!r} is not a date like 2026-11-25.") from None
            now = dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)
        services.sweep(now)
        outcomes = delivery.deliver_due(today=day)
        summary = ", ".join(f"{count} {outcome}" for outcome, count in sorted(outcomes.items())) or "nothing due"
        self.stdout.write(f"Reminders as of {now.date()}: {summary}.")
        if outcomes[delivery.SERVER_UNAVAILABLE]:
            self.stderr.write("The mail server is unavailable; the rest is left for the next run.")
