"""Query parameters declared per view: a view's query serializer lists what it reads, and any other parameter
is refused with a 400 that names the accepted ones, so `?from=...` is not silently read as the default window.

The serializer is also what the view gives drf-spectacular (`parameters=[Query]`), so the schema documents
exactly the parameters that validation accepts. DRF's format override (`?format=json`) is always accepted.
"""

from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.settings import api_settings

from assessment.api.pagination import CappedLimitOffsetPagination


class QueryParameters(serializers.Serializer):
    """Refuses query parameters that are not its fields (nor in `also_accepted`)."""

    also_accepted: tuple[str, ...] = ()

    def accepted(self) -> list[str]:
        return [*self.fields, *self.also_accepted]

    def to_internal_value(self, data):
        accepted = self.accepted()
        unknown = [name for name in data if name not in accepted and name != api_settings.URL_FORMAT_OVERRIDE]
        if unknown:
            message = _("Unknown query parameter. Accepted: %(names)s.") % {"names": ", ".join(accepted) or "-"}
            raise serializers.ValidationError({name: [message] for name in unknown})
        return super().to_internal_value(data)


class PagedQueryParameters(QueryParameters):
    """The query of a paginated list: its own filters plus ?limit= and ?offset= (documented by the paginator)."""

    also_accepted = (CappedLimitOffsetPagination.limit_query_param, CappedLimitOffsetPagination.offset_query_param)


def read_query(query_class: type[QueryParameters], request) -> dict:
    """The request's query parameters, validated by the view's declared query serializer (400 otherwise)."""
    query = query_class(data=request.query_params)
    query.is_valid(raise_exception=True)
    return query.validated_data
