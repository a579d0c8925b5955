"""Reports over the API: the level report as JSON, its PDF (rendered by a worker), exports, and the portfolio."""

from django.http import HttpResponse
from django.utils import translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.response import Response
from rest_framework.views import APIView

from assessment.access import Action, access_assessment, access_organisation
from assessment.api.levels import GroupLevelOutput, group_data, levels_data
from assessment.api.query import QueryParameters
from assessment.api.schema import error_responses
from assessment.models import ReportFile, ReportKind, ReportStatus
from assessment.reports.exports import FORMATS
from assessment.selectors.exports import export_tables
from assessment.selectors.portfolio import SORTS, Filters, portfolio
from assessment.selectors.reports import PROVISIONAL, READINGS, Report, assessment_report
from assessment.services.reports import request_report_file


class FileOrJSON(DefaultContentNegotiation):
    """For endpoints that answer with a file: `?format=` names the file's format, not a DRF renderer, and
    `Accept: application/pdf` (or text/csv) must not be refused; statuses and errors are JSON."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class ReportLevelNameOutput(serializers.Serializer):
    level = serializers.IntegerField()
    name_zh = serializers.CharField()
    name_en = serializers.CharField()


class ReportOverallOutput(serializers.Serializer):
    reading = serializers.ChoiceField(choices=READINGS)
    level = serializers.CharField(help_text='CAICT notation: "3" reached, "3-" level 3 partly met, "0" none.')
    achieved = serializers.IntegerField()
    name = ReportLevelNameOutput(allow_null=True, help_text="The achieved level's name; null at level 0.")


class ReportBacklogOutput(serializers.Serializer):
    subdomain = serializers.CharField()
    subitem = serializers.CharField()
    subitem_level = serializers.CharField()
    criterion = serializers.CharField()
    level = serializers.IntegerField()
    answer = serializers.CharField(help_text="met, partly, not_met, na or unanswered.")
    evidence = serializers.IntegerField()
    review = serializers.CharField(help_text="accepted, rejected, info_requested, or empty when not reviewed.")


class ReportCoverageOutput(serializers.Serializer):
    criteria = serializers.IntegerField(help_text="Criteria up to the target level.")
    answered = serializers.IntegerField()
    with_evidence = serializers.IntegerField()
    accepted = serializers.IntegerField()
    rejected = serializers.IntegerField()
    info_requested = serializers.IntegerField()
    awaiting_review = serializers.IntegerField()


class ReportOutput(serializers.Serializer):
    assessment = serializers.IntegerField()
    reading = serializers.ChoiceField(choices=READINGS)
    target_level = serializers.IntegerField()
    overall = ReportOverallOutput()
    other = ReportOverallOutput(help_text="The other reading's overall level.")
    parts = GroupLevelOutput(many=True)
    subdomains = GroupLevelOutput(many=True)
    heat = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Per sub-item code, the answer state of criteria 1..5 (met, partly, not_met, na, unanswered).",
    )
    backlog = ReportBacklogOutput(many=True)
    coverage = ReportCoverageOutput()
    delivery = serializers.DictField(allow_null=True, help_text="Latest delivery-metric figures, or null.")
    levels = serializers.JSONField(help_text="Both readings per sub-item, as assessments/{id}/levels/ gives them.")


def _overall(overall) -> dict:
    name = overall.name
    return {
        "reading": overall.reading,
        "level": overall.level.notation,
        "achieved": overall.level.achieved,
        "name": {"level": name.level, "name_zh": name.name_zh, "name_en": name.name_en} if name else None,
    }


def report_data(report: Report) -> dict:
    coverage = report.coverage
    panel = report.delivery
    return {
        "assessment": report.assessment.pk,
        "reading": report.reading,
        "target_level": report.assessment.target_level,
        "overall": _overall(report.overall),
        "other": _overall(report.other),
        "parts": [group_data(group) for group in report.levels.parts],
        "subdomains": [group_data(group) for group in report.levels.subdomains],
        "heat": {row.subitem.code: [cell.state for cell in row.cells] for group in report.heat for row in group.rows},
        "backlog": [
            {
                "subdomain": entry.subdomain.code,
                "subitem": entry.subitem.code,
                "subitem_level": entry.subitem_level.notation,
                "criterion": entry.criterion.code,
                "level": entry.criterion.level,
                "answer": entry.answer,
                "evidence": entry.evidence_count,
                "review": entry.review,
            }
            for entry in report.backlog
        ],
        "coverage": vars(coverage),
        "delivery": None
        if panel is None
        else {
            "period_start": panel.period_start,
            "period_end": panel.period_end,
            "figures": {figure.name: figure.value for figure in panel.figures},
        },
        "levels": levels_data(report.assessment),
    }


class ReportQuery(QueryParameters):
    reading = serializers.ChoiceField(choices=READINGS, default=PROVISIONAL)


class ReportView(APIView):
    @extend_schema(
        operation_id="assessments_report",
        parameters=[ReportQuery],
        responses={200: ReportOutput, **error_responses(400, 404)},
    )
    def get(self, request, assessment_id: int):
        assessment = access_assessment(request.user, assessment_id)
        query = ReportQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        return Response(report_data(assessment_report(assessment, reading=query.validated_data["reading"])))


class PdfQuery(ReportQuery):
    kind = serializers.ChoiceField(choices=ReportKind.choices, default=ReportKind.REPORT)


class ReportPdfPendingOutput(serializers.Serializer):
    status = serializers.ChoiceField(choices=ReportStatus.choices)
    progress = serializers.IntegerField(help_text="0..100")
    reason = serializers.CharField(help_text="Why rendering failed, when it did.")


class ReportPdfView(APIView):
    content_negotiation_class = FileOrJSON

    @extend_schema(
        operation_id="assessments_report_pdf",
        parameters=[PdfQuery],
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The PDF, when ready."),
            202: OpenApiResponse(ReportPdfPendingOutput, description="Rendering: ask again until 200."),
            **error_responses(400, 404),
        },
    )
    def get(self, request, assessment_id: int):
        """Asks for the PDF (the report, or the pre-assessment pack) in the request's language: 200 with the file
        when it is ready for the assessment as it is now, else 202 while a worker renders it."""
        assessment = access_assessment(request.user, assessment_id)
        query = PdfQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        report_file = request_report_file(
            assessment=assessment, language=translation.get_language(), **query.validated_data
        )
        report_file = ReportFile.objects.get(pk=report_file.pk)  # the content, if a worker already rendered it
        if report_file.status != ReportStatus.READY:
            data = {"status": report_file.status, "progress": report_file.progress, "reason": report_file.reason}
            return Response(data, status=status.HTTP_202_ACCEPTED)
        response = HttpResponse(bytes(report_file.content), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="assessment-{assessment.pk}-{report_file.kind}.pdf"'
        return response


class ExportQuery(QueryParameters):
    format = serializers.ChoiceField(choices=["csv", "xlsx", "json"], default="csv")


class ExportView(APIView):
    content_negotiation_class = FileOrJSON

    @extend_schema(
        operation_id="assessments_export",
        parameters=[ExportQuery],
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY, description="UTF-8 with BOM; one section a table."),
            (200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): OpenApiResponse(
                OpenApiTypes.BINARY, description="Sheets answers, levels and evidence."
            ),
            (200, "application/json"): OpenApiResponse(
                OpenApiTypes.OBJECT, description="{table name: [{column: value}]}"
            ),
            **error_responses(400, 404),
        },
    )
    def get(self, request, assessment_id: int):
        """Answers, levels and the evidence index; text cells that would start a formula are neutralised."""
        assessment = access_assessment(request.user, assessment_id)
        query = ExportQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        file_format, tables = query.validated_data["format"], export_tables(assessment)
        if file_format == "json":
            return Response(
                {table.name: [dict(zip(table.header, row, strict=True)) for row in table.rows] for table in tables}
            )
        content_type, write = FORMATS[file_format]
        response = HttpResponse(write(tables), content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="assessment-{assessment.pk}.{file_format}"'
        return response


class PortfolioQuery(QueryParameters):
    organisation = serializers.SlugField(help_text="The organisation's short name.")
    q = serializers.CharField(required=False, default="", max_length=100)
    state = serializers.CharField(required=False, default="", max_length=20)
    below_target = serializers.BooleanField(required=False, default=False)
    sort = serializers.ChoiceField(choices=SORTS, default="name")


class PortfolioRowOutput(serializers.Serializer):
    project = serializers.IntegerField()
    name = serializers.CharField()
    assessment = serializers.IntegerField(allow_null=True)
    state = serializers.CharField(allow_null=True)
    target_level = serializers.IntegerField()
    provisional = serializers.CharField(allow_null=True, help_text="CAICT notation; null before any level.")
    confirmed = serializers.CharField(allow_null=True)
    last_activity = serializers.DateTimeField()
    subdomains = serializers.DictField(child=serializers.CharField(allow_null=True))


class PortfolioOutput(serializers.Serializer):
    organisation = serializers.CharField()
    total = serializers.IntegerField()
    distribution = serializers.DictField(child=serializers.IntegerField())
    unassessed = serializers.IntegerField()
    projects = PortfolioRowOutput(many=True)


def _notation(level) -> str | None:
    return level.notation if level is not None else None


def portfolio_data(data) -> dict:
    codes = [node.code for node in data.subdomains]
    return {
        "organisation": data.organisation.slug,
        "total": data.total,
        "distribution": {str(level): count for level, count in data.distribution},
        "unassessed": data.unassessed,
        "projects": [
            {
                "project": row.project.pk,
                "name": row.project.name,
                "assessment": row.assessment.pk if row.assessment else None,
                "state": row.assessment.state if row.assessment else None,
                "target_level": row.target_level,
                "provisional": _notation(row.provisional.overall),
                "confirmed": _notation(row.confirmed.overall),
                "last_activity": row.last_activity,
                "subdomains": {code: _notation(cell) for code, cell in zip(codes, row.cells, strict=True)},
            }
            for row in data.rows
        ],
    }


class PortfolioView(APIView):
    @extend_schema(
        operation_id="portfolio",
        parameters=[PortfolioQuery],
        responses={200: PortfolioOutput, **error_responses(400, 403, 404)},
    )
    def get(self, request):
        """Every project of an organisation with its latest assessment's levels: for managers and admins."""
        query = PortfolioQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        organisation = access_organisation(request.user, params["organisation"], action=Action.OVERSEE)
        filters = Filters(
            query=params["q"], state=params["state"], below_target=params["below_target"], sort=params["sort"]
        )
        return Response(PortfolioOutput(portfolio_data(portfolio(organisation, filters))).data)
