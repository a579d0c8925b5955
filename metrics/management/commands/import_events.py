"""manage.py import_events PROJECT_ID FILE [--type deployment]: a CSV of delivery events, all or nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessment.models import Project
from metrics.parsers.event_input import MODELS
from metrics.services.imports import import_events_csv


class Command(BaseCommand):
    help = "Imports a CSV file of delivery events into a project; nothing is stored if any row is bad."

    def add_arguments(self, parser):
        parser.add_argument("project_id", type=int)
        parser.add_argument("file", type=Path)
        parser.add_argument("--type", choices=list(MODELS), default="", help="The type of every row (else a column)")

    def handle(self, *args, project_id: int, file: Path, type: str, **options):
        project = Project.objects.filter(pk=project_id).first()
        if project is None:
            raise CommandError(f"No project with id {project_id}.")
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        result = import_events_csv(project=project, data=data, event_type=type)
        if result.report is None:
            for problem in result.problems:
                self.stderr.write(f"row {problem.row}, {problem.column or '-'}: {problem.message}")
            raise CommandError(f"Nothing was imported: {len(result.problems)} problem(s).")
        report = result.report
        self.stdout.write(f"created {report.created}, updated {report.updated}, unchanged {report.unchanged}")
