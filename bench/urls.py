"""The app's URLs plus the trivial view benchmarks compare against (sign-in checked, one small query), and the
least an answer save can do with the ORM and stay correct, the floor the save's figure is read against."""

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse
from django.urls import include, path

from assessment.access import Action, access_assessment
from assessment.models import Assessment, AuditEntry, Membership
from assessment.selectors.claims import claims_of
from assessment.selectors.questionnaire import find_criterion


@login_required
def trivial(request):
    return HttpResponse(str(Membership.objects.filter(user=request.user).count()))


@login_required
def least_correct_save(request, assessment_id: int, code: str):
    """The queries a save cannot do without: the access check (assessment, membership), the state under a lock
    (no submission slips in), the stored answer, the write and its audit entry. No form, feedback, rendering or
    level refresh; for an answer that exists."""
    assessment = access_assessment(request.user, assessment_id, action=Action.WORK)
    criterion = find_criterion(assessment, code)
    with transaction.atomic():
        Assessment.objects.select_for_update().filter(pk=assessment.pk).values_list("state", flat=True).get()
        answer = claims_of(assessment).answer(assessment, criterion.pk)
        before, answer.value, answer.updated_by = answer.value, request.POST["answer"], request.user
        answer.save()
        AuditEntry.objects.create(
            organisation_id=assessment.organisation_id,
            assessment=assessment,
            actor=request.user,
            action="answer.changed",
            target=code,
            before={"value": before},
            after={"value": answer.value},
        )
    return HttpResponse(answer.value)


urlpatterns = [
    path("bench/trivial/", trivial, name="bench-trivial"),
    path("bench/least-save/<int:assessment_id>/<str:code>/", least_correct_save, name="bench-least-save"),
    path("", include("config.urls")),
]
