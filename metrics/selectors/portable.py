"""The same totals as metrics/selectors/postgres.py for databases without percentile_cont or time-zone-aware
date_trunc (SQLite, the embedded default): a few ORM reads of the rows, then the sums in Python.

Meant for the small data sets of the embedded default; PostgreSQL is where figures must be fast. Deployments and
builds are read per project in full (the previous run and the next green one may lie outside the range).
"""

import datetime
import math
from collections import defaultdict
from itertools import groupby

from metrics.models import Build, BuildResult, Change, Deployment, Incident, Result
from metrics.periods import start_of
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


def _in_scope(scope: Scope, moment: datetime.datetime) -> bool:
    return not scope.is_bounded or scope.starts_at <= moment < scope.ends_at


def _key(scope: Scope, project_id: int, moment: datetime.datetime, zone) -> tuple[int, datetime.date]:
    return project_id, start_of(moment.astimezone(zone).date(), scope.kind)


def _projects(queryset, scope: Scope):
    return queryset if scope.project_ids is None else queryset.filter(project_id__in=scope.project_ids)


def deployment_totals(scope: Scope, zone) -> Totals:
    incidents = list(
        _projects(Incident.objects.all(), scope).values_list("project_id", "deployment_id", "opened_at", "resolved_at")
    )
    caused = {deployment_id for _project, deployment_id, _opened, _resolved in incidents if deployment_id}
    rows = _projects(Deployment.objects.filter(is_production=True), scope).order_by("project_id", "finished_at", "pk")
    values = rows.values_list("pk", "project_id", "finished_at", "result", "version", "commit_sha")
    sums: dict = defaultdict(lambda: defaultdict(int))
    releases, days, recoveries = defaultdict(set), defaultdict(lambda: defaultdict(int)), defaultdict(list)
    for project_id, group in groupby(values, key=lambda row: row[1]):
        history = list(group)
        for index, (pk, _project, finished_at, result, version, commit_sha) in enumerate(history):
            if not _in_scope(scope, finished_at):
                continue
            key = _key(scope, project_id, finished_at, zone)
            previous = history[index - 1] if index else None
            total = sums[key]
            total["deployments"] += 1
            total["failed_changes"] += result == Result.FAILURE or pk in caused
            total["rework"] += previous is not None and (previous[3] == Result.FAILURE or previous[0] in caused)
            if result == Result.SUCCESS:
                total["successful"] += 1
                releases[key].add(version or commit_sha or str(pk))
                days[key][finished_at.astimezone(zone).date()] += 1
            elif previous is None or previous[3] != Result.FAILURE:
                recovered = next((row[2] for row in history[index + 1 :] if row[3] == Result.SUCCESS), None)
                if recovered is not None:
                    recoveries[key].append((recovered - finished_at).total_seconds())
    for project_id, _deployment, opened_at, resolved_at in incidents:
        if _in_scope(scope, opened_at):
            key = _key(scope, project_id, opened_at, zone)
            sums[key]["incidents"] += 1
            if resolved_at is not None and resolved_at >= opened_at:
                recoveries[key].append((resolved_at - opened_at).total_seconds())
    for key in recoveries:
        sums[key]["recoveries"] = len(recoveries[key])
        sums[key]["recovery_seconds"] = percentile(recoveries[key], 0.5)
    for key, total in sums.items():
        total["releases"] = len(releases[key])
        total["max_per_day"] = max(days[key].values(), default=None)
    return {key: dict(total) for key, total in sums.items()}


def change_totals(scope: Scope, zone) -> Totals:
    rows = _projects(Change.objects.filter(deployed_at__isnull=False), scope)
    if scope.is_bounded:
        rows = rows.filter(deployed_at__gte=scope.starts_at, deployed_at__lt=scope.ends_at)
    lead, cycle, counts = defaultdict(list), defaultdict(list), defaultdict(int)
    for project_id, deployed_at, authored_at, merged_at in rows.values_list(
        "project_id", "deployed_at", "authored_at", "merged_at"
    ):
        key = _key(scope, project_id, deployed_at, zone)
        counts[key] += 1
        if deployed_at >= (merged_at or authored_at):
            lead[key].append((deployed_at - (merged_at or authored_at)).total_seconds())
        if deployed_at >= authored_at:
            cycle[key].append((deployed_at - authored_at).total_seconds())
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
            if not _in_scope(scope, finished_at):
                continue
            key = _key(scope, project_id, finished_at, zone)
            sums[key]["builds"] += 1
            sums[key]["builds_successful"] += result == BuildResult.SUCCESS
            durations[key].append((finished_at - started_at).total_seconds())
            if result == BuildResult.FAILURE and (index == 0 or history[index - 1][5] != BuildResult.FAILURE):
                green = next((row[4] for row in history[index + 1 :] if row[5] == BuildResult.SUCCESS), None)
                if green is not None:
                    feedback[key].append((green - finished_at).total_seconds())
    return {
        key: dict(total)
        | {
            "build_seconds_median": percentile(durations[key], 0.5),
            "build_seconds_p90": percentile(durations[key], 0.9),
            "feedback_seconds": percentile(feedback[key], 0.5),
        }
        for key, total in sums.items()
    }
