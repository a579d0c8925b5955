"""Each figure says how it is computed, where the definition comes from and where ours differs: on the metrics
page in both languages and in the API schema, from the one module of definitions."""

import pytest

from metrics.selectors.definitions import DEFINITIONS
from metrics.templatetags.metrics_format import FIGURES
from tests.metrics.figure_events import hand_checked_week

pytestmark = pytest.mark.django_db


def test_every_figure_on_the_page_has_a_definition_with_a_source():
    for name, *_rest in FIGURES:
        assert DEFINITIONS[name].sources, name
    assert DEFINITIONS["test_coverage"].sources


def test_the_page_shows_each_figures_definition_and_source(client, team, project):
    hand_checked_week(project)
    client.force_login(team)
    html = client.get(f"/projects/{project.pk}/metrics/?period=week", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert html.count('<details class="definition">') == len(FIGURES) + 1  # and test automation coverage
    assert "to that deployment&#x27;s finish" in html or "to that deployment's finish" in html
    assert "Successful production deployments that finished in the period" in html
    assert 'href="https://dora.dev/guides/dora-metrics/"' in html
    assert "Apache DevLake: lead time for changes" in html
    assert "Where ours differs:" in html


def test_the_page_shows_the_definitions_in_chinese(client, team, project):
    hand_checked_week(project)
    client.force_login(team)
    html = client.get(f"/projects/{project.pk}/metrics/?period=week", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert html.count('<details class="definition">') == len(FIGURES) + 1
    assert "计算方法" in html and "与来源定义的差异：" in html
    assert "在本周期内完成的成功生产部署次数" in html
    assert "Successful production deployments that finished in the period" not in html


def test_the_api_schema_describes_each_figure(client):
    schema = client.get("/api/schema/?format=json", HTTP_ACCEPT_LANGUAGE="en").json()
    fields = schema["components"]["schemas"]["PeriodOutput"]["properties"]
    lead_time = fields["lead_time_median_hours"]["description"]
    assert "from its merge (or, if it was never merged, its authoring)" in lead_time
    assert "Where ours differs:" in lead_time and "https://dora.dev/guides/dora-metrics/" in lead_time
    assert "devlake.apache.org/docs/Metrics/LeadTimeForChanges" in lead_time
    for name in ("deployment_frequency_per_week", "change_fail_rate", "recovery_median_hours", "rework_rate"):
        assert "DORA" in fields[name]["description"], name
    for name in ("build_duration_median_seconds", "pipeline_success_rate", "delivery_cycle_median_days"):
        assert "YD/T 3763" in fields[name]["description"], name
    coverage = schema["components"]["schemas"]["MetricsOutput"]["properties"]["test_coverage"]
    assert "Line coverage" in str(coverage)
