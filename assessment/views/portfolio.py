"""Managers' views across projects: the organisation's portfolio and a project's trends."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from assessment.access import Action, access_organisation, access_project, membership_of
from assessment.models import AssessmentState
from assessment.reports.fragments import cached_html
from assessment.selectors.portfolio import SORTS, Filters, data_version, portfolio
from assessment.selectors.reports import CONFIRMED
from assessment.selectors.trends import project_trends
from assessment.services.reports import allow_share_links


def filters_from(params) -> Filters:
    """Filters from a query string; unknown values fall back to none (a bookmarked URL never errors)."""
    state = params.get("state", "")
    sort = params.get("sort", "name")
    return Filters(
        query=params.get("q", "").strip()[:100],
        state=state if state in AssessmentState.values else "",
        below_target=params.get("below_target") in ("1", "true", "on"),
        sort=sort if sort in SORTS else "name",
    )


@login_required
@require_GET
def portfolio_page(request, slug: str):
    organisation = access_organisation(request.user, slug, action=Action.OVERSEE)
    data = portfolio(organisation, filters_from(request.GET))
    context = {
        "portfolio": data,
        "tables": cached_html(
            "portfolio",
            data_version(data),
            lambda: render_to_string("reports/portfolio.html#tables", {"portfolio": data}, request=request),
        ),
        "states": AssessmentState.choices,
        "sorts": SORTS,
        "is_admin": membership_of(request.user, organisation.pk).is_admin,
    }
    return render(request, "reports/portfolio.html", context)


@login_required
@require_POST
def share_settings(request, slug: str):
    organisation = access_organisation(request.user, slug, action=Action.ADMINISTER)
    allowed = request.POST.get("allow_share_links") == "on"
    allow_share_links(organisation=organisation, actor=request.user, allowed=allowed)
    messages.success(request, _("Sharing by link is on.") if allowed else _("Sharing by link is off."))
    return redirect("portfolio", organisation.slug)


@login_required
@require_GET
def trends(request, project_id: int):
    project = access_project(request.user, project_id)
    data = project_trends(
        project,
        reading=request.GET.get("reading", CONFIRMED),
        before_id=request.GET.get("before"),
        after_id=request.GET.get("after"),
    )
    return render(request, "reports/trends.html", {"trends": data, "project": project})
