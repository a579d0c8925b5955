"""Evidence of an assessment: list it, upload a file or give a link or note (multipart), read and remove it."""

from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from assessment.access import Action, access_assessment, access_evidence
from assessment.api.pagination import CappedLimitOffsetPagination
from assessment.api.schema import error_responses
from assessment.forms.upload_limits import oversize_message
from assessment.models import Criterion, Evidence, EvidenceSource, Verdict
from assessment.services.evidence import MAX_NOTE_LENGTH, add_evidence, remove_evidence

SCORING_STATUSES = ["pending", "scoring", "scored", "failed"]
MAX_CRITERIA_PER_EVIDENCE = 300


class VerdictOutput(serializers.Serializer):
    criterion = serializers.CharField()
    verdict = serializers.ChoiceField(choices=["met", "not_met", "inconclusive"])
    explanation = serializers.CharField()
    uses_this_evidence = serializers.BooleanField(
        help_text="Whether this evidence's facts went into the verdict; false for a file no machine reads (kind "
        "other, link, note) or one whose figures the criterion does not ask for."
    )


class EvidenceOutput(serializers.ModelSerializer):
    kind = serializers.SerializerMethodField(
        help_text="What the file was recognised as (junit, cobertura, sarif, gitlab_ci, …, other), or link / note."
    )
    status = serializers.ChoiceField(choices=SCORING_STATUSES, read_only=True)
    reason = serializers.CharField(read_only=True, help_text="Why reading failed, when it did.")
    facts = serializers.JSONField(read_only=True)
    summary = serializers.CharField(read_only=True)
    verdicts = serializers.SerializerMethodField()
    criteria = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    uploaded_by = serializers.CharField(source="uploaded_by.username")
    download_url = serializers.SerializerMethodField()
    expiry_status = serializers.ChoiceField(
        choices=["", "expiring", "expired"],
        read_only=True,
        help_text="expired: past expires_on, it supports no criterion any more; expiring: within 30 days of it.",
    )

    class Meta:
        model = Evidence
        fields = [
            "id",
            "assessment",
            "name",
            "kind",
            "status",
            "reason",
            "facts",
            "summary",
            "verdicts",
            "sha256",
            "source",
            "media_type",
            "size",
            "url",
            "note",
            "criteria",
            "uploaded_by",
            "uploaded_at",
            "effective_on",
            "expires_on",
            "expiry_status",
            "download_url",
        ]

    def get_kind(self, evidence: Evidence) -> str:
        return evidence.kind or evidence.source

    @extend_schema_field(VerdictOutput(many=True))
    def get_verdicts(self, evidence: Evidence) -> list:
        """The automatic verdicts of the criteria this evidence supports (one query per assessment listed)."""
        cache = self.context.setdefault("verdicts_by_assessment", {})
        if evidence.assessment_id not in cache:
            cache[evidence.assessment_id] = {
                verdict.criterion_id: verdict
                for verdict in Verdict.objects.filter(assessment_id=evidence.assessment_id)
            }
        verdicts = cache[evidence.assessment_id]
        return [
            {
                "criterion": criterion.code,
                "verdict": verdicts[criterion.pk].value,
                "explanation": verdicts[criterion.pk].explanation,
                "uses_this_evidence": evidence.pk in verdicts[criterion.pk].evidence_ids,
            }
            for criterion in evidence.criteria.all()
            if criterion.pk in verdicts
        ]

    @extend_schema_field(serializers.URLField(allow_null=True, help_text="Files only; never served inline."))
    def get_download_url(self, evidence: Evidence) -> str | None:
        if evidence.source != EvidenceSource.FILE:
            return None
        return self.context["request"].build_absolute_uri(
            reverse("evidence-download", kwargs={"evidence_id": evidence.pk})
        )


def _for_output(queryset: QuerySet[Evidence]) -> QuerySet[Evidence]:
    criteria = Criterion.objects.only("pk", "code", "level", "subitem_id")
    return queryset.select_related("uploaded_by").prefetch_related(Prefetch("criteria", queryset=criteria))


class CriteriaField(serializers.ListField):
    """Criterion codes as repeated form fields, a list, or one comma-separated string."""

    child = serializers.CharField(max_length=2000, allow_blank=True)

    def to_internal_value(self, data):
        values = super().to_internal_value([data] if isinstance(data, str) else data)
        codes = list(dict.fromkeys(code.strip() for value in values for code in value.split(",") if code.strip()))
        if len(codes) > MAX_CRITERIA_PER_EVIDENCE:
            message = _("Name at most %(limit)d criteria.") % {"limit": MAX_CRITERIA_PER_EVIDENCE}
            raise serializers.ValidationError(message)
        return codes


@extend_schema_field(OpenApiTypes.BINARY)
class UploadField(serializers.FileField):
    """A file part of a multipart body; documented as binary so clients and generators send bytes."""


class EvidenceListView(GenericAPIView):
    pagination_class = CappedLimitOffsetPagination
    parser_classes = [MultiPartParser, FormParser]

    class EvidenceInput(serializers.Serializer):
        file = UploadField(required=False, help_text="Give exactly one of file, url and note.")
        url = serializers.CharField(max_length=2000, allow_blank=True, default="", help_text="An http(s) link.")
        note = serializers.CharField(max_length=MAX_NOTE_LENGTH, allow_blank=True, default="", trim_whitespace=False)
        criteria = CriteriaField(
            max_length=MAX_CRITERIA_PER_EVIDENCE, help_text="Criterion codes, repeated or comma-separated."
        )
        name = serializers.CharField(max_length=255, allow_blank=True, default="")
        effective_on = serializers.DateField(required=False, allow_null=True)
        expires_on = serializers.DateField(required=False, allow_null=True)

    @extend_schema(
        operation_id="assessments_evidence_list",
        responses={200: EvidenceOutput(many=True), **error_responses(404)},
    )
    def get(self, request, assessment_id: int):
        assessment = access_assessment(request.user, assessment_id)
        evidence = _for_output(assessment.evidence.filter(removed_at__isnull=True).order_by("-uploaded_at", "-pk"))
        page = self.paginate_queryset(evidence)
        return self.get_paginated_response(EvidenceOutput(page, many=True, context={"request": request}).data)

    @extend_schema(
        operation_id="assessments_evidence_create",
        request=EvidenceInput,
        responses={201: EvidenceOutput, **error_responses(400, 403, 404, 409, 503)},
    )
    def post(self, request, assessment_id: int):
        assessment = access_assessment(request.user, assessment_id, action=Action.WORK)
        payload = self.EvidenceInput(data=request.data)
        # Parsing the body (request.data, above) is what notices a file past the size limit.
        if message := oversize_message(request):
            raise serializers.ValidationError({"file": [message]})
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        evidence = add_evidence(
            assessment=assessment,
            actor=request.user,
            criteria_codes=data["criteria"],
            upload=data.get("file"),
            url=data["url"],
            note=data["note"],
            name=data["name"],
            effective_on=data.get("effective_on"),
            expires_on=data.get("expires_on"),
        )
        evidence = _for_output(Evidence.objects.filter(pk=evidence.pk)).get()
        return Response(EvidenceOutput(evidence, context={"request": request}).data, status=status.HTTP_201_CREATED)


class EvidenceDetailView(APIView):
    @extend_schema(operation_id="evidence_retrieve", responses={200: EvidenceOutput, **error_responses(404)})
    def get(self, request, evidence_id: int):
        evidence = access_evidence(request.user, evidence_id)
        return Response(EvidenceOutput(evidence, context={"request": request}).data)

    @extend_schema(operation_id="evidence_destroy", responses={204: None, **error_responses(403, 404, 409)})
    def delete(self, request, evidence_id: int):
        evidence = access_evidence(request.user, evidence_id, action=Action.WORK)
        remove_evidence(evidence=evidence, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
