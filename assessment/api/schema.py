"""OpenAPI pieces shared by the API modules: the one error shape, documented once."""

from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


_MEANING = {
    400: "The request is malformed or a rule refused it; `errors` says which field.",
    403: "Your role does not allow this.",
    404: "No such object in your organisations.",
    409: "The object's state does not allow this (e.g. already submitted).",
    503: "The file store did not answer; nothing was saved. Try again later.",
}


def error_responses(*codes: int) -> dict[int, OpenApiResponse]:
    return {code: OpenApiResponse(ErrorSerializer, description=_MEANING[code]) for code in codes}
