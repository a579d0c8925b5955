"""Bulk ingest of delivery events: `POST projects/{id}/events/` with a list of events (DESIGN.md §8).

Good events are stored and bad ones rejected one by one (200 with counts and reasons by position); a batch in
which every event is bad is a 400 in the API's error shape, so a CI script cannot mistake it for success.
"""

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from assessment.api.schema import ErrorSerializer, error_responses
from metrics.access import access_project_by_ingest_token, access_project_events
from metrics.api.authentication import IngestTokenAuthentication
from metrics.api.parsers import CappedJSONParser, PayloadTooLarge
from metrics.models import IngestToken
from metrics.parsers.event_input import MODELS
from metrics.services.ingest import ingest_events


class EventInput(serializers.Serializer):
    """For the schema only: the service reads events itself, fast enough for thousands per request."""

    type = serializers.ChoiceField(choices=list(MODELS))
    external_id = serializers.CharField(max_length=200)
    source = serializers.CharField(max_length=30, required=False, help_text="Default: api.")
    environment = serializers.CharField(required=False, help_text="deployment")
    is_production = serializers.BooleanField(
        required=False, help_text="deployment; default: the environment is named production, prod, 生产, …"
    )
    started_at = serializers.DateTimeField(required=False, help_text="deployment, build; with a UTC offset")
    finished_at = serializers.DateTimeField(required=False, help_text="deployment, build; with a UTC offset")
    result = serializers.CharField(required=False, help_text="deployment: success|failure; build: also cancelled")
    commit_sha = serializers.CharField(required=False, help_text="deployment, change (required), build")
    previous_commit_sha = serializers.CharField(required=False, help_text="deployment")
    version = serializers.CharField(required=False, help_text="deployment")
    title = serializers.CharField(required=False, help_text="change, incident")
    authored_at = serializers.DateTimeField(required=False, help_text="change")
    merged_at = serializers.DateTimeField(required=False, help_text="change")
    name = serializers.CharField(required=False, help_text="build: the pipeline")
    branch = serializers.CharField(required=False, help_text="build")
    trigger = serializers.CharField(required=False, help_text="build")
    opened_at = serializers.DateTimeField(required=False, help_text="incident")
    resolved_at = serializers.DateTimeField(required=False, help_text="incident")
    severity = serializers.CharField(required=False, help_text="incident")


class RejectionOutput(serializers.Serializer):
    index = serializers.IntegerField(help_text="Position in the request, from 0.")
    external_id = serializers.CharField()
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class IngestReportOutput(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField(help_text="Known key, different content: the row now holds the new content.")
    unchanged = serializers.IntegerField(help_text="Known key, same content: a repeated delivery.")
    rejected = RejectionOutput(many=True)


_EXAMPLE = [
    {
        "type": "deployment",
        "external_id": "deploy-1842",
        "environment": "production",
        "started_at": "2026-05-01T10:00:00+08:00",
        "finished_at": "2026-05-01T10:06:30+08:00",
        "result": "success",
        "commit_sha": "9fceb02d0ae598e95dc970b74767f19372d61af8",
    },
    {
        "type": "change",
        "external_id": "mr-311",
        "commit_sha": "9fceb02d0ae598e95dc970b74767f19372d61af8",
        "authored_at": "2026-04-30T16:12:00+08:00",
        "merged_at": "2026-05-01T09:40:00+08:00",
    },
]


class EventListView(APIView):
    authentication_classes = [IngestTokenAuthentication, TokenAuthentication, SessionAuthentication]
    parser_classes = [CappedJSONParser]

    @extend_schema(
        operation_id="projects_events_create",
        description="Stores up to METRICS_INGEST_MAX_EVENTS (5000) events, idempotent on (type, source, "
        "external_id): a repeated delivery counts as unchanged, changed content as updated. Times need a UTC "
        "offset. Authenticate as a member of the project's team or an organisation admin, or with the "
        "project's ingest token.",
        request=EventInput(many=True),
        examples=[OpenApiExample("A deployment and a change", request_only=True, value=_EXAMPLE)],
        responses={
            200: IngestReportOutput,
            **error_responses(400, 403, 404),
            413: OpenApiResponse(ErrorSerializer, description="More events or bytes than one request may carry."),
        },
    )
    def post(self, request, project_id: int):
        if isinstance(request.auth, IngestToken):
            project = access_project_by_ingest_token(request.auth, project_id)
        else:
            project = access_project_events(request.user, project_id)
        items = _events(request.data)
        report = ingest_events(project=project, items=items)
        if not (report.created or report.updated or report.unchanged):
            errors = {f"{r.index}.{name}": messages for r in report.rejected for name, messages in r.errors.items()}
            raise ValidationError(errors)
        return Response(report.as_dict(), status=status.HTTP_200_OK)


def _events(data) -> list:
    if not isinstance(data, list):
        raise ValidationError({"non_field_errors": [_("Send a JSON list of events.")]})
    if not data:
        raise ValidationError({"non_field_errors": [_("Send at least one event.")]})
    limit = settings.METRICS_INGEST_MAX_EVENTS
    if len(data) > limit:
        raise PayloadTooLarge(_("Send at most %(limit)d events in one request.") % {"limit": limit})
    return data
