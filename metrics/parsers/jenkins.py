"""Jenkins, which has no webhook format of its own: a generic JSON body with a token header X-Jenkins-Token.

Two shapes are read:
* ours: `{"id": "<delivery id>", "timestamp": "<ISO-8601>", "events": [<events as in the REST API>]}`;
* the Notification plugin's: `{"name": job, "build": {"number", "phase", "status", "timestamp" (ms),
  "duration" (ms), "scm": {"commit", "branch"}}}`, read as one build when the phase is COMPLETED or FINALIZED.
Keys (source `jenkins`): ours as sent; a plugin build is `<job>#<number>`.
"""

import hmac

from django.utils.translation import gettext as _

from metrics.parsers.hook_payload import Reading, UnreadablePayload, from_epoch, get, moment

_BUILD_RESULTS = {"SUCCESS": "success", "FAILURE": "failure", "UNSTABLE": "failure", "ABORTED": "cancelled"}


def token_matches(secret: str, header: str) -> bool:
    return hmac.compare_digest(secret.encode(), header.encode())


def read(headers, payload: dict) -> Reading:
    if "events" in payload:
        return _generic(payload)
    if isinstance(payload.get("build"), dict):
        return _notification(payload)
    ignored = _("The body has neither events nor a build.")
    return Reading(delivery_id=str(payload.get("id") or ""), event="unknown", ignored=ignored)


def _generic(payload: dict) -> Reading:
    events = payload.get("events")
    if not isinstance(events, list):
        raise UnreadablePayload(_("events must be a list"))
    sent_at = moment(payload.get("timestamp"))
    return Reading(delivery_id=str(payload.get("id") or ""), event="events", sent_at=sent_at, events=events)


def _notification(payload: dict) -> Reading:
    build = payload["build"]
    job, number, phase = payload.get("name") or "", build.get("number"), build.get("phase") or ""
    reading = Reading(delivery_id=f"{job}#{number}-{phase}", event=f"build {phase}".strip())
    started, duration = build.get("timestamp"), build.get("duration") or 0
    if not isinstance(started, int | float) or not isinstance(duration, int | float):
        raise UnreadablePayload(_("build.timestamp and build.duration must be numbers (milliseconds)"))
    reading.sent_at = moment(started + duration)
    status = build.get("status")
    if phase not in ("COMPLETED", "FINALIZED") or status not in _BUILD_RESULTS:
        message = _("A build in phase “%(phase)s” with status “%(status)s” is not a build result.")
        reading.ignored = message % {"phase": phase, "status": status}
        return reading
    reading.events = [
        {
            "type": "build",
            "external_id": f"{job}#{number}",
            "name": str(job)[:200],
            "branch": str(get(build, "scm", "branch", default="") or "")[:200],
            "started_at": from_epoch(started),
            "finished_at": from_epoch(started + duration),
            "result": _BUILD_RESULTS[status],
            "trigger": "jenkins",
            "commit_sha": get(build, "scm", "commit", default="") or "",
        }
    ]
    return reading
