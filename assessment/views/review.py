"""Review: the assessors' queue and page, decisions, lifecycle moves, assignment, and the team's replies."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessment.access import Action, access_assessment, memberships
from assessment.forms.review import AssignForm, BulkAcceptForm, DecisionForm, MoveForm, ReplyForm
from assessment.selectors import review as selectors
from assessment.selectors.lifecycle import allowed_moves
from assessment.selectors.questionnaire import find_criterion
from assessment.services import lifecycle, publication, review
from assessment.services.exceptions import RuleViolation


def _criterion_or_404(assessment, code: str):
    criterion = find_criterion(assessment, code)
    if criterion is None:
        raise Http404(_("No such criterion in this assessment."))
    return criterion


def _form_error(form) -> str:
    return " ".join(message for field_messages in form.errors.values() for message in field_messages)


@login_required
@require_GET
def review_queue(request):
    organisation_ids = [
        membership.organisation_id for membership in memberships(request.user) if membership.is_assessor
    ]
    if not organisation_ids:
        raise PermissionDenied(_("Your role does not allow this."))
    queue = selectors.review_queue(request.user, organisation_ids)
    return render(request, "review/queue.html", {"assessments": queue})


@login_required
@require_GET
def review_page(request, assessment_id: int):
    assessment = access_assessment(request.user, assessment_id, action=Action.REVIEW)
    show_all = request.GET.get("show") == "all"
    context = {
        "assessment": assessment,
        "page": selectors.review_page(assessment, request.user, only_open=not show_all),
        "show_all": show_all,
        "may_decide": review.may_decide(assessment, request.user),
        "moves": allowed_moves(assessment, request.user),
    }
    return render(request, "review/page.html", context)


@login_required
@require_POST
def decision_save(request, assessment_id: int, criterion_code: str):
    assessment = access_assessment(request.user, assessment_id, action=Action.REVIEW)
    criterion = _criterion_or_404(assessment, criterion_code)
    form, error = DecisionForm(request.POST), ""
    if form.is_valid():
        data = form.cleaned_data
        item = review.DecisionInput(
            criterion, data["decision"], data["comment"], data["override_reason"], expected_version=data["version"]
        )
        try:
            review.decide(assessment=assessment, item=item, actor=request.user)
        except RuleViolation as violation:
            error = violation.message
    else:
        error = _form_error(form)
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect(reverse("review", args=(assessment.pk,)) + f"#r-{criterion.pk}")
    row = selectors.review_row(assessment, criterion, request.user)
    context = {"row": row, "assessment": assessment, "may_decide": True, "error": error, "posted": request.POST}
    return render(request, "review/page.html#review-row", context, status=422 if error else 200)


@login_required
@require_http_methods(["GET", "POST"])
def bulk_accept(request, assessment_id: int):
    """GET shows what would be accepted and how many; POST accepts exactly the criteria that were shown."""
    assessment = access_assessment(request.user, assessment_id, action=Action.REVIEW)
    if request.method == "GET":
        rows = selectors.review_page(assessment, request.user).bulk_acceptable
        return render(request, "review/bulk_accept.html", {"assessment": assessment, "rows": rows})
    form = BulkAcceptForm(request.POST)
    if not form.is_valid() or not form.cleaned_data["confirmed"]:
        messages.error(request, _("Confirm the list of criteria to accept."))
        return redirect("review-bulk-accept", assessment.pk)
    criteria = [_criterion_or_404(assessment, code) for code in form.codes()]
    try:
        accepted = review.bulk_accept(assessment=assessment, criteria=criteria, actor=request.user)
    except RuleViolation as violation:
        messages.error(request, violation.message)
    else:
        messages.success(
            request,
            ngettext("Accepted %(count)d criterion.", "Accepted %(count)d criteria.", len(accepted))
            % {"count": len(accepted)},
        )
    return redirect("review", assessment.pk)


@login_required
@require_POST
def assessment_move(request, assessment_id: int):
    assessment = access_assessment(request.user, assessment_id)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_error(form))
        return redirect("assessment-overview", assessment.pk)
    try:
        moved = lifecycle.transition(
            assessment=assessment,
            move_name=form.cleaned_data["move"],
            actor=request.user,
            comment=form.cleaned_data["comment"],
        )
    except RuleViolation as violation:
        messages.error(request, violation.message)
        return redirect("review" if request.POST.get("next_page") == "review" else "assessment-overview", assessment.pk)
    messages.success(request, _("The assessment is now %(state)s.") % {"state": moved.get_state_display()})
    return redirect("review" if moved.state == "in_review" else "assessment-overview", assessment.pk)


@login_required
@require_POST
def assessor_assign(request, assessment_id: int):
    assessment = access_assessment(request.user, assessment_id)
    form = AssignForm(request.POST)
    assessor = form.is_valid() and get_user_model().objects.filter(pk=form.cleaned_data["assessor"]).first()
    if not assessor:
        messages.error(request, _("Choose an assessor of the organisation."))
        return redirect("assessment-overview", assessment.pk)
    try:
        lifecycle.assign_assessor(assessment=assessment, assessor=assessor, actor=request.user)
    except RuleViolation as violation:
        messages.error(request, violation.message)
    else:
        messages.success(request, _("%(name)s reviews this assessment.") % {"name": assessor.get_username()})
    return redirect("assessment-overview", assessment.pk)


@login_required
@require_POST
def request_reply(request, assessment_id: int, criterion_code: str):
    assessment = access_assessment(request.user, assessment_id, action=Action.WORK)
    criterion = _criterion_or_404(assessment, criterion_code)
    form = ReplyForm(request.POST)
    try:
        if not form.is_valid():
            raise RuleViolation(_form_error(form), field="reply")
        review.reply_to_request(
            assessment=assessment, criterion=criterion, reply=form.cleaned_data["reply"], actor=request.user
        )
    except RuleViolation as violation:
        messages.error(request, violation.message)
    else:
        messages.success(request, _("Reply saved: the assessor reviews %(code)s again.") % {"code": criterion.code})
    subdomain = criterion.subitem.item.subdomain.code
    return redirect(reverse("questionnaire", args=(assessment.pk, subdomain)) + f"#c-{criterion.pk}")


@login_required
@require_POST
def successor_start(request, assessment_id: int):
    assessment = access_assessment(request.user, assessment_id, action=Action.WORK)
    try:
        successor = publication.start_successor(published=assessment, actor=request.user)
    except RuleViolation as violation:
        messages.error(request, violation.message)
        return redirect("assessment-overview", assessment.pk)
    messages.success(request, _("A new draft starts from the published answers and evidence."))
    return redirect("assessment-overview", successor.pk)
