"""The permission matrix as data: persona × endpoint (HTML and API) → expected status.

Acme's personas (team on the project's team, assessor, manager, orgadmin) against Acme's objects, and
`outsider` (a team member and admin of another organisation) against the same objects: foreign objects answer
404 whatever the outsider's roles elsewhere; members without the right role get 403; anonymous visitors are sent
to sign in (HTML) or get 401 (API).
"""

import pytest
from rest_framework.authtoken.models import Token

from assessment.services.evidence import add_evidence
from assessment.services.webhooks import create_subscription

pytestmark = pytest.mark.django_db

PERSONAS = ["team", "assessor", "manager", "orgadmin", "outsider", "anonymous"]
READ = {"team": 200, "assessor": 200, "manager": 200, "orgadmin": 200, "outsider": 404}
TEAM_ONLY = {"assessor": 403, "manager": 403, "orgadmin": 403, "outsider": 404}
ADMIN_ONLY = {"team": 403, "assessor": 403, "manager": 403, "orgadmin": 200, "outsider": 404}
# Delivery events are sent by the project's team and the organisation's admins.
EVENT_SENDERS = {"team": 200, "assessor": 403, "manager": 403, "orgadmin": 200, "outsider": 404}
EVENT = [{"type": "incident", "external_id": "i-1", "opened_at": "2026-05-01T10:00:00+08:00"}]
OVERSEERS = {"team": 403, "assessor": 403, "manager": 200, "orgadmin": 200, "outsider": 404}

# (id, method, path template, body, expected by persona; anonymous: 302 for HTML, 401 for API)
HTML = [
    ("project", "get", "/projects/{project}/", None, READ),
    (
        "start-assessment",
        "post",
        "/projects/{project}/assessments/",
        {"parts": ["cd"], "target_level": "3"},
        {"team": 302, **TEAM_ONLY},
    ),
    ("overview", "get", "/assessments/{assessment}/", None, READ),
    ("questionnaire", "get", "/assessments/{assessment}/questionnaire/cd.cm/", None, READ),
    ("questionnaire-all", "get", "/assessments/{assessment}/questionnaire/all/", None, READ),
    (
        "answer",
        "post",
        "/assessments/{assessment}/answers/cd.cm.vc.vcs@1/",
        {"answer": "met"},
        {"team": 302, **TEAM_ONLY},
    ),
    ("submit", "post", "/assessments/{assessment}/submit/", {}, {"team": 302, **TEAM_ONLY}),
    (
        "evidence-form",
        "get",
        "/assessments/{assessment}/evidence/?criterion=cd.cm.vc.vcs@1",
        None,
        {"team": 200, **TEAM_ONLY},
    ),
    (
        "evidence-add",
        "post",
        "/assessments/{assessment}/evidence/",
        {"criterion": "cd.cm.vc.vcs@1", "note": "n"},
        {"team": 302, **TEAM_ONLY},
    ),
    (
        "evidence-reuse",
        "get",
        "/assessments/{assessment}/evidence/attach/?criterion=cd.cm.vc.vcs@2",
        None,
        {"team": 200, **TEAM_ONLY},
    ),
    (
        "evidence-attach",
        "post",
        "/assessments/{assessment}/evidence/attach/",
        {"criterion": "cd.cm.vc.vcs@2", "evidence": "{evidence}"},
        {"team": 302, **TEAM_ONLY},
    ),
    (
        "evidence-remove",
        "post",
        "/evidence/{evidence}/remove/",
        {"criterion": "cd.cm.vc.vcs@1"},
        {"team": 302, **TEAM_ONLY},
    ),
    ("evidence-download", "get", "/evidence/{file_evidence}/download/", None, READ),
    # Without htmx the polled row sends members to the questionnaire.
    (
        "evidence-row",
        "get",
        "/evidence/{file_evidence}/row/?criterion=cd.cm.vc.vcs@1",
        None,
        {"team": 302, "assessor": 302, "manager": 302, "orgadmin": 302, "outsider": 404},
    ),
    ("report", "get", "/assessments/{assessment}/report/", None, READ),
    ("report-confirmed", "get", "/assessments/{assessment}/report/?reading=confirmed", None, READ),
    (
        "report-pdf",
        "post",
        "/assessments/{assessment}/report/pdf/",
        {"kind": "report", "reading": "provisional"},
        {"team": 302, "assessor": 302, "manager": 302, "orgadmin": 302, "outsider": 404},
    ),
    ("report-file", "get", "/reports/{report_file}/", None, READ),
    ("report-file-download", "get", "/reports/{report_file}/download/", None, READ),
    ("export-csv", "get", "/assessments/{assessment}/export/?format=csv", None, READ),
    ("export-xlsx", "get", "/assessments/{assessment}/export/?format=xlsx", None, READ),
    ("trends", "get", "/projects/{project}/trends/", None, READ),
    ("portfolio", "get", "/orgs/acme/portfolio/", None, OVERSEERS),
    (
        "share-settings",
        "post",
        "/orgs/acme/portfolio/sharing/",
        {"allow_share_links": "on"},
        {"team": 403, "assessor": 403, "manager": 403, "orgadmin": 302, "outsider": 404},
    ),
    (
        "share-create",
        "post",
        "/assessments/{assessment}/share/",
        {"days": "7"},
        {"team": 403, "assessor": 403, "manager": 302, "orgadmin": 302, "outsider": 404},
    ),
    (
        "share-revoke",
        "post",
        "/share-links/{share_link}/revoke/",
        {},
        {"team": 403, "assessor": 403, "manager": 302, "orgadmin": 302, "outsider": 404},
    ),
    ("members", "get", "/orgs/acme/members/", None, ADMIN_ONLY),
    ("member-add-form", "get", "/orgs/acme/members/add/", None, ADMIN_ONLY),
    ("org-projects", "get", "/orgs/acme/projects/", None, ADMIN_ONLY),
    ("events-import", "get", "/projects/{project}/events/import/", None, EVENT_SENDERS),
    ("ingest-credentials", "get", "/projects/{project}/ingest/", None, ADMIN_ONLY),
    (
        "ingest-token-create",
        "post",
        "/projects/{project}/ingest/tokens/",
        {"name": "ci"},
        {**ADMIN_ONLY, "orgadmin": 201},
    ),
    (
        "ingest-secret-rotate",
        "post",
        "/projects/{project}/ingest/secrets/",
        {"provider": "github"},
        {**ADMIN_ONLY, "orgadmin": 302},
    ),
    ("org-project-add-form", "get", "/orgs/acme/projects/add/", None, ADMIN_ONLY),
    ("org-project", "get", "/orgs/acme/projects/{project}/", None, ADMIN_ONLY),
    ("member-roles-form", "get", "/orgs/acme/members/{membership}/", None, ADMIN_ONLY),
    ("member-remove-form", "get", "/orgs/acme/members/{membership}/remove/", None, ADMIN_ONLY),
    ("member-invite", "post", "/orgs/acme/members/{membership}/invite/", {}, {**ADMIN_ONLY, "orgadmin": 302}),
    ("webhooks", "get", "/orgs/acme/webhooks/", None, ADMIN_ONLY),
    ("webhook-add-form", "get", "/orgs/acme/webhooks/add/", None, ADMIN_ONLY),
    (
        "webhook-active",
        "post",
        "/orgs/acme/webhooks/{subscription}/active/",
        {"active": "false"},
        {**ADMIN_ONLY, "orgadmin": 302},
    ),
    ("webhook-delete", "post", "/orgs/acme/webhooks/{subscription}/delete/", {}, {**ADMIN_ONLY, "orgadmin": 302}),
]
API = [
    ("api-project", "get", "/api/v1/projects/{project}/", None, READ),
    ("api-assessment", "get", "/api/v1/assessments/{assessment}/", None, READ),
    ("api-answers", "get", "/api/v1/assessments/{assessment}/answers/", None, READ),
    ("api-evidence-list", "get", "/api/v1/assessments/{assessment}/evidence/", None, READ),
    ("api-levels", "get", "/api/v1/assessments/{assessment}/levels/", None, READ),
    ("api-evidence", "get", "/api/v1/evidence/{evidence}/", None, READ),
    (
        "api-start",
        "post",
        "/api/v1/assessments/",
        {"project": "{project}", "target_level": 3},
        {"team": 201, **TEAM_ONLY},
    ),
    (
        "api-answer",
        "post",
        "/api/v1/assessments/{assessment}/answers/",
        [{"criterion": "cd.cm.vc.vcs@1", "answer": "met"}],
        {"team": 200, **TEAM_ONLY},
    ),
    (
        "api-evidence-add",
        "post",
        "/api/v1/assessments/{assessment}/evidence/",
        {"criteria": ["cd.cm.vc.vcs@1"], "note": "n"},
        {"team": 201, **TEAM_ONLY},
    ),
    ("api-evidence-remove", "delete", "/api/v1/evidence/{evidence}/", None, {"team": 204, **TEAM_ONLY}),
    ("api-submit", "post", "/api/v1/assessments/{assessment}/submit/", {}, {"team": 400, **TEAM_ONLY}),
    ("api-events", "post", "/api/v1/projects/{project}/events/", EVENT, EVENT_SENDERS),
    ("api-report", "get", "/api/v1/assessments/{assessment}/report/", None, READ),
    ("api-report-pdf", "get", "/api/v1/assessments/{assessment}/report.pdf", None, READ),
    ("api-export", "get", "/api/v1/assessments/{assessment}/export/?format=csv", None, READ),
    ("api-export-json", "get", "/api/v1/assessments/{assessment}/export/?format=json", None, READ),
    ("api-portfolio", "get", "/api/v1/portfolio/?organisation=acme", None, OVERSEERS),
]


# Review, lifecycle, audit and notifications: the same, on an assessment in the state the endpoint needs
# (assigned to `assessor`; see tests/review/flow.py). (id, state, method, path, body, expected by persona)
REVIEWER_ONLY = {"team": 403, "manager": 403, "orgadmin": 403, "outsider": 404}
ANYONE = dict.fromkeys(["team", "assessor", "manager", "orgadmin", "outsider"], 200)
ASKED = "cd.cm.vc.vcs@1"
REVIEW_HTML = [
    (
        "review-queue",
        "submitted",
        "get",
        "/review/",
        None,
        {"team": 403, "assessor": 200, "manager": 403, "orgadmin": 403, "outsider": 403},
    ),
    ("review", "in_review", "get", "/assessments/{a}/review/", None, {"assessor": 200, **REVIEWER_ONLY}),
    (
        "review-bulk-accept",
        "in_review",
        "get",
        "/assessments/{a}/review/accept-verified/",
        None,
        {"assessor": 200, **REVIEWER_ONLY},
    ),
    (
        "review-decision",
        "in_review",
        "post",
        "/assessments/{a}/review/cd.cm.vc.branch@1/",
        {"decision": "accepted"},
        {"assessor": 302, **REVIEWER_ONLY},
    ),
    (
        "assessment-move",
        "submitted",
        "post",
        "/assessments/{a}/move/",
        {"move": "start_review"},
        {"assessor": 302, **REVIEWER_ONLY},
    ),
    (
        "assessment-assign",
        "submitted",
        "post",
        "/assessments/{a}/assessor/",
        {"assessor": "{assessor}"},
        {"team": 403, "assessor": 302, "manager": 403, "orgadmin": 302, "outsider": 404},
    ),
    ("assessment-successor", "published", "post", "/assessments/{a}/successor/", {}, {"team": 302, **TEAM_ONLY}),
    (
        "request-reply",
        "changes_requested",
        "post",
        f"/assessments/{{a}}/requests/{ASKED}/reply/",
        {"reply": "See the wiki."},
        {"team": 302, **TEAM_ONLY},
    ),
    ("assessment-audit", "draft", "get", "/assessments/{a}/audit/", None, READ),
    ("organisation-audit", "draft", "get", "/orgs/acme/audit/", None, ADMIN_ONLY),
    ("notifications", "draft", "get", "/notifications/", None, ANYONE),
    ("notifications-read", "draft", "post", "/notifications/read/", {}, dict.fromkeys(ANYONE, 302)),
    (
        "notification-open",
        "submitted",
        "post",
        "/notifications/{notice}/open/",
        {},
        {"team": 404, "assessor": 302, "manager": 404, "orgadmin": 404, "outsider": 404},
    ),
]
REVIEW_API = [
    *[
        (f"api-{slug}", state, "post", f"/api/v1/assessments/{{a}}/{slug}/", {}, {"assessor": 200, **REVIEWER_ONLY})
        for slug, state in (
            ("start-review", "submitted"),
            ("request-changes", "in_review+asked"),
            ("complete-review", "in_review+decided"),
            ("reopen-review", "assessed"),
            ("publish", "assessed"),
        )
    ],
    (
        "api-assessor",
        "submitted",
        "post",
        "/api/v1/assessments/{a}/assessor/",
        {"assessor": "assessor"},
        {"team": 403, "assessor": 200, "manager": 403, "orgadmin": 200, "outsider": 404},
    ),
    ("api-supersede", "published", "post", "/api/v1/assessments/{a}/supersede/", None, {"team": 201, **TEAM_ONLY}),
    ("api-snapshot", "published", "get", "/api/v1/assessments/{a}/snapshot/", None, READ),
    ("api-audit", "draft", "get", "/api/v1/assessments/{a}/audit/", None, READ),
    ("api-decisions", "in_review", "get", "/api/v1/assessments/{a}/decisions/", None, READ),
    (
        "api-decide",
        "in_review",
        "post",
        "/api/v1/assessments/{a}/decisions/",
        [{"criterion": "cd.cm.vc.branch@1", "decision": "accepted"}],
        {"assessor": 200, **REVIEWER_ONLY},
    ),
    (
        "api-accept-verified-count",
        "in_review",
        "get",
        "/api/v1/assessments/{a}/decisions/accept-verified/",
        None,
        {"assessor": 200, **REVIEWER_ONLY},
    ),
    (
        "api-accept-verified",
        "in_review",
        "post",
        "/api/v1/assessments/{a}/decisions/accept-verified/",
        {"expected_count": 0},
        {"assessor": 200, **REVIEWER_ONLY},
    ),
    (
        "api-reply",
        "changes_requested",
        "post",
        f"/api/v1/assessments/{{a}}/requests/{ASKED}/reply/",
        {"reply": "See the wiki."},
        {"team": 200, **TEAM_ONLY},
    ),
    ("api-notifications", "draft", "get", "/api/v1/notifications/", None, ANYONE),
    ("api-notifications-read", "draft", "post", "/api/v1/notifications/read/", {}, ANYONE),
]


def cases(endpoints, anonymous: int):
    for name, method, path, body, expected in endpoints:
        for persona in PERSONAS:
            status = anonymous if persona == "anonymous" else expected[persona]
            yield pytest.param(persona, method, path, body, status, id=f"{name}-{persona}")


@pytest.fixture
def objects(assessment, team, assessor, manager, orgadmin, outsider, evidence_storage):
    from django.core.files.uploadedfile import SimpleUploadedFile

    note = add_evidence(assessment=assessment, actor=team, criteria_codes=["cd.cm.vc.vcs@1"], note="Trunk-based")
    file = add_evidence(
        assessment=assessment,
        actor=team,
        criteria_codes=["cd.cm.vc.vcs@1"],
        upload=SimpleUploadedFile("r.xml", b"<testsuite/>"),
    )
    people = {"team": team, "assessor": assessor, "manager": manager, "orgadmin": orgadmin, "outsider": outsider}
    ids = {
        "project": assessment.project_id,
        "assessment": assessment.pk,
        "evidence": note.pk,
        "file_evidence": file.pk,
        "membership": team.memberships.get().pk,
        # A literal public address: checked without a DNS lookup, and never called (no test event here).
        "subscription": create_subscription(
            organisation=assessment.organisation,
            actor=orgadmin,
            target_url="https://93.184.216.34/hook",
            events=["level.changed"],
        ).pk,
    }
    ids |= report_objects(assessment, manager)
    return people, ids


def report_objects(assessment, manager) -> dict:
    """A rendered PDF (ready, so the PDF endpoints answer 200 at once) and a share link."""
    from django.conf import settings

    from assessment.models import ReportFile
    from assessment.services.reports import create_share_link, report_fingerprint

    assessment.organisation.allow_share_links = True
    assessment.organisation.save()
    options = {"kind": "report", "reading": "provisional", "language": settings.LANGUAGE_CODE}
    report_file = ReportFile.objects.create(
        assessment=assessment,
        fingerprint=report_fingerprint(assessment, **options),
        status="ready",
        content=b"%PDF-1.7",
        **options,
    )
    link, _token = create_share_link(assessment=assessment, actor=manager, days=7, reading="provisional")
    return {"report_file": report_file.pk, "share_link": link.pk}


def fill(value, ids):
    if isinstance(value, str):
        return value.format(**ids)
    if isinstance(value, list):
        return [fill(item, ids) for item in value]
    if isinstance(value, dict):
        return {key: fill(item, ids) for key, item in value.items()}
    return value


@pytest.mark.parametrize(("persona", "method", "path", "body", "status"), list(cases(HTML, anonymous=302)))
def test_html_endpoints(client, objects, persona, method, path, body, status):
    people, ids = objects
    if persona != "anonymous":
        client.force_login(people[persona])
    data = fill(body, ids) if body is not None else None
    response = (
        getattr(client, method)(fill(path, ids), data) if data is not None else getattr(client, method)(fill(path, ids))
    )
    assert response.status_code == status
    if status == 302 and persona == "anonymous":
        assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(("persona", "method", "path", "body", "status"), list(cases(API, anonymous=401)))
def test_api_endpoints(client, objects, persona, method, path, body, status):
    people, ids = objects
    headers = {}
    if persona != "anonymous":
        headers["authorization"] = f"Token {Token.objects.get_or_create(user=people[persona])[0].key}"
    kwargs = {"headers": headers}
    if body is not None:
        # Evidence uploads are multipart (files); every other write is JSON.
        multipart = path.endswith("/evidence/") and method == "post"
        kwargs |= {"data": fill(body, ids)} | ({} if multipart else {"content_type": "application/json"})
    response = getattr(client, method)(fill(path, ids), **kwargs)
    assert response.status_code == status, response.content[:300]
    if status >= 400:
        assert set(response.json()) == {"detail", "errors"}


def staged_cases(endpoints, anonymous: int):
    for name, state, method, path, body, expected in endpoints:
        for persona in PERSONAS:
            status = anonymous if persona == "anonymous" else expected[persona]
            yield pytest.param(persona, state, method, path, body, status, id=f"{name}-{persona}")


@pytest.fixture
def staged(objects, project):
    """staged(state) → ids of a new target-1 assessment of the project in that state, reviewed by `assessor`;
    "in_review+asked" has a request for information on ASKED, "in_review+decided" every criterion accepted."""
    from assessment.models import Notification
    from assessment.services.assessments import start_assessment
    from tests.review.flow import decide_codes, drive, required_codes

    people, _ids = objects

    def stage(state: str) -> dict:
        base, _sep, extra = state.partition("+")
        assessment = start_assessment(project=project, actor=people["team"], target_level=1)
        assessment = drive(
            assessment, base, team=people["team"], assessor=people["assessor"], orgadmin=people["orgadmin"]
        )
        if extra:
            codes = required_codes(assessment)
            chosen = {ASKED: "info_requested"} if extra == "asked" else dict.fromkeys(codes, "accepted")
            decide_codes(assessment, people["assessor"], chosen)
        notice = Notification.objects.filter(recipient=people["assessor"]).values_list("pk", flat=True).first()
        return {"a": assessment.pk, "assessor": people["assessor"].pk, "notice": notice or 0}

    return stage


@pytest.mark.parametrize(
    ("persona", "state", "method", "path", "body", "status"), list(staged_cases(REVIEW_HTML, anonymous=302))
)
def test_review_html_endpoints(client, objects, staged, persona, state, method, path, body, status):
    people, _ids = objects
    ids = staged(state)
    if persona != "anonymous":
        client.force_login(people[persona])
    url = fill(path, ids)
    response = getattr(client, method)(url, fill(body, ids)) if body is not None else getattr(client, method)(url)
    assert response.status_code == status, response.content[:300]
    if status == 302 and persona == "anonymous":
        assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    ("persona", "state", "method", "path", "body", "status"), list(staged_cases(REVIEW_API, anonymous=401))
)
def test_review_api_endpoints(client, objects, staged, persona, state, method, path, body, status):
    people, _ids = objects
    ids = staged(state)
    headers = {}
    if persona != "anonymous":
        headers["authorization"] = f"Token {Token.objects.get_or_create(user=people[persona])[0].key}"
    kwargs = {"headers": headers}
    if body is not None:
        kwargs |= {"data": fill(body, ids), "content_type": "application/json"}
    response = getattr(client, method)(fill(path, ids), **kwargs)
    assert response.status_code == status, response.content[:300]
    if status >= 400:
        assert set(response.json()) == {"detail", "errors"}


def test_lists_leak_nothing_foreign(client, objects):
    people, ids = objects
    client.force_login(people["outsider"])
    for path in ("/api/v1/projects/", "/api/v1/assessments/"):
        listed = client.get(path).json()
        rows = listed["results"] if isinstance(listed, dict) else listed
        assert ids["project"] not in [row.get("project", row.get("id")) for row in rows]
        assert "Marketing platform" not in str(listed)
    assert "Marketing platform" not in client.get("/").content.decode()
    assert "Marketing platform" not in client.get("/notifications/").content.decode()


# Pages without objects of an organisation (public catalogue, sign-in, the home page), and the catalogue API.
NOT_IN_MATRIX = {
    # Reached by an expiring token without an account, not by role; tests/reports/test_trends_and_sharing.py covers it.
    "shared-report",
    # Sends over the network; its roles are tested in tests/webhooks/test_webhook_pages.py.
    "organisation-webhook-test",
    "home",
    "health",
    "catalog-models",
    "catalog-model",
    "catalog-part",
    "catalog-subdomain",
    "catalog-subitem",
    "api-root",
    "catalog-model-list",
    "catalog-model-detail",
    "api-token",
    "api-projects",
    "api-assessments",
    "api-project-events",
    "api-project-metrics",
}


def test_every_endpoint_is_in_the_matrix():
    """A new URL without its rows in the matrix fails here: add them (or say above why it needs none)."""
    from django.urls import get_resolver, resolve

    from assessment.api.urls import urlpatterns as api_patterns
    from assessment.urls import urlpatterns as html_patterns

    dummy = dict.fromkeys(
        [
            *("project", "assessment", "evidence", "file_evidence", "membership", "a", "assessor", "notice"),
            *("subscription", "report_file", "share_link"),
        ],
        1,
    )
    rows = [*HTML, *API] + [
        (name, method, path, body, expected)
        for name, _s, method, path, body, expected in [
            *REVIEW_HTML,
            *REVIEW_API,
        ]
    ]
    covered = {resolve(fill(path, dummy).split("?")[0]).url_name for _name, _method, path, _body, _expected in rows}
    named = {pattern.name for pattern in [*html_patterns, *api_patterns] if getattr(pattern, "name", None)}
    assert get_resolver()  # the project's URLs are loaded
    assert sorted(named - covered - NOT_IN_MATRIX) == []
