"""The shipped CAICT catalogue says what the self-assessment table says: names, level-5 cells that repeat
level 4, and the table's explanatory notes (说明), shown wherever a sub-item is read."""

import pytest

from assessment.models import Criterion, Item, SubItem

pytestmark = pytest.mark.django_db

SAME_AS_LEVEL_4 = [
    "cd.bci.build.schedule",
    "cd.data.test.independence",
    "cd.data.change.rollback",
    "cd.mf.metrics.data",
    "cd.mf.improve.timeliness",
    "cd.mf.improve.audience",
]


def test_the_metrics_item_is_named_alike_in_both_languages(caict):
    item = Item.objects.get(model=caict, code="cd.mf.metrics")
    assert (item.name_zh, item.name_en) == ("度量指标与数据管理", "Metrics and data management")


def test_artifact_level_4_says_policy_management_as_the_table_does(caict):
    criterion = Criterion.objects.get(model=caict, code="cd.cm.vc.artifact@4")
    assert "策略管理" in criterion.text_zh and "清理策略" not in criterion.text_zh
    assert "policy management" in criterion.text_en


@pytest.mark.parametrize("code", SAME_AS_LEVEL_4)
def test_a_level_5_cell_saying_same_as_above_invents_nothing(caict, code):
    level_4 = Criterion.objects.get(model=caict, code=f"{code}@4")
    level_5 = Criterion.objects.get(model=caict, code=f"{code}@5")
    assert level_5.text_zh == f"同优秀级：{level_4.text_zh}"
    assert level_5.text_en.startswith("Same as Excellent: ")
    assert level_5.text_en.removeprefix("Same as Excellent: ").lower() == level_4.text_en.lower()
    assert not level_5.is_inferred  # the source says it: same as level 4


def test_only_the_empty_cell_stays_inferred_in_part_3(caict):
    inferred = Criterion.objects.filter(model=caict, code__startswith="cd.", is_inferred=True)
    assert [criterion.code for criterion in inferred] == ["cd.cm.change.rollback@5"]
    assert inferred[0].text_zh.startswith("同优秀级：")


def test_the_tables_notes_are_kept_on_the_sub_item(caict):
    ssot = SubItem.objects.get(model=caict, code="cd.cm.vc.ssot")
    assert ssot.note_zh.startswith("单一可信数据源是一种信息数据模型")
    assert "3 级：生产部署只从单一可信的版本控制系统或制品库获取" in ssot.note_zh
    assert "Level 3: Production deployments take packages" in ssot.note_en
    dependency = SubItem.objects.get(model=caict, code="cd.env.env.dependency")
    assert "类似 Dockerfile" in dependency.note_zh and "Dockerfile" in dependency.note_en
    assert SubItem.objects.get(model=caict, code="cd.bci.ci.service").note_zh == ""  # the table has none


def test_the_api_serves_the_notes(client, caict):
    body = client.get(f"/api/v1/catalog/models/{caict.pk}/").json()
    cd = next(part for part in body["parts"] if part["code"] == "cd")
    subitems = {sub["code"]: sub for domain in cd["subdomains"] for item in domain["items"] for sub in item["subitems"]}
    assert subitems["cd.cm.vc.ssot"]["note_zh"].startswith("单一可信数据源是一种信息数据模型")
    assert subitems["cd.bci.ci.service"]["note_en"] == ""


def test_the_sub_item_page_shows_the_note_in_the_active_language(client, caict):
    url = f"/catalog/{caict.key}/{caict.version}/subitems/cd.cm.vc.ssot/"
    english = client.get(url, headers={"accept-language": "en"}).content.decode()
    assert "Notes from the standard" in english and "every data element is stored once" in english
    chinese = client.get(url, headers={"accept-language": "zh-CN"}).content.decode()
    assert "保证每个数据元素只存储一份" in chinese


def test_the_questionnaire_shows_the_note_under_the_sub_item(client, team, assessment):
    client.force_login(team)
    page = client.get(f"/assessments/{assessment.pk}/questionnaire/cd.cm/", headers={"accept-language": "en"})
    body = page.content.decode()
    assert '<details class="subitem-note">' in body
    assert "Rollback here means withdrawing a requirement" in body
