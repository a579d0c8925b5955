"""Events for figure tests, written with the ORM the way ingest and linking leave them: a successful production
deployment owns the changes it shipped (Change.deployment, deployed_at); an incident belongs to the last
production deployment that finished before it opened."""

import datetime
import itertools
from zoneinfo import ZoneInfo

from metrics.models import Build, Change, Deployment, Incident
from metrics.services.rollups import refresh_rollups

SHANGHAI = ZoneInfo("Asia/Shanghai")
_ids = itertools.count(1)


def at(text: str, zone=SHANGHAI) -> datetime.datetime:
    """'2026-11-02 10:00' in Shanghai (or the given zone) as an aware time."""
    return datetime.datetime.fromisoformat(text).replace(tzinfo=zone)


def deployment(project, finished: str, result: str = "success", *, environment="production", version="", **extra):
    return Deployment.objects.create(
        organisation_id=project.organisation_id,
        project=project,
        external_id=f"d{next(_ids)}",
        environment=environment,
        is_production=environment == "production",
        finished_at=at(finished) if isinstance(finished, str) else finished,
        result=result,
        version=version,
        commit_sha=extra.pop("commit_sha", f"{next(_ids):040x}"),
        **extra,
    )


def change(project, authored: str, *, merged: str | None = None, shipped_by: Deployment | None = None):
    return Change.objects.create(
        organisation_id=project.organisation_id,
        project=project,
        external_id=f"c{next(_ids)}",
        commit_sha=f"{next(_ids):040x}",
        authored_at=at(authored),
        merged_at=at(merged) if merged else None,
        deployment=shipped_by,
        deployed_at=shipped_by.finished_at if shipped_by else None,
    )


def build(project, started: str, finished: str, result: str = "success", *, name="ci", branch="main"):
    return Build.objects.create(
        organisation_id=project.organisation_id,
        project=project,
        external_id=f"b{next(_ids)}",
        name=name,
        branch=branch,
        started_at=at(started),
        finished_at=at(finished),
        result=result,
    )


def incident(project, opened: str, resolved: str | None = None):
    """An incident linked as linking would: to the last production deployment finished before it opened."""
    opened_at = at(opened)
    owner = (
        Deployment.objects.filter(project=project, is_production=True, finished_at__lt=opened_at)
        .order_by("-finished_at")
        .first()
    )
    return Incident.objects.create(
        organisation_id=project.organisation_id,
        project=project,
        external_id=f"i{next(_ids)}",
        opened_at=opened_at,
        resolved_at=at(resolved) if resolved else None,
        deployment=owner,
    )


def settle(*projects) -> None:
    """What ingest does after a delivery: the projects' delivery aggregates are rebuilt (PostgreSQL only)."""
    refresh_rollups(project_ids=[project.pk for project in projects])


def hand_checked_week(project) -> None:
    """Week of Monday 2026-11-02 (Shanghai); the expected figures are worked out in test_figures.py."""
    d1 = deployment(project, "2026-11-02 10:00", version="v1")
    deployment(project, "2026-11-02 11:00", environment="staging", version="v2")
    deployment(project, "2026-11-03 10:00", "failure", version="v2")
    deployment(project, "2026-11-03 12:00", "failure", version="v2")
    d4 = deployment(project, "2026-11-03 16:00", version="v2")
    d5 = deployment(project, "2026-11-04 10:00", version="v3")
    incident(project, "2026-11-04 11:00", "2026-11-04 13:00")
    d6 = deployment(project, "2026-11-05 10:00", version="v4")
    deployment(project, "2026-11-05 18:00", version="v4")
    change(project, "2026-11-01 10:00", merged="2026-11-02 08:00", shipped_by=d1)
    change(project, "2026-11-02 09:00", shipped_by=d4)
    change(project, "2026-11-03 10:00", merged="2026-11-03 12:00", shipped_by=d5)
    change(project, "2026-10-30 10:00", merged="2026-11-04 10:00", shipped_by=d6)
    change(project, "2026-11-05 09:00")  # not deployed yet: no lead time
    build(project, "2026-11-02 09:00", "2026-11-02 09:05")
    build(project, "2026-11-02 10:00", "2026-11-02 10:10", "failure")
    build(project, "2026-11-02 10:20", "2026-11-02 10:30", "failure")
    build(project, "2026-11-02 10:40", "2026-11-02 10:50")
    build(project, "2026-11-02 11:00", "2026-11-02 11:01", "cancelled")
    build(project, "2026-11-03 09:00", "2026-11-03 09:02", "failure", branch="feature")
    build(project, "2026-11-03 09:30", "2026-11-03 09:34", branch="feature")
    settle(project)


def recent_activity(project, today: datetime.date, *, weeks: int = 13, seed: int = 3) -> None:
    """A believable quarter of delivery up to today: most weekdays ship, a few deployments fail or cause
    incidents, builds go red now and then. For pages and screenshots, not for exact figures."""
    import random

    rng = random.Random(seed)
    first = today - datetime.timedelta(days=weeks * 7)
    for offset in range(weeks * 7 + 1):
        day = first + datetime.timedelta(days=offset)
        if day.weekday() >= 5 and rng.random() < 0.8:
            continue
        for slot in range(rng.choice([1, 1, 2, 3])):
            when = datetime.datetime.combine(day, datetime.time(9 + slot * 3, rng.randrange(60)), tzinfo=SHANGHAI)
            if when > datetime.datetime.now(tz=SHANGHAI):
                continue
            failed = rng.random() < 0.08
            shipped = deployment(project, when, "failure" if failed else "success", version=f"{day:%m%d}.{slot}")
            for _change in range(rng.randrange(1, 4)):
                authored = when - datetime.timedelta(hours=rng.uniform(2, 20 + offset % 30))
                merged = authored + datetime.timedelta(hours=rng.uniform(0.5, 8))
                change(
                    project,
                    f"{authored:%Y-%m-%d %H:%M}",
                    merged=f"{merged:%Y-%m-%d %H:%M}",
                    shipped_by=None if failed else shipped,
                )
            if not failed and rng.random() < 0.05:
                opened = when + datetime.timedelta(minutes=40)
                incident(
                    project,
                    f"{opened:%Y-%m-%d %H:%M}",
                    f"{opened + datetime.timedelta(hours=rng.uniform(0.3, 9)):%Y-%m-%d %H:%M}",
                )
            started = when - datetime.timedelta(minutes=30)
            result = "failure" if rng.random() < 0.15 else "success"
            build(
                project,
                f"{started:%Y-%m-%d %H:%M}",
                f"{started + datetime.timedelta(minutes=rng.uniform(3, 9)):%Y-%m-%d %H:%M}",
                result,
            )
            if result == "failure":
                later = started + datetime.timedelta(minutes=rng.uniform(15, 90))
                build(project, f"{later:%Y-%m-%d %H:%M}", f"{later + datetime.timedelta(minutes=5):%Y-%m-%d %H:%M}")
    settle(project)
