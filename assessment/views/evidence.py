"""Evidence in the questionnaire: add (file, link or note), attach to more criteria, remove, download."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessment.access import Action, access_assessment, access_evidence, can
from assessment.forms.questionnaire import AttachEvidenceForm, CriterionForm, EvidenceForm
from assessment.forms.upload_limits import oversize_message
from assessment.selectors import questionnaire as selectors
from assessment.services.evidence import add_evidence, attach_evidence, remove_evidence
from assessment.services.evidence_store import store_errors
from assessment.services.exceptions import RuleViolation, StoreUnavailable
from assessment.views.assessments import questionnaire_page


def _form_error(form) -> str:
    return " ".join(
        f"{form.fields[name].label or name}: {' '.join(errors)}" if name in form.fields else " ".join(errors)
        for name, errors in form.errors.items()
    )


@login_required
@require_http_methods(["GET", "POST"])
def evidence_add(request, assessment_id: int):
    """GET: the form for one criterion (a fragment for htmx); POST: store a file, link or note."""
    assessment = access_assessment(request.user, assessment_id, action=Action.WORK)
    if request.method == "GET":
        return _criterion_page(request, assessment, "questionnaire/evidence_add.html", "evidence-form")
    form = EvidenceForm(request.POST, request.FILES)
    error = oversize_message(request)
    if not error and form.is_valid():
        data = form.cleaned_data
        try:
            add_evidence(
                assessment=assessment,
                actor=request.user,
                criteria_codes=[data["criterion"]],
                upload=data["file"],
                url=data["url"],
                note=data["note"],
                name=data["name"],
                effective_on=data["effective_on"],
                expires_on=data["expires_on"],
            )
        except RuleViolation as violation:
            error = violation.message
        except StoreUnavailable:
            error = _("The file store is unavailable, so nothing was saved; try again in a minute.")
            return _row_response(request, assessment, data["criterion"], error, status=503)
    elif not error:
        error = _form_error(form)
    return _row_response(request, assessment, request.POST.get("criterion", ""), error)


@login_required
@require_http_methods(["GET", "POST"])
def evidence_attach(request, assessment_id: int):
    """GET: the choice of the assessment's evidence for one criterion; POST: attach the chosen piece."""
    assessment = access_assessment(request.user, assessment_id, action=Action.WORK)
    if request.method == "GET":
        return _criterion_page(request, assessment, "questionnaire/attach.html", "attach-form")
    form = AttachEvidenceForm(request.POST)
    error = "" if form.is_valid() else _form_error(form)
    if not error:
        evidence = access_evidence(request.user, form.cleaned_data["evidence"], action=Action.WORK)
        if evidence.assessment_id != assessment.pk:
            raise Http404(_("No such evidence in this assessment."))
        try:
            attach_evidence(evidence=evidence, criteria_codes=[form.cleaned_data["criterion"]], actor=request.user)
        except RuleViolation as violation:
            error = violation.message
    return _row_response(request, assessment, request.POST.get("criterion", ""), error)


def _criterion_page(request, assessment, template: str, partial: str):
    """A form about one criterion: the whole page without JavaScript, just the form for htmx."""
    criterion = selectors.find_criterion(assessment, request.GET.get("criterion", ""))
    if criterion is None:
        raise Http404(_("No such criterion in this assessment."))
    context = {"assessment": assessment, "criterion": criterion}
    if partial == "attach-form":
        linked = set(criterion.evidence_links.values_list("evidence_id", flat=True))
        context["choices"] = [item for item in selectors.evidence_choices(assessment) if item.pk not in linked]
    return render(request, f"{template}#{partial}" if request.htmx else template, context)


@login_required
@require_POST
def evidence_remove(request, evidence_id: int):
    evidence = access_evidence(request.user, evidence_id, action=Action.WORK)
    form = CriterionForm(request.POST)
    error = ""
    try:
        remove_evidence(evidence=evidence, actor=request.user)
    except RuleViolation as violation:
        error = violation.message
    code = form.cleaned_data.get("criterion", "") if form.is_valid() else ""
    return _row_response(request, evidence.assessment, code, error)


@login_required
@require_GET
def evidence_download(request, evidence_id: int):
    """Files go to members of the organisation only, always as a download, never rendered inline."""
    evidence = access_evidence(request.user, evidence_id)
    if not evidence.file:
        raise Http404(_("This evidence has no file."))
    try:
        # Streamed through the app from whichever store holds it: nothing links to the bucket itself.
        with store_errors():
            stream = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("The stored file is missing.")) from None
    except StoreUnavailable:
        return HttpResponse(_("The file store is unavailable; try again in a minute."), status=503)
    response = FileResponse(stream, as_attachment=True, filename=evidence.name, content_type="application/octet-stream")
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
@require_GET
def evidence_row(request, evidence_id: int):
    """The criterion row again, for the page polling a piece of evidence while a worker reads it."""
    evidence = access_evidence(request.user, evidence_id)
    editable = evidence.assessment.is_team_editable and can(request.user, Action.WORK, evidence.assessment.project)
    return _row_response(request, evidence.assessment, request.GET.get("criterion", ""), "", editable=editable)


def _row_response(request, assessment, criterion_code: str, error: str, *, editable: bool = True, status: int = 0):
    criterion = selectors.find_criterion(assessment, criterion_code)
    if criterion is None:
        if error:
            raise Http404(error)
        return redirect("assessment-overview", assessment.pk)
    if not request.htmx and not error:
        subdomain = criterion.subitem.item.subdomain
        return redirect(reverse("questionnaire", args=(assessment.pk, subdomain.code)) + f"#c-{criterion.pk}")
    feedback = selectors.answer_feedback(assessment, criterion)
    feedback.row.error = error
    status = status or (422 if error else 200)
    if not request.htmx:
        subdomain = criterion.subitem.item.subdomain
        return questionnaire_page(request, assessment, subdomain, failed_row=feedback.row, status=status)
    context = {
        "feedback": feedback,
        "row": feedback.row,
        "assessment": assessment,
        "editable": editable,
        "urls": selectors.questionnaire_urls(assessment),
    }
    return render(request, "questionnaire/page.html#answer-saved", context, status=status)
