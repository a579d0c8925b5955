"""A level change raises one signed level.changed delivery per subscription, through the real services."""

import json

import pytest
from rest_framework.authtoken.models import Token

from assessment.models import DeliveryStatus, Organisation, Project, WebhookDelivery
from assessment.services.assessments import AnswerInput, save_answers, start_assessment
from assessment.services.webhooks import create_subscription, set_subscription_active
from tests.webhooks.conftest import CM_SUBITEMS, reach_level_one_in_configuration_management, verifies

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def eager(eager_tasks):
    """Tasks run in-process, after the commit, as on the embedded default."""


def test_answers_that_lift_a_subdomain_send_one_signed_event(
    client, assessment, team, subscription, receiver, django_capture_on_commit_callbacks
):
    token = Token.objects.create(user=team)
    answers = [{"criterion": f"{code}@1", "answer": "met"} for code in CM_SUBITEMS]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/api/v1/assessments/{assessment.pk}/answers/",
            answers,
            content_type="application/json",
            headers={"authorization": f"Token {token.key}"},
        )
    assert response.status_code == 200, response.content

    [request] = receiver.received
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.attempts == 1 and delivery.response_code == 200
    assert request.path == "/hooks/levels"
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["X-DevOps-Maturity-Event"] == "level.changed"
    assert request.headers["X-DevOps-Maturity-Delivery"] == str(delivery.event_id)
    assert verifies(subscription.secret, request)
    assert not verifies("whsec_someone-else", request)

    payload = json.loads(request.body)
    assert payload["event"] == "level.changed" and payload["id"] == str(delivery.event_id)
    assert payload["organisation"] == "acme"
    assert payload["project"] == {"id": assessment.project_id, "name": "Marketing platform"}
    assert payload["assessment"] == {
        "id": assessment.pk,
        "state": "draft",
        "url": f"http://127.0.0.1:8000/assessments/{assessment.pk}/",
    }
    assert payload["changes"] == [
        {"reading": "provisional", "scope": "subdomain", "code": "cd.cm", "before": "0", "after": "1"}
    ]
    assert payload["occurred_at"].endswith("+00:00")
    # Only a short excerpt of the receiver's answer is kept.
    assert delivery.last_error.startswith("answer 200") and len(delivery.last_error) <= 300


def test_answers_that_move_no_part_or_subdomain_send_nothing(
    assessment, team, subscription, receiver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        save_answers(assessment=assessment, actor=team, items=[AnswerInput("cd.cm.vc.vcs@1", "met")])
    with django_capture_on_commit_callbacks(execute=True):
        save_answers(assessment=assessment, actor=team, items=[AnswerInput("cd.cm.vc.vcs@2", "partly")])

    assessment.refresh_from_db()
    assert assessment.stored_levels["provisional"]["subitems"]["cd.cm.vc.vcs"]["level"] == "2-"
    assert not WebhookDelivery.objects.exists()
    assert receiver.received == []


def test_a_later_change_reports_the_level_before_and_after(
    assessment, team, subscription, receiver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reach_level_one_in_configuration_management(assessment, team)
    with django_capture_on_commit_callbacks(execute=True):  # no sub-domain moves: nothing
        save_answers(assessment=assessment, actor=team, items=[AnswerInput("cd.cm.vc.vcs@2", "met")])
    with django_capture_on_commit_callbacks(execute=True):  # one sub-item only partly at 1: cd.cm falls to "1-"
        save_answers(assessment=assessment, actor=team, items=[AnswerInput("cd.cm.vc.ssot@1", "partly")])

    changes = [json.loads(request.body)["changes"] for request in receiver.received]
    assert changes == [
        [{"reading": "provisional", "scope": "subdomain", "code": "cd.cm", "before": "0", "after": "1"}],
        [{"reading": "provisional", "scope": "subdomain", "code": "cd.cm", "before": "1", "after": "1-"}],
    ]
    assert WebhookDelivery.objects.filter(status=DeliveryStatus.DELIVERED).count() == 2


def test_refreshing_again_without_a_change_sends_nothing_more(
    assessment, team, subscription, receiver, django_capture_on_commit_callbacks
):
    from assessment.tasks import refresh_levels

    with django_capture_on_commit_callbacks(execute=True):
        reach_level_one_in_configuration_management(assessment, team)
    with django_capture_on_commit_callbacks(execute=True):
        refresh_levels.delay(assessment.pk)
        refresh_levels.delay(assessment.pk)

    assert len(receiver.received) == 1 and WebhookDelivery.objects.count() == 1


def test_paused_subscriptions_and_other_events_get_nothing(
    assessment, team, orgadmin, subscription, receiver, django_capture_on_commit_callbacks
):
    set_subscription_active(subscription=subscription, active=False, actor=orgadmin)
    with django_capture_on_commit_callbacks(execute=True):
        reach_level_one_in_configuration_management(assessment, team)

    assert not WebhookDelivery.objects.exists() and receiver.received == []


def test_an_organisations_change_never_reaches_another_organisations_subscription(
    caict, assessment, team, orgadmin, outsider, subscription, make_receiver, django_capture_on_commit_callbacks
):
    other_receiver = make_receiver()
    other = Organisation.objects.get(slug="other")
    create_subscription(organisation=other, actor=outsider, target_url=other_receiver.url, events=["level.changed"])
    other_assessment = start_assessment(project=Project.objects.get(organisation=other), actor=outsider, target_level=3)
    acme_receiver = make_receiver()
    create_subscription(
        organisation=assessment.organisation, actor=orgadmin, target_url=acme_receiver.url, events=["level.changed"]
    )

    with django_capture_on_commit_callbacks(execute=True):
        reach_level_one_in_configuration_management(assessment, team)
    assert len(acme_receiver.received) == 1 and other_receiver.received == []

    with django_capture_on_commit_callbacks(execute=True):
        reach_level_one_in_configuration_management(other_assessment, outsider)
    [request] = other_receiver.received
    assert json.loads(request.body)["organisation"] == "other"
    assert len(acme_receiver.received) == 1
    # Each organisation's receiver checks with its own secret.
    other_secret = other.webhook_subscriptions.get().secret
    assert verifies(other_secret, request) and not verifies(subscription.secret, request)
