"""The audit trail and the person's notifications over the API (read-only, apart from marking as read)."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from assessment.access import access_assessment
from assessment.api.pagination import CappedLimitOffsetPagination
from assessment.api.parsers import JSONParser
from assessment.api.query import PagedQueryParameters
from assessment.api.review import body_or_empty
from assessment.api.schema import error_responses
from assessment.models import AuditEntry, Notification
from assessment.selectors.audit import KINDS, AuditFilter, audit_entries
from assessment.selectors.notifications import notification_text, notifications_of
from assessment.services import notifications


class AuditEntryOutput(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", default=None, help_text="None for the system.")

    class Meta:
        model = AuditEntry
        fields = ["id", "created_at", "actor", "action", "target", "before", "after"]


class AuditFilterInput(PagedQueryParameters):
    kind = serializers.ChoiceField(choices=KINDS, required=False, help_text="The first word of the action.")
    actor = serializers.CharField(max_length=150, required=False, help_text="A user name, or - for the system.")
    since = serializers.DateField(required=False)
    until = serializers.DateField(required=False)


class AuditListView(GenericAPIView):
    pagination_class = CappedLimitOffsetPagination
    serializer_class = AuditEntryOutput

    @extend_schema(
        operation_id="assessments_audit",
        parameters=[AuditFilterInput],
        responses={200: AuditEntryOutput(many=True), **error_responses(400, 404)},
    )
    def get(self, request, assessment_id: int):
        assessment = access_assessment(request.user, assessment_id)
        filters = AuditFilterInput(data=request.query_params)
        filters.is_valid(raise_exception=True)
        entries = audit_entries(
            organisation=assessment.organisation, assessment=assessment, filters=AuditFilter(**filters.validated_data)
        )
        page = self.paginate_queryset(entries)
        return self.get_paginated_response(AuditEntryOutput(page, many=True).data)


class NotificationOutput(serializers.ModelSerializer):
    text = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "text", "assessment", "link", "created_at", "read_at"]

    def get_text(self, notification: Notification) -> str:
        return notification_text(notification)


class NotificationListView(GenericAPIView):
    pagination_class = CappedLimitOffsetPagination
    serializer_class = NotificationOutput

    @extend_schema(operation_id="notifications_list", responses={200: NotificationOutput(many=True)})
    def get(self, request):
        page = self.paginate_queryset(notifications_of(request.user))
        return self.get_paginated_response(NotificationOutput(page, many=True).data)


class NotificationReadView(APIView):
    parser_classes = [JSONParser]

    class ReadInput(serializers.Serializer):
        ids = serializers.ListField(
            child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
            max_length=1000,
            required=False,
            help_text="The notifications to mark read; all of yours when left out.",
        )

    @extend_schema(
        operation_id="notifications_mark_read",
        request=ReadInput,
        responses={
            200: inline_serializer("NotificationsMarkedRead", {"marked_read": serializers.IntegerField()}),
            **error_responses(400),
        },
    )
    def post(self, request):
        payload = self.ReadInput(data=body_or_empty(request))
        payload.is_valid(raise_exception=True)
        count = notifications.mark_read(user=request.user, notification_ids=payload.validated_data.get("ids"))
        return Response({"marked_read": count})
