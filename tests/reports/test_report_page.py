"""The report page: figures equal the level computation (selectors.levels) on crafted assessments."""

import pytest
from django.urls import reverse

from assessment.selectors.levels import confirmed_levels, provisional_levels
from tests.reports.conftest import answer, ladder, metric_snapshot

pytestmark = pytest.mark.django_db


def full_ladder(assessment, team, all_subitems, *values):
    answers = {}
    for code in all_subitems:
        answers |= ladder(code, *values)
    answer(assessment, team, answers)


def test_every_subitem_at_3_gives_level_3_comprehensive(client, assessment, team, manager, all_subitems):
    full_ladder(assessment, team, all_subitems, "met", "met", "met", "not_met", "not_met")
    client.force_login(manager)
    response = client.get(reverse("report", args=(assessment.pk,)), headers={"accept-language": "en"})
    assert response.status_code == 200
    report = response.context["report"]
    assert report.overall.level.notation == "3"
    assert (report.overall.name.name_zh, report.overall.name.name_en) == ("全面级", "Comprehensive")
    assert report.reading == "provisional"
    html = response.content.decode()
    assert "全面级 Comprehensive" in html and "Provisional level" in html
    assert report.backlog == []  # at target


def test_partly_met_next_level_shows_3_minus_and_na_counts(client, assessment, team, manager, all_subitems):
    full_ladder(assessment, team, all_subitems, "met", "met", "met", "not_met", "not_met")
    answer(assessment, team, ladder("cd.cm.vc.vcs", "met", "na", "partly"))  # N/A counts as met provisionally
    client.force_login(manager)
    report = client.get(reverse("report", args=(assessment.pk,))).context["report"]
    expected = provisional_levels(assessment)
    assert {row.subitem.code: row.level.notation for row in report.levels.subitems.values()} == {
        row.subitem.code: row.level.notation for row in expected.subitems.values()
    }
    vcs = next(row for row in report.levels.subitems.values() if row.subitem.code == "cd.cm.vc.vcs")
    assert vcs.level.notation == "3-"
    # min: the lowest sub-item is at 2 and partly through 3, so the part reads "3-" (roll_up's rule)
    assert report.overall.level.notation == "3-"
    assert [group.level.notation for group in report.levels.subdomains] == [
        group.level.notation for group in expected.subdomains
    ]
    assert report.levels.subdomains[0].level.notation == "3-"  # its only sub-item at the lowest level is partly 3
    assert [bar.count for bar in report.distribution] == [0, 0, 1, len(all_subitems) - 1, 0, 0]
    # The backlog: exactly the blocking criterion, with its answer and review state.
    assert [(entry.criterion.code, entry.answer, entry.review) for entry in report.backlog] == [
        ("cd.cm.vc.vcs@3", "partly", "")
    ]
    heat_row = report.heat[0].rows[0]
    assert [cell.state for cell in heat_row.cells] == ["met", "na", "partly", "not_met", "not_met"]


def test_confirmed_reading_equals_confirmed_levels(client, assessment, team, manager, all_subitems):
    full_ladder(assessment, team, all_subitems, "met", "met", "met", "not_met", "not_met")
    client.force_login(manager)
    report = client.get(reverse("report", args=(assessment.pk,)), {"reading": "confirmed"}).context["report"]
    expected = confirmed_levels(assessment)
    assert report.reading == "confirmed"
    assert report.overall.level.notation == expected.parts[0].level.notation
    assert report.other.level.notation == "3"  # the provisional reading is stated beside


def test_unanswered_assessment_reports_level_0(client, assessment, manager):
    client.force_login(manager)
    response = client.get(reverse("report", args=(assessment.pk,)))
    report = response.context["report"]
    assert report.overall.level.notation == "0" and report.overall.name is None
    assert report.coverage.answered == 0 and report.coverage.criteria == 49 * 3
    assert len(report.backlog) == 49 * 3


def test_coverage_counts_evidence_and_decisions(client, assessment, team, assessor, manager):
    from django.utils import timezone

    from assessment.models import Criterion, Decision
    from assessment.services.evidence import add_evidence

    answer(assessment, team, ladder("cd.cm.vc.vcs", "met", "met", "met"))
    add_evidence(assessment=assessment, actor=team, criteria_codes=["cd.cm.vc.vcs@1", "cd.cm.vc.vcs@2"], note="n")
    criteria = {c.level: c for c in Criterion.objects.filter(model=assessment.model, subitem__code="cd.cm.vc.vcs")}
    for level, value in ((1, "accepted"), (2, "rejected")):
        Decision.objects.create(
            assessment=assessment,
            criterion=criteria[level],
            value=value,
            decided_by=assessor,
            decided_at=timezone.now(),
        )
    client.force_login(manager)
    coverage = client.get(reverse("report", args=(assessment.pk,))).context["report"].coverage
    assert (coverage.answered, coverage.with_evidence, coverage.accepted, coverage.rejected) == (3, 2, 1, 1)
    assert (coverage.info_requested, coverage.awaiting_review) == (0, 1)


def test_delivery_panel_shows_the_latest_metric_snapshot(client, assessment, team, manager):
    client.force_login(manager)
    url = reverse("report", args=(assessment.pk,))
    assert client.get(url).context["report"].delivery is None
    metric_snapshot(assessment, team, {"delivery.delivery_cycle_days": 9.0}, name="Older")
    metric_snapshot(
        assessment,
        team,
        {
            "delivery.delivery_cycle_days": 5.5,
            "delivery.pipeline_success_rate": 0.925,
            "period_start": "2026-09-01",
            "period_end": "2026-09-30",
        },
        name="September",
    )
    response = client.get(url)
    panel = response.context["report"].delivery
    assert panel.evidence_name == "September"
    names = [figure.name for figure in panel.figures]
    assert names == ["delivery.delivery_cycle_days", "delivery.pipeline_success_rate"]
    html = response.content.decode()
    assert "5.5 天" in html and "92.5%" in html and "2026-09-01" in html  # the default language: Chinese


def test_report_page_has_radar_and_heat_map_without_javascript(client, assessment, manager):
    client.force_login(manager)
    html = client.get(reverse("report", args=(assessment.pk,))).content.decode()
    assert html.count("<polygon") >= 7  # five rings, target, achieved
    assert "配置管理" in html or "Configuration management" in html
    assert 'class="table heat"' in html


def test_delivery_panel_reads_what_the_metrics_bridge_records(client, assessment, manager):
    import datetime

    from assessment.services.snapshots import record_metric_snapshot

    facts = {
        "snapshot.period": "month",
        "snapshot.period_start": "2026-10-01",
        "snapshot.period_end": "2026-10-31",
        "deployments.per_week": 8.0,
        "delivery.deployment_frequency_per_day": 1.14,
        "delivery.release_per_week": 8.0,
        "delivery.lead_time_median_hours": 20.5,
        "delivery.change_fail_rate": 0.125,
        "delivery.recovery_hours": 3.0,
    }
    evidence = record_metric_snapshot(
        assessment=assessment,
        facts=facts,
        period_start=datetime.date(2026, 10, 1),
        period_end=datetime.date(2026, 10, 31),
        summary="October",
    )
    assert evidence is not None
    client.force_login(manager)
    response = client.get(reverse("report", args=(assessment.pk,)))
    html = response.content.decode()
    assert html.count("2026-10-01 – 2026-10-31") == 1, "the period once: the snapshot's name states it already"
    assert "12.5%" in html and "20.5 小时" in html and "每周 8 次" in html and "每天 1.1 次" in html
