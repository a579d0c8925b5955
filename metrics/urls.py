from django.urls import path

from metrics.views import figures, ingest

urlpatterns = [
    path("projects/<int:project_id>/metrics/", figures.project_metrics, name="project-metrics"),
    path("orgs/<slug:slug>/metrics/", figures.organisation_metrics, name="organisation-metrics"),
    path("projects/<int:project_id>/events/import/", ingest.events_import, name="metrics-import"),
    path("projects/<int:project_id>/ingest/", ingest.project_credentials, name="metrics-credentials"),
    path("projects/<int:project_id>/ingest/tokens/", ingest.token_create, name="metrics-token-create"),
    path(
        "projects/<int:project_id>/ingest/tokens/<int:token_id>/revoke/",
        ingest.token_revoke,
        name="metrics-token-revoke",
    ),
    path("projects/<int:project_id>/ingest/secrets/", ingest.secret_rotate, name="metrics-secret-rotate"),
]
