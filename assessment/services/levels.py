"""Stored levels: recomputed after each scoring and answer change, kept on the assessment for fast reading.

Stored levels record the version of the data they were computed from (selectors.levels.data_version). A
refresh lost on its way (the broker down when it was sent, a worker killed while running it) leaves them
behind the data, and the sweeper (assessments_with_stale_levels) has them computed again.

A part or sub-domain level that differs from the one stored before raises a level.changed webhook event.
The first computation compares with level "0" everywhere (what an assessment holds before anything is met), so
a new assessment raises nothing until some level is reached, and one whose answers came before its first
computation (a bulk upload, a successor) reports what it reached.
"""

from django.db import transaction
from django.utils import timezone

from assessment.models import Assessment, AssessmentState
from assessment.selectors.levels import (
    AssessmentLevels,
    catalog_scope,
    confirmed_levels,
    data_version,
    provisional_levels,
)
from assessment.services import webhooks


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


NO_LEVEL = "0"
REPORTED_SCOPES = (("part", "parts"), ("subdomain", "subdomains"))


def level_changes(before: dict, after: dict) -> list[dict]:
    """Parts and sub-domains whose level differs between two stored levels, both readings, in the order of
    `after` (catalogue order; PostgreSQL does not keep a stored object's key order). Missing means "0"."""
    changes = []
    for reading in ("provisional", "confirmed"):
        for scope, key in REPORTED_SCOPES:
            old = (before.get(reading) or {}).get(key) or {}
            for code, row in ((after.get(reading) or {}).get(key) or {}).items():
                was = (old.get(code) or {}).get("level", NO_LEVEL)
                if was != row["level"]:
                    change = {"reading": reading, "scope": scope, "code": code, "before": was, "after": row["level"]}
                    changes.append(change)
    return changes


@transaction.atomic
def refresh_stored_levels(assessment: Assessment) -> dict:
    """Recomputes both readings and stores them with their summary; reports changed part and sub-domain levels to
    webhooks."""
    # Under the row lock refreshes of one assessment take turns: each computes from what the previous one
    # committed and compares with what it stored, so a change is reported once and never by a stale reading.
    previous = Assessment.objects.select_for_update().filter(pk=assessment.pk).values_list("stored_levels", flat=True)
    previous = next(iter(previous), None)
    if previous is None:
        return {}  # deleted meanwhile
    # Read before the levels: a change committed in between leaves the recorded version behind the data (and the
    # sweeper computes again), never ahead of it.
    version = data_version(assessment.pk)
    scope = catalog_scope(assessment)
    stored = {
        "provisional": levels_as_data(provisional_levels(assessment, scope=scope)),
        "confirmed": levels_as_data(confirmed_levels(assessment, scope=scope)),
        "computed_at": timezone.now().isoformat(),
        "data_version": version,
    }
    summary = level_summary(stored)
    Assessment.objects.filter(pk=assessment.pk).update(stored_levels=stored, level_summary=summary)
    assessment.stored_levels, assessment.level_summary = stored, summary
    changes = level_changes(previous, stored)
    if changes:
        webhooks.raise_level_changed(assessment=assessment, changes=changes, occurred_at=stored["computed_at"])
    return stored


def assessments_with_stale_levels(*, limit: int = 500) -> list[int]:
    """Assessments not yet published whose stored levels were computed from other data than they hold now (one
    query each: the sweep runs every few minutes over the assessments in progress)."""
    recorded = (
        Assessment.objects.exclude(state=AssessmentState.PUBLISHED)
        .order_by("pk")
        .values_list("pk", "stored_levels__data_version")
    )
    stale = []
    for assessment_id, version in recorded.iterator():
        if version != data_version(assessment_id):
            stale.append(assessment_id)
            if len(stale) == limit:
                break
    return stale
