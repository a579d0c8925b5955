"""Review fixtures: a second assessor, a person with two roles, and assessments driven into each state."""

import pytest
from rest_framework.test import APIClient

from assessment.models import Membership
from assessment.services.assessments import start_assessment
from tests.review.flow import drive


@pytest.fixture
def second_assessor(django_user_model, acme):
    """Another assessor of Acme: may review, but the assessment is not assigned to them."""
    user = django_user_model.objects.create_user("assessor2", password="correct horse battery")
    Membership.objects.create(organisation=acme[0], user=user, is_assessor=True)
    return user


@pytest.fixture
def dual(django_user_model, acme):
    """On the project's team and an assessor of Acme: may answer, upload and review, never their own work."""
    organisation, project = acme
    user = django_user_model.objects.create_user("dual", password="correct horse battery")
    Membership.objects.create(organisation=organisation, user=user, is_team_member=True, is_assessor=True)
    project.team.add(user)
    return user


@pytest.fixture
def small(caict, project, team):
    """A draft Part 3 assessment with target level 1: 49 criteria to answer and review."""
    return start_assessment(project=project, actor=team, target_level=1)


@pytest.fixture
def to_state(small, team, assessor, orgadmin):
    """to_state("assessed") drives the small assessment there through the services, `assessor` reviewing."""

    def driven(state: str):
        return drive(small, state, team=team, assessor=assessor, orgadmin=orgadmin)

    return driven


@pytest.fixture
def api_as():
    """api_as(user): an API client acting as that person, asking for English messages."""

    def client_for(user) -> APIClient:
        client = APIClient(headers={"accept-language": "en"})
        client.force_authenticate(user)
        return client

    return client_for
