"""Levels of an assessment: per sub-item, sub-domain and part, with the gap to the target level."""

from collections import Counter

from django.db.models import Count
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from assessment.access import access_assessment
from assessment.api.schema import error_responses
from assessment.models import Answer, Assessment, AssessmentState, EvidenceLink
from assessment.selectors.levels import (
    AssessmentLevels,
    GroupLevel,
    SubItemLevel,
    catalog_scope,
    confirmed_levels,
    provisional_levels,
)


class SubItemLevelOutput(serializers.Serializer):
    code = serializers.CharField()
    name_zh = serializers.CharField()
    name_en = serializers.CharField()
    level = serializers.CharField(help_text='CAICT notation: "3" reached, "3-" level 3 partly met, "0" none.')
    achieved = serializers.IntegerField()
    blocking = serializers.ListField(
        child=serializers.CharField(), help_text="Criteria up to the target level that are not met."
    )


class GroupLevelOutput(serializers.Serializer):
    code = serializers.CharField()
    name_zh = serializers.CharField()
    name_en = serializers.CharField()
    level = serializers.CharField()
    achieved = serializers.IntegerField()
    distribution = serializers.DictField(
        child=serializers.IntegerField(), help_text="How many sub-items reached each level 0..5."
    )


class BlockingCriterionOutput(serializers.Serializer):
    criterion = serializers.CharField()
    answer = serializers.CharField(allow_null=True, help_text="met, partly, not_met, na, or null when unanswered.")
    evidence = serializers.IntegerField(help_text="Pieces of evidence attached to the criterion.")


class GapOutput(serializers.Serializer):
    code = serializers.CharField()
    level = serializers.CharField()
    target_level = serializers.IntegerField()
    blocking = BlockingCriterionOutput(many=True)


class LevelsOutput(serializers.Serializer):
    reading = serializers.ChoiceField(choices=["provisional", "confirmed"])
    target_level = serializers.IntegerField()
    parts = GroupLevelOutput(many=True)
    subdomains = GroupLevelOutput(many=True)
    subitems = SubItemLevelOutput(many=True)
    gap = GapOutput(many=True)
    confirmed = serializers.JSONField(
        allow_null=True, help_text="The assessor-confirmed reading (accepted criteria only), in the same shape."
    )


def _criterion_code(row: SubItemLevel, level: int) -> str:
    return f"{row.subitem.code}@{level}"


def _subitem(row: SubItemLevel) -> dict:
    return {
        "code": row.subitem.code,
        "name_zh": row.subitem.name_zh,
        "name_en": row.subitem.name_en,
        "level": row.level.notation,
        "achieved": row.level.achieved,
        "blocking": [_criterion_code(row, level) for level in row.blocking],
    }


def group_data(group: GroupLevel) -> dict:
    return {
        "code": group.node.code,
        "name_zh": group.node.name_zh,
        "name_en": group.node.name_en,
        "level": group.level.notation,
        "achieved": group.level.achieved,
        "distribution": {str(level): count for level, count in group.distribution.items()},
    }


def _gap(assessment: Assessment, levels: AssessmentLevels) -> list[dict]:
    """Sub-items below target with each blocking criterion's answer and evidence count (two queries); a published
    assessment's from its snapshot, like its levels."""
    if assessment.state == AssessmentState.PUBLISHED and assessment.snapshot:
        answers, evidence = _frozen_claims(assessment)
    else:
        answers = dict(Answer.objects.filter(assessment=assessment).values_list("criterion__code", "value"))
        evidence = dict(
            EvidenceLink.objects.filter(evidence__assessment=assessment, evidence__removed_at__isnull=True)
            .values("criterion__code")
            .annotate(count=Count("pk"))
            .values_list("criterion__code", "count")
        )
    return [
        {
            "code": row.subitem.code,
            "level": row.level.notation,
            "target_level": levels.target,
            "blocking": [
                {"criterion": code, "answer": answers.get(code), "evidence": evidence.get(code, 0)}
                for code in (_criterion_code(row, level) for level in row.blocking)
            ],
        }
        for row in levels.gaps
    ]


def _frozen_claims(assessment: Assessment) -> tuple[dict[str, str], Counter]:
    """The claims (by criterion code) and evidence counts frozen at publication."""
    codes = {criterion.pk: criterion.code for criterion in catalog_scope(assessment).criteria}
    claimed = assessment.snapshot.get("claimed", {})
    answers = {codes[int(pk)]: value for pk, value in claimed.items() if int(pk) in codes}
    evidence = Counter(code for item in assessment.snapshot.get("evidence", []) for code in item["criteria"])
    return answers, evidence


def _reading(assessment: Assessment, levels: AssessmentLevels) -> dict:
    return {
        "reading": levels.reading,
        "target_level": levels.target,
        "parts": [group_data(group) for group in levels.parts],
        "subdomains": [group_data(group) for group in levels.subdomains],
        "subitems": [_subitem(row) for row in levels.subitems.values()],
        "gap": _gap(assessment, levels),
    }


def levels_data(assessment: Assessment) -> dict:
    """The provisional reading (team answers plus automatic verdicts) with the confirmed one inside it."""
    scope = catalog_scope(assessment)
    return _reading(assessment, provisional_levels(assessment, scope=scope)) | {
        "confirmed": _reading(assessment, confirmed_levels(assessment, scope=scope)),
    }


class LevelsView(APIView):
    @extend_schema(operation_id="assessments_levels", responses={200: LevelsOutput, **error_responses(404)})
    def get(self, request, assessment_id: int):
        return Response(LevelsOutput(levels_data(access_assessment(request.user, assessment_id))).data)
