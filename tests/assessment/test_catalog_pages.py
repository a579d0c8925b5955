"""The catalogue browser in both languages: model → part → sub-domain → sub-item ladder, and search."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessment.models import SubItem

pytestmark = pytest.mark.django_db


def url(name: str, *args: str) -> str:
    return reverse(name, args=("caict-devops", "2021.1", *args))


def test_model_list_shows_both_names_and_counts(client, caict):
    response = client.get(reverse("catalog-models"), headers={"accept-language": "zh-CN"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "研发运营一体化(DevOps)能力成熟度模型" in body and "DevOps Capability Maturity Model" in body


def test_part_page_lists_sub_domains_in_the_active_language(client, caict):
    chinese = client.get(url("catalog-part", "cd"), headers={"accept-language": "zh-CN"}).content.decode()
    assert "<h1>" in chinese and "持续交付" in chinese and "构建与持续集成" in chinese
    english = client.get(url("catalog-part", "cd"), headers={"accept-language": "en"}).content.decode()
    assert "Part 3" in english and "Build and continuous integration" in english


def test_outline_parts_say_they_cannot_be_assessed(client, caict):
    page = client.get(url("catalog-part", "ops"), headers={"accept-language": "en"}).content.decode()
    assert "cannot be assessed yet" in page


def test_sub_item_page_shows_the_five_level_ladder(client, caict):
    response = client.get(url("catalog-subitem", "cd.bci.ci.feedback"), headers={"accept-language": "en"})
    body = response.content.decode()
    for level_name in ("1 Initial", "2 Foundation", "3 Comprehensive", "4 Excellent", "5 Outstanding"):
        assert level_name in body
    assert "ci.feedback_minutes ≤ 30" in body and "stated by the standard" in body
    assert body.count('class="rung level-') == 5


def test_the_language_switch_changes_the_names(client, caict):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Feedback cycle" in client.get(url("catalog-subitem", "cd.bci.ci.feedback")).content.decode()
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert "反馈周期" in client.get(url("catalog-subitem", "cd.bci.ci.feedback")).content.decode().split("<h1>")[1]


@pytest.mark.parametrize(
    ("query", "expected_code"),
    [
        ("反馈周期", "cd.bci.ci.feedback"),
        ("rollback", "cd.cm.change.rollback"),
        ("CD.BCI.CI.FEED", "cd.bci.ci.feedback"),
    ],
)
def test_search_finds_sub_items_in_either_language(client, caict, query, expected_code):
    body = client.get(url("catalog-model"), {"q": query}).content.decode()
    assert expected_code in body


def test_search_as_an_htmx_fragment_returns_only_the_results(client, caict):
    response = client.get(
        url("catalog-model"), {"q": "流水线"}, headers={"hx-request": "true", "hx-target": "search-results"}
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="search-results"') and "<html" not in body
    assert "cd.drm.pipeline.process" in body


def test_search_with_nothing_found_says_so(client, caict):
    body = client.get(url("catalog-model"), {"q": "kubernetes-on-the-moon"}, headers={"accept-language": "en"})
    assert "Nothing found" in body.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        reverse("catalog-model", args=("caict-devops", "1999")),
        reverse("catalog-model", args=("no-such-model", "2021.1")),
        reverse("catalog-part", args=("caict-devops", "2021.1", "xx")),
        reverse("catalog-subdomain", args=("caict-devops", "2021.1", "cd.nope")),
        reverse("catalog-subitem", args=("caict-devops", "2021.1", "cd.cm.vc.nope")),
    ],
)
def test_unknown_catalogue_nodes_are_404(client, caict, path):
    assert client.get(path).status_code == 404


def test_catalogue_pages_are_read_only(client, caict):
    assert client.post(url("catalog-subitem", "cd.bci.ci.feedback")).status_code == 405


def test_sub_domain_page_costs_the_same_queries_whatever_its_size(client, caict):
    def queries_for(code: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url("catalog-subdomain", code)).status_code == 200
        return len(captured)

    small, large = "cd.env", "cd.tm"  # 3 and 10 sub-items
    assert (
        SubItem.objects.filter(item__subdomain__code=small).count()
        < SubItem.objects.filter(item__subdomain__code=large).count()
    )
    assert queries_for(small) == queries_for(large)


def test_model_page_with_search_costs_a_fixed_number_of_queries(client, caict):
    with CaptureQueriesContext(connection) as few:
        client.get(url("catalog-model"), {"q": "反馈周期"})
    with CaptureQueriesContext(connection) as many:
        client.get(url("catalog-model"), {"q": "的"})
    assert len(few) == len(many)


def test_health_check_answers(client):
    assert client.get(reverse("health")).json() == {"status": "ok"}
