"""Linking, DevLake's way, on a dataset small enough to check by hand (times are UTC on 1 May 2026).

D1 10:00 production success, commit s1      c1 merged 09:00, c2 merged 09:30, c6 authored 08:00 (never
                                            merged), c8 is commit s1 (merged 09:50)          → D1
D2 11:00 production FAILURE, commit s2      owns nothing
S1 11:45 staging success, commit s3x        owns nothing (not production)
D3 12:00 production success, commit s3      c3 merged 10:30, c4 11:30, c9 (commit s2 of the failed D2,
                                            merged 10:45), c7 (commit s3, merged 09:45: commit identity
                                            beats time, D1 did not ship it)                  → D3
D4 13:00 production success, commit s3      a redeploy of D3's commit: owns nothing new
c5 merged 12:30                              not deployed yet                                 → None

incidents: i0 08:00 → None (no deployment yet); i1 10:30 → D1; i2 11:10 → D1 (D2 failed); i3 12:00 → D3 (a
deployment finishing as the incident opens counts); i4 13:30 → D4 (the last production deployment).
"""

import random

import pytest

from metrics.models import Change, Deployment, Incident
from metrics.services.ingest import ingest_events
from metrics.services.linking import relink_project
from tests.metrics.conftest import change, deployment, incident

pytestmark = pytest.mark.django_db


def at(hhmm: str) -> str:
    return f"2026-05-01T{hhmm}:00Z"


DEPLOYMENTS = [
    deployment("D1", at("10:00"), commit_sha="s1"),
    deployment("D2", at("11:00"), commit_sha="s2", result="failure"),
    deployment("S1", at("11:45"), commit_sha="s3x", environment="staging"),
    deployment("D3", at("12:00"), commit_sha="s3"),
    deployment("D4", at("13:00"), commit_sha="s3"),
]
CHANGES = [
    change("c1", at("08:30"), merged_at=at("09:00")),
    change("c2", at("08:40"), merged_at=at("09:30")),
    change("c3", at("10:00"), merged_at=at("10:30")),
    change("c4", at("11:00"), merged_at=at("11:30")),
    change("c5", at("12:00"), merged_at=at("12:30")),
    change("c6", at("08:00")),
    change("c7", at("09:00"), commit_sha="s3", merged_at=at("09:45")),
    change("c8", at("09:10"), commit_sha="s1", merged_at=at("09:50")),
    change("c9", at("10:40"), commit_sha="s2", merged_at=at("10:45")),
]
INCIDENTS = [
    incident("i0", at("08:00")),
    incident("i1", at("10:30")),
    incident("i2", at("11:10")),
    incident("i3", at("12:00")),
    incident("i4", at("13:30")),
]
EXPECTED_CHANGES = {
    "c1": "D1",
    "c2": "D1",
    "c6": "D1",
    "c8": "D1",
    "c3": "D3",
    "c4": "D3",
    "c7": "D3",
    "c9": "D3",
    "c5": None,
}
EXPECTED_INCIDENTS = {"i0": None, "i1": "D1", "i2": "D1", "i3": "D3", "i4": "D4"}


def change_links(project) -> dict:
    return {
        change.external_id: (change.deployment.external_id if change.deployment else None)
        for change in Change.objects.filter(project=project).select_related("deployment")
    }


def incident_links(project) -> dict:
    return {
        incident.external_id: (incident.deployment.external_id if incident.deployment else None)
        for incident in Incident.objects.filter(project=project).select_related("deployment")
    }


def test_the_hand_checked_dataset(project):
    ingest_events(project=project, items=DEPLOYMENTS + CHANGES + INCIDENTS)
    relink_project(project_id=project.pk)
    assert change_links(project) == EXPECTED_CHANGES
    assert incident_links(project) == EXPECTED_INCIDENTS
    finished = dict(Deployment.objects.values_list("external_id", "finished_at"))
    for stored in Change.objects.filter(project=project).select_related("deployment"):
        expected = EXPECTED_CHANGES[stored.external_id]
        assert stored.deployed_at == (finished[expected] if expected else None)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_out_of_order_arrival_gives_the_same_links(project, seed):
    """Events arrive shuffled in small batches, relinking after each; the end state is the same."""
    events = DEPLOYMENTS + CHANGES + INCIDENTS
    random.Random(seed).shuffle(events)
    for start in range(0, len(events), 4):
        ingest_events(project=project, items=events[start : start + 4])
        relink_project(project_id=project.pk)
    assert change_links(project) == EXPECTED_CHANGES
    assert incident_links(project) == EXPECTED_INCIDENTS


def test_changes_wait_for_their_deployment(project):
    ingest_events(project=project, items=CHANGES + INCIDENTS)
    relink_project(project_id=project.pk)
    assert set(change_links(project).values()) == {None}
    assert set(incident_links(project).values()) == {None}
    ingest_events(project=project, items=DEPLOYMENTS)
    relink_project(project_id=project.pk)
    assert change_links(project) == EXPECTED_CHANGES


def test_a_corrected_result_moves_the_links(project):
    ingest_events(project=project, items=DEPLOYMENTS + CHANGES + INCIDENTS)
    relink_project(project_id=project.pk)
    failed_d1 = deployment("D1", at("10:00"), commit_sha="s1", result="failure")
    assert ingest_events(project=project, items=[failed_d1]).updated == 1
    relink_project(project_id=project.pk)
    links = change_links(project)
    assert {links[name] for name in ("c1", "c2", "c6", "c8")} == {"D3"}
    assert incident_links(project) == {"i0": None, "i1": None, "i2": None, "i3": "D3", "i4": "D4"}


def test_relinking_twice_changes_nothing(project):
    ingest_events(project=project, items=DEPLOYMENTS + CHANGES + INCIDENTS)
    relink_project(project_id=project.pk)
    before = list(Change.objects.order_by("pk").values()), list(Incident.objects.order_by("pk").values())
    relink_project(project_id=project.pk)
    assert (list(Change.objects.order_by("pk").values()), list(Incident.objects.order_by("pk").values())) == before


def test_projects_do_not_link_across(project, other_project):
    ingest_events(project=other_project, items=DEPLOYMENTS)
    ingest_events(project=project, items=CHANGES + INCIDENTS)
    relink_project(project_id=project.pk)
    relink_project(project_id=other_project.pk)
    assert set(change_links(project).values()) == {None}
    assert set(incident_links(project).values()) == {None}


def test_the_task_is_registered_under_its_name():
    from config.celery import app

    app.loader.import_default_modules()
    assert "metrics.relink_project" in app.tasks
    assert app.tasks["metrics.relink_project"].queue == "metrics"


def test_the_task_relinks(project, eager_tasks):
    from metrics.tasks import relink_project as task

    ingest_events(project=project, items=DEPLOYMENTS + CHANGES)
    task.delay(project.pk)
    assert change_links(project) == EXPECTED_CHANGES
    task.delay(987654)  # a project that is gone: nothing to do, no error
