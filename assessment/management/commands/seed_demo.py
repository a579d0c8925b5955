from django.core.management.base import BaseCommand

from assessment.services.demo import seed_demo


class Command(BaseCommand):
    help = "Create or refresh the demo users (password demo12345, demo only). Safe to run again."

    def handle(self, *args, **options):
        for line in seed_demo():
            self.stdout.write(line)
