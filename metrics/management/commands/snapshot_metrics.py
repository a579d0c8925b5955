"""manage.py snapshot_metrics [--project ID] [--period month]: records the latest complete period's delivery
figures as metric-snapshot evidence in every open assessment (idempotent: a re-run replaces, never duplicates)."""

from django.core.management.base import BaseCommand, CommandError

from assessment.models import Project
from metrics.selectors.periods import KINDS, MONTH
from metrics.services.snapshots import snapshot_project


class Command(BaseCommand):
    help = "Record delivery figures of the latest complete period as evidence in open assessments."

    def add_arguments(self, parser):
        parser.add_argument("--project", type=int, help="Only this project (id); default every project.")
        parser.add_argument("--period", choices=list(KINDS), default=MONTH, help="Period kind (default month).")

    def handle(self, *args, project=None, period=MONTH, **options):
        projects = Project.objects.order_by("pk")
        if project is not None:
            projects = projects.filter(pk=project)
            if not projects.exists():
                raise CommandError(f"No project with id {project}.")
        recorded = 0
        for item in projects.iterator():
            recorded += len(snapshot_project(project=item, kind=period))
        self.stdout.write(f"Recorded {recorded} metric snapshot(s).")
