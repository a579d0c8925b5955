"""Reads of the catalogue, already prefetched: each function costs a fixed number of queries."""

import datetime
import functools
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet

from assessment.models import Criterion, Item, MaturityModel, ModelLevel, Part, SubDomain, SubItem

MAX_SEARCH_RESULTS = 100


def list_models() -> QuerySet[MaturityModel]:
    return MaturityModel.objects.annotate(
        part_count=Count("parts", distinct=True), criterion_count=Count("criteria", distinct=True)
    ).order_by("key", "-loaded_at")


def model_levels(model: MaturityModel) -> list[ModelLevel]:
    return list(model.levels.all())


def parts_with_counts(model: MaturityModel) -> QuerySet[Part]:
    return (
        Part.objects.filter(model=model)
        .annotate(
            subdomain_count=Count("subdomains", distinct=True),
            subitem_count=Count("subdomains__items__subitems", distinct=True),
        )
        .order_by("number")
    )


def get_part(model: MaturityModel, code: str) -> Part | None:
    return Part.objects.filter(model=model, code=code).first()


def get_subdomain(model: MaturityModel, code: str) -> SubDomain | None:
    return SubDomain.objects.filter(model=model, code=code).select_related("part").first()


def part_tree(part: Part) -> list[SubDomain]:
    """The part's sub-domains with items and sub-items (no criteria), for the part page."""
    return list(
        part.subdomains.prefetch_related(
            Prefetch("items", queryset=Item.objects.order_by("position")),
            Prefetch("items__subitems", queryset=SubItem.objects.order_by("position")),
        ).order_by("position")
    )


def subdomain_ladders(subdomain: SubDomain) -> list[Item]:
    """The sub-domain's items with sub-items and their five-level ladders."""
    return list(
        subdomain.items.prefetch_related(
            Prefetch("subitems", queryset=SubItem.objects.order_by("position")),
            Prefetch("subitems__criteria", queryset=Criterion.objects.order_by("level")),
        ).order_by("position")
    )


def subitem_with_context(model: MaturityModel, code: str) -> SubItem | None:
    return (
        SubItem.objects.filter(model=model, code=code)
        .select_related("item__subdomain__part")
        .prefetch_related(Prefetch("criteria", queryset=Criterion.objects.order_by("level")))
        .first()
    )


def full_tree(queryset: QuerySet[MaturityModel]) -> QuerySet[MaturityModel]:
    """Models with every level of the tree prefetched (the API's nested view): seven queries in all."""
    return queryset.prefetch_related(
        Prefetch("levels", queryset=ModelLevel.objects.order_by("level")),
        Prefetch("parts", queryset=Part.objects.order_by("number")),
        Prefetch("parts__subdomains", queryset=SubDomain.objects.order_by("position")),
        Prefetch("parts__subdomains__items", queryset=Item.objects.order_by("position")),
        Prefetch("parts__subdomains__items__subitems", queryset=SubItem.objects.order_by("position")),
        Prefetch("parts__subdomains__items__subitems__criteria", queryset=Criterion.objects.order_by("level")),
    )


def search_subitems(model: MaturityModel, query: str) -> list[SubItem]:
    """Sub-items whose names or criteria mention the query, in either language."""
    words = query.split()
    if not words:
        return []
    condition = Q()
    for word in words:
        condition &= (
            Q(name_zh__icontains=word)
            | Q(name_en__icontains=word)
            | Q(code__icontains=word)
            | Q(item__name_zh__icontains=word)
            | Q(item__name_en__icontains=word)
            | Q(criteria__text_zh__icontains=word)
            | Q(criteria__text_en__icontains=word)
        )
    matching_ids = SubItem.objects.filter(condition, model=model).values("pk").distinct()
    return list(
        SubItem.objects.filter(pk__in=matching_ids)
        .select_related("item__subdomain__part")
        .prefetch_related(Prefetch("criteria", queryset=Criterion.objects.order_by("level")))
        .order_by("item__subdomain__part__number", "position")[:MAX_SEARCH_RESULTS]
    )


def current_model(key: str = "caict-devops") -> MaturityModel | None:
    """The newest loaded version of a model: what new assessments pin unless told otherwise."""
    return MaturityModel.objects.filter(key=key).order_by("-loaded_at", "-pk").first()


@dataclass(frozen=True)
class ModelCatalog:
    """A model version's tree below its parts, in catalogue order, each node linked to its parent (a criterion's
    `subitem.item.subdomain` costs no query). Shared between requests: read it, never change it."""

    parts: list[Part]  # by number
    subdomains: list[SubDomain]
    items: list[Item]
    subitems: list[SubItem]
    criteria: list[Criterion]  # in sub-item and level order
    criteria_by_code: dict[str, Criterion]
    # Derived views of the tree, built once per set of parts (selectors.levels.catalog_scope).
    scopes: dict = field(default_factory=dict, compare=False)


def model_catalog(model: MaturityModel) -> ModelCatalog:
    """The model version's tree: five queries the first time in a process, none after."""
    return _model_catalog(model.pk, model.content_sha256, model.loaded_at)


# A loaded model version never changes (services/catalog.py refuses other content for a loaded version), so one
# read per process serves every request. The key holds the content digest and the load time as well as the id,
# so a version deleted and loaded again, even under a reused id, is read afresh.
@functools.lru_cache(maxsize=8)
def _model_catalog(model_id: int, content_sha256: str, loaded_at: datetime.datetime) -> ModelCatalog:
    parts = list(Part.objects.filter(model_id=model_id).order_by("number"))
    subdomains = {node.pk: node for node in SubDomain.objects.filter(model_id=model_id).order_by("position")}
    items = {node.pk: node for node in Item.objects.filter(model_id=model_id).order_by("position")}
    subitems = {node.pk: node for node in SubItem.objects.filter(model_id=model_id).order_by("position")}
    criteria = list(Criterion.objects.filter(model_id=model_id).order_by("subitem__position", "level"))
    parts_by_id = {part.pk: part for part in parts}
    for subdomain in subdomains.values():
        subdomain.part = parts_by_id[subdomain.part_id]
    for item in items.values():
        item.subdomain = subdomains[item.subdomain_id]
    for subitem in subitems.values():
        subitem.item = items[subitem.item_id]
    for criterion in criteria:
        criterion.subitem = subitems[criterion.subitem_id]
    return ModelCatalog(
        parts=parts,
        subdomains=list(subdomains.values()),
        items=list(items.values()),
        subitems=list(subitems.values()),
        criteria=criteria,
        criteria_by_code={criterion.code: criterion for criterion in criteria},
    )
