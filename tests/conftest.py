"""Shared fixtures: personas, the real CAICT catalogue, a real Celery worker and a real browser."""

import os
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings

# Playwright's sync API runs an event loop in the main thread; Django would refuse ORM calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CAICT_FILE = Path(settings.BASE_DIR) / "assessment" / "catalogs" / "caict-devops.yaml"
WORKER_QUEUES = ["default", "scoring", "reports", "metrics"]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Personas are created in most tests; the production hasher is deliberately slow."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def evidence_storage(settings, tmp_path):
    """Each test stores uploaded evidence in its own temporary folder."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }
    return tmp_path


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Loads the CAICT catalogue once into the test database; rolled-back tests share it."""
    from assessment.services.catalog import load_catalog_file

    with django_db_blocker.unblock():
        load_catalog_file(path=CAICT_FILE)


@pytest.fixture
def caict(db):
    """The shipped CAICT model, loaded through the real loader (once per database state)."""
    from assessment.models import MaturityModel
    from assessment.services.catalog import load_catalog_file

    model = MaturityModel.objects.filter(key="caict-devops").first()
    return model or load_catalog_file(path=CAICT_FILE).model


@pytest.fixture
def alice(django_user_model):
    """A signed-up person with no special rights."""
    return django_user_model.objects.create_user("alice", password="correct horse battery")


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_superuser("sam", password="correct horse battery")


@pytest.fixture(autouse=True)
def fresh_fragments():
    """Each test starts with empty caches: ids come back after a rollback (SQLite), and a menu or fragment cached
    for one test's user must not show in another's."""
    from django.core.cache import caches

    caches["fragments"].clear()
    caches["default"].clear()


@pytest.fixture
def eager_tasks():
    """Tasks run in-process for this test even when a broker is configured (the embedded default's path)."""
    from config.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@contextmanager
def worker_in_this_process(queues=WORKER_QUEUES):
    """A real Celery worker in this process, consuming from the real Redis broker (the test database number), on
    an empty broker (a queue left by an aborted run or an earlier module must not leak in). Two such workers must
    never overlap: stopping one closes the connections the other reads from, so a module that starts its own
    (module scope) must run before any test that starts the session-wide one."""
    if settings.CELERY_BROKER_URL.startswith("memory"):
        pytest.fail("worker tests need CELERY_BROKER_URL pointing at Redis (scripts/test sets it)")
    import redis
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    redis.Redis.from_url(settings.CELERY_BROKER_URL).flushdb()
    with start_worker(app, pool="solo", perform_ping_check=False, queues=queues, shutdown_timeout=30) as worker:
        yield worker


@pytest.fixture(scope="session")
def celery_worker():
    with worker_in_this_process() as worker:
        yield worker


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium fonts-noto-cjk (scripts/browser does it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def screenshots() -> Path:
    """Where browser tests leave what a person would see (var/screenshots, not committed): look at them."""
    folder = Path(settings.BASE_DIR) / "var" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def api_as():
    """api_as(user) is an API client sending that person's token, the way a CI script does; api_as(None) sends
    none."""
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    def client_for(user) -> APIClient:
        client = APIClient()
        if user is not None:
            token, _created = Token.objects.get_or_create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return client_for


@pytest.fixture
def person(browser, live_server):
    """person(username): a tab signed in as that persona, in a browser context of its own (closed after)."""
    from tests.signing_in import sign_in

    contexts = []

    def signed_in(username: str):
        context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return sign_in(page, live_server, username)

    yield signed_in
    for context in contexts:
        context.close()


@pytest.fixture
def acme(db):
    """Alice's organisation: personas team, assessor, manager and orgadmin; one project whose team is `team`."""
    from assessment.models import Organisation, Project

    organisation = Organisation.objects.create(name="Acme Telecom", slug="acme")
    project = Project.objects.create(organisation=organisation, name="Marketing platform", target_level=3)
    return organisation, project


def _member(django_user_model, organisation, username: str, **roles):
    from assessment.models import Membership

    user = django_user_model.objects.create_user(username, password="correct horse battery")
    Membership.objects.create(organisation=organisation, user=user, **roles)
    return user


@pytest.fixture
def project(acme):
    return acme[1]


@pytest.fixture
def team(django_user_model, acme):
    organisation, project = acme
    user = _member(django_user_model, organisation, "team", is_team_member=True)
    project.team.add(user)
    return user


@pytest.fixture
def assessor(django_user_model, acme):
    return _member(django_user_model, acme[0], "assessor", is_assessor=True)


@pytest.fixture
def manager(django_user_model, acme):
    return _member(django_user_model, acme[0], "manager", is_manager=True)


@pytest.fixture
def orgadmin(django_user_model, acme):
    return _member(django_user_model, acme[0], "orgadmin", is_admin=True)


@pytest.fixture
def outsider(django_user_model, db):
    """A team member and admin of another organisation: must never see Acme's data."""
    from assessment.models import Organisation, Project

    other = Organisation.objects.create(name="Other Bank", slug="other")
    user = _member(django_user_model, other, "outsider", is_team_member=True, is_admin=True)
    Project.objects.create(organisation=other, name="Mobile banking").team.add(user)
    return user


@pytest.fixture
def assessment(caict, project, team):
    """A draft Part 3 assessment of Acme's project, target level 3, started by `team`."""
    from assessment.services.assessments import start_assessment

    return start_assessment(project=project, actor=team, target_level=3)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo organisation as `manage.py seed_demo` makes it, seeded once for a test module (a seed takes
    seconds) inside a transaction rolled back after the module; each test runs in a savepoint of it. Returns the
    command's output. Its evidence files go to a temporary folder."""
    import io

    from django.core.management import call_command
    from django.db import transaction
    from django.test import override_settings

    storage = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path_factory.mktemp("demo-evidence")},
        },
    }
    fast_hashing = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    unblocked, settings_changed = (
        django_db_blocker.unblock(),
        override_settings(STORAGES=storage, PASSWORD_HASHERS=fast_hashing),
    )
    with unblocked, settings_changed, transaction.atomic():
        output = io.StringIO()
        call_command("seed_demo", stdout=output)
        yield output.getvalue()
        transaction.set_rollback(True)
