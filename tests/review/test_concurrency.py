"""Concurrent decisions on one criterion: no lost update, no 500 (PostgreSQL, real connections in threads)."""

import itertools
import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from assessment.models import AuditEntry, Decision
from tests.review.flow import decide_codes

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("eager_tasks"),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite serialises writers on one file lock and has no row locks to test",
    ),
]

CODES = ["cd.cm.vc.vcs@1", "cd.cm.vc.branch@1", "cd.cm.vc.artifact@1", "cd.cm.vc.ssot@1"]


def at_once(user, assessment_id: int, payloads: list[list[dict]]) -> list:
    """Posts each payload from its own thread (own database connection), all released together; the responses
    in the payloads' order."""
    barrier = threading.Barrier(len(payloads))
    responses: list = [None] * len(payloads)

    def post(index: int, payload: list[dict]) -> None:
        client = APIClient(headers={"accept-language": "en"})
        client.force_authenticate(user)
        try:
            barrier.wait(timeout=10)
            responses[index] = client.post(f"/api/v1/assessments/{assessment_id}/decisions/", payload, format="json")
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(i, payload)) for i, payload in enumerate(payloads)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return responses


@pytest.mark.parametrize("seen", [0, 1], ids=["first-decision", "after-one-decision"])
def test_two_sessions_with_the_same_version_one_wins_the_other_is_told(to_state, assessor, seen):
    assessment = to_state("in_review")
    if seen:
        decide_codes(assessment, assessor, dict.fromkeys(CODES, "accepted"))
    for code in CODES:
        responses = at_once(
            assessor,
            assessment.pk,
            [
                [{"criterion": code, "decision": "rejected", "comment": "Session A", "version": seen}],
                [{"criterion": code, "decision": "info_requested", "comment": "Session B", "version": seen}],
            ],
        )

        statuses = sorted(response.status_code for response in responses)
        assert statuses == [200, 409], [response.content for response in responses]
        loser = next(response for response in responses if response.status_code == 409).json()
        assert set(loser) == {"detail", "errors"} and "0.version" in loser["errors"]
        assert "meanwhile" in loser["detail"]
        winner = next(response for response in responses if response.status_code == 200).json()[0]
        decision = Decision.objects.get(assessment=assessment, criterion__code=code)
        assert decision.version == seen + 1 == winner["version"]
        assert decision.comment == winner["comment"]
        recorded = AuditEntry.objects.filter(assessment=assessment, action="decision.recorded", target=code)
        assert recorded.count() == seen + 1


@pytest.mark.parametrize("seen", [0, 1], ids=["first-decisions", "after-one-decision"])
def test_without_a_version_both_apply_in_order_and_the_trail_chains(to_state, assessor, seen):
    assessment = to_state("in_review")
    if seen:
        decide_codes(assessment, assessor, dict.fromkeys(CODES, "accepted"))
    for code in CODES:
        responses = at_once(
            assessor,
            assessment.pk,
            [
                [{"criterion": code, "decision": "rejected", "comment": "Session A"}],
                [{"criterion": code, "decision": "info_requested", "comment": "Session B"}],
            ],
        )

        assert [response.status_code for response in responses] == [200, 200], [r.content for r in responses]
        decision = Decision.objects.get(assessment=assessment, criterion__code=code)
        assert decision.version == seen + 2
        entries = list(
            AuditEntry.objects.filter(assessment=assessment, action="decision.recorded", target=code).order_by("pk")
        )
        assert len(entries) == seen + 2
        assert entries[0].before is None
        for earlier, later in itertools.pairwise(entries):
            assert later.before == earlier.after  # nothing overwritten unseen
        assert [entry.after["version"] for entry in entries] == list(range(1, seen + 3))
        assert entries[-1].after["comment"] == decision.comment


def test_many_first_decisions_at_once_never_fail(to_state, assessor):
    assessment = to_state("in_review")
    payloads = [[{"criterion": code, "decision": "accepted"} for code in CODES] for _session in range(4)]

    responses = at_once(assessor, assessment.pk, payloads)

    assert [response.status_code for response in responses] == [200] * 4, [r.content[:200] for r in responses]
    versions = Decision.objects.filter(assessment=assessment, criterion__code__in=CODES).values_list(
        "version", flat=True
    )
    assert sorted(versions) == [4] * len(CODES)


@pytest.mark.parametrize("state", ["draft", "changes_requested"])
def test_two_first_saves_of_one_answer_at_once_both_succeed(to_state, team, state):
    """A double click on a criterion nobody answered yet: both saves land (one inserts, one updates), no 500.
    In draft the one-statement save's ON CONFLICT sees to it; sent back, the ORM path's lock on the assessment."""
    from django.test import Client

    from assessment.models import Answer

    assessment = to_state(state)
    code = "cd.data.test.coverage@5"  # above the target: unanswered in every state
    Answer.objects.filter(assessment=assessment, criterion__code=code).delete()
    barrier, statuses = threading.Barrier(2), []

    def save(value: str) -> None:
        client = Client(headers={"hx-request": "true"})
        client.force_login(team)
        try:
            barrier.wait(timeout=10)
            response = client.post(f"/assessments/{assessment.pk}/answers/{code}/", {"answer": value})
            statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(value,)) for value in ("met", "partly")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert statuses == [200, 200]
    assert Answer.objects.filter(assessment=assessment, criterion__code=code).count() == 1
