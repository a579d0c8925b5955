"""Metrics fixtures: events written the way senders write them, and Acme's ingest token."""

import pytest


@pytest.fixture(autouse=True)
def english(settings):
    """Messages are checked in English here (the default language is Chinese; translations come later)."""
    settings.LANGUAGE_CODE = "en"


def deployment(external_id: str, finished_at: str, *, result="success", environment="production", **fields) -> dict:
    return {
        "type": "deployment",
        "external_id": external_id,
        "environment": environment,
        "finished_at": finished_at,
        "result": result,
        **fields,
    }


def change(external_id: str, authored_at: str, *, commit_sha=None, **fields) -> dict:
    return {
        "type": "change",
        "external_id": external_id,
        "commit_sha": commit_sha or f"sha-{external_id}",
        "authored_at": authored_at,
        **fields,
    }


def incident(external_id: str, opened_at: str, **fields) -> dict:
    return {"type": "incident", "external_id": external_id, "opened_at": opened_at, **fields}


def build(external_id: str, started_at: str, finished_at: str, *, result="success", **fields) -> dict:
    return {
        "type": "build",
        "external_id": external_id,
        "started_at": started_at,
        "finished_at": finished_at,
        "result": result,
        **fields,
    }


@pytest.fixture
def ingest_token(project, orgadmin):
    """Acme's project's ingest token, raw, as a pipeline holds it."""
    from metrics.services.credentials import create_ingest_token

    _token, raw = create_ingest_token(project=project, actor=orgadmin, name="ci")
    return raw


@pytest.fixture
def other_project(outsider):
    """The other organisation's project (the outsider is its team and admin)."""
    from assessment.models import Project

    return Project.objects.get(organisation__slug="other")
