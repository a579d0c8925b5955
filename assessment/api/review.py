"""Review over the API: lifecycle moves, assignment, decisions, replies, the successor, the snapshot.

The same services and access functions as the HTML pages, so the same rules and the same audit entries.
"""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from assessment.access import Action, access_assessment
from assessment.api.assessments import AssessmentOutput, assessment_data
from assessment.api.parsers import JSONParser
from assessment.api.schema import error_responses
from assessment.models import AssessmentState, Decision, DecisionValue
from assessment.selectors.questionnaire import find_criterion
from assessment.services import lifecycle, publication, review
from assessment.services.exceptions import RuleViolation

MAX_DECISIONS_PER_REQUEST = 1000


def body_or_empty(request):
    """The request's data, {} when there is no body; any other empty value (e.g. []) is kept, to be refused."""
    data = request.data
    return {} if isinstance(data, dict) and not data else data


class MoveInput(serializers.Serializer):
    comment = serializers.CharField(max_length=5000, allow_blank=True, default="")


def _move_view(move_name: str, summary: str):
    class MoveView(APIView):
        parser_classes = [JSONParser]

        @extend_schema(
            operation_id=f"assessments_{move_name}",
            summary=summary,
            description=summary + " Refused with 409 and the moves possible now when the state does not allow it.",
            request=MoveInput,
            responses={200: AssessmentOutput, **error_responses(400, 403, 404, 409)},
        )
        def post(self, request, assessment_id: int):
            assessment = access_assessment(request.user, assessment_id)
            payload = MoveInput(data=body_or_empty(request))
            payload.is_valid(raise_exception=True)
            moved = lifecycle.transition(
                assessment=assessment,
                move_name=move_name,
                actor=request.user,
                comment=payload.validated_data["comment"],
            )
            return Response(assessment_data(moved))

    MoveView.__name__ = f"{move_name.title().replace('_', '')}View"
    return MoveView


StartReviewView = _move_view("start_review", "Take a submitted assessment into review (assessors).")
RequestChangesView = _move_view("request_changes", "Send the assessment back with the requests for information.")
CompleteReviewView = _move_view("complete_review", "Complete the review once every claimed criterion is decided.")
ReopenReviewView = _move_view("reopen_review", "Reopen a completed review.")
PublishView = _move_view("publish", "Publish the result: levels, decisions and evidence digests are frozen.")


class AssignView(APIView):
    parser_classes = [JSONParser]

    class AssignInput(serializers.Serializer):
        assessor = serializers.CharField(max_length=150, help_text="The assessor's user name.")

    @extend_schema(
        operation_id="assessments_assign",
        description="An organisation admin assigns any assessor of the organisation; an assessor may take an "
        "unassigned assessment by naming themselves.",
        request=AssignInput,
        responses={200: AssessmentOutput, **error_responses(400, 403, 404, 409)},
    )
    def post(self, request, assessment_id: int):
        assessment = access_assessment(request.user, assessment_id)
        payload = self.AssignInput(data=request.data)
        payload.is_valid(raise_exception=True)
        assessor = get_user_model().objects.filter(username=payload.validated_data["assessor"]).first()
        if assessor is None:
            raise RuleViolation(_("No such assessor in this organisation."), field="assessor")
        return Response(
            assessment_data(lifecycle.assign_assessor(assessment=assessment, assessor=assessor, actor=request.user))
        )


class DecisionOutput(serializers.ModelSerializer):
    criterion = serializers.CharField(source="criterion.code")
    decision = serializers.ChoiceField(source="value", choices=DecisionValue.choices)
    verdict = serializers.CharField(source="verdict_value", help_text="The automatic verdict when decided.")
    decided_by = serializers.CharField(source="decided_by.username")
    is_current = serializers.BooleanField(help_text="False once the team changed the answer or its evidence.")

    class Meta:
        model = Decision
        fields = [
            "criterion",
            "decision",
            "comment",
            "override_reason",
            "verdict",
            "reply",
            "is_current",
            "version",
            "decided_by",
            "decided_at",
        ]


class DecisionItemInput(serializers.Serializer):
    criterion = serializers.CharField(max_length=130)
    decision = serializers.ChoiceField(choices=DecisionValue.choices)
    comment = serializers.CharField(max_length=5000, allow_blank=True, default="")
    override_reason = serializers.CharField(max_length=5000, allow_blank=True, default="")
    version = serializers.IntegerField(
        min_value=0,
        max_value=2**31 - 1,
        required=False,
        allow_null=True,
        default=None,
        help_text="The decision's version you saw (0 for none): refused with 409 when someone decided meanwhile.",
    )


def _decision_rows(assessment):
    return Decision.objects.filter(assessment=assessment, version__gt=0).select_related("criterion", "decided_by")


class DecisionListView(APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="assessments_decisions_list", responses={200: DecisionOutput(many=True), **error_responses(404)}
    )
    def get(self, request, assessment_id: int):
        assessment = access_assessment(request.user, assessment_id)
        rows = _decision_rows(assessment).order_by("criterion__code")
        return Response(DecisionOutput(rows, many=True).data)

    @extend_schema(
        operation_id="assessments_decisions_record",
        description="Records the assigned assessor's decisions, all or nothing: accepted, rejected (comment "
        "required) or info_requested (comment required); going against the automatic verdict needs "
        "override_reason. Errors name the position and field, e.g. `1.comment`.",
        request=DecisionItemInput(many=True),
        examples=[
            OpenApiExample(
                "Two decisions",
                request_only=True,
                value=[
                    {"criterion": "cd.cm.vc.vcs@1", "decision": "accepted"},
                    {"criterion": "cd.cm.vc.vcs@2", "decision": "info_requested", "comment": "Show the branch rules."},
                ],
            )
        ],
        responses={200: DecisionOutput(many=True), **error_responses(400, 403, 404, 409)},
    )
    def post(self, request, assessment_id: int):
        assessment = access_assessment(request.user, assessment_id, action=Action.REVIEW)
        payload = DecisionItemInput(
            data=request.data, many=True, max_length=MAX_DECISIONS_PER_REQUEST, allow_empty=False
        )
        payload.is_valid(raise_exception=True)
        items, errors = [], {}
        for index, row in enumerate(payload.validated_data):
            criterion = find_criterion(assessment, row["criterion"])
            if criterion is None:
                errors[f"{index}.criterion"] = [
                    _("%(code)s is not a criterion of this assessment.") % {"code": row["criterion"]}
                ]
                continue
            items.append(
                review.DecisionInput(
                    criterion, row["decision"], row["comment"], row["override_reason"], expected_version=row["version"]
                )
            )
        if errors:
            raise RuleViolation(next(iter(errors.values()))[0], errors=errors)
        decisions = review.decide_many(assessment=assessment, items=items, actor=request.user)
        rows = _decision_rows(assessment).filter(pk__in=[decision.pk for decision in decisions])
        return Response(DecisionOutput(rows.order_by("criterion__code"), many=True).data)


class AcceptVerifiedView(APIView):
    parser_classes = [JSONParser]

    class AcceptVerifiedInput(serializers.Serializer):
        expected_count = serializers.IntegerField(
            min_value=0,
            max_value=100_000,
            help_text="How many criteria you expect to accept: refused with 409 when it differs, so nothing is "
            "accepted that you did not count.",
        )

    @extend_schema(
        operation_id="assessments_decisions_accept_verified",
        description="Accepts every criterion whose automatic verdict is met, whose answer (if any) is met and "
        "that nobody decided yet, excluding your own claims. GET tells how many that is.",
        request=AcceptVerifiedInput,
        responses={200: DecisionOutput(many=True), **error_responses(400, 403, 404, 409)},
    )
    def post(self, request, assessment_id: int):
        assessment = access_assessment(request.user, assessment_id, action=Action.REVIEW)
        payload = self.AcceptVerifiedInput(data=request.data)
        payload.is_valid(raise_exception=True)
        criteria = [row.criterion for row in _acceptable(assessment, request.user)]
        if len(criteria) != payload.validated_data["expected_count"]:
            raise RuleViolation(
                _("%(count)d criteria qualify now, not %(expected)d; check them again.")
                % {"count": len(criteria), "expected": payload.validated_data["expected_count"]},
                field="version",
            )
        decisions = review.bulk_accept(assessment=assessment, criteria=criteria, actor=request.user)
        rows = _decision_rows(assessment).filter(pk__in=[decision.pk for decision in decisions])
        return Response(DecisionOutput(rows.order_by("criterion__code"), many=True).data)

    @extend_schema(
        operation_id="assessments_decisions_accept_verified_count",
        responses={
            200: inline_serializer(
                "AcceptVerifiedCount",
                {"count": serializers.IntegerField(), "criteria": serializers.ListField(child=serializers.CharField())},
            ),
            **error_responses(403, 404),
        },
    )
    def get(self, request, assessment_id: int):
        assessment = access_assessment(request.user, assessment_id, action=Action.REVIEW)
        codes = [row.criterion.code for row in _acceptable(assessment, request.user)]
        return Response({"count": len(codes), "criteria": codes})


def _acceptable(assessment, user):
    from assessment.selectors.review import review_page

    return review_page(assessment, user).bulk_acceptable


class ReplyView(APIView):
    parser_classes = [JSONParser]

    class ReplyInput(serializers.Serializer):
        reply = serializers.CharField(max_length=5000)

    @extend_schema(
        operation_id="assessments_requests_reply",
        description="The team's reply to a request for information; the criterion goes back for review.",
        request=ReplyInput,
        responses={200: DecisionOutput, **error_responses(400, 403, 404, 409)},
    )
    def post(self, request, assessment_id: int, criterion_code: str):
        assessment = access_assessment(request.user, assessment_id, action=Action.WORK)
        payload = self.ReplyInput(data=request.data)
        payload.is_valid(raise_exception=True)
        criterion = find_criterion(assessment, criterion_code)
        if criterion is None:
            raise RuleViolation(
                _("%(code)s is not a criterion of this assessment.") % {"code": criterion_code}, field="criterion"
            )
        decision = review.reply_to_request(
            assessment=assessment, criterion=criterion, reply=payload.validated_data["reply"], actor=request.user
        )
        return Response(DecisionOutput(_decision_rows(assessment).get(pk=decision.pk)).data)


class SuccessorView(APIView):
    @extend_schema(
        operation_id="assessments_supersede",
        description="Starts a new draft that supersedes this published assessment, from its answers and evidence.",
        request=None,
        responses={201: AssessmentOutput, **error_responses(403, 404, 409)},
    )
    def post(self, request, assessment_id: int):
        assessment = access_assessment(request.user, assessment_id, action=Action.WORK)
        successor = publication.start_successor(published=assessment, actor=request.user)
        return Response(assessment_data(successor), status=status.HTTP_201_CREATED)


class SnapshotView(APIView):
    @extend_schema(
        operation_id="assessments_snapshot",
        description="The frozen result of a published assessment: levels, decisions, evidence digests, model.",
        responses={200: OpenApiTypes.OBJECT, **error_responses(404, 409)},
    )
    def get(self, request, assessment_id: int):
        assessment = access_assessment(request.user, assessment_id)
        if assessment.state != AssessmentState.PUBLISHED:
            raise RuleViolation(_("Only a published assessment has a snapshot."), field="state")
        return Response(assessment.snapshot)
