"""A JSON parser that stops reading at the endpoint's byte cap, so an oversize body never fills memory."""

from io import BytesIO

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import APIException

from assessment.api.parsers import JSONParser


class PayloadTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "payload_too_large"


def too_large_message(limit: int) -> str:
    return _("The request body is larger than %(limit)s; send less at a time.") % {"limit": filesizeformat(limit)}


class CappedJSONParser(JSONParser):
    """DRF reads the request stream itself (Django's DATA_UPLOAD_MAX_MEMORY_SIZE does not apply), so we cap it."""

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.METRICS_INGEST_MAX_BYTES
        request = parser_context["request"]
        declared = request.META.get("CONTENT_LENGTH") or "0"
        if declared.isdigit() and int(declared) > limit:
            raise PayloadTooLarge(too_large_message(limit))
        body = stream.read(limit + 1) if stream is not None else b""
        if len(body) > limit:
            raise PayloadTooLarge(too_large_message(limit))
        return super().parse(BytesIO(body), media_type, parser_context)
