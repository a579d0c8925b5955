"""Projects, assessments and the questionnaire: thin views over access, services and selectors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from assessment.access import Action, access_assessment, access_project, can
from assessment.forms.questionnaire import AnswerForm, StartAssessmentForm
from assessment.models import Answer
from assessment.selectors import projects as project_selectors
from assessment.selectors import questionnaire as selectors
from assessment.selectors import review as review_selectors
from assessment.services.assessments import save_answer, start_assessment
from assessment.services.exceptions import RuleViolation
from assessment.services.lifecycle import submit_assessment

ALL_SUBDOMAINS = "all"  # the questionnaire's every sub-domain on one page (reviewing, printing)


def _start_form(project, data=None) -> StartAssessmentForm:
    choices = project_selectors.assessable_part_choices()
    return StartAssessmentForm(
        data, part_choices=choices, initial={"parts": ["cd"], "target_level": project.target_level}
    )


@login_required
@require_GET
def project_detail(request, project_id: int):
    project = access_project(request.user, project_id)
    return render(
        request, "projects/detail.html", project_selectors.project_page(request.user, project, _start_form(project))
    )


@login_required
@require_POST
def assessment_start(request, project_id: int):
    project = access_project(request.user, project_id, action=Action.WORK)
    form = _start_form(project, request.POST)
    if form.is_valid():
        try:
            assessment = start_assessment(
                project=project,
                actor=request.user,
                target_level=form.cleaned_data["target_level"],
                part_codes=form.cleaned_data["parts"],
            )
            return redirect("assessment-overview", assessment.pk)
        except RuleViolation as error:
            form.add_error(None, error.message)
    context = project_selectors.project_page(request.user, project, form)
    return render(request, "projects/detail.html", context, status=422)


@login_required
@require_GET
def assessment_overview(request, assessment_id: int):
    assessment = access_assessment(request.user, assessment_id)
    context = {
        "page": selectors.overview(assessment),
        "assessment": assessment,
        "editable": _editable(request.user, assessment),
        **review_selectors.lifecycle_panel(assessment, request.user),
    }
    return render(request, "questionnaire/overview.html", context)


def _editable(user, assessment) -> bool:
    return assessment.is_team_editable and can(user, Action.WORK, assessment.project)


def questionnaire_page(request, assessment, subdomain, *, failed_row=None, status: int = 200):
    """The questionnaire page of a sub-domain (or all, when None); failed_row shows a refused change in its place."""
    page = selectors.questionnaire(assessment, subdomain)
    if failed_row is not None:
        page.replace_row(failed_row)
    context = {
        "page": page,
        "assessment": assessment,
        "current": subdomain,
        "editable": _editable(request.user, assessment),
        "urls": selectors.questionnaire_urls(assessment),
    }
    return render(request, "questionnaire/page.html", context, status=status)


@login_required
@require_GET
def questionnaire(request, assessment_id: int, subdomain_code: str):
    assessment = access_assessment(request.user, assessment_id)
    subdomain = None if subdomain_code == ALL_SUBDOMAINS else selectors.find_subdomain(assessment, subdomain_code)
    if subdomain is None and subdomain_code != ALL_SUBDOMAINS:
        raise Http404(_("No such sub-domain in this assessment."))
    return questionnaire_page(request, assessment, subdomain)


@login_required
@require_POST
def answer_save(request, assessment_id: int, criterion_code: str):
    assessment = access_assessment(request.user, assessment_id, action=Action.WORK)
    criterion = selectors.find_criterion(assessment, criterion_code)
    if criterion is None:
        raise Http404(_("No such criterion in this assessment."))
    form = AnswerForm(request.POST)
    error, claims = "", None
    if form.is_valid():
        try:
            claims = save_answer(
                assessment=assessment,
                criterion=criterion,
                actor=request.user,
                value=form.cleaned_data["answer"],
                comment=form.cleaned_data["comment"],
                justification=form.cleaned_data["justification"],
            )
        except RuleViolation as violation:
            error = violation.message
    else:
        error = " ".join(message for messages_ in form.errors.values() for message in messages_)
    return _answer_response(request, assessment, criterion, error, claims)


def _answer_response(request, assessment, criterion, error: str, claims=None):
    subdomain = criterion.subitem.item.subdomain
    if not error and not request.htmx:
        return redirect(reverse("questionnaire", args=(assessment.pk, subdomain.code)) + f"#c-{criterion.pk}")
    feedback = selectors.answer_feedback(assessment, criterion, claims, full_row=not request.htmx)
    if error:
        # Keep what the person typed, so a refused save loses nothing.
        feedback.row.answer = Answer(
            value=request.POST.get("answer", ""),
            comment=request.POST.get("comment", ""),
            justification=request.POST.get("justification", ""),
        )
        feedback.row.error = error
    if request.htmx:
        context = {
            "feedback": feedback,
            "row": feedback.row,
            "assessment": assessment,
            "editable": True,
            "subdomain": subdomain,
            "urls": selectors.questionnaire_urls(assessment),
        }
        return render(request, "questionnaire/page.html#answer-form-saved", context, status=422 if error else 200)
    return questionnaire_page(request, assessment, subdomain, failed_row=feedback.row, status=422)


@login_required
@require_POST
def assessment_submit(request, assessment_id: int):
    assessment = access_assessment(request.user, assessment_id, action=Action.WORK)
    try:
        submit_assessment(assessment=assessment, actor=request.user)
    except RuleViolation as violation:
        messages.error(request, violation.message)
    else:
        messages.success(request, _("Submitted. The assessors have it now; the questionnaire is read-only."))
    return redirect("assessment-overview", assessment.pk)
