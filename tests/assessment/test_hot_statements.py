"""The hand-written SQL on the hottest paths reads what the ORM reads, and prepared statements survive failures."""

import contextlib
import datetime
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext

from assessment.access import access_assessment
from assessment.models import Answer, Assessment, Membership
from assessment.prepared_statements import PreparedStatement

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PREPARE is PostgreSQL's")


def fields_of(instance) -> dict:
    return {
        field.attname: getattr(instance, field.attname)
        for field in instance._meta.concrete_fields
        if field.attname not in instance.get_deferred_fields()
    }


def test_the_access_row_equals_what_the_orm_reads(assessment, team):
    # JSON, dates and booleans go through each database's converters, as the ORM's iterator does.
    snapshot = {"levels": {"cd": "3-"}, "criteria": [1, 2], "note": "中文"}
    submitted_at = datetime.datetime(2026, 5, 1, 8, 30, tzinfo=datetime.UTC)
    Assessment.objects.filter(pk=assessment.pk).update(
        snapshot=snapshot, level_summary={"overall": "2"}, submitted_at=submitted_at
    )
    person = get_user_model().objects.get(pk=team.pk)

    with CaptureQueriesContext(connection) as queries:
        found = access_assessment(person, assessment.pk)
        project, organisation, model = found.project, found.organisation, found.model
    expected = Assessment.objects.select_related("project", "organisation", "model").get(pk=assessment.pk)

    assert len(queries) == 1
    assert found.get_deferred_fields() == {"stored_levels"}
    assert fields_of(found) == {name: value for name, value in fields_of(expected).items() if name != "stored_levels"}
    assert found.snapshot == snapshot and found.submitted_at == submitted_at
    assert fields_of(project) == fields_of(expected.project)
    assert fields_of(organisation) == fields_of(expected.organisation)
    assert fields_of(model) == fields_of(expected.model)
    assert found.stored_levels == expected.stored_levels  # read when asked for


def test_the_access_row_carries_the_membership_it_checked(assessment, team, acme):
    person = get_user_model().objects.get(pk=team.pk)
    access_assessment(person, assessment.pk)
    membership = Membership.objects.get(user=team, organisation=acme[0])

    remembered = person._memberships[assessment.organisation_id]
    assert (remembered.pk, remembered.is_team_member, remembered.is_assessor) == (membership.pk, True, False)
    assert person._teams[assessment.project_id] is True


def divide() -> PreparedStatement:
    # A name of this test's own: the connection may outlive the test, and with it what was prepared on it.
    return PreparedStatement(f"test_divide_{uuid.uuid4().hex}", "SELECT 60 / %(by)s", types={"by": "integer"})


def run(statement: PreparedStatement, by: int):
    with connection.cursor() as cursor:
        statement.execute(cursor, {"by": by})
        return cursor.fetchone()[0]


@on_postgresql
@pytest.mark.django_db
def test_a_statement_is_prepared_once_then_executed():
    statement = divide()
    with CaptureQueriesContext(connection) as queries:
        assert [run(statement, by) for by in (2, 3, 4)] == [30, 20, 15]

    sent = [query["sql"] for query in queries]
    assert sent[0].startswith(f"PREPARE {statement.name} (integer) AS SELECT 60 / $1;")
    assert all(sql.startswith(f"EXECUTE {statement.name} (") for sql in sent[1:])


@on_postgresql
@pytest.mark.django_db
def test_a_statement_whose_first_run_failed_is_not_prepared_twice():
    statement = divide()
    with pytest.raises(DatabaseError), transaction.atomic():
        run(statement, 0)  # PREPARE succeeded, the division failed, the transaction rolled back

    assert run(statement, 5) == 12  # asks whether it exists instead of failing on "already exists"
    assert run(statement, 6) == 10


@on_postgresql
@pytest.mark.django_db
def test_a_statement_that_could_not_be_prepared_is_prepared_later():
    statement = divide()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        with contextlib.suppress(DatabaseError):
            cursor.execute("SELECT 1 / 0")  # the transaction fails: PREPARE is refused with what follows it
        run(statement, 2)

    with CaptureQueriesContext(connection) as queries:
        assert run(statement, 2) == 30

    assert "pg_prepared_statements" in queries[0]["sql"]
    assert queries[1]["sql"].startswith(f"PREPARE {statement.name}")


@pytest.mark.django_db
def test_without_preparing_the_statement_runs_as_written(settings):
    settings.DATABASE_PREPARED_STATEMENTS = False
    statement = divide()
    with CaptureQueriesContext(connection) as queries:
        assert run(statement, 4) == 15

    assert queries[0]["sql"].replace("%s", "4").endswith("SELECT 60 / 4")


def test_a_pages_state_has_every_answer_and_verdict_but_only_its_criteria_evidence(assessment, team):
    from assessment.models import Answer, SubDomain, Verdict
    from assessment.selectors.questionnaire_state import questionnaire_state
    from assessment.services.assessments import AnswerInput, save_answers
    from assessment.services.evidence import add_evidence, remove_evidence

    save_answers(
        assessment=assessment,
        actor=team,
        items=[
            AnswerInput("cd.env.env.types@1", "met", "", ""),
            AnswerInput("cd.tm.auto.execution@3", "partly", "", ""),
        ],
    )
    runbook = add_evidence(assessment=assessment, actor=team, criteria_codes=["cd.env.env.types@1"], note="Runbook")
    add_evidence(assessment=assessment, actor=team, criteria_codes=["cd.tm.auto.execution@3"], note="Test report")
    withdrawn = add_evidence(assessment=assessment, actor=team, criteria_codes=["cd.env.env.types@1"], note="Old")
    remove_evidence(evidence=withdrawn, actor=team)
    criterion = assessment.model.criteria.get(code="cd.tm.auto.execution@3")
    Verdict.objects.create(assessment=assessment, criterion=criterion, value="met", explanation_en="All green")
    environments = SubDomain.objects.get(part__model=assessment.model, code="cd.env")

    page = questionnaire_state(assessment.pk, environments.pk)
    everything = questionnaire_state(assessment.pk, None)

    saved = {answer.criterion_id: answer for answer in Answer.objects.filter(assessment=assessment)}
    assert page.answers == everything.answers
    assert {key: (stamp.pk, stamp.value, stamp.updated_at) for key, stamp in page.answers.items()} == {
        key: (answer.pk, answer.value, answer.updated_at) for key, answer in saved.items()
    }
    assert page.verdicts[criterion.pk].value == "met" and page.verdicts[criterion.pk].explanation_en == "All green"
    runbook.refresh_from_db()
    types = assessment.model.criteria.get(code="cd.env.env.types@1")
    assert dict(page.evidence) == {
        types.pk: [(runbook.pk, runbook.sha256, "team", runbook.status, runbook.status_changed_at)]
    }
    assert set(everything.evidence) == {types.pk, criterion.pk}


@pytest.mark.parametrize(
    "assessment_id", ["0", "9223372036854775807", "9223372036854775808", "99999999999999999999999"]
)
def test_ids_no_assessment_has_answer_404_and_write_nothing(client, assessment, team, assessment_id):
    client.force_login(team)
    page = client.get(f"/assessments/{assessment_id}/questionnaire/cd.env/")
    save = client.post(f"/assessments/{assessment_id}/answers/cd.env.env.types@1/", {"answer": "met"})

    assert (page.status_code, save.status_code) == (404, 404)
    assert not Answer.objects.exists()


def test_another_organisations_assessment_is_not_found_by_id(client, assessment, outsider):
    client.force_login(outsider)
    page = client.get(f"/assessments/{assessment.pk}/questionnaire/all/")
    save = client.post(f"/assessments/{assessment.pk}/answers/cd.env.env.types@1/", {"answer": "met"})

    assert (page.status_code, save.status_code) == (404, 404)
    assert not Answer.objects.exists()
