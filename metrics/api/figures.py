"""GET projects/{id}/metrics/: a project's DORA and CAICT figures per period, each banded where DORA has bands."""

from dataclasses import asdict

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from assessment.access import access_project
from assessment.api.query import QueryParameters
from assessment.api.schema import error_responses
from metrics.selectors.dashboard import ProjectDashboard, choose_periods, project_dashboard
from metrics.selectors.definitions import COMPANIONS, DEFINITIONS
from metrics.selectors.figures import PeriodFigures
from metrics.selectors.periods import KINDS, MAX_PERIODS, WEEK, site_zone

COUNTS = ["deployments", "deployments_successful", "changes", "incidents", "builds"]
FIGURES = [
    "deployment_frequency_per_week",
    "deployment_frequency_per_day",
    "max_deployments_per_day",
    "lead_time_median_hours",
    "lead_time_p90_hours",
    "change_fail_rate",
    "recovery_median_hours",
    "rework_rate",
    "build_duration_median_seconds",
    "build_duration_p90_seconds",
    "pipeline_success_rate",
    "delivery_cycle_median_days",
    "release_per_week",
    "ci_feedback_median_minutes",
]


def _figure(name: str, prefix: str) -> serializers.FloatField:
    """A figure documented by its definition (metrics/selectors/definitions.py)."""
    definition = DEFINITIONS[COMPANIONS.get(name, name)]
    return serializers.FloatField(allow_null=True, help_text=definition.describe(f"{prefix} "))


class MetricsQuery(QueryParameters):
    period = serializers.ChoiceField(choices=list(KINDS), default=WEEK)
    start = serializers.DateField(required=False, help_text="First day (YYYY-MM-DD); its period is included.")
    end = serializers.DateField(required=False, help_text="Last day (YYYY-MM-DD), default today.")

    default_error_messages = {"too_many": gettext_lazy("Ask for at most {limit} periods at a time.")}

    def validate(self, attrs):
        start, end = attrs.get("start"), attrs.get("end") or timezone.localdate()
        if start and start > end:
            raise serializers.ValidationError({"start": [_("The start is after the end (by default today).")]})
        periods = choose_periods(attrs["period"], start, attrs.get("end"))
        if len(periods) > MAX_PERIODS:
            raise serializers.ValidationError({"start": [self.error_messages["too_many"].format(limit=MAX_PERIODS)]})
        return attrs | {"periods": periods}


class PeriodOutput(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField(help_text="The period's last day.")
    complete = serializers.BooleanField(help_text="False for the period still running (rates use its days so far).")
    deployments = serializers.IntegerField(help_text="Production deployments finished in the period.")
    deployments_successful = serializers.IntegerField()
    changes = serializers.IntegerField(help_text="Changes deployed to production in the period.")
    incidents = serializers.IntegerField(help_text="Incidents opened in the period.")
    builds = serializers.IntegerField(help_text="Builds finished in the period (cancelled ones left out).")
    deployment_frequency_per_week = _figure("deployment_frequency_per_week", "Per week; null without data.")
    deployment_frequency_per_day = _figure("deployment_frequency_per_day", "Per day; null without data.")
    max_deployments_per_day = serializers.IntegerField(allow_null=True, help_text="The busiest day's count.")
    lead_time_median_hours = _figure("lead_time_median_hours", "Median, hours; null without data.")
    lead_time_p90_hours = _figure("lead_time_p90_hours", "90th percentile, hours; null without data.")
    change_fail_rate = _figure("change_fail_rate", "0..1; null without data.")
    recovery_median_hours = _figure("recovery_median_hours", "Median, hours; null without data.")
    rework_rate = _figure("rework_rate", "0..1; null without data.")
    build_duration_median_seconds = _figure("build_duration_median_seconds", "Median, seconds; null without data.")
    build_duration_p90_seconds = _figure("build_duration_p90_seconds", "90th percentile, seconds; null without data.")
    pipeline_success_rate = _figure("pipeline_success_rate", "0..1; null without data.")
    delivery_cycle_median_days = _figure("delivery_cycle_median_days", "Median, days; null without data.")
    release_per_week = _figure("release_per_week", "Per week; null without data.")
    ci_feedback_median_minutes = _figure("ci_feedback_median_minutes", "Median, minutes; null without data.")
    bands = serializers.DictField(
        child=serializers.ChoiceField(choices=["elite", "high", "medium", "low"], allow_null=True),
        help_text="The DORA band of each banded figure (null without a value).",
    )


class BandSourceOutput(serializers.Serializer):
    source = serializers.CharField()
    url = serializers.URLField()
    year = serializers.IntegerField()


class CoverageOutput(serializers.Serializer):
    line_rate = serializers.FloatField()
    evidence = serializers.IntegerField(source="evidence_id")
    assessment = serializers.IntegerField(source="assessment_id")
    effective_on = serializers.DateField()


class MetricsOutput(serializers.Serializer):
    project = serializers.IntegerField()
    period = serializers.ChoiceField(choices=list(KINDS))
    time_zone = serializers.CharField()
    bands = BandSourceOutput()
    test_coverage = CoverageOutput(allow_null=True, help_text=DEFINITIONS["test_coverage"].describe("0..1. "))
    periods = PeriodOutput(many=True)


def _period(figures: PeriodFigures) -> dict:
    values = {name: getattr(figures, name) for name in [*COUNTS, *FIGURES]}
    return values | {
        "start": figures.period.start,
        "end": figures.period.last_day,
        "complete": figures.is_complete,
        "bands": figures.bands,
    }


def metrics_data(dashboard: ProjectDashboard) -> dict:
    bands = dashboard.bands
    return {
        "project": dashboard.project.pk,
        "period": dashboard.kind,
        "time_zone": str(site_zone()),
        "bands": {"source": bands.source, "url": bands.url, "year": bands.year},
        "test_coverage": asdict(dashboard.coverage) if dashboard.coverage else None,
        "periods": [_period(figures) for figures in dashboard.series],
    }


class ProjectMetricsView(APIView):
    @extend_schema(
        operation_id="projects_metrics",
        parameters=[MetricsQuery],
        responses={200: MetricsOutput, **error_responses(400, 404)},
    )
    def get(self, request, project_id: int):
        project = access_project(request.user, project_id)
        query = MetricsQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        dashboard = project_dashboard(project, query.validated_data["periods"])
        return Response(MetricsOutput(metrics_data(dashboard)).data)
