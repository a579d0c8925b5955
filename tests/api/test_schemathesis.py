"""Generated requests for every operation in the OpenAPI schema: whatever a client sends, never a 5xx.

Schemathesis reads /api/schema/ from the WSGI app and calls the app in-process, authenticated as the project's
team member, against a seeded assessment with an answer and a piece of evidence. Examples are few, fixed and
derandomised so the run is short and repeatable; the aim is to catch crashes, not to explore exhaustively.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis.errors import Unsatisfiable
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from assessment.services.assessments import AnswerInput, save_answers
from assessment.services.evidence import add_evidence
from config.wsgi import application

pytestmark = pytest.mark.django_db
EXAMPLES_PER_OPERATION = 15


@pytest.fixture
def seeded(caict, assessment, team, project, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }
    save_answers(assessment=assessment, items=[AnswerInput("cd.cm.vc.vcs@1", "met")], actor=team)
    evidence = add_evidence(assessment=assessment, actor=team, criteria_codes=["cd.cm.vc.vcs@1"], note="Git.")
    return {"project_id": project.pk, "assessment_id": assessment.pk, "evidence_id": evidence.pk, "id": caict.pk}


@pytest.fixture
def database_connection_kept_open():
    """Calling the WSGI app directly (not through Django's test client) ends each request by closing old
    database connections, which would close the test's own connection and its transaction. The test client
    detaches that handler the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _check_operation(operation, mode: GenerationMode, headers: dict, path_parameters: dict) -> bool:
    """Runs the generated cases; False when the mode has nothing to generate (negative cases of a request
    whose only inputs are the fixed path parameters)."""
    fixed = {name: value for name, value in path_parameters.items() if name in _path_parameter_names(operation)}
    strategy = operation.as_strategy(generation_mode=mode, headers=headers, path_parameters=fixed or None)

    @hypothesis_settings(
        max_examples=EXAMPLES_PER_OPERATION,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def call(case):
        response = case.call()
        case.validate_response(response, checks=[not_a_server_error])

    try:
        call()
    except Unsatisfiable:
        return False
    return True


def _path_parameter_names(operation) -> set[str]:
    return {parameter.name for parameter in operation.path_parameters}


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_operation_answers_with_a_server_error(seeded, team, database_connection_kept_open, mode):
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
    headers = {"Authorization": f"Token {Token.objects.create(user=team).key}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 14
    checked = set()
    for operation in operations:
        # Real ids reach the code behind the access checks; generated ids exercise the 404 paths.
        if _check_operation(operation, mode, headers, seeded):
            checked.add(operation.label)
        if _path_parameter_names(operation) and _check_operation(operation, mode, headers, {}):
            checked.add(operation.label)
    assert checked == {operation.label for operation in operations}
