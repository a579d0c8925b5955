"""The questionnaire in the browser's HTML: answering with and without htmx, live levels, progress, submit."""

import pytest
from django.urls import reverse

from assessment.models import Answer, AuditEntry
from assessment.services.assessments import AnswerInput, required_criteria, save_answers

pytestmark = pytest.mark.django_db


def answer_url(assessment, code: str) -> str:
    return reverse("answer-save", args=(assessment.pk, code))


def page_url(assessment, subdomain: str = "cd.cm") -> str:
    return reverse("questionnaire", args=(assessment.pk, subdomain))


def test_the_team_sees_the_sub_domain_with_progress_and_ladders(client, team, assessment):
    client.force_login(team)
    response = client.get(page_url(assessment), headers={"accept-language": "en"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Configuration management" in body and "0 of 147 required criteria answered" in body
    assert body.count('class="answer-form"') == 35  # 7 sub-items × 5 levels
    assert 'id="tab-progress-' in body and "0/21" in body


def test_htmx_save_returns_the_answer_form_and_updates_level_and_progress_out_of_band(client, team, assessment):
    client.force_login(team)
    save_answers(
        assessment=assessment,
        actor=team,
        items=[AnswerInput("cd.cm.vc.vcs@1", "met"), AnswerInput("cd.cm.vc.vcs@2", "met")],
    )
    response = client.post(
        answer_url(assessment, "cd.cm.vc.vcs@3"),
        {"answer": "partly", "comment": "Half the repos"},
        headers={"hx-request": "true", "accept-language": "en"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    # Only the form is swapped (the evidence beside it is unchanged); level and progress bars out of band.
    assert body.lstrip().startswith('<form class="answer-form" id="f-')
    assert 'hx-swap-oob="true"' in body
    assert '<strong class="level-notation">3-</strong>' in body
    assert "3 of 147 required criteria answered" in body and ">3/21 <strong" in body
    answer = Answer.objects.get(assessment=assessment, criterion__code="cd.cm.vc.vcs@3")
    assert (answer.value, answer.comment, answer.updated_by) == ("partly", "Half the repos", team)


def test_a_plain_form_post_without_javascript_saves_and_returns_to_the_criterion(client, team, assessment):
    client.force_login(team)
    response = client.post(answer_url(assessment, "cd.cm.vc.vcs@1"), {"answer": "met"})
    assert response.status_code == 302
    assert response["Location"].startswith(page_url(assessment)) and "#c-" in response["Location"]
    assert Answer.objects.filter(assessment=assessment, criterion__code="cd.cm.vc.vcs@1", value="met").exists()


def test_na_without_justification_is_refused_and_keeps_what_was_typed(client, team, assessment):
    client.force_login(team)
    response = client.post(
        answer_url(assessment, "cd.cm.vc.vcs@1"),
        {"answer": "na", "comment": "my words"},
        headers={"hx-request": "true", "accept-language": "en"},
    )
    body = response.content.decode()
    assert response.status_code == 422
    assert "Say why this criterion does not apply" in body
    assert 'value="na" checked' in body and "my words" in body
    assert not Answer.objects.exists()


def test_na_without_justification_without_javascript_shows_the_page_with_the_error(client, team, assessment):
    client.force_login(team)
    response = client.post(
        answer_url(assessment, "cd.cm.vc.vcs@1"), {"answer": "na", "comment": "kept"}, headers={"accept-language": "en"}
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "<html" in body and "Say why this criterion does not apply" in body and "kept" in body


@pytest.mark.parametrize("value", ["", "maybe", "met; DROP TABLE", "x" * 50])
def test_unknown_answers_are_refused(client, team, assessment, value):
    client.force_login(team)
    response = client.post(answer_url(assessment, "cd.cm.vc.vcs@1"), {"answer": value}, headers={"hx-request": "true"})
    assert response.status_code == 422
    assert not Answer.objects.exists()


@pytest.mark.parametrize("code", ["cd.cm.vc.vcs@6", "agile.value.artifacts.content@1", "nonsense", "cd.cm.vc.vcs@1%00"])
def test_criteria_outside_the_assessment_are_404(client, team, assessment, code):
    client.force_login(team)
    assert client.post(answer_url(assessment, code), {"answer": "met"}).status_code == 404


def test_overlong_comments_are_refused(client, team, assessment):
    client.force_login(team)
    response = client.post(
        answer_url(assessment, "cd.cm.vc.vcs@1"),
        {"answer": "met", "comment": "x" * 5001},
        headers={"hx-request": "true"},
    )
    assert response.status_code == 422


def test_saving_the_same_answer_again_records_nothing_new(client, team, assessment):
    client.force_login(team)
    client.post(answer_url(assessment, "cd.cm.vc.vcs@1"), {"answer": "met"})
    entries = AuditEntry.objects.filter(action="answer.changed").count()
    client.post(answer_url(assessment, "cd.cm.vc.vcs@1"), {"answer": "met"})
    assert AuditEntry.objects.filter(action="answer.changed").count() == entries == 1


def test_submit_refuses_an_incomplete_assessment_and_says_how_much_is_missing(client, team, assessment):
    client.force_login(team)
    response = client.post(
        reverse("assessment-submit", args=(assessment.pk,)), headers={"accept-language": "en"}, follow=True
    )
    assessment.refresh_from_db()
    assert assessment.state == "draft"
    assert "147 criteria up to the target level are not answered yet: cd.cm.vc.vcs@1" in response.content.decode()


def answer_everything(assessment, team):
    items = [AnswerInput(code, "met") for code in required_criteria(assessment).values_list("code", flat=True)]
    save_answers(assessment=assessment, items=items, actor=team)


def test_submit_then_read_only_then_double_submit_refused(client, team, assessment):
    client.force_login(team)
    answer_everything(assessment, team)
    client.post(reverse("assessment-submit", args=(assessment.pk,)))
    assessment.refresh_from_db()
    assert assessment.state == "submitted" and assessment.submitted_at is not None

    page = client.get(page_url(assessment), headers={"accept-language": "en"}).content.decode()
    assert 'class="answer-form"' not in page and "Read-only" in page
    response = client.post(
        answer_url(assessment, "cd.cm.vc.vcs@1"),
        {"answer": "not_met"},
        headers={"hx-request": "true", "accept-language": "en"},
    )
    assert response.status_code == 422 and "can no longer be changed by the team" in response.content.decode()
    again = client.post(
        reverse("assessment-submit", args=(assessment.pk,)), follow=True, headers={"accept-language": "en"}
    )
    assert "This assessment is already submitted." in again.content.decode()


def test_the_overview_shows_levels_and_the_gap(client, team, assessment):
    client.force_login(team)
    save_answers(
        assessment=assessment,
        actor=team,
        items=[AnswerInput("cd.cm.vc.vcs@1", "met"), AnswerInput("cd.cm.vc.vcs@2", "partly")],
    )
    body = client.get(reverse("assessment-overview", args=(assessment.pk,)), headers={"accept-language": "en"})
    text = body.content.decode()
    assert "Levels claimed so far" in text and "provisional" in text
    assert "版本控制系统 2-" in text or "Version control system 2-" in text


def test_starting_an_assessment_from_the_project_page(client, team, project, caict):
    client.force_login(team)
    response = client.post(
        reverse("assessment-start", args=(project.pk,)), {"parts": ["cd", "agile"], "target_level": "4"}
    )
    assert response.status_code == 302
    assessment = project.assessments.get()
    assert assessment.target_level == 4 and assessment.model == caict
    assert sorted(assessment.parts.values_list("code", flat=True)) == ["agile", "cd"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"parts": ["ops"], "target_level": "3"}, "Select a valid choice"),
        ({"parts": ["cd"], "target_level": "9"}, "Select a valid choice"),
        ({"target_level": "3"}, "This field is required"),
    ],
)
def test_starting_with_bad_input_is_refused(client, team, project, caict, data, message):
    client.force_login(team)
    response = client.post(reverse("assessment-start", args=(project.pk,)), data, headers={"accept-language": "en"})
    assert response.status_code == 422 and message in response.content.decode()
    assert not project.assessments.exists()


def test_the_home_page_shows_a_team_member_their_projects_and_progress(client, team, assessment):
    client.force_login(team)
    body = client.get("/", headers={"accept-language": "en"}).content.decode()
    assert "Your projects" in body and "Marketing platform" in body and "0/147" in body
