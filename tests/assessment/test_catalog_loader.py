"""The catalogue loader on the shipped CAICT file, on custom models, and on every kind of broken file."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from assessment.catalog.problems import CatalogFileError
from assessment.models import Criterion, Item, MaturityModel, Part, SubDomain, SubItem
from assessment.services.catalog import CatalogVersionConflict, load_catalog, parse_catalog
from tests.conftest import CAICT_FILE

SAMPLE = Path(__file__).parent.parent / "catalog_samples" / "team-model.yaml"


def sample_text() -> str:
    return SAMPLE.read_text(encoding="utf-8")


def problems_of(text: str | bytes) -> list[str]:
    source = text.encode() if isinstance(text, str) else text
    with pytest.raises(CatalogFileError) as caught:
        parse_catalog(source)
    return [problem.format("model.yaml") for problem in caught.value.problems]


def test_caict_part_3_is_complete(caict):
    part = caict.parts.get(code="cd")
    assert (part.number, part.name_zh, part.name_en) == (3, "持续交付", "Continuous Delivery")
    assert SubDomain.objects.filter(part=part).count() == 7
    assert Item.objects.filter(subdomain__part=part).count() == 14
    assert SubItem.objects.filter(item__subdomain__part=part).count() == 49
    criteria = Criterion.objects.filter(subitem__item__subdomain__part=part)
    assert criteria.count() == 245
    assert not criteria.filter(text_zh="").exists()
    assert not criteria.filter(text_en="").exists()
    for subitem in SubItem.objects.filter(item__subdomain__part=part).prefetch_related("criteria"):
        assert [criterion.level for criterion in subitem.criteria.all()] == [1, 2, 3, 4, 5], subitem.code


def test_caict_sub_domains_are_the_seven_of_the_standard(caict):
    names = list(SubDomain.objects.filter(part__code="cd").order_by("position").values_list("name_zh", flat=True))
    assert names == [
        "配置管理",
        "构建与持续集成",
        "测试管理",
        "部署与发布管理",
        "环境管理",
        "数据管理",
        "度量与反馈",
    ]


def test_caict_names_all_eight_parts_and_marks_outlines(caict):
    parts = {part.number: part for part in caict.parts.all()}
    assert sorted(parts) == [1, 2, 3, 4, 5, 6, 7, 8]
    assert parts[2].is_assessable and "2019" in parts[2].basis_en
    for number in (4, 5, 6):
        assert parts[number].status == "outline"
        assert parts[number].subdomains.exists(), f"Part {number} lists its sub-domains"
    assert [level.name_zh for level in caict.levels.all()] == [
        "初始级",
        "基础级",
        "全面级",
        "优秀级",
        "卓越级",
    ]
    assert [level.name_en for level in caict.levels.all()] == [
        "Initial",
        "Foundation",
        "Comprehensive",
        "Excellent",
        "Outstanding",
    ]


def test_caict_keeps_inferred_marks_and_measurable_checks(caict):
    assert Criterion.objects.get(model=caict, code="cd.cm.change.rollback@5").is_inferred
    feedback = Criterion.objects.get(model=caict, code="cd.bci.ci.feedback@4").checks
    assert {
        "fact": "ci.feedback_minutes",
        "op": "<=",
        "value": 30,
        "threshold": "standard",
    }.items() <= feedback[0].items()
    cadence = Criterion.objects.get(model=caict, code="cd.drm.mode.strategy@3").checks
    assert cadence[0]["fact"] == "deployments.weeks_without_deployment" and cadence[0]["threshold"] == "ours"
    assert Criterion.objects.filter(model=caict).exclude(evidence_zh=[]).count() >= 49 * 3


@pytest.mark.django_db
def test_loading_the_same_file_twice_changes_nothing():
    MaturityModel.objects.all().delete()
    first = load_catalog(source=CAICT_FILE.read_bytes())
    counts = (Part.objects.count(), SubItem.objects.count(), Criterion.objects.count())
    second = load_catalog(source=CAICT_FILE.read_bytes())
    assert first.created and not second.created
    assert second.model.pk == first.model.pk
    assert (Part.objects.count(), SubItem.objects.count(), Criterion.objects.count()) == counts


@pytest.mark.django_db
def test_comments_and_layout_may_change_but_content_may_not():
    load_catalog(source=SAMPLE.read_bytes())
    reformatted = "# reviewed 2026-11\n" + sample_text().replace("name_en: Platform\n", "name_en:   Platform   \n")
    assert not load_catalog(source=reformatted.encode()).created

    changed = sample_text().replace("Red to green within four hours.", "Red to green within two hours.")
    with pytest.raises(CatalogVersionConflict, match=r"acme-platform version 1\.0 is already loaded with different"):
        load_catalog(source=changed.encode())
    assert Criterion.objects.get(code="plat.ci.speed.feedback@3").text_en == "Red to green within four hours."


@pytest.mark.django_db
def test_a_custom_model_loads_like_the_builtin_one():
    outcome = load_catalog(source=SAMPLE.read_bytes())
    assert outcome.created
    criterion = Criterion.objects.get(model=outcome.model, code="plat.ci.speed.feedback@3")
    assert criterion.checks == [{"fact": "ci.feedback_minutes", "op": "<=", "value": 240, "threshold": "ours"}]
    assert Criterion.objects.get(model=outcome.model, code="plat.ci.speed.feedback@5").is_inferred
    assert MaturityModel.objects.filter(key="acme-platform").count() == 1


BROKEN = [
    pytest.param(
        sample_text().replace("name_en: Continuous integration", "name_en: [Continuous integration"),
        "model.yaml:24: YAML syntax error: expected ',' or ']'",
        id="syntax-error",
    ),
    pytest.param(
        sample_text().replace("        name_en: Continuous integration\n", ""),
        "model.yaml:21: parts[0].subdomains[0]: missing name_en",
        id="missing-field",
    ),
    pytest.param(
        sample_text().replace("code: plat.ci.speed\n", "code: plat.ci\n"),
        "model.yaml:25: parts[0].subdomains[0].items[0].code: duplicate code plat.ci "
        "(first used at parts[0].subdomains[0])",
        id="duplicate-code",
    ),
    pytest.param(
        sample_text().replace("{level: 4, text_zh: 三十分钟内。", "{level: 6, text_zh: 三十分钟内。"),
        "model.yaml:40: parts[0].subdomains[0].items[0].subitems[0].criteria[3].level: level must be 1, 2, 3, 4 or 5",
        id="level-outside-1-to-5",
    ),
    pytest.param(
        sample_text().replace('op: "<="', 'op: "about"'),
        "model.yaml:39: parts[0].subdomains[0].items[0].subitems[0].criteria[2].checks[0].op: "
        "unknown check operator 'about'; use one of >= > <= < == != exists not_increasing",
        id="unknown-check-operator",
    ),
    pytest.param(
        sample_text().replace("name_en: Platform team maturity", "name_en: !!python/object/apply:os.system [id]"),
        "model.yaml:6: the tag tag:yaml.org,2002:python/object/apply:os.system is not allowed",
        id="python-tag",
    ),
    pytest.param(
        "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n",
        "model.yaml:1: anchors (&a) are not allowed",
        id="alias-bomb",
    ),
    pytest.param(
        sample_text().replace("format: 1", "format: 2"), "model.yaml:2: format: format must be 1", id="format"
    ),
    pytest.param(
        sample_text().replace('version: "1.0"', "version: 1.0"),
        "model.yaml:4: version: version must be text (put quotes around it)",
        id="unquoted-version",
    ),
    pytest.param(
        sample_text().replace(" " * 18 + "- {level: 2, text_zh: 每日构建。, text_en: Daily builds.}\n", ""),
        "model.yaml:32: parts[0].subdomains[0].items[0].subitems[0].criteria: every level 1 to 5 needs a criterion; "
        "missing 2",
        id="missing-level",
    ),
    pytest.param(
        sample_text().replace("name_zh: 速度", "name_zh: 速度\n            nmae_en: Speed"),
        "model.yaml:27: parts[0].subdomains[0].items[0].nmae_en: unknown field nmae_en",
        id="misspelt-field",
    ),
    pytest.param(
        sample_text().replace(
            '{fact: ci.feedback_minutes, op: "<=", value: 240, threshold: ours}',
            '{any_of: [{fact: ci.feedback_minutes, op: "<=", value: 240}], threshold: ours}',
        ),
        "model.yaml:39: parts[0].subdomains[0].items[0].subitems[0].criteria[2].checks[0].any_of: "
        "any_of must list at least two alternatives",
        id="any-of-with-one-alternative",
    ),
    pytest.param(
        sample_text().replace(
            '{fact: ci.feedback_minutes, op: "<=", value: 240, threshold: ours}',
            '{any_of: [{fact: ci.feedback_minutes, op: "<=", value: 240, threshold: ours}, '
            "{fact: builds.duration_minutes, op: not_increasing}], threshold: ours}",
        ),
        "model.yaml:39: parts[0].subdomains[0].items[0].subitems[0].criteria[2].checks[0].any_of[0].threshold: "
        "unknown field threshold",
        id="threshold-belongs-to-the-whole-any-of",
    ),
    pytest.param(
        sample_text().replace('op: "<=", value: 240', "op: not_increasing, value: 240"),
        "model.yaml:39: parts[0].subdomains[0].items[0].subitems[0].criteria[2].checks[0].value: "
        "not_increasing takes no value",
        id="not-increasing-takes-no-value",
    ),
    pytest.param(b"format: 1\nname_zh: \xff\xfe\n", "model.yaml:2: the file is not valid UTF-8", id="invalid-utf8"),
    pytest.param("", "model.yaml:1: the file is empty", id="empty"),
    pytest.param("- just\n- a list\n", "model.yaml:1: must be a mapping of fields", id="not-a-mapping"),
]


@pytest.mark.parametrize(("text", "expected"), BROKEN)
def test_broken_files_are_refused_with_the_exact_problem(text, expected):
    problems = problems_of(text)
    assert any(problem.startswith(expected) for problem in problems), problems


def test_every_problem_is_reported_at_once():
    text = sample_text().replace("name_en: Speed", "name_en: ''").replace("name_zh: 反馈时间", "name_zh: 7")
    problems = problems_of(text)
    assert len(problems) == 2
    assert "name_en is empty" in problems[0] and "name_zh must be text" in problems[1]


def test_oversize_files_are_refused_before_parsing(settings):
    settings.CATALOG_MAX_FILE_BYTES = 1000
    assert problems_of(sample_text() + "#" * 1000) == ["model.yaml: the file is larger than 1,000 bytes"]


@pytest.mark.django_db
def test_load_catalog_command_reports_each_problem_and_loads_nothing(tmp_path, capsys):
    broken = tmp_path / "broken.yaml"
    broken.write_text(sample_text().replace("        name_en: Continuous integration\n", ""), encoding="utf-8")
    with pytest.raises(CommandError, match=r"1 problem\(s\) found; nothing was loaded"):
        call_command("load_catalog", str(broken))
    assert f"{broken}:21: parts[0].subdomains[0]: missing name_en" in capsys.readouterr().err
    assert not MaturityModel.objects.filter(key="acme-platform").exists()


@pytest.mark.django_db
def test_load_catalog_command_says_what_it_loaded(capsys):
    call_command("load_catalog", str(SAMPLE))
    call_command("load_catalog", str(SAMPLE))
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "Loaded acme-platform 1.0: 1 parts, 1 assessable sub-items, 5 criteria.",
        "Already loaded, unchanged: acme-platform 1.0: 1 parts, 1 assessable sub-items, 5 criteria.",
    ]


@pytest.mark.django_db
def test_load_catalog_command_on_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="1 problem"):
        call_command("load_catalog", str(tmp_path / "nowhere.yaml"))
