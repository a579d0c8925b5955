from django.urls import path
from rest_framework.routers import DefaultRouter

from assessment.api import answers, assessments, audit, auth, evidence, levels, projects, reports, review
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
    # review and lifecycle
    *[
        path(f"assessments/<int:assessment_id>/{slug}/", view.as_view(), name=f"api-assessment-{slug}")
        for slug, view in (
            ("start-review", review.StartReviewView),
            ("request-changes", review.RequestChangesView),
            ("complete-review", review.CompleteReviewView),
            ("reopen-review", review.ReopenReviewView),
            ("publish", review.PublishView),
            ("assessor", review.AssignView),
            ("supersede", review.SuccessorView),
            ("snapshot", review.SnapshotView),
            ("audit", audit.AuditListView),
        )
    ],
    path("assessments/<int:assessment_id>/decisions/", review.DecisionListView.as_view(), name="api-decisions"),
    path(
        "assessments/<int:assessment_id>/decisions/accept-verified/",
        review.AcceptVerifiedView.as_view(),
        name="api-decisions-accept-verified",
    ),
    path(
        "assessments/<int:assessment_id>/requests/<str:criterion_code>/reply/",
        review.ReplyView.as_view(),
        name="api-request-reply",
    ),
    path("notifications/", audit.NotificationListView.as_view(), name="api-notifications"),
    path("notifications/read/", audit.NotificationReadView.as_view(), name="api-notifications-read"),
    path("assessments/<int:assessment_id>/report/", reports.ReportView.as_view(), name="api-report"),
    path("assessments/<int:assessment_id>/report.pdf", reports.ReportPdfView.as_view(), name="api-report-pdf"),
    path("assessments/<int:assessment_id>/export/", reports.ExportView.as_view(), name="api-export"),
    path("portfolio/", reports.PortfolioView.as_view(), name="api-portfolio"),
]
