from assessment.models.catalog import (
    CatalogImport,
    Criterion,
    Item,
    MaturityModel,
    ModelLevel,
    Part,
    SubDomain,
    SubItem,
)

__all__ = [
    "CatalogImport",
    "Criterion",
    "Item",
    "MaturityModel",
    "ModelLevel",
    "Part",
    "SubDomain",
    "SubItem",
]
