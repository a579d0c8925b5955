"""Stored levels: recomputed after each scoring and answer change, kept on the assessment for fast reading."""

from django.utils import timezone

from assessment.models import Assessment
from assessment.selectors.levels import AssessmentLevels, catalog_scope, confirmed_levels, provisional_levels


def levels_as_data(levels: AssessmentLevels) -> dict:
    """Levels in plain JSON: per sub-item (CAICT notation, blocking criterion levels), sub-domain and part."""
    return {
        "reading": levels.reading,
        "target": levels.target,
        "subitems": {
            row.subitem.code: {"level": row.level.notation, "achieved": row.level.achieved, "blocking": row.blocking}
            for row in levels.subitems.values()
        },
        "subdomains": {
            group.node.code: {
                "level": group.level.notation,
                "achieved": group.level.achieved,
                "distribution": group.distribution,
            }
            for group in levels.subdomains
        },
        "parts": {
            group.node.code: {
                "level": group.level.notation,
                "achieved": group.level.achieved,
                "distribution": group.distribution,
            }
            for group in levels.parts
        },
    }


def level_summary(stored: dict) -> dict:
    """Parts and sub-domains of both readings as {code: [achieved, next level partly met]}, and when."""
    summary = {"computed_at": stored.get("computed_at", "")}
    for reading in ("provisional", "confirmed"):
        data = stored.get(reading) or {}
        summary[reading] = {
            scope: {code: [row["achieved"], row["level"].endswith("-")] for code, row in data.get(scope, {}).items()}
            for scope in ("parts", "subdomains")
        }
    return summary


def refresh_stored_levels(assessment: Assessment) -> dict:
    """Recomputes both readings and stores them, with their summary."""
    scope = catalog_scope(assessment)
    stored = {
        "provisional": levels_as_data(provisional_levels(assessment, scope=scope)),
        "confirmed": levels_as_data(confirmed_levels(assessment, scope=scope)),
        "computed_at": timezone.now().isoformat(),
    }
    summary = level_summary(stored)
    Assessment.objects.filter(pk=assessment.pk).update(stored_levels=stored, level_summary=summary)
    assessment.stored_levels, assessment.level_summary = stored, summary
    return stored
