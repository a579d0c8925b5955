"""The objects the matrix's paths name, made through the services, and assessments driven into each state."""

import pytest

from assessment.models import AuditEntry
from assessment.services.evidence import add_evidence
from assessment.services.webhooks import create_subscription
from metrics.services.credentials import create_ingest_token, project_hook
from tests.review.flow import ASKED


@pytest.fixture
def objects(caict, assessment, team, assessor, manager, orgadmin, outsider, evidence_storage):
    """(people by persona, ids by template name) for Acme's project and its draft assessment."""
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
        # A literal public address: checked without a DNS lookup. Deliveries (the "test" button's too) are sent
        # after the commit, which never comes in these rolled-back tests: nothing leaves the machine.
        "subscription": create_subscription(
            organisation=assessment.organisation,
            actor=orgadmin,
            target_url="https://93.184.216.34/hook",
            events=["level.changed"],
        ).pk,
        "model_key": caict.key,
        "model_version": caict.version,
        "model": caict.pk,
        "audit_entry": AuditEntry.objects.filter(assessment=assessment).values_list("pk", flat=True).first(),
    }
    ids |= report_objects(assessment, manager) | metrics_objects(assessment.project, orgadmin)
    return people, ids


def report_objects(assessment, manager) -> dict:
    """A rendered PDF (ready, so the PDF endpoints answer 200 at once) and a share link with its token."""
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
    link, token = create_share_link(assessment=assessment, actor=manager, days=7, reading="provisional")
    return {"report_file": report_file.pk, "share_link": link.pk, "share_token": token}


def metrics_objects(project, orgadmin) -> dict:
    """An ingest token of the project and its webhook address."""
    token, _raw = create_ingest_token(project=project, actor=orgadmin, name="ci")
    return {"ingest_token": token.pk, "hook": project_hook(project=project).hook_id}


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
