"""Delivery-event pages: CSV import (the project's team and admins), ingest tokens and webhooks (admins)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from assessment.forms.upload_limits import oversize_message
from metrics.access import access_ingest_token, access_project_credentials, access_project_events
from metrics.forms import EventImportForm, IngestTokenForm, RotateSecretForm
from metrics.models import IngestToken, Provider
from metrics.services import credentials
from metrics.services.imports import import_events_csv


def _credentials_page(request, project, *, form=None, new_token: str = "", status: int = 200):
    context = {
        "project": project,
        "tokens": IngestToken.objects.filter(project=project).select_related("created_by").order_by("-created_at"),
        "hook": credentials.project_hook(project=project),
        "providers": Provider.choices,
        "form": form or IngestTokenForm(),
        "new_token": new_token,
    }
    return render(request, "metrics/credentials.html", context, status=status)


@login_required
@require_http_methods(["GET"])
def project_credentials(request, project_id: int):
    return _credentials_page(request, access_project_credentials(request.user, project_id))


@login_required
@require_POST
def token_create(request, project_id: int):
    """Shows the raw token on this one response; it is never shown again."""
    project = access_project_credentials(request.user, project_id)
    form = IngestTokenForm(request.POST)
    if not form.is_valid():
        return _credentials_page(request, project, form=form, status=422)
    _token, raw = credentials.create_ingest_token(project=project, actor=request.user, name=form.cleaned_data["name"])
    return _credentials_page(request, project, new_token=raw, status=201)


@login_required
@require_POST
def token_revoke(request, project_id: int, token_id: int):
    token = access_ingest_token(request.user, project_id, token_id)
    credentials.revoke_ingest_token(token=token)
    messages.success(request, _("The token %(name)s was revoked.") % {"name": token.name})
    return redirect("metrics-credentials", project_id=token.project_id)


@login_required
@require_POST
def secret_rotate(request, project_id: int):
    project = access_project_credentials(request.user, project_id)
    form = RotateSecretForm(request.POST)
    if form.is_valid():
        hook = credentials.project_hook(project=project)
        credentials.rotate_hook_secret(hook=hook, provider=form.cleaned_data["provider"])
        messages.success(request, _("The webhook secret was replaced; update it at the sender."))
    return redirect("metrics-credentials", project_id=project.pk)


@login_required
@require_http_methods(["GET", "POST"])
def events_import(request, project_id: int):
    project = access_project_events(request.user, project_id)
    form = EventImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and (message := oversize_message(request)):
        form.add_error("file", message)
    elif form.is_bound and form.is_valid():
        data = form.cleaned_data["file"].read()
        result = import_events_csv(project=project, data=data, event_type=form.cleaned_data["type"])
    status = 422 if (form.errors or (result and result.problems)) else 200
    context = {"project": project, "form": form, "result": result}
    return render(request, "metrics/import.html", context, status=status)
