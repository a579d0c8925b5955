"""The PDF: rendered by the reports task, Chinese text in an embedded CJK font, cached until the assessment
changes, progress shown while it renders."""

import shutil
import subprocess

import pytest
from django.urls import reverse

from assessment.models import ReportFile
from assessment.services.evidence import add_evidence
from tests.reports.conftest import answer, ladder

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes, tmp_path) -> str:
    """Text as pdftotext (poppler-utils) extracts it: what a reader's copy-paste would give."""
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext is missing: apt-get install poppler-utils (scripts/browser installs it)")
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True).stdout.decode()


def pdf_fonts(content: bytes, tmp_path) -> list[str]:
    """pdffonts' lines: name, type, encoding, then whether the font is embedded and subset."""
    path = tmp_path / "fonts.pdf"
    path.write_bytes(content)
    output = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True).stdout.decode()
    return output.splitlines()[2:]


def request_pdf(client, assessment, kind="report", reading="provisional", language="en"):
    client.cookies["django_language"] = language
    response = client.post(reverse("report-pdf", args=(assessment.pk,)), {"kind": kind, "reading": reading})
    assert response.status_code == 302
    return ReportFile.objects.get(assessment=assessment, kind=kind, reading=reading, language=language)


def test_pdf_has_chinese_names_levels_and_an_embedded_cjk_font(
    client, assessment, team, manager, eager_tasks, tmp_path, django_capture_on_commit_callbacks
):
    answer(assessment, team, ladder("cd.cm.vc.vcs", "met", "met", "partly"))
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        report_file = request_pdf(client, assessment, language="zh-hans")
    report_file.refresh_from_db()
    assert report_file.status == "ready", report_file.reason
    content = bytes(report_file.content)
    assert content.startswith(b"%PDF")
    text = pdf_text(content, tmp_path)
    assert "配置管理" in text and "版本控制" in text  # sub-domain and sub-item names in Chinese
    assert "3-" in text  # the partly met sub-item in CAICT notation
    assert "初始级" not in text or "Initial" in text  # level names come in pairs when shown
    fonts = pdf_fonts(content, tmp_path)
    assert any("CJK" in line and " yes " in line for line in fonts), fonts  # embedded, not merely named


def test_pdf_is_cached_until_the_assessment_changes(
    client, assessment, team, manager, eager_tasks, django_capture_on_commit_callbacks
):
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        first = request_pdf(client, assessment)
    first.refresh_from_db()
    finished = first.finished_at
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again = request_pdf(client, assessment)
    again.refresh_from_db()
    assert callbacks == [] and again.finished_at == finished  # served from the cache, nothing queued
    with django_capture_on_commit_callbacks(execute=True):
        answer(assessment, team, {"cd.cm.vc.vcs@1": "met"})
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        changed = request_pdf(client, assessment)
    changed.refresh_from_db()
    assert len(callbacks) == 1 and changed.finished_at > finished and changed.status == "ready"


def test_pre_assessment_pack_lists_self_rating_gap_and_evidence_digests(
    client, assessment, team, manager, eager_tasks, tmp_path, django_capture_on_commit_callbacks
):
    answer(assessment, team, ladder("cd.cm.vc.vcs", "met", "met", "met"))
    evidence = add_evidence(assessment=assessment, actor=team, criteria_codes=["cd.cm.vc.vcs@3"], note="Trunk-based")
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        report_file = request_pdf(client, assessment, kind="pack")
    report_file.refresh_from_db()
    text = pdf_text(bytes(report_file.content), tmp_path)
    assert "Pre-assessment pack" in text and "Evidence index" in text
    assert evidence.sha256[:16] in text.replace("\n", "").replace(" ", "")
    assert "cd.cm.vc.vcs@3" in text


def test_progress_page_polls_until_ready(client, assessment, manager):
    client.force_login(manager)
    report_file = ReportFile.objects.create(
        assessment=assessment,
        kind="report",
        reading="provisional",
        language="en",
        fingerprint="x",
        progress=40,
        status="rendering",
    )
    url = reverse("report-file", args=(report_file.pk,))
    fragment = client.get(url, headers={"hx-request": "true"}).content.decode()
    assert 'hx-trigger="every 1s"' in fragment and "40%" in fragment and "<html" not in fragment
    ReportFile.objects.filter(pk=report_file.pk).update(status="ready", progress=100, content=b"%PDF-1.7")
    fragment = client.get(url, headers={"hx-request": "true"}).content.decode()
    assert "hx-trigger" not in fragment and reverse("report-file-download", args=(report_file.pk,)) in fragment
    download = client.get(reverse("report-file-download", args=(report_file.pk,)))
    assert download["Content-Type"] == "application/pdf" and download.content == b"%PDF-1.7"
