"""Stored levels that fell behind their data (a refresh lost on its way) are found and computed again."""

import pytest
from django.utils import timezone

from assessment.models import Answer, Assessment, AssessmentState
from assessment.services.assessments import AnswerInput, save_answers
from assessment.services.levels import assessments_with_stale_levels, refresh_stored_levels
from assessment.tasks import sweep_stale_levels

pytestmark = pytest.mark.usefixtures("eager_tasks")

METHOD = [AnswerInput(f"cd.drm.mode.method@{level}", "met", "", "") for level in (1, 2, 3)]


def stored_level(assessment, subitem: str = "cd.drm.mode.method") -> str:
    assessment = Assessment.objects.get(pk=assessment.pk)
    return assessment.stored_levels["provisional"]["subitems"][subitem]["level"]


def saved(django_capture_on_commit_callbacks, assessment, team, items) -> None:
    """Saves answers as a request does: the level refresh runs after the commit (in-process here)."""
    with django_capture_on_commit_callbacks(execute=True):
        save_answers(assessment=assessment, actor=team, items=items)


def test_levels_kept_up_to_date_are_left_alone(django_capture_on_commit_callbacks, assessment, team):
    saved(django_capture_on_commit_callbacks, assessment, team, METHOD)

    assert stored_level(assessment) == "3"
    assert assessments_with_stale_levels() == []
    assert sweep_stale_levels() == 0


def test_a_change_whose_refresh_was_lost_is_computed_again(django_capture_on_commit_callbacks, assessment, team):
    saved(django_capture_on_commit_callbacks, assessment, team, METHOD)
    # As if the refresh after this change never reached a worker: the rows change, the stored levels do not.
    Answer.objects.filter(assessment=assessment, criterion__code="cd.drm.mode.method@2").update(
        value="not_met", updated_at=timezone.now()
    )
    assert stored_level(assessment) == "3"

    assert assessments_with_stale_levels() == [assessment.pk]
    assert sweep_stale_levels() == 1

    assert stored_level(assessment) == "1"
    assert assessments_with_stale_levels() == []


def test_an_assessment_never_computed_is_computed_once(assessment):
    Assessment.objects.filter(pk=assessment.pk).update(stored_levels={})

    assert sweep_stale_levels() == 1
    assert stored_level(assessment) == "0"
    assert sweep_stale_levels() == 0


def test_published_assessments_are_never_swept(assessment, team):
    save_answers(assessment=assessment, actor=team, items=METHOD)
    Assessment.objects.filter(pk=assessment.pk).update(state=AssessmentState.PUBLISHED, stored_levels={})

    assert assessments_with_stale_levels() == []


def test_the_sweep_takes_at_most_its_limit(assessment, team, project):
    from assessment.services.assessments import start_assessment

    other = start_assessment(project=project, actor=team, target_level=2)
    Assessment.objects.filter(pk__in=[assessment.pk, other.pk]).update(stored_levels={})

    assert assessments_with_stale_levels(limit=1) == [min(assessment.pk, other.pk)]
    assert sorted(assessments_with_stale_levels()) == sorted([assessment.pk, other.pk])


def test_stored_levels_record_the_data_they_came_from(assessment, team):
    first = refresh_stored_levels(assessment)["data_version"]
    save_answers(assessment=assessment, actor=team, items=METHOD[:1])

    assert refresh_stored_levels(assessment)["data_version"] != first
