"""manage.py refresh_metric_rollups [--project ID]: rebuilds the daily delivery aggregates the figures are read
from (PostgreSQL), e.g. after changing TIME_ZONE or repairing events by hand."""

from django.core.management.base import BaseCommand

from metrics.services.rollups import refresh_rollups


class Command(BaseCommand):
    help = "Rebuild the daily delivery aggregates of one project or of all."

    def add_arguments(self, parser):
        parser.add_argument("--project", type=int, action="append", help="A project id (repeatable); default all.")

    def handle(self, *args, project=None, **options):
        refresh_rollups(project_ids=project)
        self.stdout.write("Daily delivery aggregates rebuilt.")
