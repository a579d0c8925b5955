"""The delivery-metrics pages: one project's trends, and an organisation's projects side by side."""

import datetime

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from assessment.access import Action, access_project, can
from metrics.access import access_organisation_metrics, may_compare_projects, may_send_events
from metrics.selectors.dashboard import choose_periods, organisation_overview, project_dashboard
from metrics.selectors.periods import KINDS, MONTH, WEEK, recent_periods


def _kind(request, default: str) -> str:
    kind = request.GET.get("period", default)
    return kind if kind in KINDS else default


def _end(request) -> datetime.date | None:
    """?end=YYYY-MM-DD: the last day shown (the recent periods up to it); anything else means today."""
    try:
        day = datetime.date.fromisoformat(request.GET.get("end", ""))
    except ValueError:
        return None
    # Bounded so the periods before it stay valid dates.
    return day if 1970 <= day.year <= 2999 else None


@login_required
@require_GET
def project_metrics(request, project_id: int):
    project = access_project(request.user, project_id)
    kind, end = _kind(request, WEEK), _end(request)
    periods = recent_periods(end, kind) if end else choose_periods(kind, None, None)
    dashboard = project_dashboard(project, periods, look_elsewhere=True)
    context = {"project": project, "dashboard": dashboard, "kinds": KINDS, "end": end}
    context |= {
        "may_compare": may_compare_projects(request.user, project.organisation_id),
        "may_send_events": may_send_events(request.user, project),
        "may_manage_credentials": can(request.user, Action.ADMINISTER, project),
    }
    return render(request, "metrics/project.html", context)


@login_required
@require_GET
def organisation_metrics(request, slug: str):
    organisation = access_organisation_metrics(request.user, slug)
    kind = _kind(request, MONTH)
    period, rows = organisation_overview(organisation, kind)
    context = {"organisation": organisation, "period": period, "rows": rows, "kind": kind, "kinds": KINDS}
    context["has_no_events"] = not any(row.figures.has_events or row.elsewhere for row in rows)
    return render(request, "metrics/organisation.html", context)
