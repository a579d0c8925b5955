from django.urls import path

from metrics import api

urlpatterns = [
    path("projects/<int:project_id>/metrics/", api.ProjectMetricsView.as_view(), name="api-project-metrics"),
]
