"""GitLab webhooks: Pipeline Hook, Deployment Hook and Merge Request Hook, authenticated by X-Gitlab-Token.

Keys (source `gitlab`): a pipeline is `pipeline-<id>`, a deployment `deployment-<id>`, a merged merge request
`mr-<id>` (GitLab's global id, not the per-project iid).
"""

import hmac

from django.utils.translation import gettext as _

from metrics.parsers.hook_payload import Reading, UnreadablePayload, get, iso, moment

_PIPELINE_RESULTS = {"success": "success", "failed": "failure", "canceled": "cancelled"}
_DEPLOYMENT_RESULTS = {"success": "success", "failed": "failure"}


def token_matches(secret: str, header: str) -> bool:
    return hmac.compare_digest(secret.encode(), header.encode())


def read(headers, payload: dict) -> Reading:
    event = headers.get("X-Gitlab-Event", "")
    # Idempotency-Key stays the same across GitLab's retries; the event UUID is the older header.
    delivery_id = headers.get("Idempotency-Key") or headers.get("X-Gitlab-Event-UUID", "")
    reading = Reading(delivery_id=delivery_id, event=event)
    reader = _READERS.get(event)
    if reader is None:
        reading.ignored = _("GitLab event “%(event)s” is not one we read.") % {"event": event}
        return reading
    reader(payload, reading)
    return reading


def _pipeline(payload: dict, reading: Reading) -> None:
    pipeline = _attributes(payload)
    status = pipeline.get("status")
    reading.sent_at = moment(pipeline.get("finished_at") or pipeline.get("created_at"))
    if status not in _PIPELINE_RESULTS:
        reading.ignored = _("Pipeline status “%(status)s” is not final.") % {"status": status}
        return
    reading.events = [
        {
            "type": "build",
            "external_id": f"pipeline-{pipeline.get('id')}",
            "name": str(get(payload, "project", "path_with_namespace", default="") or "")[:200],
            "branch": str(pipeline.get("ref") or "")[:200],
            "started_at": iso(pipeline.get("created_at")),
            "finished_at": iso(pipeline.get("finished_at")),
            "result": _PIPELINE_RESULTS[status],
            "trigger": str(pipeline.get("source") or "")[:50],
            "commit_sha": pipeline.get("sha") or "",
        }
    ]


def _deployment(payload: dict, reading: Reading) -> None:
    status = payload.get("status")
    reading.sent_at = moment(payload.get("status_changed_at"))
    if status not in _DEPLOYMENT_RESULTS:
        reading.ignored = _("Deployment status “%(status)s” is not final.") % {"status": status}
        return
    # The hook has only a short SHA; the commit URL ends with the full one.
    commit_sha = str(payload.get("commit_url") or "").rstrip("/").rsplit("/", 1)[-1] or payload.get("short_sha", "")
    event = {
        "type": "deployment",
        "external_id": f"deployment-{payload.get('deployment_id')}",
        "environment": payload.get("environment") or "",
        "finished_at": iso(payload.get("status_changed_at")),
        "result": _DEPLOYMENT_RESULTS[status],
        "commit_sha": commit_sha,
        "version": str(payload.get("ref") or "")[:100],
    }
    if payload.get("environment_tier"):
        event["is_production"] = payload["environment_tier"] == "production"
    reading.events = [event]


def _merge_request(payload: dict, reading: Reading) -> None:
    request = _attributes(payload)
    reading.sent_at = moment(request.get("updated_at"))
    if request.get("action") != "merge" and request.get("state") != "merged":
        reading.ignored = _("Only merged merge requests are changes.")
        return
    reading.events = [
        {
            "type": "change",
            "external_id": f"mr-{request.get('id')}",
            "commit_sha": request.get("merge_commit_sha") or get(request, "last_commit", "id", default=""),
            "title": str(request.get("title") or "")[:300],
            "authored_at": iso(request.get("created_at")),
            "merged_at": iso(request.get("merged_at") or request.get("updated_at")),
        }
    ]


def _attributes(payload: dict) -> dict:
    value = payload.get("object_attributes")
    if not isinstance(value, dict):
        raise UnreadablePayload(_("%(name)s is missing") % {"name": "object_attributes"})
    return value


_READERS = {"Pipeline Hook": _pipeline, "Deployment Hook": _deployment, "Merge Request Hook": _merge_request}
