"""Assessments: list the visible ones, start one, read one with its progress, submit it to the assessors."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from assessment.access import Action, access_assessment, access_project, visible_assessments, visible_maturity_models
from assessment.api.pagination import CappedLimitOffsetPagination
from assessment.api.parsers import JSONParser
from assessment.api.query import PagedQueryParameters
from assessment.api.schema import error_responses
from assessment.models import Assessment, MaturityModel
from assessment.selectors.projects import with_progress
from assessment.services.assessments import start_assessment
from assessment.services.lifecycle import submit_assessment

MAX_ID = 2**63 - 1


class ModelOutput(serializers.ModelSerializer):
    class Meta:
        model = MaturityModel
        fields = ["id", "key", "version"]


class ProgressOutput(serializers.Serializer):
    answered = serializers.IntegerField(source="answered_count", help_text="Required criteria answered so far.")
    required = serializers.IntegerField(source="required_count", help_text="Criteria up to the target level.")


class AssessmentOutput(serializers.ModelSerializer):
    model = ModelOutput()
    parts = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    assessor = serializers.SlugRelatedField(slug_field="username", read_only=True)
    progress = ProgressOutput(source="*")

    class Meta:
        model = Assessment
        fields = [
            "id",
            "project",
            "model",
            "parts",
            "target_level",
            "state",
            "created_by",
            "created_at",
            "submitted_at",
            "assessor",
            "published_at",
            "supersedes",
            "progress",
        ]


def assessment_data(assessment: Assessment) -> dict:
    """The representation of one assessment, read afresh with its progress."""
    return AssessmentOutput(with_progress(Assessment.objects.filter(pk=assessment.pk)).get()).data


class AssessmentListView(GenericAPIView):
    pagination_class = CappedLimitOffsetPagination
    parser_classes = [JSONParser]

    class AssessmentFilter(PagedQueryParameters):
        project = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)

    class AssessmentCreateInput(serializers.Serializer):
        project = serializers.IntegerField(min_value=1, max_value=MAX_ID)
        target_level = serializers.IntegerField(
            min_value=1, max_value=5, required=False, help_text="Defaults to the project's target level."
        )
        parts = serializers.ListField(
            child=serializers.CharField(max_length=60), max_length=20, required=False, help_text="Default: ['cd']."
        )
        model = serializers.IntegerField(
            min_value=1, max_value=MAX_ID, required=False, allow_null=True, help_text="Default: current CAICT model."
        )

    @extend_schema(
        operation_id="assessments_list",
        parameters=[AssessmentFilter],
        responses={200: AssessmentOutput(many=True), **error_responses(400)},
    )
    def get(self, request):
        filters = self.AssessmentFilter(data=request.query_params)
        filters.is_valid(raise_exception=True)
        assessments = visible_assessments(request.user)
        if project_id := filters.validated_data.get("project"):
            assessments = assessments.filter(project_id=project_id)
        page = self.paginate_queryset(with_progress(assessments).order_by("-created_at", "-pk"))
        return self.get_paginated_response(AssessmentOutput(page, many=True).data)

    @extend_schema(
        operation_id="assessments_create",
        request=AssessmentCreateInput,
        examples=[
            OpenApiExample(
                "Part 3 to level 3", request_only=True, value={"project": 1, "target_level": 3, "parts": ["cd"]}
            )
        ],
        responses={201: AssessmentOutput, **error_responses(400, 403, 404)},
    )
    def post(self, request):
        payload = self.AssessmentCreateInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        project = access_project(request.user, data["project"], action=Action.WORK)
        assessment = start_assessment(
            project=project,
            actor=request.user,
            target_level=data.get("target_level", project.target_level),
            part_codes=data.get("parts"),
            model=_chosen_model(request.user, data.get("model")),
        )
        return Response(assessment_data(assessment), status=status.HTTP_201_CREATED)


def _chosen_model(user, model_id: int | None) -> MaturityModel | None:
    if model_id is None:
        return None
    model = visible_maturity_models(user).filter(pk=model_id).first()
    if model is None:
        raise serializers.ValidationError({"model": [_("No such maturity model.")]})
    return model


class AssessmentDetailView(APIView):
    @extend_schema(operation_id="assessments_retrieve", responses={200: AssessmentOutput, **error_responses(404)})
    def get(self, request, assessment_id: int):
        return Response(assessment_data(access_assessment(request.user, assessment_id)))


class AssessmentSubmitView(APIView):
    @extend_schema(
        operation_id="assessments_submit",
        request=None,
        responses={200: AssessmentOutput, **error_responses(400, 403, 404, 409)},
    )
    def post(self, request, assessment_id: int):
        assessment = access_assessment(request.user, assessment_id, action=Action.WORK)
        return Response(assessment_data(submit_assessment(assessment=assessment, actor=request.user)))
