"""Exports: CSV (UTF-8 with BOM, for Excel) and XLSX of answers, levels and the evidence index; formula
injection neutralised; Chinese intact."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from assessment.reports.exports import Table, neutralise, to_csv, to_xlsx
from assessment.services.assessments import AnswerInput, save_answers
from assessment.services.evidence import add_evidence
from tests.reports.conftest import answer, ladder

pytestmark = pytest.mark.django_db

HOSTILE = ['=HYPERLINK("http://evil")', "+1+1", "-2+3", "@SUM(A1)", "\tindent", "\rreturn"]


def csv_tables(content: bytes) -> dict[str, list[dict]]:
    """Parses the export's sections back: '# name', a header row, rows, an empty line between sections."""
    assert content.startswith(b"\xef\xbb\xbf")
    tables, name, header = {}, None, None
    for row in csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")):
        if not row:
            name = None
        elif name is None:
            name, header = row[0].removeprefix("# "), None
            tables[name] = []
        elif header is None:
            header = row
        else:
            tables[name].append(dict(zip(header, row, strict=True)))
    return tables


@pytest.mark.parametrize("value", HOSTILE)
def test_formula_starts_are_neutralised(value):
    assert neutralise(value) == "'" + value
    assert neutralise("3-") == "3-" and neutralise(42) == 42 and neutralise("版本控制") == "版本控制"


def test_csv_and_xlsx_carry_the_same_cells():
    tables = [Table("answers", ["code", "comment"], [["cd.cm.vc.vcs@1", "=1+1"], ["cd.cm.vc.vcs@2", "版本控制"]])]
    parsed = csv_tables(to_csv(tables))["answers"]
    assert parsed == [{"code": "cd.cm.vc.vcs@1", "comment": "'=1+1"}, {"code": "cd.cm.vc.vcs@2", "comment": "版本控制"}]
    sheet = load_workbook(io.BytesIO(to_xlsx(tables)))["answers"]
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [
        ["code", "comment"],
        ["cd.cm.vc.vcs@1", "'=1+1"],
        ["cd.cm.vc.vcs@2", "版本控制"],
    ]
    assert all(cell.data_type == "s" for row in sheet.iter_rows(min_row=2) for cell in row)  # never a formula


def test_export_round_trip_of_a_real_assessment(client, assessment, team, manager):
    answer(assessment, team, ladder("cd.cm.vc.vcs", "met", "na", "partly"))
    save_answers(
        assessment=assessment,
        items=[AnswerInput(criterion="cd.cm.vc.branch@1", value="met", comment="=cmd|' /C calc'!A0 主干开发")],
        actor=team,
    )
    evidence = add_evidence(assessment=assessment, actor=team, criteria_codes=["cd.cm.vc.vcs@1"], note="GitLab 仓库")
    client.force_login(manager)
    response = client.get(reverse("report-export", args=(assessment.pk,)), {"format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    tables = csv_tables(response.content)
    answers = {row["criterion"]: row for row in tables["answers"]}
    assert len(answers) == 49 * 5
    assert answers["cd.cm.vc.vcs@3"]["answer"] == "partly" and answers["cd.cm.vc.vcs@2"]["answer"] == "na"
    assert answers["cd.cm.vc.branch@1"]["comment"] == "'=cmd|' /C calc'!A0 主干开发"
    assert answers["cd.cm.vc.vcs@1"]["subitem_zh"] == "版本控制系统"
    levels = {(row["scope"], row["code"]): row for row in tables["levels"]}
    assert levels[("subitem", "cd.cm.vc.vcs")]["provisional"] == "3-"
    assert levels[("subdomain", "cd.cm")]["name_zh"] == "配置管理"
    assert [(row["id"], row["sha256"], row["criteria"]) for row in tables["evidence"]] == [
        (str(evidence.pk), evidence.sha256, "cd.cm.vc.vcs@1")
    ]
    assert tables["evidence"][0]["name"] == evidence.name

    xlsx = client.get(reverse("report-export", args=(assessment.pk,)), {"format": "xlsx"})
    workbook = load_workbook(io.BytesIO(xlsx.content))
    assert workbook.sheetnames == ["answers", "levels", "evidence"]
    rows = list(workbook["answers"].iter_rows(values_only=True))
    header = rows[0]
    by_code = {row[header.index("criterion")]: row for row in rows[1:]}
    assert by_code["cd.cm.vc.branch@1"][header.index("comment")] == "'=cmd|' /C calc'!A0 主干开发"


def test_unknown_format_is_refused(client, assessment, manager):
    client.force_login(manager)
    assert client.get(reverse("report-export", args=(assessment.pk,)), {"format": "exe"}).status_code == 400
