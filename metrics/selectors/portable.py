"""The same totals as metrics/selectors/postgres.py for databases without percentile_cont or time-zone-aware
date_trunc (SQLite, the embedded default): a few ORM reads of the rows, then the sums in Python.

Meant for the small data sets of the embedded default; PostgreSQL is where figures must be fast. Each project's
events are read in full: the previous deployment, a version's first release or the next green build may lie
outside the range.
"""

import datetime
import math
from collections import defaultdict
from itertools import groupby

from metrics.models import Build, BuildResult, Change, Deployment, Incident, Result
from metrics.selectors.periods import start_of
from metrics.selectors.postgres import Scope

Totals = dict[tuple[int, datetime.date], dict]


def percentile(values: list[float], fraction: float) -> float | None:
    """percentile_cont: linear interpolation between the closest ranks of the sorted values."""
    if not values:
        return None
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _in_scope(scope: Scope, moment: datetime.datetime, zone) -> bool:
    return not scope.is_bounded or scope.first_day <= moment.astimezone(zone).date() < scope.end_day


def _seconds(duration: datetime.timedelta) -> int:
    """Whole seconds, rounded half up, as the daily aggregates keep them."""
    return math.floor(duration.total_seconds() + 0.5)


def _key(scope: Scope, project_id: int, moment: datetime.datetime, zone) -> tuple[int, datetime.date]:
    return project_id, start_of(moment.astimezone(zone).date(), scope.kind)


def _projects(queryset, scope: Scope):
    return queryset if scope.project_ids is None else queryset.filter(project_id__in=scope.project_ids)


def _settled(history: list[tuple], caused: set[int]):
    """Per production deployment of one project (oldest first): what needs its neighbours to be known.
    Yields (finished_at, result, failed change?, rework?, first release of its version?, recovery seconds)."""
    released: set[str] = set()
    for index, (pk, finished_at, result, version, commit_sha) in enumerate(history):
        previous = history[index - 1] if index else None
        release = version or commit_sha or str(pk)
        is_release = result == Result.SUCCESS and release not in released
        if result == Result.SUCCESS:
            released.add(release)
        recovery = None
        if result == Result.FAILURE and (previous is None or previous[2] != Result.FAILURE):
            recovered = next((row[1] for row in history[index + 1 :] if row[2] == Result.SUCCESS), None)
            recovery = None if recovered is None else _seconds(recovered - finished_at)
        is_rework = previous is not None and (previous[2] == Result.FAILURE or previous[0] in caused)
        yield finished_at, result, result == Result.FAILURE or pk in caused, is_rework, is_release, recovery


def deployment_totals(scope: Scope, zone) -> Totals:
    incidents = list(
        _projects(Incident.objects.all(), scope).values_list("project_id", "deployment_id", "opened_at", "resolved_at")
    )
    caused = {deployment_id for _project, deployment_id, _opened, _resolved in incidents if deployment_id}
    rows = _projects(Deployment.objects.filter(is_production=True), scope).order_by("project_id", "finished_at", "pk")
    values = rows.values_list("project_id", "pk", "finished_at", "result", "version", "commit_sha")
    sums: dict = defaultdict(lambda: defaultdict(int))
    days, recoveries = defaultdict(lambda: defaultdict(int)), defaultdict(list)
    for project_id, group in groupby(values, key=lambda row: row[0]):
        for finished_at, result, failed, rework, release, recovery in _settled([row[1:] for row in group], caused):
            if not _in_scope(scope, finished_at, zone):
                continue
            key = _key(scope, project_id, finished_at, zone)
            total = sums[key]
            total["deployments"] += 1
            total["failed_changes"] += failed
            total["rework"] += rework
            total["releases"] += release
            if result == Result.SUCCESS:
                total["successful"] += 1
                days[key][finished_at.astimezone(zone).date()] += 1
            if recovery is not None:
                recoveries[key].append(recovery)
    for project_id, _deployment, opened_at, resolved_at in incidents:
        if _in_scope(scope, opened_at, zone):
            key = _key(scope, project_id, opened_at, zone)
            sums[key]["incidents"] += 1
            if resolved_at is not None and resolved_at >= opened_at:
                recoveries[key].append(_seconds(resolved_at - opened_at))
    for key in recoveries:
        sums[key]["recovery_seconds"] = percentile(recoveries[key], 0.5)
    for key, total in sums.items():
        total["max_per_day"] = max(days[key].values(), default=None)
    return {key: dict(total) for key, total in sums.items()}


def change_totals(scope: Scope, zone) -> Totals:
    rows = _projects(Change.objects.filter(deployed_at__isnull=False), scope)
    lead, cycle, counts = defaultdict(list), defaultdict(list), defaultdict(int)
    for project_id, deployed_at, authored_at, merged_at in rows.values_list(
        "project_id", "deployed_at", "authored_at", "merged_at"
    ):
        if not _in_scope(scope, deployed_at, zone):
            continue
        key = _key(scope, project_id, deployed_at, zone)
        counts[key] += 1
        if deployed_at >= (merged_at or authored_at):
            lead[key].append(_seconds(deployed_at - (merged_at or authored_at)))
        if deployed_at >= authored_at:
            cycle[key].append(_seconds(deployed_at - authored_at))
    return {
        key: {
            "changes": count,
            "lead_seconds_median": percentile(lead[key], 0.5),
            "lead_seconds_p90": percentile(lead[key], 0.9),
            "cycle_seconds": percentile(cycle[key], 0.5),
        }
        for key, count in counts.items()
    }


def build_totals(scope: Scope, zone) -> Totals:
    rows = _projects(Build.objects.exclude(result=BuildResult.CANCELLED), scope).order_by(
        "project_id", "name", "branch", "finished_at", "pk"
    )
    durations, feedback, sums = defaultdict(list), defaultdict(list), defaultdict(lambda: defaultdict(int))
    values = rows.values_list("project_id", "name", "branch", "started_at", "finished_at", "result")
    for (project_id, _name, _branch), group in groupby(values, key=lambda row: row[:3]):
        history = list(group)
        for index, (_p, _n, _b, started_at, finished_at, result) in enumerate(history):
            if not _in_scope(scope, finished_at, zone):
                continue
            key = _key(scope, project_id, finished_at, zone)
            sums[key]["builds"] += 1
            sums[key]["builds_successful"] += result == BuildResult.SUCCESS
            durations[key].append(_seconds(finished_at - started_at))
            if result == BuildResult.FAILURE and (index == 0 or history[index - 1][5] != BuildResult.FAILURE):
                green = next((row[4] for row in history[index + 1 :] if row[5] == BuildResult.SUCCESS), None)
                if green is not None:
                    feedback[key].append(_seconds(green - finished_at))
    return {
        key: dict(total)
        | {
            "build_seconds_median": percentile(durations[key], 0.5),
            "build_seconds_p90": percentile(durations[key], 0.9),
            "feedback_seconds": percentile(feedback[key], 0.5),
        }
        for key, total in sums.items()
    }
