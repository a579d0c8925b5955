"""The team's answers to an assessment's criteria: read them, or upsert many at once (all or nothing)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiExample, PolymorphicProxySerializer, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from assessment.access import Action, access_assessment
from assessment.api.parsers import JSONParser
from assessment.api.schema import error_responses
from assessment.models import Answer, AnswerValue
from assessment.services.assessments import AnswerInput, save_answers

MAX_ANSWERS_PER_REQUEST = 1000


class AnswerOutput(serializers.ModelSerializer):
    criterion = serializers.CharField(source="criterion.code")
    answer = serializers.ChoiceField(source="value", choices=AnswerValue.choices)
    updated_by = serializers.CharField(source="updated_by.username")

    class Meta:
        model = Answer
        fields = ["criterion", "answer", "comment", "justification", "updated_at", "updated_by"]


class AnswerBatchInput(serializers.ListSerializer):
    default_error_messages = {
        "max_length": gettext_lazy("Send at most {max_length} answers in one request."),
        "empty": gettext_lazy("Send at least one answer."),
    }

    def validate(self, attrs):
        # The same criterion twice in one request is ambiguous: which answer wins?
        seen: set[str] = set()
        errors = {}
        for index, item in enumerate(attrs):
            if item["criterion"] in seen:
                errors[f"{index}.criterion"] = [_("%(code)s appears more than once.") % {"code": item["criterion"]}]
            seen.add(item["criterion"])
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class AnswerItemInput(serializers.Serializer):
    criterion = serializers.CharField(max_length=130, help_text="A criterion code, e.g. cd.cm.vc.vcs@3.")
    answer = serializers.ChoiceField(choices=AnswerValue.choices)
    comment = serializers.CharField(max_length=10_000, allow_blank=True, default="")
    justification = serializers.CharField(
        max_length=10_000, allow_blank=True, default="", help_text="Required when the answer is na."
    )

    class Meta:
        list_serializer_class = AnswerBatchInput


def _answers_input(data) -> serializers.Serializer:
    if isinstance(data, list):
        return AnswerItemInput(data=data, many=True, max_length=MAX_ANSWERS_PER_REQUEST, allow_empty=False)
    return AnswerItemInput(data=data)


_RELATED = ("criterion", "updated_by")


def _reread(answers: list[Answer]) -> list[Answer]:
    """The saved answers in request order, with what the output needs, in one query."""
    by_pk = {a.pk: a for a in Answer.objects.filter(pk__in=[a.pk for a in answers]).select_related(*_RELATED)}
    return [by_pk[answer.pk] for answer in answers]


_ANSWERS_BODY = PolymorphicProxySerializer(
    component_name="AnswersInput",
    serializers=[AnswerItemInput, AnswerItemInput(many=True)],
    resource_type_field_name=None,
    many=False,
)


class AnswerListView(APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="assessments_answers_list", responses={200: AnswerOutput(many=True), **error_responses(404)}
    )
    def get(self, request, assessment_id: int):
        assessment = access_assessment(request.user, assessment_id)
        answers = assessment.answers.select_related(*_RELATED).order_by(
            "criterion__subitem__item__subdomain__part__number", "criterion__subitem__position", "criterion__level"
        )
        return Response(AnswerOutput(answers, many=True).data)

    @extend_schema(
        operation_id="assessments_answers_upsert",
        description="Upserts answers by criterion code, all or nothing: one object or a list of up to 1000. "
        "Errors name the position and field, e.g. `3.justification`.",
        request=_ANSWERS_BODY,
        examples=[
            OpenApiExample(
                "Several answers",
                request_only=True,
                value=[
                    {"criterion": "cd.cm.vc.vcs@1", "answer": "met", "comment": "Every repository is in GitLab."},
                    {"criterion": "cd.cm.vc.vcs@2", "answer": "partly"},
                    {"criterion": "cd.cm.vc.vcs@3", "answer": "na", "justification": "Why it does not apply."},
                ],
            )
        ],
        responses={200: AnswerOutput(many=True), **error_responses(400, 403, 404, 409)},
    )
    def post(self, request, assessment_id: int):
        assessment = access_assessment(request.user, assessment_id, action=Action.WORK)
        payload = _answers_input(request.data)
        payload.is_valid(raise_exception=True)
        rows = payload.validated_data if isinstance(payload.validated_data, list) else [payload.validated_data]
        items = [AnswerInput(row["criterion"], row["answer"], row["comment"], row["justification"]) for row in rows]
        answers = save_answers(assessment=assessment, items=items, actor=request.user)
        return Response(AnswerOutput(_reread(answers), many=True).data)
