"""seed_demo: the personas of DESIGN.md §8 and Demo Telecom's story (every lifecycle state, two published rounds for
several projects, evidence of every kind read and scored, open requests and notifications), safe to run again."""

import datetime
import hashlib
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.contrib.auth import authenticate
from django.core.management import call_command

from assessment.models import (
    Answer,
    Assessment,
    AuditEntry,
    Decision,
    DecisionValue,
    Evidence,
    Membership,
    Notification,
    Project,
    ScoringStatus,
    Verdict,
)
from assessment.selectors.reports import CONFIRMED
from assessment.selectors.trends import project_trends
from assessment.services.demo.exhibits import DEMO_FILES

pytestmark = pytest.mark.django_db

PERSONAS = ["team", "assessor", "manager", "orgadmin", "outsider"]
STATES = {"draft", "submitted", "in_review", "changes_requested", "assessed", "published"}
# Every kind the scoring reads from a file (assessment/parsers/reading.py), links and notes, and the metrics
# bridge's snapshots.
EVIDENCE_KINDS = {
    "junit",
    "cobertura",
    "jacoco",
    "sarif",
    "github_actions",
    "gitlab_ci",
    "jenkinsfile",
    "azure_pipelines",
    "dockerfile",
    "kubernetes",
    "terraform",
    "compose",
    "helm_chart",
    "helm_values",
    "ansible",
    "deployments",
    "incidents",
    "link",
    "note",
    "metric_snapshot",
}


def telecom_assessments():
    return Assessment.objects.filter(organisation__slug="demo-telecom")


def test_every_persona_signs_in_with_the_demo_password_and_colleagues_cannot(demo, django_user_model):
    assert "created team (team in demo-telecom)" in demo
    for username in PERSONAS:
        assert authenticate(username=username, password="demo12345") is not None
    outsider = django_user_model.objects.get(username="outsider")
    assert [m.organisation.slug for m in outsider.memberships.all()] == ["demo-bank"]
    colleagues = django_user_model.objects.exclude(username__in=PERSONAS)
    assert colleagues.count() >= 10
    assert not any(user.has_usable_password() for user in colleagues)
    assert Membership.objects.filter(user__in=colleagues, organisation__slug="demo-telecom", is_team_member=True)


def test_demo_telecom_has_eight_projects_in_every_lifecycle_state(demo):
    projects = Project.objects.filter(organisation__slug="demo-telecom")
    assert projects.count() == 8
    assert all("\u4e00" <= project.name[0] <= "\u9fff" or project.name.startswith("5G") for project in projects)
    assert set(telecom_assessments().values_list("state", flat=True)) == STATES
    superseded = telecom_assessments().filter(state="published", superseded_by__isnull=False)
    assert superseded.count() >= 3


def test_three_projects_have_two_published_rounds_months_apart_and_the_trends_show_progress(demo):
    progressed = 0
    for project in Project.objects.filter(organisation__slug="demo-telecom"):
        rounds = list(project.assessments.filter(state="published").order_by("published_at"))
        if len(rounds) < 2:
            continue
        first, second = rounds
        assert second.supersedes_id == first.pk
        assert (second.published_at - first.published_at).days >= 90
        assert first.created_at < first.submitted_at < first.published_at < second.created_at
        claimed = [reached(r.snapshot["levels"]["provisional"]["parts"]["cd"]) for r in rounds]
        # Confirmed levels depend on the month measured (a golden week's freeze is a week without deployment),
        # so the overall confirmed level may stay; some sub-domain always rises.
        confirmed = project_trends(project, reading=CONFIRMED)
        progressed += claimed[1] > claimed[0] and any(change.change > 0 for change in confirmed.changes)
    assert progressed >= 3


def reached(level: dict) -> float:
    """A level as a number: "4-" (level 4 partly met) lies between 3 and 4."""
    return level["achieved"] + 0.5 * level["level"].endswith("-")


def test_a_round_is_dated_as_the_story_tells_and_its_notices_were_sent_then(demo):
    first = telecom_assessments().filter(state="published").order_by("published_at").first()
    assert datetime.datetime.fromisoformat(first.snapshot["published_at"]) == first.published_at
    evidence = first.evidence.order_by("uploaded_at")
    assert evidence.first().uploaded_at.date() <= first.submitted_at.date()
    notices = Notification.objects.filter(assessment=first)
    assert notices and not notices.filter(emailed_at__isnull=True).exists()
    assert all(notice.created_at <= first.published_at for notice in notices)


def test_evidence_of_every_kind_is_read_and_scored(demo):
    evidence = Evidence.objects.filter(organisation__slug="demo-telecom")
    assert set(evidence.values_list("kind", flat=True)) >= EVIDENCE_KINDS
    assert not evidence.exclude(status=ScoringStatus.SCORED).exists()
    coverage = evidence.filter(kind="jacoco").first()
    assert coverage.facts["coverage.line_rate"] > 0 and coverage.links.exists()
    verdicts = set(
        Verdict.objects.filter(assessment__organisation__slug="demo-telecom").values_list("value", flat=True)
    )
    assert {"met", "not_met"} <= verdicts


def test_the_assessors_decisions_tell_a_review(demo):
    decisions = Decision.objects.filter(assessment__organisation__slug="demo-telecom", is_current=True)
    values = set(decisions.values_list("value", flat=True))
    assert values == {DecisionValue.ACCEPTED, DecisionValue.REJECTED, DecisionValue.INFO_REQUESTED}
    assert decisions.exclude(override_reason="").exists()  # accepted against the automatic verdict, with a reason
    assert Answer.objects.filter(assessment__organisation__slug="demo-telecom", value="na").exclude(justification="")


def test_requests_for_information_are_open_for_the_team(demo, client):
    sent_back = telecom_assessments().get(state="changes_requested")
    open_requests = Decision.objects.filter(assessment=sent_back, is_current=True, value=DecisionValue.INFO_REQUESTED)
    assert open_requests.count() >= 2
    assert Decision.objects.filter(assessment=sent_back, value=DecisionValue.INFO_REQUESTED).exclude(reply="")
    in_review = telecom_assessments().get(state="in_review")
    assert Decision.objects.filter(assessment=in_review, value=DecisionValue.INFO_REQUESTED, is_current=True)
    client.force_login(sent_back.project.team.get(username="team"))
    page = client.get(f"/assessments/{sent_back.pk}/", headers={"accept-language": "en"})
    assert page.status_code == 200


@pytest.mark.parametrize(
    ("username", "kinds"),
    [
        ("team", {"published", "information_requested"}),
        ("assessor", {"submitted", "resubmitted"}),
        ("manager", {"published"}),
    ],
)
def test_each_persona_has_notifications_some_unread(demo, username, kinds):
    notices = Notification.objects.filter(recipient__username=username)
    assert set(notices.values_list("kind", flat=True)) == kinds
    assert notices.filter(read_at__isnull=True).exists()
    assert notices.filter(read_at__isnull=False).exists()  # the old ones were read


def test_every_demo_file_has_its_source_and_copies_are_unedited(demo):
    sources = {entry["file"]: entry for entry in yaml.safe_load((DEMO_FILES / "SOURCES.yaml").read_text())["files"]}
    files = {path.name for path in DEMO_FILES.iterdir() if path.name != "SOURCES.yaml"}
    assert set(sources) == files
    used = set(Evidence.objects.exclude(file="").values_list("name", flat=True)) - {"deployments.csv", "incidents.json"}
    assert used == files
    for name, entry in sources.items():
        assert {"repository", "commit", "path", "licence"} <= set(entry) or "made" in entry, name
        if "copied_from" in entry:
            original = Path(settings.BASE_DIR) / entry["copied_from"]
            assert digest(original) == digest(DEMO_FILES / name), name


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_seed_demo_twice_changes_nothing(demo, django_user_model):
    before = snapshot(django_user_model)
    call_command("seed_demo")
    assert snapshot(django_user_model) == before


def snapshot(user_model) -> tuple:
    return (
        sorted(user_model.objects.values_list("username", "pk", "password")),
        sorted(Membership.objects.values_list("user__username", "organisation__slug", "is_team_member", "is_admin")),
        sorted(Project.objects.values_list("name", "pk")),
        sorted(Assessment.objects.values_list("pk", "state", "updated_at", "level_summary")),
        Answer.objects.count(),
        sorted(Evidence.objects.values_list("pk", "status", "sha256")),
        sorted(Decision.objects.values_list("pk", "value", "version")),
        Notification.objects.count(),
        AuditEntry.objects.count(),
    )


def test_demo_users_can_sign_in(demo, client):
    response = client.post("/accounts/login/", {"username": "team", "password": "demo12345"})
    assert response.status_code == 302
    assert client.get("/").context["user"].username == "team"


def test_a_wrong_password_is_refused_with_a_message(demo, client):
    response = client.post(
        "/accounts/login/", {"username": "team", "password": "wrong"}, headers={"accept-language": "en"}
    )
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
