"""A tour of the demo: each persona signs in, clicks through the pages their role reaches, in English and in
简体中文, and leaves a full-page screenshot of each in var/screenshots (persona-page-language.png) to look at.

Every page is checked the way a person glances at it: the previous page links to it, it opens, its heading is the
expected one, it shows no template leftovers ("None", "{{"), it does not scroll sideways, its charts draw
something, every link of its main content opens for this person, and the Chinese page has no English where a
translation exists. Problems are collected over the whole tour and reported together. The pages are found in the
database (tests/demo_routes.py), so the tour follows whatever the demo creates.
"""

import io
import time

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from tests.demo_routes import Stop, route_for
from tests.page_checks import ChineseReading, dead_links, problems_on, read_page
from tests.signing_in import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PERSONAS = ["team", "assessor", "manager", "orgadmin", "outsider"]
DEMO_PASSWORD = "demo12345"  # the published demo credential
LANGUAGE_BUTTONS = {"en": "English", "zh": "简体中文"}
SECONDS_ALLOWED = 120


@pytest.fixture
def demo(caict, eager_tasks):
    """The demo data, made by the command a new user runs (tasks in-process, as on the embedded default)."""
    call_command("seed_demo", stdout=io.StringIO())


def test_every_persona_reaches_their_pages_in_both_languages(demo, browser, live_server, screenshots):
    started = time.monotonic()
    chinese = ChineseReading()
    problems, shots = [], []
    for username in PERSONAS:
        route = route_for(get_user_model().objects.get(username=username))
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        try:
            page = context.new_page()
            page.set_default_timeout(10_000)
            sign_in(page, live_server, username, DEMO_PASSWORD)
            followed_links: set[str] = set()
            for language in LANGUAGE_BUTTONS:
                choose_language(page, language)
                tour = Tour(page, live_server.url, username, language, screenshots, followed_links)
                problems += tour.follow(route, chinese)
                shots += tour.shots
        finally:
            context.close()
    elapsed = time.monotonic() - started
    print(f"TOUR {len(shots)} screenshots in {elapsed:.0f} s: {', '.join(shots)}")
    assert not problems, "\n".join(problems)
    assert {"team-questionnaire-zh.png", "assessor-review-en.png", "manager-portfolio-zh.png"} <= set(shots)
    assert elapsed < SECONDS_ALLOWED


def choose_language(page, language: str) -> None:
    """Presses the language switch in the header, as a person does."""
    button = page.locator(".language-switch").get_by_role("button", name=LANGUAGE_BUTTONS[language])
    if button.get_attribute("aria-pressed") != "true":
        button.click()
        page.locator(".language-switch button[aria-pressed=true]", has_text=LANGUAGE_BUTTONS[language]).wait_for()


class Tour:
    """One persona in one language, going from stop to stop."""

    def __init__(self, page, base_url: str, username: str, language: str, folder, followed_links: set[str]):
        self.page, self.base_url, self.folder = page, base_url, folder
        self.username, self.language = username, language
        self.followed_links = followed_links  # the persona's links already followed, in either language
        self.links: dict[str, list[str]] = {}  # stop name → the hrefs on its page
        self.shots: list[str] = []

    def follow(self, route: list[Stop], chinese: ChineseReading) -> list[str]:
        problems = []
        for stop in route:
            problems += [
                f"{self.username} {stop.name} ({self.language}): {problem}" for problem in self.visit(stop, chinese)
            ]
        return problems

    def visit(self, stop: Stop, chinese: ChineseReading) -> list[str]:
        problems = []
        if stop.linked_from is not None and stop.url not in self.links.get(stop.linked_from, []):
            problems.append(f"no link to {stop.url} on the {stop.linked_from} page")
        response = self.page.goto(self.base_url + stop.url)
        if response.status != 200:
            return [*problems, f"{stop.url} answered {response.status}"]
        seen = read_page(self.page)
        self.links[stop.name] = seen["hrefs"]
        problems += problems_on(
            seen,
            expected_heading=stop.headings[self.language],
            labels=stop.labels.get(self.language, []),
            language=self.language,
        )
        if self.language == "zh":
            problems += chinese.problems(seen["text"])
        problems += dead_links(self.page, self.base_url, seen["mainHrefs"], self.followed_links)
        name = f"{self.username}-{stop.name}-{self.language}.png"
        self.page.screenshot(path=self.folder / name, full_page=True)
        self.shots.append(name)
        return problems
