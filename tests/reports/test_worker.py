"""The report PDF crosses the real queue: a Celery worker on queue `reports` renders it, the page shows progress."""

import time

import pytest
from django.urls import reverse

from assessment.models import ReportFile

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_the_reports_worker_renders_the_pdf(celery_worker, client, assessment, manager):
    from django.conf import settings

    assert not settings.CELERY_TASK_ALWAYS_EAGER, "this test must cross the real queue"
    from assessment.tasks import render_report

    assert render_report.queue == "reports"
    client.force_login(manager)
    response = client.post(reverse("report-pdf", args=(assessment.pk,)), {"kind": "report", "reading": "provisional"})
    report_file = ReportFile.objects.get()
    assert response["Location"] == reverse("report-file", args=(report_file.pk,))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        report_file.refresh_from_db()
        if report_file.status in ("ready", "failed"):
            break
        time.sleep(0.2)
    assert report_file.status == "ready", report_file.reason
    page = client.get(reverse("report-file", args=(report_file.pk,)), headers={"hx-request": "true"})
    assert reverse("report-file-download", args=(report_file.pk,)) in page.content.decode()
    assert client.get(reverse("report-file-download", args=(report_file.pk,))).content.startswith(b"%PDF")
