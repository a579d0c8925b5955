"""Helpers for report tests: answering crafted assessments through the real service, metric snapshots."""

import pytest

from assessment.models import Evidence
from assessment.services.assessments import AnswerInput, save_answers
from assessment.services.levels import refresh_stored_levels
from tests.conftest import worker_in_this_process


def answer(assessment, actor, values: dict[str, str]) -> None:
    """Answers criteria by code ("cd.cm.vc.vcs@3": "partly"); N/A gets the justification it needs."""
    items = [
        AnswerInput(criterion=code, value=value, justification="Not used here" if value == "na" else "")
        for code, value in values.items()
    ]
    save_answers(assessment=assessment, items=items, actor=actor)
    refresh_stored_levels(assessment)


def ladder(subitem: str, *values: str) -> dict[str, str]:
    """{"sub@1": values[0], "sub@2": values[1], …}"""
    return {f"{subitem}@{level}": value for level, value in enumerate(values, start=1)}


def metric_snapshot(assessment, actor, facts: dict, *, name: str = "Delivery metrics") -> Evidence:
    """What the metrics bridge records: file-less evidence of kind metric_snapshot, already scored."""
    return Evidence.objects.create(
        organisation=assessment.organisation,
        assessment=assessment,
        source="note",
        name=name,
        note="",
        sha256="0" * 64,
        uploaded_by=actor,
        kind="metric_snapshot",
        status="scored",
        facts=facts,
    )


@pytest.fixture(scope="module")
def celery_worker():
    """A real worker for this module only. The session-wide one (tests/conftest.py) would keep consuming the
    shared test broker through the later tests/scoring fault tests, which count deliveries themselves."""
    with worker_in_this_process() as worker:
        yield worker


@pytest.fixture(autouse=True)
def fresh_fragments():
    """Rendered report fragments are cached in-process; each test starts without another's."""
    from django.core.cache import caches

    caches["fragments"].clear()
    yield
    caches["fragments"].clear()


@pytest.fixture
def all_subitems(caict):
    from assessment.selectors.catalog import model_catalog

    return [node.code for node in model_catalog(caict).subitems if node.code.startswith("cd.")]
