"""After a project's delivery events change: links, figures and the assessments that read them, in that order.

Linking first (which deployment shipped which change, which incident followed which deployment), then the
project's materialised aggregates (PostgreSQL), then the metric-snapshot evidence of its open assessments, so
criteria whose checks read delivery facts are re-evaluated from the latest complete period through the usual
scoring path. Each step is idempotent; running the whole twice changes nothing.
"""

from assessment.models import Project
from metrics.services.linking import relink_project
from metrics.services.rollups import refresh_rollups
from metrics.services.snapshots import snapshot_project


def recompute_project(*, project_id: int) -> None:
    project = Project.objects.filter(pk=project_id).first()
    if project is None:
        return
    relink_project(project_id=project_id)
    refresh_rollups(project_ids=[project_id])
    snapshot_project(project=project)


def snapshot_every_project() -> int:
    """The daily run: a new period may have completed for every project; returns how many snapshots changed."""
    return sum(len(snapshot_project(project=project)) for project in Project.objects.order_by("pk").iterator())
