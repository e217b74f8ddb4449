from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from roadmap.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Create the demo accounts (development only); safe to run again."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("The demo data set is for development only (DEBUG=true).")
        for line in load_demo():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(f"Demo accounts are ready; their password is {DEMO_PASSWORD!r}."))
