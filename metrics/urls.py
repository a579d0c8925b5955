from django.urls import path

from metrics import views

urlpatterns = [
    path("projects/<int:project_id>/metrics/", views.project_metrics, name="project-metrics"),
    path("orgs/<slug:slug>/metrics/", views.organisation_metrics, name="organisation-metrics"),
]
