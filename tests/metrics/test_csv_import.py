"""CSV import in the UI and as `manage.py import_events`: all or nothing, problems by row and column."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from metrics.models import Change, Deployment, Incident

pytestmark = pytest.mark.django_db

GOOD = (
    "type,external_id,environment,finished_at,result,commit_sha,authored_at,merged_at,title\n"
    "deployment,rel-1,production,2026-05-01T10:00:00+08:00,success,abc,,,\n"
    "change,mr-1,,,,abc,2026-04-30T10:00:00+08:00,2026-05-01T09:00:00+08:00,修复登录\n"
)


def upload(client, project, text: str | bytes, *, name="events.csv", type=""):
    data = text.encode() if isinstance(text, str) else text
    form = {"file": SimpleUploadedFile(name, data, content_type="text/csv"), "type": type}
    return client.post(f"/projects/{project.pk}/events/import/", form)


def test_a_good_file_is_imported(client, team, project):
    client.force_login(team)
    response = upload(client, project, GOOD)
    assert response.status_code == 200
    assert "Imported: 1 new" not in response.content.decode()  # two rows: one of each type
    assert "2 new" in response.content.decode()
    stored = Deployment.objects.get()
    assert stored.source == "csv" and stored.is_production
    assert Change.objects.get().title == "修复登录"
    again = upload(client, project, GOOD)
    assert "2 unchanged" in again.content.decode()


def test_one_bad_row_and_nothing_is_saved(client, team, project):
    client.force_login(team)
    bad = GOOD + (
        "deployment,rel-2,production,2026-05-01 10:00,success,,,,\n"  # no offset, not ISO either
        "incident,inc-1,,,,,,,\n"  # no opened_at
        "build,b-1,,,,,,,\n"
    )
    response = upload(client, project, bad)
    assert response.status_code == 422
    page = response.content.decode()
    assert "Nothing was imported: 5 problems." in page
    for row, column in [(4, "finished_at"), (5, "opened_at"), (6, "started_at"), (6, "finished_at"), (6, "result")]:
        assert f'<td class="numeric">{row}</td><td class="code">{column}</td>' in page
    assert not Deployment.objects.exists() and not Change.objects.exists()


def test_formula_cells_are_plain_text(client, team, project):
    client.force_login(team)
    text = (
        "external_id,opened_at,title,severity\n"
        'inc-1,2026-05-01T10:00:00Z,"=HYPERLINK(""http://evil.example"",""x"")",@SUM(A1)\n'
        "inc-2,=NOW(),ok,\n"
    )
    response = upload(client, project, text, type="incident")
    assert response.status_code == 422 and "opened_at" in response.content.decode()
    assert not Incident.objects.exists()  # all or nothing: row 3's formula is not a time
    upload(client, project, text.rsplit("inc-2", 1)[0], type="incident")
    stored = Incident.objects.get()
    assert stored.title == '=HYPERLINK("http://evil.example","x")' and stored.severity == "@SUM(A1)"


@pytest.mark.parametrize(
    "encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"], ids=["utf8", "utf8-bom", "gbk", "gb18030"]
)
def test_encodings(client, team, project, encoding):
    client.force_login(team)
    text = "external_id,opened_at,title,severity\ninc-1,2026-05-01T10:00:00+08:00,支付服务中断,严重\n"
    response = upload(client, project, text.encode(encoding), type="incident")
    assert response.status_code == 200
    stored = Incident.objects.get()
    assert (stored.title, stored.severity) == ("支付服务中断", "严重")


def test_undecodable_unknown_columns_missing_type_and_ragged_rows(client, team, project):
    client.force_login(team)
    assert "neither UTF-8" in upload(client, project, b"\xff\xfe\x00\x01\x81").content.decode()
    unknown = upload(client, project, "external_id,opened,type\nx,y,incident\n").content.decode()
    assert "Unknown column." in unknown
    assert "Add a type column" in upload(client, project, "external_id,opened_at\nx,y\n").content.decode()
    ragged = "external_id,opened_at\ninc-1,2026-05-01T10:00:00Z,extra\n"
    assert "more cells than the header" in upload(client, project, ragged, type="incident").content.decode()
    assert "no rows" in upload(client, project, "external_id,opened_at\n", type="incident").content.decode()
    assert not Incident.objects.exists()


def test_duplicate_keys_in_one_file_are_a_problem(client, team, project):
    client.force_login(team)
    text = "external_id,opened_at\ninc-1,2026-05-01T10:00:00Z\ninc-1,2026-05-01T11:00:00Z\n"
    response = upload(client, project, text, type="incident")
    assert response.status_code == 422 and "position 0" in response.content.decode()
    assert not Incident.objects.exists()


def test_an_oversize_file_is_refused(client, team, project, settings):
    settings.METRICS_CSV_MAX_BYTES = 1024
    client.force_login(team)
    text = "external_id,opened_at\n" + "".join(f"inc-{n},2026-05-01T10:00:00Z\n" for n in range(100))
    response = upload(client, project, text, type="incident")
    assert response.status_code == 422 and "larger than" in response.content.decode()
    assert not Incident.objects.exists()


def test_who_may_import(client, team, orgadmin, assessor, manager, outsider, project):
    for person, status in [(orgadmin, 200), (assessor, 403), (manager, 403), (outsider, 404)]:
        client.force_login(person)
        assert client.get(f"/projects/{project.pk}/events/import/").status_code == status
        if status != 200:
            assert upload(client, project, GOOD).status_code == status
    assert not Deployment.objects.exists()
    client.logout()
    assert client.get(f"/projects/{project.pk}/events/import/").status_code == 302


def test_the_management_command(project, tmp_path):
    path = tmp_path / "events.csv"
    path.write_bytes(GOOD.encode("utf-8-sig"))
    out = io.StringIO()
    call_command("import_events", str(project.pk), str(path), stdout=out)
    assert "created 2" in out.getvalue()
    path.write_text(GOOD + "deployment,rel-2,production,yesterday,success,,,,\n")
    err = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_events", str(project.pk), str(path), stderr=err)
    assert "row 4, finished_at" in err.getvalue()
    assert Deployment.objects.count() == 1
    with pytest.raises(CommandError, match="No project"):
        call_command("import_events", "999999", str(path))
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_events", str(project.pk), str(tmp_path / "missing.csv"))
