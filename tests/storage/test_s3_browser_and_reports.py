"""With evidence in the S3-compatible store: a team member uploads and downloads a file in headless Chromium, and
the pre-assessment pack (rendered to PDF, kept in PostgreSQL) lists the stored file's digest."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from assessment.models import Evidence
from assessment.services.evidence import add_evidence
from tests.reports.test_pdf import pdf_text, request_pdf
from tests.signing_in import sign_in

JUNIT = b'<?xml version="1.0"?><testsuite tests="2"><testcase name="a"/><testcase name="b"/></testsuite>'
CRITERION = "cd.env.env.types@2"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_file_uploaded_in_the_browser_lands_in_the_store_and_comes_back(
    live_server, page, team, assessment, s3_evidence, evidence_storage, eager_tasks, tmp_path_factory
):
    report = tmp_path_factory.mktemp("browser-upload") / "junit.xml"  # apart from the web side's folder
    report.write_bytes(JUNIT)
    sign_in(page, live_server, "team")
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/questionnaire/cd.env/")
    criterion = assessment.model.criteria.get(code=CRITERION)
    row = page.locator(f"#c-{criterion.pk}")
    row.get_by_role("link", name="Add evidence").click()
    row.locator("input[type=file]").set_input_files(report)
    row.get_by_role("button", name="Add evidence").click()
    page.locator(f"#c-{criterion.pk}").get_by_text("Read · junit").wait_for(timeout=20_000)

    evidence = Evidence.objects.get()
    assert s3_evidence.read(evidence.file.name) == JUNIT  # in the bucket…
    assert not any(path.is_file() for path in evidence_storage.rglob("*"))  # …and not on the web side's disk
    with page.expect_download() as download:
        page.locator(f"#c-{criterion.pk}").get_by_role("link", name="junit.xml").click()
    assert download.value.suggested_filename == "junit.xml"
    assert open(download.value.path(), "rb").read() == JUNIT  # noqa: SIM115 - Playwright's temporary file


@pytest.mark.django_db
def test_the_pre_assessment_pack_renders_with_evidence_in_the_store(
    client, assessment, team, manager, s3_evidence, eager_tasks, tmp_path, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        evidence = add_evidence(
            assessment=assessment,
            actor=team,
            criteria_codes=[CRITERION],
            upload=SimpleUploadedFile("junit.xml", JUNIT),
        )
    assert evidence.sha256 == hashlib.sha256(JUNIT).hexdigest()
    assert s3_evidence.read(evidence.file.name) == JUNIT
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        report_file = request_pdf(client, assessment, kind="pack")
    report_file.refresh_from_db()

    assert report_file.status == "ready"
    text = pdf_text(bytes(report_file.content), tmp_path).replace("\n", "").replace(" ", "")
    assert evidence.sha256[:16] in text and CRITERION in text
