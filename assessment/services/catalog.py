"""Writes of the catalogue: loading a model version from a file, and queued imports of uploaded files."""

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from assessment.catalog.problems import CatalogFileError, Problem
from assessment.catalog.schema import validate_catalog
from assessment.catalog.yaml_source import read_yaml
from assessment.models import (
    CatalogImport,
    Criterion,
    Item,
    MaturityModel,
    ModelLevel,
    Part,
    SubDomain,
    SubItem,
)
from assessment.models.catalog import CatalogImportStatus
from assessment.services.queueing import publish_after_commit


class CatalogVersionConflict(Exception):
    """The key and version exist with other content; published versions are immutable."""


@dataclass(frozen=True)
class LoadOutcome:
    model: MaturityModel
    created: bool


def _digest(data: dict) -> str:
    # Over the parsed content, so comments and formatting may change but meaning may not.
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def parse_catalog(source: bytes) -> dict:
    """The validated document; raises CatalogFileError listing every problem."""
    data, lines = read_yaml(source, max_bytes=settings.CATALOG_MAX_FILE_BYTES)
    problems = validate_catalog(data, lines)
    if problems:
        raise CatalogFileError(problems)
    return data


def load_catalog(*, source: bytes) -> LoadOutcome:
    """Loads a model version once; the same content again changes nothing, other content is refused."""
    data = parse_catalog(source)
    digest = _digest(data)
    existing = MaturityModel.objects.filter(key=data["key"], version=data["version"]).first()
    if existing is None:
        try:
            return LoadOutcome(model=_create_model(data, digest), created=True)
        except IntegrityError:
            # Another load of the same version won the race; judge against what it wrote.
            existing = MaturityModel.objects.get(key=data["key"], version=data["version"])
    if existing.content_sha256 != digest:
        raise CatalogVersionConflict(
            f"{data['key']} version {data['version']} is already loaded with different content. "
            "A loaded version never changes (assessments pin it): give the changed model a new version."
        )
    return LoadOutcome(model=existing, created=False)


@transaction.atomic
def _create_model(data: dict, digest: str) -> MaturityModel:
    model = MaturityModel.objects.create(
        key=data["key"],
        version=data["version"],
        name_zh=data["name_zh"],
        name_en=data["name_en"],
        standard=data.get("standard", ""),
        source_zh=data.get("source_zh", ""),
        source_en=data.get("source_en", ""),
        rollup=data.get("rollup", "min"),
        content_sha256=digest,
    )
    ModelLevel.objects.bulk_create(
        ModelLevel(
            model=model,
            level=level["level"],
            name_zh=level["name_zh"],
            name_en=level["name_en"],
            summary_zh=level.get("summary_zh", ""),
            summary_en=level.get("summary_en", ""),
        )
        for level in data["levels"]
    )
    _create_tree(model, data["parts"])
    return model


def _node(model: MaturityModel, node: dict, position: int, **fields) -> dict:
    return dict(
        model=model, code=node["code"], name_zh=node["name_zh"], name_en=node["name_en"], position=position, **fields
    )


def _create_tree(model: MaturityModel, parts_data: list[dict]) -> None:
    """Five bulk inserts, one per tree level, whatever the size of the model."""
    parts = Part.objects.bulk_create(
        Part(
            **_node(
                model,
                part,
                index,
                number=part["number"],
                status=part.get("status", "assessable"),
                basis_zh=part.get("basis_zh", ""),
                basis_en=part.get("basis_en", ""),
            )
        )
        for index, part in enumerate(parts_data)
    )
    subdomain_rows = [
        (part, sub) for part, data in zip(parts, parts_data, strict=True) for sub in data.get("subdomains", [])
    ]
    subdomains = SubDomain.objects.bulk_create(
        SubDomain(**_node(model, sub, index, part=part)) for index, (part, sub) in enumerate(subdomain_rows)
    )
    item_rows = [
        (sub, item) for sub, (_, data) in zip(subdomains, subdomain_rows, strict=True) for item in data.get("items", [])
    ]
    items = Item.objects.bulk_create(
        Item(**_node(model, item, index, subdomain=sub)) for index, (sub, item) in enumerate(item_rows)
    )
    subitem_rows = [
        (item, subitem)
        for item, (_, data) in zip(items, item_rows, strict=True)
        for subitem in data.get("subitems", [])
    ]
    subitems = SubItem.objects.bulk_create(
        SubItem(
            **_node(model, subitem, index, item=item),
            note_zh=subitem.get("note_zh", ""),
            note_en=subitem.get("note_en", ""),
        )
        for index, (item, subitem) in enumerate(subitem_rows)
    )
    Criterion.objects.bulk_create(
        Criterion(
            model=model,
            subitem=subitem,
            code=f"{subitem.code}@{criterion['level']}",
            level=criterion["level"],
            text_zh=criterion["text_zh"],
            text_en=criterion["text_en"],
            is_inferred=criterion.get("inferred", False),
            evidence_zh=criterion.get("evidence_zh", []),
            evidence_en=criterion.get("evidence_en", []),
            checks=criterion.get("checks", []),
        )
        for subitem, (_, data) in zip(subitems, subitem_rows, strict=True)
        for criterion in data["criteria"]
    )


def load_catalog_file(*, path: Path) -> LoadOutcome:
    """load_catalog on a file; raises CatalogFileError (unreadable file) with the usual problems."""
    try:
        source = path.read_bytes()
    except OSError as error:
        raise CatalogFileError([Problem(None, "", f"cannot read the file: {error.strerror}")]) from None
    return load_catalog(source=source)


def request_catalog_import(*, file_name: str, content: bytes, user) -> CatalogImport:
    """Records an uploaded catalogue file and queues it for loading once the upload is committed."""
    catalog_import = CatalogImport.objects.create(file_name=file_name[:255], content=content, created_by=user)
    publish_after_commit("assessment.run_catalog_import", catalog_import.pk)
    return catalog_import


def run_catalog_import_now(*, catalog_import_id: int) -> None:
    """Loads a pending import and records the outcome; a finished import is left alone."""
    with transaction.atomic():
        catalog_import = (
            CatalogImport.objects.select_for_update()
            .filter(pk=catalog_import_id, status=CatalogImportStatus.PENDING)
            .first()
        )
        if catalog_import is None:
            return
        problems = ""
        try:
            outcome = load_catalog(source=bytes(catalog_import.content))
        except CatalogFileError as error:
            status, model = CatalogImportStatus.FAILED, None
            problems = "\n".join(problem.format(catalog_import.file_name) for problem in error.problems)
        except CatalogVersionConflict as error:
            status, model, problems = CatalogImportStatus.FAILED, None, str(error)
        else:
            model = outcome.model
            status = CatalogImportStatus.LOADED if outcome.created else CatalogImportStatus.UNCHANGED
        catalog_import.status, catalog_import.model, catalog_import.problems = status, model, problems
        catalog_import.finished_at = timezone.now()
        catalog_import.save(update_fields=["status", "model", "problems", "finished_at"])
