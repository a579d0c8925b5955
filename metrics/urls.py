from django.urls import path

from metrics import views

urlpatterns = [
    path("projects/<int:project_id>/events/import/", views.events_import, name="metrics-import"),
    path("projects/<int:project_id>/ingest/", views.project_credentials, name="metrics-credentials"),
    path("projects/<int:project_id>/ingest/tokens/", views.token_create, name="metrics-token-create"),
    path(
        "projects/<int:project_id>/ingest/tokens/<int:token_id>/revoke/",
        views.token_revoke,
        name="metrics-token-revoke",
    ),
    path("projects/<int:project_id>/ingest/secrets/", views.secret_rotate, name="metrics-secret-rotate"),
]
