"""Read-only catalogue API: /api/v1/catalog/models/ with parts, sub-domains, items, sub-items and criteria."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.permissions import AllowAny

from assessment.access import visible_maturity_models
from assessment.api.pagination import CappedLimitOffsetPagination
from assessment.api.query import PagedQueryParameters, read_query
from assessment.models import Criterion, Item, MaturityModel, ModelLevel, Part, SubDomain, SubItem
from assessment.selectors import catalog as selectors


class CriterionSerializer(serializers.ModelSerializer):
    inferred = serializers.BooleanField(source="is_inferred")

    class Meta:
        model = Criterion
        fields = ["code", "level", "text_zh", "text_en", "inferred", "evidence_zh", "evidence_en", "checks"]


class SubItemSerializer(serializers.ModelSerializer):
    criteria = CriterionSerializer(many=True)

    class Meta:
        model = SubItem
        fields = ["code", "name_zh", "name_en", "note_zh", "note_en", "criteria"]


class ItemSerializer(serializers.ModelSerializer):
    subitems = SubItemSerializer(many=True)

    class Meta:
        model = Item
        fields = ["code", "name_zh", "name_en", "subitems"]


class SubDomainSerializer(serializers.ModelSerializer):
    items = ItemSerializer(many=True)

    class Meta:
        model = SubDomain
        fields = ["code", "name_zh", "name_en", "items"]


class PartSerializer(serializers.ModelSerializer):
    subdomains = SubDomainSerializer(many=True)

    class Meta:
        model = Part
        fields = ["code", "number", "name_zh", "name_en", "status", "basis_zh", "basis_en", "subdomains"]


class LevelSerializer(serializers.ModelSerializer):
    class Meta:
        model = ModelLevel
        fields = ["level", "name_zh", "name_en", "summary_zh", "summary_en"]


class MaturityModelSerializer(serializers.ModelSerializer):
    levels = LevelSerializer(many=True)
    parts = PartSerializer(many=True)

    class Meta:
        model = MaturityModel
        fields = [
            "id",
            "key",
            "version",
            "name_zh",
            "name_en",
            "standard",
            "rollup",
            "content_sha256",
            "loaded_at",
            "levels",
            "parts",
        ]


class CatalogQuery(PagedQueryParameters):
    key = serializers.CharField(required=False, max_length=60, help_text="Only the versions of this model.")


@extend_schema_view(list=extend_schema(parameters=[CatalogQuery]))
class MaturityModelViewSet(viewsets.ReadOnlyModelViewSet):
    """Maturity models with their whole tree. Filter with ?key=caict-devops."""

    serializer_class = MaturityModelSerializer
    permission_classes = [AllowAny]
    pagination_class = CappedLimitOffsetPagination

    def get_queryset(self):
        queryset = visible_maturity_models(self.request.user).order_by("key", "-loaded_at")
        if self.action == "list" and (key := read_query(CatalogQuery, self.request).get("key")):
            queryset = queryset.filter(key=key)
        return selectors.full_tree(queryset)
