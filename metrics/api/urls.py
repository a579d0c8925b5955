from django.urls import path

from metrics.api import events, figures

urlpatterns = [
    path("projects/<int:project_id>/events/", events.EventListView.as_view(), name="api-events"),
    path("projects/<int:project_id>/metrics/", figures.ProjectMetricsView.as_view(), name="api-project-metrics"),
]
