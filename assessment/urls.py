from django.urls import path

from assessment.views import (
    assessments,
    audit,
    catalog,
    evidence,
    notifications,
    organisation,
    pages,
    portfolio,
    reports,
    review,
    webhooks,
)

# Each block belongs to one feature; keep edits inside your block.
urlpatterns = [
    # pages
    path("", pages.home, name="home"),
    path("healthz", pages.health, name="health"),
    path("readyz", pages.ready, name="ready"),
    # catalogue browser
    path("catalog/", catalog.model_list, name="catalog-models"),
    path("catalog/<slug:key>/<str:version>/", catalog.model_detail, name="catalog-model"),
    path("catalog/<slug:key>/<str:version>/parts/<str:part_code>/", catalog.part_detail, name="catalog-part"),
    path(
        "catalog/<slug:key>/<str:version>/subdomains/<str:subdomain_code>/",
        catalog.subdomain_detail,
        name="catalog-subdomain",
    ),
    path(
        "catalog/<slug:key>/<str:version>/subitems/<str:subitem_code>/", catalog.subitem_detail, name="catalog-subitem"
    ),
    # organisation admin and accounts
    path("orgs/<slug:slug>/members/", organisation.member_list, name="organisation-members"),
    path("orgs/<slug:slug>/members/add/", organisation.member_add, name="organisation-member-add"),
    path("orgs/<slug:slug>/members/<int:membership_id>/", organisation.member_roles, name="organisation-member"),
    path(
        "orgs/<slug:slug>/members/<int:membership_id>/remove/",
        organisation.member_remove,
        name="organisation-member-remove",
    ),
    path(
        "orgs/<slug:slug>/members/<int:membership_id>/invite/",
        organisation.member_invite,
        name="organisation-member-invite",
    ),
    path("orgs/<slug:slug>/projects/", organisation.project_list, name="organisation-projects"),
    path("orgs/<slug:slug>/projects/add/", organisation.project_add, name="organisation-project-add"),
    path("orgs/<slug:slug>/projects/<int:project_id>/", organisation.project_edit, name="organisation-project"),
    # projects, assessments, questionnaire and evidence
    path("projects/<int:project_id>/", assessments.project_detail, name="project"),
    path("projects/<int:project_id>/assessments/", assessments.assessment_start, name="assessment-start"),
    path("assessments/<int:assessment_id>/", assessments.assessment_overview, name="assessment-overview"),
    path("assessments/<int:assessment_id>/submit/", assessments.assessment_submit, name="assessment-submit"),
    path("assessments/<int:assessment_id>/evidence/", evidence.evidence_add, name="evidence-add"),
    path("assessments/<int:assessment_id>/evidence/attach/", evidence.evidence_attach, name="evidence-attach"),
    path("assessments/<int:assessment_id>/answers/<str:criterion_code>/", assessments.answer_save, name="answer-save"),
    path(
        "assessments/<int:assessment_id>/questionnaire/<str:subdomain_code>/",
        assessments.questionnaire,
        name="questionnaire",
    ),
    path("evidence/<int:evidence_id>/remove/", evidence.evidence_remove, name="evidence-remove"),
    path("evidence/<int:evidence_id>/download/", evidence.evidence_download, name="evidence-download"),
    path("evidence/<int:evidence_id>/row/", evidence.evidence_row, name="evidence-row"),
    # review, lifecycle and audit trail
    path("review/", review.review_queue, name="review-queue"),
    path("assessments/<int:assessment_id>/review/", review.review_page, name="review"),
    path("assessments/<int:assessment_id>/review/accept-verified/", review.bulk_accept, name="review-bulk-accept"),
    path("assessments/<int:assessment_id>/review/<str:criterion_code>/", review.decision_save, name="review-decision"),
    path("assessments/<int:assessment_id>/move/", review.assessment_move, name="assessment-move"),
    path("assessments/<int:assessment_id>/assessor/", review.assessor_assign, name="assessment-assign"),
    path("assessments/<int:assessment_id>/successor/", review.successor_start, name="assessment-successor"),
    path(
        "assessments/<int:assessment_id>/requests/<str:criterion_code>/reply/",
        review.request_reply,
        name="request-reply",
    ),
    path("assessments/<int:assessment_id>/audit/", audit.assessment_audit, name="assessment-audit"),
    path("orgs/<slug:slug>/audit/", audit.organisation_audit, name="organisation-audit"),
    # notifications
    path("notifications/", notifications.notification_list, name="notifications"),
    path("notifications/read/", notifications.notification_read_all, name="notifications-read"),
    path("notifications/<int:notification_id>/open/", notifications.notification_open, name="notification-open"),
    # outbound webhooks (organisation admins)
    path("orgs/<slug:slug>/webhooks/", webhooks.webhook_list, name="organisation-webhooks"),
    path("orgs/<slug:slug>/webhooks/add/", webhooks.webhook_add, name="organisation-webhook-add"),
    path(
        "orgs/<slug:slug>/webhooks/<int:subscription_id>/active/",
        webhooks.webhook_active,
        name="organisation-webhook-active",
    ),
    path(
        "orgs/<slug:slug>/webhooks/<int:subscription_id>/test/", webhooks.webhook_test, name="organisation-webhook-test"
    ),
    path(
        "orgs/<slug:slug>/webhooks/<int:subscription_id>/delete/",
        webhooks.webhook_delete,
        name="organisation-webhook-delete",
    ),
    # reports, exports, trends, portfolio and share links
    path("assessments/<int:assessment_id>/report/", reports.report, name="report"),
    path("assessments/<int:assessment_id>/report/pdf/", reports.report_pdf, name="report-pdf"),
    path("assessments/<int:assessment_id>/export/", reports.export, name="report-export"),
    path("assessments/<int:assessment_id>/share/", reports.share_create, name="share-create"),
    path("reports/<int:report_file_id>/", reports.report_file, name="report-file"),
    path("reports/<int:report_file_id>/download/", reports.report_file_download, name="report-file-download"),
    path("share-links/<int:link_id>/revoke/", reports.share_revoke, name="share-revoke"),
    path("shared/<str:token>/", reports.shared_report, name="shared-report"),
    path("projects/<int:project_id>/trends/", portfolio.trends, name="trends"),
    path("orgs/<slug:slug>/portfolio/", portfolio.portfolio_page, name="portfolio"),
    path("orgs/<slug:slug>/portfolio/sharing/", portfolio.share_settings, name="share-settings"),
]
