"""The audit trail: every mutating endpoint (HTML and API) leaves its entry with actor, before and after; and
no code path (model, queryset, bulk, admin, raw SQL on PostgreSQL) updates or deletes an entry."""

import pytest
from django.db import connection, transaction
from rest_framework.test import APIClient

from assessment.models import AuditEntry, Membership
from assessment.services.evidence import add_evidence
from tests.review.flow import ASKED, answer_required, decide_codes, move, required_codes, set_verdict

pytestmark = pytest.mark.django_db

BULK = "cd.cm.vc.ssot@1"  # has a `met` verdict in review: bulk-acceptable
DECIDED = "cd.cm.vc.branch@1"
ATTACH_TO = "cd.cm.vc.artifact@1"
ANY = object()  # any value, as long as there is one


@pytest.fixture
def situation(small, team, assessor, orgadmin, to_state):
    """prepare(state) → ids of the small assessment in that state, with evidence on ASKED from the draft on."""

    def prepare(state: str) -> dict:
        evidence = add_evidence(assessment=small, actor=team, criteria_codes=[ASKED], note="Protected main branch.")
        answer_required(small, team, overrides={ASKED: "partly"})
        base, _sep, extra = state.partition("+")
        assessment = to_state(base) if base != "draft" else small
        if base == "in_review":
            set_verdict(assessment, BULK, "met")
        if extra == "asked":
            decide_codes(assessment, assessor, {ASKED: "info_requested"})
        if extra == "decided":
            decide_codes(assessment, assessor, dict.fromkeys(required_codes(assessment), "accepted"))
        membership = Membership.objects.get(organisation=small.organisation, user=assessor)
        return {"a": assessment.pk, "n": assessment.pk, "e": evidence.pk, "m": membership.pk, "assessor": assessor.pk}

    return prepare


# (id, interface, state, persona, method, path, body, action, target, before, after)
CASES = [
    # the team's work
    ("answer", "html", "draft", "team", "post", "/assessments/{a}/answers/" + ASKED + "/", {"answer": "met"},
     "answer.changed", ASKED, {"value": "partly"}, {"value": "met"}),
    ("answer", "api", "draft", "team", "post", "/api/v1/assessments/{a}/answers/",
     [{"criterion": ASKED, "answer": "met"}], "answer.changed", ASKED, {"value": "partly"}, {"value": "met"}),
    ("evidence-add", "html", "draft", "team", "post", "/assessments/{a}/evidence/", {"criterion": ASKED, "note": "CI"},
     "evidence.added", "CI", None, {"id": ANY, "sha256": ANY, "criteria": [ASKED]}),
    ("evidence-add", "api", "draft", "team", "post", "/api/v1/assessments/{a}/evidence/",
     {"criteria": [ASKED], "note": "CI"}, "evidence.added", "CI", None, {"id": ANY, "criteria": [ASKED]}),
    ("evidence-attach", "html", "draft", "team", "post", "/assessments/{a}/evidence/attach/",
     {"criterion": ATTACH_TO, "evidence": "{e}"}, "evidence.attached", ANY, None, {"criteria": [ATTACH_TO]}),
    ("evidence-remove", "html", "draft", "team", "post", "/evidence/{e}/remove/", {"criterion": ASKED},
     "evidence.removed", ANY, {"id": "{e}", "sha256": ANY}, None),
    ("evidence-remove", "api", "draft", "team", "delete", "/api/v1/evidence/{e}/", None,
     "evidence.removed", ANY, {"id": "{e}", "sha256": ANY}, None),
    ("start", "html", "draft", "team", "post", "/projects/{p}/assessments/", {"parts": ["cd"], "target_level": "2"},
     "assessment.started", ANY, None, {"target_level": 2, "parts": ["cd"]}),
    ("start", "api", "draft", "team", "post", "/api/v1/assessments/", {"project": "{p}", "target_level": 2},
     "assessment.started", ANY, None, {"target_level": 2}),
    ("submit", "html", "draft", "team", "post", "/assessments/{a}/submit/", {},
     "assessment.submit", "{a}", {"state": "draft"}, {"state": "submitted"}),
    ("submit", "api", "draft", "team", "post", "/api/v1/assessments/{a}/submit/", None,
     "assessment.submit", "{a}", {"state": "draft"}, {"state": "submitted"}),
    ("reply", "html", "changes_requested", "team", "post", "/assessments/{a}/requests/" + ASKED + "/reply/",
     {"reply": "See wiki"}, "decision.replied", ASKED, {"reply": "", "is_current": True},
     {"reply": "See wiki", "is_current": False}),
    ("reply", "api", "changes_requested", "team", "post", "/api/v1/assessments/{a}/requests/" + ASKED + "/reply/",
     {"reply": "See wiki"}, "decision.replied", ASKED, {"reply": ""}, {"reply": "See wiki"}),
    ("supersede", "html", "published", "team", "post", "/assessments/{a}/successor/", {},
     "assessment.supersedes", "{a}", None, {"supersedes": "{n}"}),
    ("supersede", "api", "published", "team", "post", "/api/v1/assessments/{a}/supersede/", None,
     "assessment.supersedes", "{a}", None, {"supersedes": "{n}"}),
    # assignment and the assessors' work
    ("assign", "html", "submitted", "orgadmin", "post", "/assessments/{a}/assessor/", {"assessor": "{assessor}"},
     "assessment.assigned", "{a}", {"assessor": "assessor"}, {"assessor": "assessor"}),
    ("assign", "api", "submitted", "orgadmin", "post", "/api/v1/assessments/{a}/assessor/", {"assessor": "assessor"},
     "assessment.assigned", "{a}", {"assessor": "assessor"}, {"assessor": "assessor"}),
    ("move", "html", "submitted", "assessor", "post", "/assessments/{a}/move/", {"move": "start_review"},
     "assessment.start_review", "{a}", {"state": "submitted"}, {"state": "in_review"}),
    ("start-review", "api", "submitted", "assessor", "post", "/api/v1/assessments/{a}/start-review/", None,
     "assessment.start_review", "{a}", {"state": "submitted"}, {"state": "in_review"}),
    ("request-changes", "api", "in_review+asked", "assessor", "post", "/api/v1/assessments/{a}/request-changes/",
     {"comment": "See the requests."}, "assessment.request_changes", "{a}", {"state": "in_review"},
     {"state": "changes_requested", "comment": "See the requests."}),
    ("complete-review", "api", "in_review+decided", "assessor", "post", "/api/v1/assessments/{a}/complete-review/",
     None, "assessment.complete_review", "{a}", {"state": "in_review"}, {"state": "assessed"}),
    ("reopen-review", "api", "assessed", "assessor", "post", "/api/v1/assessments/{a}/reopen-review/", None,
     "assessment.reopen_review", "{a}", {"state": "assessed"}, {"state": "in_review"}),
    ("publish", "api", "assessed", "assessor", "post", "/api/v1/assessments/{a}/publish/", None,
     "assessment.publish", "{a}", {"state": "assessed"}, {"state": "published"}),
    ("publish", "api", "assessed", "assessor", "post", "/api/v1/assessments/{a}/publish/", None,
     "assessment.snapshot", "{a}", None, {"levels": ANY, "evidence": 1}),
    ("decision", "html", "in_review", "assessor", "post", "/assessments/{a}/review/" + DECIDED + "/",
     {"decision": "rejected", "comment": "No rules", "version": "0"}, "decision.recorded", DECIDED, None,
     {"decision": "rejected", "comment": "No rules", "version": 1}),
    ("decision", "html", "in_review+asked", "assessor", "post", "/assessments/{a}/review/" + ASKED + "/",
     {"decision": "accepted", "version": "1"}, "decision.recorded", ASKED,
     {"decision": "info_requested", "version": 1}, {"decision": "accepted", "version": 2}),
    ("decisions", "api", "in_review", "assessor", "post", "/api/v1/assessments/{a}/decisions/",
     [{"criterion": DECIDED, "decision": "accepted"}], "decision.recorded", DECIDED, None,
     {"decision": "accepted", "version": 1}),
    ("bulk-accept", "html", "in_review", "assessor", "post", "/assessments/{a}/review/accept-verified/",
     {"criteria": BULK, "confirmed": "on"}, "decision.recorded", BULK, None, {"decision": "accepted"}),
    ("accept-verified", "api", "in_review", "assessor", "post", "/api/v1/assessments/{a}/decisions/accept-verified/",
     {"expected_count": 1}, "decision.recorded", BULK, None, {"decision": "accepted", "verdict": "met"}),
    # organisation admin
    ("roles", "html", "draft", "orgadmin", "post", "/orgs/acme/members/{m}/", {"roles": ["assessor", "manager"]},
     "membership.roles_changed", "assessor", {"roles": ["assessor"]}, {"roles": ["assessor", "manager"]}),
]  # fmt: skip


def fill(value, ids: dict):
    if isinstance(value, str):
        filled = value.format(**ids)
        # "{a}" is the assessment's id in paths and targets (text); other lone placeholders are numbers in JSON.
        return int(filled) if value.startswith("{") and filled.isdigit() and value != "{a}" else filled
    if isinstance(value, list):
        return [fill(item, ids) for item in value]
    if isinstance(value, dict):
        return {key: fill(item, ids) for key, item in value.items()}
    return value


def matches(actual, expected) -> bool:
    if expected is ANY:
        return actual not in (None, "", [], {})
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(
            key in actual and matches(actual[key], value) for key, value in expected.items()
        )
    return actual == expected


def send(interface: str, user, method: str, path: str, body):
    if interface == "api":
        client = APIClient()
        client.force_authenticate(user)
        multipart = path.endswith("/evidence/") and method == "post"
        return getattr(client, method)(path, body, format="multipart" if multipart else "json")
    from django.test import Client

    client = Client()
    client.force_login(user)
    return getattr(client, method)(path, body or {})


@pytest.mark.parametrize(
    ("interface", "state", "persona", "method", "path", "body", "action", "target", "before", "after"),
    [pytest.param(*case[1:], id=f"{case[0]}-{case[1]}-{case[7]}") for case in CASES],
)
def test_every_mutating_endpoint_leaves_its_entry(
    request, situation, project, interface, state, persona, method, path, body, action, target, before, after
):
    ids = situation(state) | {"p": project.pk}
    user = request.getfixturevalue(persona)
    last = AuditEntry.objects.order_by("pk").last().pk

    response = send(interface, user, method, fill(path, ids), fill(body, ids))

    assert response.status_code < 400, response.content[:500]
    entries = AuditEntry.objects.filter(pk__gt=last, action=action)
    assert entries.count() >= 1, list(AuditEntry.objects.filter(pk__gt=last).values_list("action", flat=True))
    entry = entries.order_by("pk").first()
    assert entry.actor == user
    assert matches(entry.target, fill(target, ids) if target is not ANY else ANY), entry.target
    assert matches(entry.before, fill(before, ids) if before is not None else None), entry.before
    assert matches(entry.after, fill(after, ids) if after is not None else None), entry.after
    assert entry.organisation_id == project.organisation_id


def test_a_verdict_change_is_recorded_by_the_system(small, team):
    from assessment.services.scoring import refresh_verdicts
    from tests.review.flow import criterion

    code = "cd.tm.auto.execution@3"
    refresh_verdicts(small, criterion_ids=[criterion(small, code).pk])
    entry = AuditEntry.objects.get(assessment=small, action="verdict.changed", target=code)
    assert entry.actor is None and entry.before is None and entry.after["verdict"] == "inconclusive"


def test_the_audit_pages_show_and_filter_the_entries(client, api_as_manager, situation, manager, orgadmin):
    ids = situation("in_review")
    client.force_login(manager)
    page = client.get(f"/assessments/{ids['a']}/audit/?kind=assessment").content.decode()
    assert "assessment.start_review" in page and "answer.changed" not in page
    listed = api_as_manager.get(f"/api/v1/assessments/{ids['a']}/audit/", {"actor": "assessor"}).json()
    assert {row["action"] for row in listed["results"]} == {"assessment.start_review"}
    assert client.get("/orgs/acme/audit/").status_code == 403
    client.force_login(orgadmin)
    assert "assessment.assigned" in client.get("/orgs/acme/audit/").content.decode()


@pytest.fixture
def api_as_manager(manager) -> APIClient:
    client = APIClient()
    client.force_authenticate(manager)
    return client


@pytest.fixture
def entry(small, team):
    return AuditEntry.objects.filter(assessment=small).order_by("pk").first()


def test_an_entry_cannot_be_saved_again_or_deleted(entry):
    entry.after = {"forged": True}
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    entry.refresh_from_db()
    assert entry.after != {"forged": True}


def test_bulk_writes_are_refused(entry):
    entries = AuditEntry.objects.filter(pk=entry.pk)
    with pytest.raises(PermissionError):
        entries.update(action="forged")
    with pytest.raises(PermissionError):
        entries.delete()
    entry.action = "forged"
    with pytest.raises(PermissionError):
        AuditEntry.objects.bulk_update([entry], ["action"])
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).action != "forged"


def test_what_an_entry_refers_to_cannot_be_deleted_under_it(entry, small, team):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError), transaction.atomic():
        small.delete()
    with pytest.raises(ProtectedError), transaction.atomic():
        team.delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_the_admin_offers_no_way_to_change_or_delete_entries(client, staff, entry):
    from django.contrib import admin

    client.force_login(staff)
    if admin.site.is_registered(AuditEntry):
        model_admin = admin.site._registry[AuditEntry]
        fake = type("Request", (), {"user": staff})()
        assert not model_admin.has_add_permission(fake)
        assert not model_admin.has_change_permission(fake, entry)
        assert not model_admin.has_delete_permission(fake, entry)
    for path in (
        f"/admin/assessment/auditentry/{entry.pk}/change/",
        f"/admin/assessment/auditentry/{entry.pk}/delete/",
    ):
        client.post(path, {"post": "yes", "action": "forged"})
    client.post(
        "/admin/assessment/auditentry/", {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"}
    )
    refreshed = AuditEntry.objects.get(pk=entry.pk)
    assert (refreshed.action, refreshed.after) == (entry.action, entry.after)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the append-only trigger exists on PostgreSQL only")
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE assessment_auditentry SET action = 'forged' WHERE id = %s",
        "DELETE FROM assessment_auditentry WHERE id = %s",
    ],
)
def test_even_raw_sql_cannot_change_an_entry_on_postgresql(entry, sql):
    from django.db import DatabaseError

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).action == entry.action


def test_moves_record_their_comment(to_state, assessor):
    assessment = to_state("in_review")
    decide_codes(assessment, assessor, {ASKED: "info_requested"})
    move(assessment, "request_changes", assessor)
    entry = AuditEntry.objects.filter(assessment=assessment, action="assessment.request_changes").get()
    assert entry.before == {"state": "in_review"} and entry.after["state"] == "changes_requested"
