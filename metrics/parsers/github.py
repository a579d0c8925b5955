"""GitHub webhooks: deployment_status, push, pull_request (closed and merged) and workflow_run (completed).

Keys: a deployment is `deployment-<id>`, a pushed commit is its SHA, a merged pull request `pr-<number>`, a
workflow run `run-<id>-<attempt>`; all with source `github`. A team that sends both pushes and pull requests
gets a change for each commit and one for the merge: send one kind if that double count matters to you.
"""

import hashlib
import hmac

from django.utils.translation import gettext as _

from metrics.parsers.hook_payload import Reading, UnreadablePayload, get, iso, moment

_DEPLOYMENT_RESULTS = {"success": "success", "failure": "failure", "error": "failure"}
_RUN_RESULTS = {
    "success": "success",
    "failure": "failure",
    "timed_out": "failure",
    "startup_failure": "failure",
    "cancelled": "cancelled",
}


def signature_matches(secret: str, body: bytes, header: str) -> bool:
    """X-Hub-Signature-256 is "sha256=" and the HMAC-SHA256 of the raw body keyed by the secret."""
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), header.strip().encode())


def read(headers, payload: dict) -> Reading:
    event = headers.get("X-GitHub-Event", "")
    reading = Reading(delivery_id=headers.get("X-GitHub-Delivery", ""), event=event)
    reader = _READERS.get(event)
    if reader is None:
        reading.ignored = _("GitHub event “%(event)s” is not one we read.") % {"event": event}
        return reading
    reader(payload, reading)
    return reading


def _deployment_status(payload: dict, reading: Reading) -> None:
    state = get(payload, "deployment_status", "state", default="")
    reading.sent_at = moment(get(payload, "deployment_status", "updated_at"))
    if state not in _DEPLOYMENT_RESULTS:
        reading.ignored = _("Deployment state “%(state)s” is not final.") % {"state": state}
        return
    deployment = _object(payload, "deployment")
    environment = deployment.get("environment") or ""
    event = {
        "type": "deployment",
        "external_id": f"deployment-{deployment.get('id')}",
        "environment": environment,
        "started_at": iso(deployment.get("created_at")),
        "finished_at": iso(get(payload, "deployment_status", "created_at")),
        "result": _DEPLOYMENT_RESULTS[state],
        "commit_sha": deployment.get("sha") or "",
        "version": str(deployment.get("ref") or "")[:100],
    }
    if isinstance(deployment.get("production_environment"), bool):
        event["is_production"] = deployment["production_environment"]
    reading.events = [event]


def _push(payload: dict, reading: Reading) -> None:
    reading.sent_at = moment(get(payload, "repository", "pushed_at"))
    default_branch = get(payload, "repository", "default_branch", default="")
    if payload.get("ref") != f"refs/heads/{default_branch}":
        reading.ignored = _("A push to a branch other than the default one is not a change yet.")
        return
    commits = payload.get("commits")
    if not isinstance(commits, list):
        raise UnreadablePayload(_("the push has no commits list"))
    landed = iso(get(payload, "repository", "pushed_at"))
    reading.events = [
        {
            "type": "change",
            "external_id": commit.get("id"),
            "commit_sha": commit.get("id"),
            "title": str(commit.get("message") or "").splitlines()[0][:300] if commit.get("message") else "",
            "authored_at": iso(commit.get("timestamp")),
            "merged_at": landed,
        }
        for commit in commits
        if isinstance(commit, dict)
    ]


def _pull_request(payload: dict, reading: Reading) -> None:
    pull = _object(payload, "pull_request")
    reading.sent_at = moment(pull.get("updated_at"))
    if payload.get("action") != "closed" or not pull.get("merged"):
        reading.ignored = _("Only merged pull requests are changes.")
        return
    reading.events = [
        {
            "type": "change",
            "external_id": f"pr-{pull.get('number')}",
            "commit_sha": pull.get("merge_commit_sha") or "",
            "title": str(pull.get("title") or "")[:300],
            "authored_at": iso(pull.get("created_at")),
            "merged_at": iso(pull.get("merged_at")),
        }
    ]


def _workflow_run(payload: dict, reading: Reading) -> None:
    run = _object(payload, "workflow_run")
    reading.sent_at = moment(run.get("updated_at"))
    conclusion = run.get("conclusion")
    if payload.get("action") != "completed" or conclusion not in _RUN_RESULTS:
        message = _("A workflow run “%(action)s” with conclusion “%(conclusion)s” is not a build result.")
        reading.ignored = message % {"action": payload.get("action"), "conclusion": conclusion}
        return
    reading.events = [
        {
            "type": "build",
            "external_id": f"run-{run.get('id')}-{run.get('run_attempt') or 1}",
            "name": str(run.get("name") or "")[:200],
            "branch": str(run.get("head_branch") or "")[:200],
            "started_at": iso(run.get("run_started_at") or run.get("created_at")),
            "finished_at": iso(run.get("updated_at")),
            "result": _RUN_RESULTS[conclusion],
            "trigger": str(run.get("event") or "")[:50],
            "commit_sha": run.get("head_sha") or "",
        }
    ]


def _object(payload: dict, name: str) -> dict:
    value = payload.get(name)
    if not isinstance(value, dict):
        raise UnreadablePayload(_("%(name)s is missing") % {"name": name})
    return value


_READERS = {
    "deployment_status": _deployment_status,
    "push": _push,
    "pull_request": _pull_request,
    "workflow_run": _workflow_run,
}
