from django.urls import path

from metrics.hooks import views

urlpatterns = [
    path("<slug:provider>/<str:hook_id>/", views.receive, name="metrics-hook"),
]
