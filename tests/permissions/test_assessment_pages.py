"""The matrix for the assessment app's pages: projects, questionnaire, evidence, reports, sharing, organisation
administration and outbound webhooks (see tests/permissions/matrix.py for how to read a row)."""

import pytest

from tests.permissions.matrix import ADMIN_ONLY, OVERSEERS, READ, TEAM_ONLY, cases, check_html

pytestmark = pytest.mark.django_db

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
    ("webhook-test", "post", "/orgs/acme/webhooks/{subscription}/test/", {}, {**ADMIN_ONLY, "orgadmin": 302}),
    ("webhook-delete", "post", "/orgs/acme/webhooks/{subscription}/delete/", {}, {**ADMIN_ONLY, "orgadmin": 302}),
]


@pytest.mark.parametrize(("persona", "method", "path", "body", "status"), list(cases(HTML, anonymous=302)))
def test_html_endpoints(client, objects, persona, method, path, body, status):
    people, ids = objects
    check_html(client, people, ids, persona=persona, method=method, path=path, body=body, status=status)
