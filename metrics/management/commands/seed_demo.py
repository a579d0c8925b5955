from django.core.management.base import BaseCommand

from metrics.services.demo import seed_demo


class Command(BaseCommand):
    help = (
        "Create or complete the demo organisation: users (password demo12345, demo only), projects, a year of "
        "delivery events and assessment rounds. Safe to run again."
    )

    def handle(self, *args, **options):
        for line in seed_demo():
            self.stdout.write(line)
