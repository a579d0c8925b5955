"""The level report of an assessment: the page, its PDF (rendered by a worker), exports, and share links."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from assessment.access import (
    Action,
    access_assessment,
    access_report_file,
    access_share_link,
    access_shared_assessment,
    can,
)
from assessment.models import ReportKind, ReportStatus, ShareLink
from assessment.reports.exports import FORMATS
from assessment.reports.fragments import cached_html
from assessment.selectors.exports import export_tables
from assessment.selectors.reports import PROVISIONAL, READINGS, assessment_report, fingerprint
from assessment.services.exceptions import RuleViolation
from assessment.services.reports import create_share_link, request_report_file, revoke_share_link


def _reading(request) -> str:
    reading = request.GET.get("reading", PROVISIONAL)
    return reading if reading in READINGS else PROVISIONAL


def _share_links(user, assessment) -> list[ShareLink] | None:
    """The assessment's links for people who may share (None hides the panel)."""
    if not can(user, Action.OVERSEE, assessment.project):
        return None
    return list(ShareLink.objects.filter(assessment=assessment).order_by("-created_at")[:20])


def report_body(assessment, reading: str, *, static: bool = False) -> SafeString:
    """The report's sections, rendered once per state of the assessment (see reports.fragments)."""

    def render_body() -> str:
        report = assessment_report(assessment, reading=reading)
        return render_to_string("reports/_body.html", {"report": report, "static": static})

    return cached_html("report", (fingerprint(assessment, reading), static), render_body)


@login_required
@require_GET
def report(request, assessment_id: int):
    assessment = access_assessment(request.user, assessment_id)
    reading = _reading(request)
    context = {
        "assessment": assessment,
        "reading": reading,
        "body": report_body(assessment, reading),
        "share_links": _share_links(request.user, assessment),
        "kinds": ReportKind.choices,
    }
    return render(request, "reports/report.html", context)


@login_required
@require_POST
def report_pdf(request, assessment_id: int):
    """Asks for the PDF: ready at once when cached, else rendered by a worker while the page shows progress."""
    assessment = access_assessment(request.user, assessment_id)
    try:
        report_file = request_report_file(
            assessment=assessment,
            kind=request.POST.get("kind", ReportKind.REPORT),
            reading=request.POST.get("reading", PROVISIONAL),
            language=translation.get_language(),
        )
    except RuleViolation as violation:
        messages.error(request, violation.message)
        return redirect("report", assessment.pk)
    return redirect("report-file", report_file.pk)


@login_required
@require_GET
def report_file(request, report_file_id: int):
    """The rendering's progress (an htmx fragment polled until it is done) or, when ready, its download link."""
    report_file = access_report_file(request.user, report_file_id)
    context = {"file": report_file, "assessment": report_file.assessment, "is_done": _is_done(report_file)}
    template = "reports/file.html#file-status" if request.htmx else "reports/file.html"
    return render(request, template, context)


def _is_done(report_file) -> bool:
    return report_file.status in (ReportStatus.READY, ReportStatus.FAILED)


@login_required
@require_GET
def report_file_download(request, report_file_id: int):
    report_file = access_report_file(request.user, report_file_id)
    if report_file.status != ReportStatus.READY:
        return redirect("report-file", report_file.pk)
    content = type(report_file).objects.values_list("content", flat=True).get(pk=report_file.pk)
    response = HttpResponse(bytes(content), content_type="application/pdf")
    name = f"assessment-{report_file.assessment_id}-{report_file.kind}-{report_file.language}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def export_response(assessment, file_format: str) -> HttpResponse:
    """The assessment's tables as a download (shared by the page's links and the API)."""
    content_type, write = FORMATS[file_format]
    response = HttpResponse(write(export_tables(assessment)), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="assessment-{assessment.pk}.{file_format}"'
    return response


@login_required
@require_GET
def export(request, assessment_id: int):
    assessment = access_assessment(request.user, assessment_id)
    file_format = request.GET.get("format", "csv")
    if file_format not in FORMATS:
        return HttpResponse(_("Unknown format: use csv or xlsx."), status=400, content_type="text/plain")
    return export_response(assessment, file_format)


@login_required
@require_POST
def share_create(request, assessment_id: int):
    assessment = access_assessment(request.user, assessment_id, action=Action.OVERSEE)
    try:
        days = int(request.POST.get("days", "14"))
        _link, token = create_share_link(
            assessment=assessment, actor=request.user, days=days, reading=request.POST.get("reading", PROVISIONAL)
        )
    except (RuleViolation, ValueError) as error:
        messages.error(request, getattr(error, "message", _("Give the number of days the link lasts.")))
        return redirect("report", assessment.pk)
    url = request.build_absolute_uri(reverse("shared-report", args=(token,)))
    messages.success(request, _("Share this link (shown only now): %(url)s") % {"url": url})
    return redirect("report", assessment.pk)


@login_required
@require_POST
def share_revoke(request, link_id: int):
    link = access_share_link(request.user, link_id)
    revoke_share_link(link=link, actor=request.user)
    messages.success(request, _("The link no longer works."))
    return redirect("report", link.assessment_id)


@require_GET
def shared_report(request, token: str):
    """The read-only report behind a share link, for anyone holding it, without the app's controls."""
    link = access_shared_assessment(token)
    body = report_body(link.assessment, link.reading, static=True)
    context = {"assessment": link.assessment, "reading": link.reading, "body": body, "shared": True}
    response = render(request, "reports/report.html", context)
    response["Referrer-Policy"] = "no-referrer"  # the token must not leak to linked sites
    response["X-Robots-Tag"] = "noindex"
    return response
