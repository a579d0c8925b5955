"""A questionnaire page rendered for one person serves the next: same content, each viewer's own CSRF token."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessment.block_cache import CSRF_PLACEHOLDER
from tests.signing_in import PASSWORD

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def bob(django_user_model, acme, team):
    """A second member of the project's team."""
    from assessment.models import Membership

    organisation, project = acme
    user = django_user_model.objects.create_user("bob", password=PASSWORD)
    Membership.objects.create(organisation=organisation, user=user, is_team_member=True)
    project.team.add(user)
    return user


def signed_in(user) -> Client:
    client = Client(enforce_csrf_checks=True, headers={"accept-language": "en"})
    client.force_login(user)
    return client


def main_of(page: str) -> str:
    return page[page.index("<main") : page.index("</main>")]


def page_of(client, url: str) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_the_next_viewer_gets_the_page_rendered_for_the_first_with_a_token_of_their_own(assessment, team, bob):
    url = reverse("questionnaire", args=(assessment.pk, "cd.env"))
    alice_page, _queries = page_of(signed_in(team), url)
    bob_client = signed_in(bob)
    bob_client.get(reverse("home"))  # the session and menu warm, as for anyone moving between pages
    bob_page, queries = page_of(bob_client, url)

    assert queries == 4  # session, user, the assessment with the membership, the content's fingerprint
    assert CSRF_PLACEHOLDER not in bob_page
    assert TOKEN.sub("", main_of(bob_page)) == TOKEN.sub("", main_of(alice_page))  # the menus name each viewer
    tokens = set(TOKEN.findall(bob_page))
    assert len(tokens) == 1 and tokens.isdisjoint(TOKEN.findall(alice_page))

    save = reverse("answer-save", args=(assessment.pk, "cd.env.env.types@1"))
    refused = bob_client.post(save, {"answer": "met", "csrfmiddlewaretoken": CSRF_PLACEHOLDER})
    saved = bob_client.post(save, {"answer": "met", "csrfmiddlewaretoken": tokens.pop()})
    assert (refused.status_code, saved.status_code) == (403, 302)
    assert assessment.answers.get(criterion__code="cd.env.env.types@1").updated_by == bob


def test_a_viewer_who_may_not_edit_never_gets_the_editors_page(assessment, team, assessor):
    url = reverse("questionnaire", args=(assessment.pk, "cd.env"))
    editors_page, _queries = page_of(signed_in(team), url)
    readers_page, _queries = page_of(signed_in(assessor), url)

    assert editors_page.count('<form class="answer-form') == 15
    assert '<form class="answer-form' not in readers_page and "Read-only" in readers_page


def test_a_refused_answer_shows_in_the_full_page_with_a_working_token(assessment, team):
    client = signed_in(team)
    page, _queries = page_of(client, reverse("questionnaire", args=(assessment.pk, "cd.env")))
    token = TOKEN.search(page).group(1)
    save = reverse("answer-save", args=(assessment.pk, "cd.env.env.types@1"))

    refused = client.post(save, {"answer": "na", "justification": "", "csrfmiddlewaretoken": token})

    body = refused.content.decode()
    assert refused.status_code == 422 and 'class="form-error"' in body
    assert CSRF_PLACEHOLDER not in body and len(set(TOKEN.findall(body))) == 1


def test_a_new_rendering_replaces_the_old_one_instead_of_piling_up(client, assessment, team):
    from django.core.cache import caches

    client.force_login(team)
    url = reverse("questionnaire", args=(assessment.pk, "cd.env"))
    save = reverse("answer-save", args=(assessment.pk, "cd.env.env.types@1"))
    for value in ("met", "partly", "not_met", "met"):
        assert client.post(save, {"answer": value}, headers={"hx-request": "true"}).status_code == 200
        assert client.get(url).status_code == 200

    # LocMemCache's own store: one page and one rendering of each of the sub-domain's three blocks.
    blocks = [key for key in caches["fragments"]._cache if "questionnaire-block:" in key]
    assert (len(caches["pages"]._cache), len(blocks)) == (1, 3)
