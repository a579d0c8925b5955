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


def refresh_stored_levels(assessment: Assessment) -> dict:
    """Recomputes both readings and stores them."""
    scope = catalog_scope(assessment)
    stored = {
        "provisional": levels_as_data(provisional_levels(assessment, scope=scope)),
        "confirmed": levels_as_data(confirmed_levels(assessment, scope=scope)),
        "computed_at": timezone.now().isoformat(),
    }
    Assessment.objects.filter(pk=assessment.pk).update(stored_levels=stored)
    assessment.stored_levels = stored
    return stored
