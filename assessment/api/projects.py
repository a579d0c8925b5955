"""Projects of the caller's organisations (read-only here; organisation admins manage them in the HTML pages)."""

from django.contrib.auth import get_user_model
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from assessment.access import access_project, visible_projects
from assessment.api.pagination import CappedLimitOffsetPagination
from assessment.api.schema import error_responses
from assessment.models import Organisation, Project


class OrganisationOutput(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["slug", "name"]


class ProjectOutput(serializers.ModelSerializer):
    organisation = OrganisationOutput()
    team = serializers.SlugRelatedField(slug_field="username", many=True, read_only=True)

    class Meta:
        model = Project
        fields = ["id", "name", "description", "target_level", "organisation", "team"]


def _with_team(queryset):
    people = get_user_model().objects.only("pk", "username").order_by("username")
    return queryset.select_related("organisation").prefetch_related(Prefetch("team", queryset=people))


class ProjectListView(GenericAPIView):
    pagination_class = CappedLimitOffsetPagination

    @extend_schema(operation_id="projects_list", responses=ProjectOutput(many=True))
    def get(self, request):
        projects = _with_team(visible_projects(request.user)).order_by("organisation__name", "name")
        return self.get_paginated_response(ProjectOutput(self.paginate_queryset(projects), many=True).data)


class ProjectDetailView(APIView):
    @extend_schema(operation_id="projects_retrieve", responses={200: ProjectOutput, **error_responses(404)})
    def get(self, request, project_id: int):
        return Response(ProjectOutput(access_project(request.user, project_id)).data)
