"""Every API error has one shape: {"detail": "...", "errors": {field: [messages]}}.

A business rule's refusal (assessment.services.exceptions.RuleViolation) is a 409 when it is about the object's state
(e.g. submitting twice, answering a submitted assessment) or a write that someone else's overtook (a stale
`version`), and a 400 otherwise.
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler, set_rollback

from assessment.services.exceptions import RuleViolation, StoreUnavailable


def _flatten(errors, prefix: str = "") -> dict[str, list[str]]:
    """Nested serializer errors become dotted field paths, e.g. {"items.0.code": ["..."]}."""
    if isinstance(errors, dict):
        flat: dict[str, list[str]] = {}
        for key, value in errors.items():
            flat.update(_flatten(value, f"{prefix}.{key}" if prefix else str(key)))
        return flat
    if isinstance(errors, list) and errors and not all(isinstance(item, str) for item in errors):
        flat = {}
        for index, value in enumerate(errors):
            if value:
                flat.update(_flatten(value, f"{prefix}.{index}" if prefix else str(index)))
        return flat
    messages = errors if isinstance(errors, list) else [errors]
    return {prefix or "non_field_errors": [str(message) for message in messages]}


def _rule_violation_response(exc: RuleViolation) -> Response:
    set_rollback()
    # By its field, also within a bulk write ("2.version" is the third item's stale version).
    is_about_state = bool({"state", "version"} & {field.rsplit(".", 1)[-1] for field in exc.errors})
    return Response(
        {"detail": str(exc.message), "errors": {field: [str(m) for m in msgs] for field, msgs in exc.errors.items()}},
        status=status.HTTP_409_CONFLICT if is_about_state else status.HTTP_400_BAD_REQUEST,
    )


def _oversize_request_response(exc: Exception) -> Response:
    if isinstance(exc, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 1048576
        message = _("The request body is larger than %(limit)s MB; send less at a time.") % {"limit": f"{limit:.1f}"}
        return Response({"detail": message, "errors": {}}, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
    message = _("The request has too many fields or files; send less at a time.")
    return Response({"detail": message, "errors": {}}, status=status.HTTP_400_BAD_REQUEST)


def store_unavailable_message() -> str:
    return _("The file store is unavailable, so nothing was saved; try again in a minute.")


def handle_api_exception(exc, context):
    if isinstance(exc, RuleViolation):
        return _rule_violation_response(exc)
    if isinstance(exc, StoreUnavailable):
        set_rollback()
        return Response({"detail": store_unavailable_message(), "errors": {}}, status=503)
    if isinstance(exc, RequestDataTooBig | TooManyFieldsSent | TooManyFilesSent):
        # Django would answer these with an HTML page; API clients get the error shape.
        return _oversize_request_response(exc)
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, ValidationError):
        errors = _flatten(response.data)
        first_field, first_messages = next(iter(errors.items()), ("", [_("Invalid input.")]))
        detail = first_messages[0] if first_field == "non_field_errors" else f"{first_field}: {first_messages[0]}"
        response.data = {"detail": detail, "errors": errors}
    else:
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else response.data
        response.data = {"detail": str(detail), "errors": {}}
    return response


def not_found(request, exception):
    """Django's 404 (no URL matched): the API's error shape under /api/, the site's page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Not found."), "errors": {}}, status=404)
    return defaults.page_not_found(request, exception)
