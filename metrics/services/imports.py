"""CSV import of delivery events, all or nothing: one bad row and nothing is stored; the report names them all."""

from dataclasses import dataclass, field

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from assessment.models import Project
from metrics.parsers.csv_import import Problem, read_csv
from metrics.services.ingest import IngestReport, read_events, store_events


@dataclass
class ImportResult:
    problems: list[Problem] = field(default_factory=list)
    report: IngestReport | None = None  # None when nothing was stored


def import_events_csv(*, project: Project, data: bytes, event_type: str = "") -> ImportResult:
    """Stores every row of the file (source `csv` unless a row names one), or none and the reasons."""
    limit = settings.METRICS_CSV_MAX_BYTES
    if len(data) > limit:
        message = _("The file is larger than the %(limit)s limit.") % {"limit": filesizeformat(limit)}
        return ImportResult(problems=[Problem(0, "", message)])
    items, problems = read_csv(data, event_type=event_type)
    if not problems and not items:
        problems = [Problem(2, "", _("The file has a header but no rows."))]
    rows, rejected = read_events(items, default_source="csv")
    for rejection in rejected:
        for column, messages in rejection.errors.items():
            problems.extend(Problem(rejection.index + 2, column, message) for message in messages)
    if problems:
        return ImportResult(problems=sorted(problems, key=lambda problem: (problem.row, problem.column)))
    return ImportResult(report=store_events(project=project, rows=rows))
