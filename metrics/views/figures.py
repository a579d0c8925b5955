"""The delivery-metrics pages: one project's trends, and an organisation's projects side by side."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from assessment.access import access_project
from metrics.access import access_organisation_metrics
from metrics.selectors.dashboard import choose_periods, organisation_overview, project_dashboard
from metrics.selectors.periods import KINDS, MONTH, WEEK


def _kind(request, default: str) -> str:
    kind = request.GET.get("period", default)
    return kind if kind in KINDS else default


@login_required
@require_GET
def project_metrics(request, project_id: int):
    project = access_project(request.user, project_id)
    kind = _kind(request, WEEK)
    dashboard = project_dashboard(project, choose_periods(kind, None, None))
    return render(request, "metrics/project.html", {"project": project, "dashboard": dashboard, "kinds": KINDS})


@login_required
@require_GET
def organisation_metrics(request, slug: str):
    organisation = access_organisation_metrics(request.user, slug)
    kind = _kind(request, MONTH)
    period, rows = organisation_overview(organisation, kind)
    context = {"organisation": organisation, "period": period, "rows": rows, "kind": kind, "kinds": KINDS}
    return render(request, "metrics/organisation.html", context)
