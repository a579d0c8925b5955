"""Webhooks: signatures and tokens verified, replays answered once, stale and oversize deliveries refused."""

import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta

import pytest

from metrics.models import Build, Change, Deployment, HookDelivery
from metrics.services.credentials import project_hook, rotate_hook_secret

pytestmark = pytest.mark.django_db

NOW = datetime.now(tz=UTC).replace(microsecond=0)


def recent(minutes_ago: int = 5) -> str:
    return (NOW - timedelta(minutes=minutes_ago)).isoformat().replace("+00:00", "Z")


@pytest.fixture
def hook(project):
    return project_hook(project=project)


def github_post(client, hook, event: str, payload, *, delivery="d-1", secret=None, signature=None):
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    key = (secret or hook.github_secret).encode()
    headers = {
        "X-GitHub-Event": event,
        "X-GitHub-Delivery": delivery,
        "X-Hub-Signature-256": signature or "sha256=" + hmac.new(key, body, hashlib.sha256).hexdigest(),
    }
    return client.post(f"/hooks/github/{hook.hook_id}/", body, content_type="application/json", headers=headers)


def deployment_status(state="success", environment="production", updated_at=None) -> dict:
    return {
        "deployment_status": {"state": state, "created_at": recent(1), "updated_at": updated_at or recent(1)},
        "deployment": {"id": 42, "sha": "abc123", "ref": "v1.2.0", "environment": environment, "created_at": recent(9)},
    }


def test_github_deployment_status_becomes_a_deployment(client, hook):
    response = github_post(client, hook, "deployment_status", deployment_status())
    assert response.status_code == 202, response.content
    assert response.json()["created"] == 1
    stored = Deployment.objects.get()
    assert (stored.source, stored.external_id, stored.result, stored.commit_sha) == (
        "github",
        "deployment-42",
        "success",
        "abc123",
    )
    assert stored.is_production and stored.version == "v1.2.0"


def test_a_replayed_delivery_is_answered_and_not_applied_again(client, hook):
    assert github_post(client, hook, "deployment_status", deployment_status()).status_code == 202
    replay = github_post(client, hook, "deployment_status", deployment_status(state="failure"))
    assert replay.status_code == 200 and replay.json()["status"] == "already received"
    assert Deployment.objects.get().result == "success"
    assert HookDelivery.objects.count() == 1


def test_a_new_delivery_of_the_same_deployment_updates_it(client, hook):
    github_post(client, hook, "deployment_status", deployment_status())
    response = github_post(client, hook, "deployment_status", deployment_status(state="error"), delivery="d-2")
    assert response.json()["updated"] == 1
    assert Deployment.objects.get().result == "failure"


@pytest.mark.parametrize(
    ("signature", "status"),
    [("sha256=" + "0" * 64, 403), ("sha1=deadbeef", 403), ("", 401)],
)
def test_bad_signatures_are_refused(client, hook, signature, status):
    body = json.dumps(deployment_status()).encode()
    headers = {"X-GitHub-Event": "deployment_status", "X-GitHub-Delivery": "d-1"}
    if signature:
        headers["X-Hub-Signature-256"] = signature
    response = client.post(f"/hooks/github/{hook.hook_id}/", body, content_type="application/json", headers=headers)
    assert response.status_code == status
    assert set(response.json()) == {"detail", "errors"} and response.json()["detail"]
    assert not Deployment.objects.exists() and not HookDelivery.objects.exists()


def test_a_signature_made_with_another_projects_secret_is_refused(client, hook, other_project):
    other = project_hook(project=other_project)
    response = github_post(client, hook, "deployment_status", deployment_status(), secret=other.github_secret)
    assert response.status_code == 403


def test_a_rotated_secret_stops_the_old_one(client, hook):
    old = hook.github_secret
    rotate_hook_secret(hook=hook, provider="github")
    assert github_post(client, hook, "deployment_status", deployment_status(), secret=old).status_code == 403
    hook.refresh_from_db()
    assert github_post(client, hook, "deployment_status", deployment_status()).status_code == 202


def test_an_unknown_hook_address_is_404(client, hook):
    response = client.post("/hooks/github/not-a-hook/", b"{}", content_type="application/json")
    assert response.status_code == 404 and response.json()["detail"]
    response = client.post(f"/hooks/bitbucket/{hook.hook_id}/", b"{}", content_type="application/json")
    assert response.status_code == 404


def test_a_stale_delivery_is_refused(client, hook, settings):
    settings.METRICS_HOOK_MAX_AGE_SECONDS = 3600
    payload = deployment_status(updated_at=recent(minutes_ago=61))
    response = github_post(client, hook, "deployment_status", payload)
    assert response.status_code == 400 and "replay window" in response.json()["detail"]
    assert not Deployment.objects.exists() and not HookDelivery.objects.exists()


def test_an_oversize_body_is_a_413(client, hook, settings):
    settings.METRICS_HOOK_MAX_BYTES = 1024
    payload = {**deployment_status(), "padding": "x" * 2000}
    response = github_post(client, hook, "deployment_status", payload)
    assert response.status_code == 413 and response.json()["detail"]
    assert not Deployment.objects.exists()


def test_malformed_json_is_a_400(client, hook):
    response = github_post(client, hook, "deployment_status", b'{"deployment": ')
    assert response.status_code == 400 and "JSON" in response.json()["detail"]
    assert github_post(client, hook, "deployment_status", b"[1, 2]").status_code == 400


def test_a_payload_of_the_wrong_shape_is_a_400(client, hook):
    response = github_post(client, hook, "deployment_status", {"deployment_status": {"state": "success"}})
    assert response.status_code == 400 and "deployment" in response.json()["detail"]


def test_a_delivery_without_an_id_is_a_400(client, hook):
    response = github_post(client, hook, "deployment_status", deployment_status(), delivery="")
    assert response.status_code == 400


def test_unknown_events_and_unfinished_states_are_ignored_with_the_reason(client, hook):
    response = github_post(client, hook, "issues", {"action": "opened"})
    assert response.status_code == 202 and response.json()["status"] == "ignored"
    assert "issues" in response.json()["reason"]
    pending = github_post(client, hook, "deployment_status", deployment_status(state="pending"), delivery="d-2")
    assert pending.status_code == 202 and "pending" in pending.json()["reason"]
    assert not Deployment.objects.exists()


def test_a_naive_time_in_a_payload_is_rejected_with_the_reason(client, hook):
    payload = deployment_status()
    payload["deployment_status"]["created_at"] = "2026-05-01T10:00:00"
    response = github_post(client, hook, "deployment_status", payload)
    assert response.status_code == 202
    assert "UTC offset" in response.json()["rejected"][0]["errors"]["finished_at"][0]
    assert not Deployment.objects.exists()


def test_github_push_to_the_default_branch_gives_changes(client, hook):
    pushed_at = int(NOW.timestamp()) - 60
    payload = {
        "ref": "refs/heads/main",
        "repository": {"default_branch": "main", "pushed_at": pushed_at},
        "commits": [
            {"id": "c1" * 20, "message": "Fix login\n\nlong text", "timestamp": "2026-05-01T10:00:00+08:00"},
            {"id": "c2" * 20, "message": "Add tests", "timestamp": "2026-05-01T10:05:00+08:00"},
        ],
    }
    assert github_post(client, hook, "push", payload).json()["created"] == 2
    first = Change.objects.get(external_id="c1" * 20)
    assert first.title == "Fix login" and first.merged_at == datetime.fromtimestamp(pushed_at, tz=UTC)
    feature = {**payload, "ref": "refs/heads/feature"}
    assert github_post(client, hook, "push", feature, delivery="d-2").json()["status"] == "ignored"


def test_github_merged_pull_request_and_workflow_run(client, hook):
    pull = {
        "action": "closed",
        "pull_request": {
            "number": 7,
            "merged": True,
            "merge_commit_sha": "m" * 40,
            "title": "Faster build",
            "created_at": recent(600),
            "merged_at": recent(2),
            "updated_at": recent(2),
        },
    }
    assert github_post(client, hook, "pull_request", pull).json()["created"] == 1
    assert Change.objects.get().external_id == "pr-7"
    unmerged = {**pull, "pull_request": {**pull["pull_request"], "merged": False}}
    assert github_post(client, hook, "pull_request", unmerged, delivery="d-2").json()["status"] == "ignored"
    run = {
        "action": "completed",
        "workflow_run": {
            "id": 99,
            "run_attempt": 2,
            "name": "CI",
            "head_branch": "main",
            "head_sha": "h" * 40,
            "event": "push",
            "conclusion": "timed_out",
            "run_started_at": recent(10),
            "updated_at": recent(3),
        },
    }
    assert github_post(client, hook, "workflow_run", run, delivery="d-3").json()["created"] == 1
    stored = Build.objects.get()
    assert (stored.external_id, stored.result, stored.trigger) == ("run-99-2", "failure", "push")


def gitlab_post(client, hook, event: str, payload, *, token=None, uuid="g-1"):
    headers = {"X-Gitlab-Event": event, "X-Gitlab-Event-UUID": uuid, "X-Gitlab-Token": token or hook.gitlab_secret}
    return client.post(f"/hooks/gitlab/{hook.hook_id}/", payload, content_type="application/json", headers=headers)


def gitlab_time(minutes_ago: int) -> str:
    return (NOW - timedelta(minutes=minutes_ago)).strftime("%Y-%m-%d %H:%M:%S UTC")


def test_gitlab_pipeline_deployment_and_merge_request(client, hook):
    pipeline = {
        "object_kind": "pipeline",
        "object_attributes": {
            "id": 31,
            "ref": "main",
            "sha": "p" * 40,
            "status": "failed",
            "source": "push",
            "created_at": gitlab_time(20),
            "finished_at": gitlab_time(12),
        },
        "project": {"path_with_namespace": "acme/shop"},
    }
    assert gitlab_post(client, hook, "Pipeline Hook", pipeline).json()["created"] == 1
    build = Build.objects.get()
    assert (build.external_id, build.result, build.name) == ("pipeline-31", "failure", "acme/shop")
    assert build.finished_at - build.started_at == timedelta(minutes=8)

    local = (NOW - timedelta(minutes=3)).astimezone(tz=UTC).strftime("%Y-%m-%d %H:%M:%S +0000")
    deployment = {
        "object_kind": "deployment",
        "status": "success",
        "status_changed_at": local,
        "deployment_id": 15,
        "environment": "prd-cn",
        "environment_tier": "production",
        "commit_url": "https://gitlab.example/acme/shop/-/commit/" + "d" * 40,
        "short_sha": "dddddddd",
        "ref": "main",
    }
    assert gitlab_post(client, hook, "Deployment Hook", deployment, uuid="g-2").json()["created"] == 1
    stored = Deployment.objects.get()
    assert stored.is_production and stored.commit_sha == "d" * 40

    merge = {
        "object_kind": "merge_request",
        "object_attributes": {
            "id": 900,
            "action": "merge",
            "state": "merged",
            "merge_commit_sha": "e" * 40,
            "title": "Cache layers",
            "created_at": gitlab_time(300),
            "updated_at": gitlab_time(1),
        },
    }
    assert gitlab_post(client, hook, "Merge Request Hook", merge, uuid="g-3").json()["created"] == 1
    assert Change.objects.get().external_id == "mr-900"


def test_gitlab_token_and_replay(client, hook):
    pipeline = {"object_attributes": {"id": 1, "status": "running", "created_at": gitlab_time(1)}}
    assert gitlab_post(client, hook, "Pipeline Hook", pipeline, token="wrong").status_code == 403
    assert gitlab_post(client, hook, "Pipeline Hook", pipeline).json()["status"] == "ignored"
    assert gitlab_post(client, hook, "Pipeline Hook", pipeline).json()["status"] == "already received"
    assert gitlab_post(client, hook, "Issue Hook", {}, uuid="g-9").json()["status"] == "ignored"


def jenkins_post(client, hook, payload, *, token=None):
    headers = {"X-Jenkins-Token": token or hook.jenkins_secret}
    return client.post(f"/hooks/jenkins/{hook.hook_id}/", payload, content_type="application/json", headers=headers)


def test_jenkins_generic_events_and_notification_plugin(client, hook):
    generic = {
        "id": "jenkins-run-1",
        "timestamp": recent(1),
        "events": [{"type": "deployment", "external_id": "rel-5", "environment": "生产", "finished_at": recent(2)}],
    }
    response = jenkins_post(client, hook, generic)
    assert response.status_code == 202 and response.json()["rejected"][0]["errors"]["result"]
    generic["id"] = "jenkins-run-2"
    generic["events"][0]["result"] = "success"
    assert jenkins_post(client, hook, generic).json()["created"] == 1
    assert Deployment.objects.get().source == "jenkins" and Deployment.objects.get().is_production

    started_ms = int((NOW - timedelta(minutes=10)).timestamp() * 1000)
    plugin = {
        "name": "shop-build",
        "build": {
            "number": 12,
            "phase": "COMPLETED",
            "status": "SUCCESS",
            "timestamp": started_ms,
            "duration": 300_000,
            "scm": {"commit": "f" * 40, "branch": "main"},
        },
    }
    assert jenkins_post(client, hook, plugin).json()["created"] == 1
    stored = Build.objects.get()
    assert stored.external_id == "shop-build#12" and stored.finished_at - stored.started_at == timedelta(minutes=5)
    assert jenkins_post(client, hook, plugin, token="nope").status_code == 403


@pytest.mark.parametrize(
    "payload",
    [
        {"id": "j-1", "timestamp": 10**30, "events": []},
        {"name": "job", "build": {"number": 1, "phase": "COMPLETED", "status": "SUCCESS", "timestamp": 1e300}},
        {"name": "job", "build": {"number": 1, "timestamp": "yesterday"}},
        {"id": "j-2", "events": "not a list"},
        {"id": "\u0000", "events": []},
    ],
)
def test_odd_jenkins_payloads_are_4xx(client, hook, payload):
    response = jenkins_post(client, hook, payload)
    assert response.status_code == 400 and response.json()["detail"]
    assert not HookDelivery.objects.exists()


def test_too_many_events_in_one_delivery_is_a_413(client, hook, settings):
    settings.METRICS_INGEST_MAX_EVENTS = 2
    events = [{"type": "incident", "external_id": f"i{n}", "opened_at": recent(1)} for n in range(3)]
    response = jenkins_post(client, hook, {"id": "j-1", "timestamp": recent(1), "events": events})
    assert response.status_code == 413


def test_delivery_records_older_than_the_window_are_forgotten(client, hook, settings):
    from metrics.tasks import forget_old_deliveries

    settings.METRICS_HOOK_MAX_AGE_SECONDS = 3600
    github_post(client, hook, "deployment_status", deployment_status(), delivery="old")
    github_post(client, hook, "deployment_status", deployment_status(), delivery="new")
    HookDelivery.objects.filter(delivery_id="old").update(received_at=NOW - timedelta(hours=26))
    assert forget_old_deliveries() == 1
    assert list(HookDelivery.objects.values_list("delivery_id", flat=True)) == ["new"]
