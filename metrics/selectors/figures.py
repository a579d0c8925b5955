"""Delivery figures per project and period: the DORA five and the CAICT indicators.

Definitions (every figure of a period counts the events whose anchor time falls in it, in the site's time zone):
- deployment frequency: successful production deployments per week (and per day) of the period's days so far
  (null for a period without any event: nothing was measured);
- change lead time: a deployed change's merge (or, unmerged, authoring) time to its deployment, median and p90;
- change fail rate: production deployments that failed or caused an incident, over all production deployments;
- failed-deployment recovery time: median over incidents opened in the period (opened to resolved) and runs of
  failed production deployments starting in it (first failure to the next success);
- deployment rework rate: production deployments that follow a failed change (the previous production
  deployment failed or caused an incident), over all production deployments;
- build duration (median, p90) and pipeline success rate over builds that finished (cancelled ones left out);
- delivery cycle: a deployed change's authoring to its deployment, median, in days;
- release frequency: versions (or commits) reaching production for the first time (their first successful
  production deployment), per week;
- CI feedback time: on one pipeline and branch, a red run's first failure to the next green build, median.
Anchors: deployments by finished_at, changes by deployed_at, incidents by opened_at, builds by finished_at.
Durations are kept to the whole second. On PostgreSQL the figures come from the delivery aggregates, which
metrics.services.rollups.refresh_rollups keeps (call it after a project's events change).
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from metrics.bands import band_for
from metrics.selectors import portable, postgres
from metrics.selectors.periods import Period, site_zone
from metrics.selectors.postgres import Scope, is_materialised

# The figures DORA bands (metrics/bands/*.yaml names them the same way).
BANDED = ("deployment_frequency_per_week", "lead_time_median_hours", "change_fail_rate", "recovery_median_hours")


_COUNTS = ("deployments", "changes", "incidents", "builds")


def _ratio(part, whole) -> float | None:
    return part / whole if whole else None


def _scaled(value, divisor: float) -> float | None:
    return None if value is None else value / divisor


@dataclass(frozen=True)
class PeriodFigures:
    period: Period
    is_complete: bool
    deployments: int = 0
    deployments_successful: int = 0
    changes: int = 0
    incidents: int = 0
    builds: int = 0
    deployment_frequency_per_week: float | None = None
    deployment_frequency_per_day: float | None = None
    max_deployments_per_day: int | None = None
    lead_time_median_hours: float | None = None
    lead_time_p90_hours: float | None = None
    change_fail_rate: float | None = None
    recovery_median_hours: float | None = None
    rework_rate: float | None = None
    build_duration_median_seconds: float | None = None
    build_duration_p90_seconds: float | None = None
    pipeline_success_rate: float | None = None
    delivery_cycle_median_days: float | None = None
    release_per_week: float | None = None
    ci_feedback_median_minutes: float | None = None
    bands: dict[str, str | None] = field(default_factory=dict)

    @property
    def has_events(self) -> bool:
        return bool(self.deployments or self.changes or self.incidents or self.builds)


def _figures(period: Period, totals: dict, now: datetime.datetime) -> PeriodFigures:
    # A period without any event measured nothing: no rate, not a rate of zero.
    days = period.days_covered(now) if any(totals.get(count) for count in _COUNTS) else 0
    deployments, successful = totals.get("deployments") or 0, totals.get("successful") or 0
    builds = totals.get("builds") or 0
    values = {
        "deployments": deployments,
        "deployments_successful": successful,
        "changes": totals.get("changes") or 0,
        "incidents": totals.get("incidents") or 0,
        "builds": builds,
        "deployment_frequency_per_week": successful / days * 7 if days else None,
        "deployment_frequency_per_day": successful / days if days else None,
        "max_deployments_per_day": totals.get("max_per_day") or (0 if deployments else None),
        "lead_time_median_hours": _scaled(totals.get("lead_seconds_median"), 3600),
        "lead_time_p90_hours": _scaled(totals.get("lead_seconds_p90"), 3600),
        "change_fail_rate": _ratio(totals.get("failed_changes") or 0, deployments),
        "recovery_median_hours": _scaled(totals.get("recovery_seconds"), 3600),
        "rework_rate": _ratio(totals.get("rework") or 0, deployments),
        "build_duration_median_seconds": totals.get("build_seconds_median"),
        "build_duration_p90_seconds": totals.get("build_seconds_p90"),
        "pipeline_success_rate": _ratio(totals.get("builds_successful") or 0, builds),
        "delivery_cycle_median_days": _scaled(totals.get("cycle_seconds"), 86400),
        "release_per_week": (totals.get("releases") or 0) / days * 7 if days else None,
        "ci_feedback_median_minutes": _scaled(totals.get("feedback_seconds"), 60),
    }
    bands = {name: band_for(name, values[name]) for name in BANDED}
    return PeriodFigures(period=period, is_complete=period.is_complete(now), bands=bands, **values)


def _totals(scope: Scope) -> dict[tuple[int, datetime.date], dict]:
    """Every total of the scope per (project, period start): one query on PostgreSQL, three elsewhere."""
    if is_materialised():
        return postgres.totals(scope)
    zone = site_zone()
    readers = (portable.deployment_totals, portable.change_totals, portable.build_totals)
    parts = [reader(scope, zone) for reader in readers]
    merged: dict[tuple[int, datetime.date], dict] = {}
    for part in parts:
        for key, row in part.items():
            merged.setdefault(key, {}).update(row)
    return merged


def figures_for_projects(project_ids: list[int], periods: list[Period]) -> dict[int, list[PeriodFigures]]:
    """Each project's figures for each of the periods (one kind, consecutive): one query on PostgreSQL."""
    if not periods:
        return {project_id: [] for project_id in project_ids}
    scope = Scope(
        kind=periods[0].kind, project_ids=tuple(project_ids), first_day=periods[0].start, end_day=periods[-1].end
    )
    totals, now = _totals(scope), timezone.now()
    return {
        project_id: [_figures(period, totals.get((project_id, period.start), {}), now) for period in periods]
        for project_id in project_ids
    }


def project_figures(project_id: int, periods: list[Period]) -> list[PeriodFigures]:
    return figures_for_projects([project_id], periods)[project_id]


def recompute_all(kind: str) -> dict[tuple[int, datetime.date], dict]:
    """A full recompute: every project's totals for every period of the kind over all history, from the
    aggregates (the benchmark's subject; the dashboards read bounded scopes)."""
    return _totals(Scope(kind=kind))
