"""Figures on a random dataset against a reference computed here in plain Python from the same rows, for
every period kind: the database's aggregates must agree with the definitions, not just with themselves."""

import datetime
import random
import statistics

import pytest

from metrics.models import Build, Change, Deployment, Incident
from metrics.selectors.figures import project_figures
from metrics.selectors.periods import periods_between
from tests.metrics.figure_events import SHANGHAI, settle

pytestmark = pytest.mark.django_db

FIRST_DAY, LAST_DAY = datetime.date(2026, 8, 20), datetime.date(2026, 11, 10)
FIGURES = [
    "deployments",
    "deployments_successful",
    "changes",
    "incidents",
    "builds",
    "max_deployments_per_day",
    "change_fail_rate",
    "rework_rate",
    "recovery_median_hours",
    "lead_time_median_hours",
    "lead_time_p90_hours",
    "delivery_cycle_median_days",
    "release_per_week",
    "build_duration_median_seconds",
    "build_duration_p90_seconds",
    "pipeline_success_rate",
    "ci_feedback_median_minutes",
]


def _moment(rng: random.Random) -> datetime.datetime:
    start = datetime.datetime(2026, 8, 15, tzinfo=datetime.UTC)
    return start + datetime.timedelta(seconds=rng.randrange(0, 90 * 86400))


def _random_events(project, rng: random.Random) -> None:
    common = {"organisation_id": project.organisation_id, "project": project}
    deployments = []
    for number in range(160):
        deployments.append(
            Deployment.objects.create(
                **common,
                external_id=f"d{number}",
                environment="production" if number % 6 else "staging",
                is_production=bool(number % 6),
                finished_at=_moment(rng),
                result="failure" if rng.random() < 0.2 else "success",
                version=f"v{rng.randrange(60)}",
            )
        )
    shipping = sorted(
        (d for d in deployments if d.is_production and d.result == "success"), key=lambda d: d.finished_at
    )
    for number in range(300):
        authored = _moment(rng) - datetime.timedelta(days=3)
        merged = authored + datetime.timedelta(seconds=rng.randrange(0, 4 * 86400)) if rng.random() < 0.8 else None
        owner = next((d for d in shipping if d.finished_at >= (merged or authored)), None)
        Change.objects.create(
            **common,
            external_id=f"c{number}",
            commit_sha=f"{number:040x}",
            authored_at=authored,
            merged_at=merged,
            deployment=owner,
            deployed_at=owner.finished_at if owner else None,
        )
    production = sorted((d for d in deployments if d.is_production), key=lambda d: d.finished_at)
    for number in range(25):
        opened = _moment(rng)
        owner = next((d for d in reversed(production) if d.finished_at < opened), None)
        resolved = opened + datetime.timedelta(seconds=rng.randrange(60, 50 * 3600)) if rng.random() < 0.9 else None
        Incident.objects.create(
            **common, external_id=f"i{number}", opened_at=opened, resolved_at=resolved, deployment=owner
        )
    for number in range(200):
        finished = _moment(rng)
        Build.objects.create(
            **common,
            external_id=f"b{number}",
            name=rng.choice(["ci", "nightly"]),
            branch=rng.choice(["main", "feature"]),
            started_at=finished - datetime.timedelta(seconds=rng.randrange(30, 1800)),
            finished_at=finished,
            result=rng.choices(["success", "failure", "cancelled"], weights=[6, 3, 1])[0],
        )
    settle(project)


def _p90(values):
    """percentile_cont(0.9): linear interpolation at rank 0.9 × (n − 1)."""
    return statistics.quantiles(values, n=10, method="inclusive")[8] if len(values) > 1 else values[0]


def _median_or_none(values):
    return statistics.median(values) if values else None


def _next_green(history, index):
    return next((later for later in history[index + 1 :] if later.result == "success"), None)


def _reference(project, period) -> dict:
    """The figures of one period, straight from the definitions."""

    def inside(moment):
        return period.start <= moment.astimezone(SHANGHAI).date() < period.end

    weeks = (period.end - period.start).days / 7
    return {
        **_deployment_reference(project, inside, weeks),
        **_change_reference(project, inside),
        **_build_reference(project, inside),
    }


def _deployment_reference(project, inside, weeks: float) -> dict:
    production = sorted(Deployment.objects.filter(project=project, is_production=True), key=lambda d: d.finished_at)
    caused = set(Incident.objects.filter(project=project).values_list("deployment_id", flat=True))
    failed = {d.pk for d in production if d.result == "failure" or d.pk in caused}
    ours = [(i, d) for i, d in enumerate(production) if inside(d.finished_at)]
    greens = [d for _i, d in ours if d.result == "success"]
    first_release = {}
    for d in production:
        if d.result == "success":
            first_release.setdefault(d.version, d.pk)
    recoveries = _recoveries(project, production, ours, inside)
    per_day = {}
    for d in greens:
        day = d.finished_at.astimezone(SHANGHAI).date()
        per_day[day] = per_day.get(day, 0) + 1
    count = len(ours)
    return {
        "deployments": count,
        "deployments_successful": len(greens),
        "incidents": sum(inside(i.opened_at) for i in Incident.objects.filter(project=project)),
        "max_deployments_per_day": max(per_day.values()) if per_day else (0 if count else None),
        "change_fail_rate": sum(d.pk in failed for _i, d in ours) / count if count else None,
        "rework_rate": sum(i > 0 and production[i - 1].pk in failed for i, _d in ours) / count if count else None,
        "recovery_median_hours": statistics.median(recoveries) / 3600 if recoveries else None,
        "release_per_week": sum(first_release[d.version] == d.pk for d in greens) / weeks,
    }


def _recoveries(project, production, ours, inside) -> list[int]:
    """Seconds to resolve each incident opened in the period, and from each first failed deployment of a run
    in the period to the next green one."""
    recoveries = [
        round((i.resolved_at - i.opened_at).total_seconds())
        for i in Incident.objects.filter(project=project)
        if inside(i.opened_at) and i.resolved_at
    ]
    for i, d in ours:
        if d.result == "failure" and (i == 0 or production[i - 1].result != "failure"):
            green = _next_green(production, i)
            if green:
                recoveries.append(round((green.finished_at - d.finished_at).total_seconds()))
    return recoveries


def _change_reference(project, inside) -> dict:
    changes = [c for c in Change.objects.filter(project=project, deployed_at__isnull=False) if inside(c.deployed_at)]
    leads = [round((c.deployed_at - (c.merged_at or c.authored_at)).total_seconds()) for c in changes]
    cycles = [round((c.deployed_at - c.authored_at).total_seconds()) for c in changes]
    return {
        "changes": len(changes),
        "lead_time_median_hours": statistics.median(leads) / 3600 if leads else None,
        "lead_time_p90_hours": _p90(leads) / 3600 if leads else None,
        "delivery_cycle_median_days": statistics.median(cycles) / 86400 if cycles else None,
    }


def _build_reference(project, inside) -> dict:
    builds = Build.objects.filter(project=project).exclude(result="cancelled").order_by("finished_at")
    ours_builds = [b for b in builds if inside(b.finished_at)]
    durations = [round((b.finished_at - b.started_at).total_seconds()) for b in ours_builds]
    feedback = []
    for pipeline in {(b.name, b.branch) for b in builds}:
        runs = [b for b in builds if (b.name, b.branch) == pipeline]
        for i, b in enumerate(runs):
            if inside(b.finished_at) and b.result == "failure" and (i == 0 or runs[i - 1].result != "failure"):
                green = _next_green(runs, i)
                if green:
                    feedback.append(round((green.finished_at - b.finished_at).total_seconds()))
    return {
        "builds": len(ours_builds),
        "build_duration_median_seconds": _median_or_none(durations),
        "build_duration_p90_seconds": _p90(durations) if durations else None,
        "pipeline_success_rate": sum(b.result == "success" for b in ours_builds) / len(ours_builds)
        if ours_builds
        else None,
        "ci_feedback_median_minutes": statistics.median(feedback) / 60 if feedback else None,
    }


@pytest.mark.parametrize("kind", ["week", "month", "quarter"])
def test_every_figure_matches_the_reference(project, kind):
    _random_events(project, random.Random(7))
    periods = periods_between(FIRST_DAY, LAST_DAY, kind)
    for figures in project_figures(project.pk, periods):
        if not figures.is_complete:
            continue  # rates of the running period use its days so far
        expected = _reference(project, figures.period)
        for name in FIGURES:
            actual = getattr(figures, name)
            if expected[name] is None:
                assert actual is None, (figures.period, name)
            else:
                assert actual == pytest.approx(expected[name], rel=1e-9), (figures.period, name)
