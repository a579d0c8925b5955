from django.urls import path

from metrics.api import events

urlpatterns = [
    path("projects/<int:project_id>/events/", events.EventListView.as_view(), name="api-events"),
]
