"""The demo, whole: the organisation, people and projects of the assessment app's demo story, a year of delivery
events per project (demo_events.py) through the real ingest, linking and roll-ups, and each project's assessment
rounds played with the delivery figures of their time recorded by the metrics bridge, and the team's deployment
and incident records (made from its own events) among their evidence.

It lives here because it needs both apps and `metrics` may import `assessment`, never the reverse. Safe to run
again: a project that has events gets no more, one that has assessments is not played again.
"""

import csv
import datetime
import io
import json

from django.db import connection, transaction
from django.utils import timezone

from assessment.models import Assessment, Project
from assessment.selectors.catalog import current_model
from assessment.services.demo.exhibits import attach_file
from assessment.services.demo.people import People, seed_people
from assessment.services.demo.projects import DEMO_PROJECTS
from assessment.services.demo.rounds import close_round, open_round, settle
from assessment.services.demo.story import DemoClock, DemoProject
from metrics.models import Build, Change, Deployment, Incident
from metrics.selectors.periods import site_zone
from metrics.services.demo_events import year_of_events
from metrics.services.demo_profiles import PROFILES
from metrics.services.ingest import ingest_events
from metrics.services.linking import relink_project
from metrics.services.rollups import refresh_rollups
from metrics.services.snapshots import snapshot_project

RECORD_WEEKS = 8  # the deployment and incident records a team attaches cover the weeks before the round
INCIDENT_CRITERIA = ("cd.drm.mode.quality@3", "cd.drm.mode.quality@4")


@transaction.atomic
def seed_demo(*, today: datetime.date | None = None) -> list[str]:
    """Creates or completes the demo; returns what it did, a line each."""
    clock = DemoClock(today or timezone.localdate())
    lines, people = seed_people()
    lines += seed_delivery(projects=list(people.projects.values()), clock=clock)
    played = []
    for spec in DEMO_PROJECTS:
        project = people.projects[spec.name]
        if not project.assessments.exists() and current_model() is not None:
            played += _play(spec, people, clock)
            lines.append(f"played {len(spec.rounds)} assessment round(s) of {project.name}")
    settle(assessments=played, people=people, clock=clock)
    return lines


def seed_delivery(*, projects: list[Project], clock: DemoClock) -> list[str]:
    """A year of events up to yesterday for each project that has none, through the ingest service; then the links
    and roll-ups that the relink task makes after an ingest (here at once: the rounds read them before this
    transaction commits)."""
    lines, seeded = [], []
    for project in projects:
        profile = PROFILES.get(project.name)
        if profile is None or Deployment.objects.filter(project=project).exists():
            continue
        events = year_of_events(profile, seed=f"demo-events:{project.name}", last_day=clock.day(1), zone=site_zone())
        report = ingest_events(project=project, items=events, default_source=profile.source)
        lines.append(f"created {report.created} delivery events for {project.name}")
        seeded.append(project)
    if seeded:
        _gather_statistics()
    for project in seeded:
        relink_project(project_id=project.pk)
        refresh_rollups(project_ids=[project.pk])
    return lines


def _gather_statistics() -> None:
    """PostgreSQL plans the linking queries from table statistics; tables that were empty until this run have
    none yet (autovacuum gathers them later), and the linking plans that ignore the new rows take minutes instead
    of milliseconds. A bulk load is followed by ANALYZE, as any database guide says."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in (Deployment, Change, Build, Incident):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _play(spec: DemoProject, people: People, clock: DemoClock) -> list[Assessment]:
    played, previous = [], None
    for round_ in spec.rounds:
        assessment = open_round(spec=spec, round_=round_, people=people, clock=clock, previous=previous)
        # The round's figures: the last month complete when it was submitted (or today, for a draft).
        as_of = round_.submitted if round_.submitted is not None else 0
        if round_.records:
            _attach_records(assessment, people[spec.team[0]], clock, as_of)
        snapshot_project(project=assessment.project, today=clock.day(as_of))
        close_round(spec=spec, round_=round_, people=people, clock=clock, assessment=assessment)
        played.append(assessment)
        previous = assessment
    return played


def _attach_records(assessment: Assessment, team_member, clock: DemoClock, days_ago: int) -> None:
    """The production deployments and incidents of the weeks before, as the team exports them from its tools."""
    until = clock.moment(days_ago, 0)
    since = until - datetime.timedelta(weeks=RECORD_WEEKS)
    deployments = Deployment.objects.filter(
        project=assessment.project, is_production=True, finished_at__gte=since, finished_at__lt=until
    ).order_by("finished_at", "pk")
    incidents = Incident.objects.filter(project=assessment.project, opened_at__gte=since, opened_at__lt=until)
    on = clock.day(days_ago + 1)
    if deployments:
        attach_file(
            assessment=assessment,
            name="deployments.csv",
            content=_deployments_csv(deployments),
            actor=team_member,
            effective_on=on,
        )
    if incidents:
        attach_file(
            assessment=assessment,
            name="incidents.json",
            content=_incidents_json(incidents.order_by("opened_at", "pk")),
            actor=team_member,
            effective_on=on,
            criteria=INCIDENT_CRITERIA,
        )


def _local(moment: datetime.datetime | None) -> str:
    return moment.astimezone(site_zone()).isoformat(timespec="seconds") if moment else ""


def _deployments_csv(deployments) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["environment", "started_at", "finished_at", "result", "commit_sha", "version"])
    for row in deployments:
        started, finished = _local(row.started_at), _local(row.finished_at)
        writer.writerow([row.environment, started, finished, row.result, row.commit_sha, row.version])
    return out.getvalue().encode()


def _incidents_json(incidents) -> bytes:
    rows = [
        {
            "id": row.external_id,
            "title": row.title,
            "severity": row.severity,
            "opened_at": _local(row.opened_at),
            "resolved_at": _local(row.resolved_at) or None,
        }
        for row in incidents
    ]
    return json.dumps({"incidents": rows}, ensure_ascii=False, indent=2).encode()
