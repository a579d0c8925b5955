"""Webhook endpoints: `POST /hooks/<provider>/<hook id>/`. Machines call them, so every answer is JSON.

Order of checks: the address (404), the body's size (413), the signature or token (401 missing, 403 wrong),
JSON (400), the delivery id and its age (400), the number of events (413), then the events. Answers: 202
with the ingest counts; 202 "ignored" with the reason for events we do not read; 200 "already received" for a
replayed delivery id.
"""

import json
from datetime import timedelta

from django.conf import settings
from django.http import JsonResponse
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from metrics.access import access_hook
from metrics.parsers import github, gitlab, jenkins
from metrics.parsers.hook_payload import UnreadablePayload
from metrics.services.hooks import receive_delivery

READERS = {"github": github.read, "gitlab": gitlab.read, "jenkins": jenkins.read}


class Refusal(Exception):
    def __init__(self, status: int, detail: str):
        super().__init__(detail)
        self.status, self.detail = status, detail


def _error(status: int, detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail, "errors": {}}, status=status)


@csrf_exempt
@require_POST
def receive(request, provider: str, hook_id: str):
    hook = access_hook(hook_id)
    if hook is None or provider not in READERS:
        return _error(404, _("No such webhook address."))
    try:
        body = _body(request)
        _verify(provider, hook.secret_for(provider), request.headers, body)
        reading = READERS[provider](request.headers, _json(body))
        _check_delivery(reading)
    except Refusal as refusal:
        return _error(refusal.status, refusal.detail)
    except UnreadablePayload as error:
        return _error(400, _("The payload is not what this event type looks like: %(reason)s.") % {"reason": error})
    outcome = receive_delivery(project=hook.project, provider=provider, reading=reading)
    if outcome.already_received:
        return JsonResponse({"status": "already received", "delivery": reading.delivery_id}, status=200)
    if outcome.report is None:
        return JsonResponse({"status": "ignored", "reason": reading.ignored}, status=202)
    return JsonResponse({"status": "accepted", **outcome.report.as_dict()}, status=202)


def _body(request) -> bytes:
    limit = settings.METRICS_HOOK_MAX_BYTES
    declared = request.META.get("CONTENT_LENGTH") or "0"
    body = b"" if declared.isdigit() and int(declared) > limit else request.read(limit + 1)
    if len(body) > limit or (declared.isdigit() and int(declared) > limit):
        message = _("The request body is larger than %(limit)s.") % {"limit": filesizeformat(limit)}
        raise Refusal(413, message)
    return body


def _verify(provider: str, secret: str, headers, body: bytes) -> None:
    if provider == "github":
        header, matches = headers.get("X-Hub-Signature-256", ""), github.signature_matches
        ok = bool(header) and matches(secret, body, header)
    else:
        header = headers.get("X-Gitlab-Token" if provider == "gitlab" else "X-Jenkins-Token", "")
        ok = bool(header) and (gitlab.token_matches if provider == "gitlab" else jenkins.token_matches)(secret, header)
    if not header:
        raise Refusal(401, _("The delivery carries no signature or token header."))
    if not ok:
        raise Refusal(403, _("The signature or token does not match this project's webhook secret."))


def _json(body: bytes) -> dict:
    try:
        payload = json.loads(body)
    except (ValueError, RecursionError):
        raise Refusal(400, _("The body is not valid JSON.")) from None
    if not isinstance(payload, dict):
        raise Refusal(400, _("The body must be a JSON object."))
    return payload


def _check_delivery(reading) -> None:
    """The delivery id is there (replays are told by it), the time inside the window, the size within limits."""
    if not reading.delivery_id or "\x00" in reading.delivery_id:
        raise Refusal(400, _("The delivery has no id (delivery header or id field), so a replay could not be told."))
    limit = settings.METRICS_INGEST_MAX_EVENTS
    if len(reading.events) > limit:
        raise Refusal(413, _("Send at most %(limit)d events in one request.") % {"limit": limit})
    window = timedelta(seconds=settings.METRICS_HOOK_MAX_AGE_SECONDS)
    if reading.sent_at is not None and reading.sent_at < timezone.now() - window:
        hours = settings.METRICS_HOOK_MAX_AGE_SECONDS // 3600
        raise Refusal(400, _("The delivery is older than the %(hours)d-hour replay window.") % {"hours": hours})
