"""Catalogue files uploaded in the Django admin are loaded by a worker (in-process here; see test_worker.py)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from assessment.models import CatalogImport, MaturityModel
from assessment.services.catalog import request_catalog_import, run_catalog_import_now
from tests.assessment.test_catalog_loader import SAMPLE, sample_text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]


def test_staff_upload_a_catalogue_in_the_admin_and_it_loads(client, staff, django_capture_on_commit_callbacks):
    client.force_login(staff)
    upload = SimpleUploadedFile("team-model.yaml", SAMPLE.read_bytes(), content_type="application/x-yaml")
    with django_capture_on_commit_callbacks(execute=True) as queued:
        response = client.post("/admin/assessment/catalogimport/add/", {"upload": upload})
    assert len(queued) == 1, "the import is queued once the upload is committed"
    assert response.status_code == 302
    catalog_import = CatalogImport.objects.get()
    assert (catalog_import.status, catalog_import.model.key) == ("loaded", "acme-platform")
    assert catalog_import.created_by == staff and catalog_import.finished_at is not None


def test_a_broken_upload_fails_with_every_problem_recorded(staff, django_capture_on_commit_callbacks):
    broken = sample_text().replace("        name_en: Continuous integration\n", "").replace('op: "<="', 'op: "~"')
    with django_capture_on_commit_callbacks(execute=True):
        catalog_import = request_catalog_import(file_name="broken.yaml", content=broken.encode(), user=staff)
    catalog_import.refresh_from_db()
    assert catalog_import.status == "failed"
    assert catalog_import.problems.splitlines() == [
        "broken.yaml:21: parts[0].subdomains[0]: missing name_en",
        "broken.yaml:38: parts[0].subdomains[0].items[0].subitems[0].criteria[2].checks[0].op: "
        "unknown check operator '~'; use one of >= > <= < == != exists not_increasing",
    ]
    assert not MaturityModel.objects.filter(key="acme-platform").exists()


def test_running_an_import_twice_does_the_work_once(staff):
    catalog_import = request_catalog_import(file_name="team-model.yaml", content=SAMPLE.read_bytes(), user=staff)
    run_catalog_import_now(catalog_import_id=catalog_import.pk)
    run_catalog_import_now(catalog_import_id=catalog_import.pk)
    run_catalog_import_now(catalog_import_id=987654)  # gone: nothing to do, no error
    catalog_import.refresh_from_db()
    assert catalog_import.status == "loaded"
    assert MaturityModel.objects.filter(key="acme-platform").count() == 1


def test_the_admin_refuses_oversize_catalogue_files(client, staff, settings):
    settings.CATALOG_MAX_FILE_BYTES = 100
    client.force_login(staff)
    upload = SimpleUploadedFile("big.yaml", SAMPLE.read_bytes())
    response = client.post(
        "/admin/assessment/catalogimport/add/", {"upload": upload}, headers={"accept-language": "en"}
    )
    assert response.status_code == 200
    assert "The file is larger than 100 bytes." in response.content.decode()
    assert not CatalogImport.objects.exists()


def test_people_without_staff_rights_cannot_reach_the_admin(client, alice):
    client.force_login(alice)
    assert client.get("/admin/assessment/catalogimport/add/").status_code == 302


def test_loaded_catalogue_versions_cannot_be_edited_in_the_admin(client, staff, caict):
    client.force_login(staff)
    assert client.get(f"/admin/assessment/maturitymodel/{caict.pk}/change/").status_code == 200
    response = client.post(f"/admin/assessment/maturitymodel/{caict.pk}/change/", {"name_en": "Changed"})
    assert response.status_code == 403
    assert client.post(f"/admin/assessment/maturitymodel/{caict.pk}/delete/", {"post": "yes"}).status_code == 403
