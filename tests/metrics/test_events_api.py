"""Bulk ingest over the API: idempotent on the sender's key, bad events rejected one by one, who may post."""

import json
from datetime import UTC, datetime

import pytest
from rest_framework.test import APIClient

from metrics.models import Build, Change, Deployment, Incident
from tests.api.error_shape import assert_error_shape
from tests.metrics.conftest import build, change, deployment, incident

pytestmark = pytest.mark.django_db


def url(project) -> str:
    return f"/api/v1/projects/{project.pk}/events/"


def with_token(raw: str, keyword: str = "Bearer") -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"{keyword} {raw}")
    return client


BATCH = [
    deployment("d1", "2026-05-01T10:00:00+08:00", commit_sha="abc", started_at="2026-05-01T09:50:00+08:00"),
    change("c1", "2026-04-30T12:00:00Z", merged_at="2026-05-01T01:00:00Z"),
    build("b1", "2026-05-01T09:00:00+08:00", "2026-05-01T09:05:00+08:00", trigger="push"),
    incident("i1", "2026-05-01T12:00:00+08:00", severity="high"),
]


def test_a_batch_is_stored_and_counted(api_as, team, project):
    response = api_as(team).post(url(project), BATCH, format="json")
    assert response.status_code == 200, response.content
    assert response.json() == {"created": 4, "updated": 0, "unchanged": 0, "rejected": []}
    stored = Deployment.objects.get(project=project, external_id="d1")
    assert stored.source == "api" and stored.is_production and stored.commit_sha == "abc"
    assert stored.finished_at == datetime(2026, 5, 1, 2, 0, tzinfo=UTC)  # +08:00 kept as the same instant
    assert stored.organisation_id == project.organisation_id
    assert Change.objects.get(external_id="c1").merged_at == datetime(2026, 5, 1, 1, 0, tzinfo=UTC)
    assert Build.objects.get(external_id="b1").trigger == "push"
    assert Incident.objects.get(external_id="i1").severity == "high"


def test_a_repeated_delivery_changes_nothing_and_says_so(api_as, team, project):
    client = api_as(team)
    client.post(url(project), BATCH, format="json")
    before = list(Deployment.objects.values())
    again = client.post(url(project), BATCH, format="json")
    assert again.json() == {"created": 0, "updated": 0, "unchanged": 4, "rejected": []}
    assert list(Deployment.objects.values()) == before
    assert Change.objects.count() == 1


def test_the_same_key_with_new_content_updates_the_row(api_as, team, project):
    client = api_as(team)
    client.post(url(project), BATCH, format="json")
    corrected = deployment("d1", "2026-05-01T10:00:00+08:00", result="failure", commit_sha="abc")
    response = client.post(url(project), [corrected, BATCH[1]], format="json")
    assert response.json() == {"created": 0, "updated": 1, "unchanged": 1, "rejected": []}
    stored = Deployment.objects.get(external_id="d1")
    assert stored.result == "failure" and stored.started_at is None  # the delivery replaces the whole row


def test_source_is_part_of_the_key(api_as, team, project):
    client = api_as(team)
    client.post(url(project), [BATCH[0]], format="json")
    response = client.post(url(project), [{**BATCH[0], "source": "jenkins"}], format="json")
    assert response.json()["created"] == 1
    assert sorted(Deployment.objects.values_list("source", flat=True)) == ["api", "jenkins"]


def test_bad_events_are_rejected_by_position_and_good_ones_land(api_as, team, project):
    payload = [
        BATCH[0],
        deployment("d2", "2026-05-01T10:00:00"),  # naive time
        {"type": "release", "external_id": "x"},
        change("c2", "yesterday"),
        build("b2", "2026-05-01T10:00:00Z", "2026-05-01T09:00:00Z"),  # finished before it started
        "not an object",
        {**deployment("d3", "2026-05-01T10:00:00Z", result="maybe"), "external_id": None},
    ]
    response = api_as(team).post(url(project), payload, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["created"] == 1
    reasons = {row["index"]: row["errors"] for row in body["rejected"]}
    assert set(reasons) == {1, 2, 3, 4, 5, 6}
    assert "UTC offset" in reasons[1]["finished_at"][0]
    assert "type" in reasons[2]
    assert "ISO-8601" in reasons[3]["authored_at"][0]
    assert "finished_at" in reasons[4]
    assert "non_field_errors" in reasons[5]
    assert set(reasons[6]) == {"result", "external_id"}
    assert Deployment.objects.count() == 1 and Build.objects.count() == 0


def test_a_batch_of_only_bad_events_is_a_400_naming_positions(api_as, team, project):
    payload = [deployment("d2", "2026-05-01T10:00:00"), change("c2", "2026-05-01")]
    body = assert_error_shape(api_as(team).post(url(project), payload, format="json"), 400, "0.finished_at")
    assert "1.authored_at" in body["errors"]
    assert not Deployment.objects.exists()


def test_a_key_repeated_within_a_batch_is_rejected(api_as, team, project):
    response = api_as(team).post(url(project), [BATCH[0], {**BATCH[0], "result": "failure"}], format="json")
    body = response.json()
    assert body["created"] == 1 and body["rejected"][0]["index"] == 1
    assert "position 0" in body["rejected"][0]["errors"]["external_id"][0]


@pytest.mark.parametrize(
    ("environment", "flag", "expected"),
    [
        ("production", None, True),
        ("Prod", None, True),
        ("生产", None, True),
        ("staging", None, False),
        ("blue", True, True),
        ("production", False, False),
        ("blue", "yes", True),
    ],
)
def test_production_is_named_or_said(api_as, team, project, environment, flag, expected):
    event = deployment("d", "2026-05-01T10:00:00Z", environment=environment)
    if flag is not None:
        event["is_production"] = flag
    assert api_as(team).post(url(project), [event], format="json").status_code == 200
    assert Deployment.objects.get().is_production is expected


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        ('{"type": "deployment"', "application/json", 400),  # malformed JSON
        ('{"type": "deployment"}', "application/json", 400),  # an object, not a list
        ("[]", "application/json", 400),
        ("[" * 100_000, "application/json", 400),  # nested too deeply
        ("type=deployment", "application/x-www-form-urlencoded", 415),
    ],
)
def test_malformed_bodies_are_4xx_in_the_error_shape(api_as, team, project, body, content_type, status):
    response = api_as(team).post(url(project), body, content_type=content_type)
    assert_error_shape(response, status)
    assert not Deployment.objects.exists()


def test_text_with_nul_characters_is_rejected_not_a_500(api_as, team, project):
    response = api_as(team).post(url(project), [deployment("d\x00", "2026-05-01T10:00:00Z")], format="json")
    assert_error_shape(response, 400, "0.external_id")


def test_too_many_events_is_a_413(api_as, team, project, settings):
    settings.METRICS_INGEST_MAX_EVENTS = 3
    payload = [deployment(f"d{n}", "2026-05-01T10:00:00Z") for n in range(4)]
    body = assert_error_shape(api_as(team).post(url(project), payload, format="json"), 413)
    assert "at most 3 events" in body["detail"]
    assert not Deployment.objects.exists()


def test_an_oversize_body_is_a_413(api_as, team, project, settings):
    settings.METRICS_INGEST_MAX_BYTES = 2048
    payload = [deployment(f"d{n}", "2026-05-01T10:00:00Z", version="v" * 90) for n in range(40)]
    assert len(json.dumps(payload)) > 2048
    body = assert_error_shape(api_as(team).post(url(project), payload, format="json"), 413)
    assert "larger than" in body["detail"]
    assert not Deployment.objects.exists()


def test_the_project_team_and_org_admins_may_post(api_as, team, orgadmin, project):
    assert api_as(orgadmin).post(url(project), [BATCH[0]], format="json").status_code == 200
    assert api_as(team).post(url(project), [BATCH[1]], format="json").status_code == 200


def test_other_roles_get_403_outsiders_404_anonymous_401(api_as, assessor, manager, outsider, project):
    assert_error_shape(api_as(assessor).post(url(project), [BATCH[0]], format="json"), 403)
    assert_error_shape(api_as(manager).post(url(project), [BATCH[0]], format="json"), 403)
    assert_error_shape(api_as(outsider).post(url(project), [BATCH[0]], format="json"), 404)
    assert_error_shape(api_as(None).post(url(project), [BATCH[0]], format="json"), 401)
    assert not Deployment.objects.exists()


def test_an_ingest_token_posts_its_projects_events(ingest_token, project):
    response = with_token(ingest_token).post(url(project), BATCH, format="json")
    assert response.status_code == 200 and response.json()["created"] == 4
    assert with_token(ingest_token, "Token").post(url(project), BATCH, format="json").json()["unchanged"] == 4
    from metrics.models import IngestToken

    assert IngestToken.objects.get().last_used_at is not None


def test_an_ingest_token_cannot_reach_another_project(ingest_token, project, other_project):
    from assessment.models import Project

    sibling = Project.objects.create(organisation=project.organisation, name="Sibling")
    assert_error_shape(with_token(ingest_token).post(url(sibling), BATCH, format="json"), 404)
    assert_error_shape(with_token(ingest_token).post(url(other_project), BATCH, format="json"), 404)
    assert not Deployment.objects.exists()


def test_an_org_admins_token_cannot_touch_another_organisations_project(api_as, orgadmin, other_project):
    assert_error_shape(api_as(orgadmin).post(url(other_project), BATCH, format="json"), 404)


def test_a_revoked_or_unknown_ingest_token_is_refused(ingest_token, project):
    from metrics.models import IngestToken
    from metrics.services.credentials import revoke_ingest_token

    revoke_ingest_token(token=IngestToken.objects.get())
    assert_error_shape(with_token(ingest_token).post(url(project), BATCH, format="json"), 401)
    assert_error_shape(with_token("dmi_made-up").post(url(project), BATCH, format="json"), 401)


def test_ingest_enqueues_relinking_after_commit(api_as, team, project, eager_tasks, django_capture_on_commit_callbacks):
    payload = [
        deployment("d1", "2026-05-01T10:00:00Z"),
        change("c1", "2026-05-01T08:00:00Z"),
    ]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        api_as(team).post(url(project), payload, format="json")
    assert len(callbacks) == 1
    assert Change.objects.get().deployment == Deployment.objects.get()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        api_as(team).post(url(project), payload, format="json")
    assert callbacks == []  # nothing changed, nothing to relink


def test_the_endpoint_is_in_the_openapi_schema(client):
    schema = client.get("/api/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/projects/{project_id}/events/"]["post"]
    assert operation["operationId"] == "projects_events_create"
    assert {"ingestToken": []} in operation["security"]


@pytest.mark.parametrize(
    ("moment", "reason"),
    [
        ("3602-05-07T03:24:55+23:52", "offset is out of range"),
        ("0001-01-01T00:00:00+05:00", "out of range"),
        ("2026-05-01T10:00:00", "no UTC offset"),
    ],
)
def test_times_out_of_range_are_rejected_not_a_500(api_as, team, project, moment, reason):
    body = assert_error_shape(api_as(team).post(url(project), [incident("i", moment)], format="json"), 400)
    assert reason in body["errors"]["0.opened_at"][0]


def test_times_are_stored_as_the_same_instant_in_utc(api_as, team, project):
    api_as(team).post(url(project), [incident("i", "2026-05-01T23:30:00-05:00")], format="json")
    assert Incident.objects.get().opened_at == datetime(2026, 5, 2, 4, 30, tzinfo=UTC)
