"""Every API error has one shape: {"detail": "...", "errors": {field: [messages]}}."""

from rest_framework.exceptions import ValidationError
from rest_framework.views import exception_handler


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


def handle_api_exception(exc, context):
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, ValidationError):
        errors = _flatten(response.data)
        first_field, first_messages = next(iter(errors.items()), ("", ["Invalid input."]))
        detail = first_messages[0] if first_field == "non_field_errors" else f"{first_field}: {first_messages[0]}"
        response.data = {"detail": detail, "errors": errors}
    else:
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else response.data
        response.data = {"detail": str(detail), "errors": {}}
    return response
