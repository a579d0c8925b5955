"""The audit trail, per assessment (every member) and per organisation (its admins), with filters."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from assessment.access import Action, access_assessment, access_organisation
from assessment.selectors.audit import KINDS, AuditFilter, audit_entries

PAGE_SIZE = 50


class AuditFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("What"), required=False, choices=[("", _("Everything")), *[(k, k) for k in KINDS]])
    actor = forms.CharField(label=_("Who (user name, or - for the system)"), required=False, max_length=150)
    since = forms.DateField(label=_("From"), required=False)
    until = forms.DateField(label=_("Until"), required=False)


def _render(request, entries_of, context: dict):
    form = AuditFilterForm(request.GET)
    filters = AuditFilter(**form.cleaned_data) if form.is_valid() else AuditFilter()
    page = Paginator(entries_of(filters), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context |= {"form": form, "entries": page, "query": query.urlencode()}
    return render(request, "audit/list.html", context, status=200 if form.is_valid() else 400)


@login_required
@require_GET
def assessment_audit(request, assessment_id: int):
    assessment = access_assessment(request.user, assessment_id)
    return _render(
        request,
        lambda filters: audit_entries(organisation=assessment.organisation, assessment=assessment, filters=filters),
        {"assessment": assessment, "organisation": assessment.organisation},
    )


@login_required
@require_GET
def organisation_audit(request, slug: str):
    organisation = access_organisation(request.user, slug, action=Action.ADMINISTER)
    return _render(
        request,
        lambda filters: audit_entries(organisation=organisation, filters=filters),
        {"organisation": organisation},
    )
