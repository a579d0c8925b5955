from django.urls import path
from rest_framework.routers import DefaultRouter

from assessment.api import answers, assessments, auth, evidence, levels, projects, reports
from assessment.api.catalog import MaturityModelViewSet

router = DefaultRouter()
router.register("catalog/models", MaturityModelViewSet, basename="catalog-model")

urlpatterns = [
    *router.urls,
    path("auth/token/", auth.TokenView.as_view(), name="api-token"),
    path("projects/", projects.ProjectListView.as_view(), name="api-projects"),
    path("projects/<int:project_id>/", projects.ProjectDetailView.as_view(), name="api-project"),
    path("assessments/", assessments.AssessmentListView.as_view(), name="api-assessments"),
    path("assessments/<int:assessment_id>/", assessments.AssessmentDetailView.as_view(), name="api-assessment"),
    path(
        "assessments/<int:assessment_id>/submit/",
        assessments.AssessmentSubmitView.as_view(),
        name="api-assessment-submit",
    ),
    path("assessments/<int:assessment_id>/answers/", answers.AnswerListView.as_view(), name="api-answers"),
    path("assessments/<int:assessment_id>/evidence/", evidence.EvidenceListView.as_view(), name="api-evidence-list"),
    path("assessments/<int:assessment_id>/levels/", levels.LevelsView.as_view(), name="api-levels"),
    path("evidence/<int:evidence_id>/", evidence.EvidenceDetailView.as_view(), name="api-evidence"),
    path("assessments/<int:assessment_id>/report/", reports.ReportView.as_view(), name="api-report"),
    path("assessments/<int:assessment_id>/report.pdf", reports.ReportPdfView.as_view(), name="api-report-pdf"),
    path("assessments/<int:assessment_id>/export/", reports.ExportView.as_view(), name="api-export"),
    path("portfolio/", reports.PortfolioView.as_view(), name="api-portfolio"),
]
