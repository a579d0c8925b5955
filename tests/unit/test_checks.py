"""Checks over facts: met, not met, inconclusive, and explanations written for people in both languages:
what was found, in which file, what the level asks for, and which attached files were not used."""

import re

import pytest

from assessment.scoring.checks import EvidenceFacts, evaluate
from assessment.scoring.phrases import PHRASES

PASS_RATE = [{"fact": "junit.pass_rate", "op": ">=", "value": 0.95, "threshold": "ours"}]
HAS_TEST = [{"fact": "pipeline.has_test", "op": "==", "value": True, "threshold": "ours"}]
JUNIT = EvidenceFacts(7, "junit.xml", {"junit.tests": 1204, "junit.pass_rate": 0.9975}, kind="junit")
# A dotted lower-case name such as pipeline.has_test: a fact key, which no sentence may contain.
FACT_KEY = re.compile(r"\b[a-z_]+\.[a-z_.]+\b")


def _pipeline(evidence_id: int, name: str, **facts) -> EvidenceFacts:
    return EvidenceFacts(
        evidence_id, name, {f"pipeline.{key}": value for key, value in facts.items()}, "github_actions"
    )


def _no_fact_key(verdict) -> None:
    """Neither language names a known fact (file names such as ci.yml are not fact keys)."""
    for text in (verdict.explanation_en, verdict.explanation_zh):
        assert not [key for key in FACT_KEY.findall(text) if key in PHRASES], text


def test_no_checks_no_verdict():
    assert evaluate([], [JUNIT], level=3) is None


def test_met_says_the_figure_the_file_and_the_demand():
    verdict = evaluate(PASS_RATE, [JUNIT], level=3)
    assert verdict.value == "met"
    assert verdict.explanation_en == "Test pass rate in junit.xml: 99.8% (level 3 asks for at least 95%)."
    assert verdict.explanation_zh == "junit.xml 中的测试通过率：99.8%（3 级要求至少 95%）。"
    assert verdict.evidence_ids == (7,)
    _no_fact_key(verdict)


def test_a_missing_job_reads_as_the_issue_asks():
    verdict = evaluate(HAS_TEST, [_pipeline(1, "ci.yml", has_test=False)], level=3)
    assert verdict.value == "not_met"
    assert verdict.explanation_en == "No test job found in ci.yml (level 3 asks for automated tests in the pipeline)."
    assert verdict.explanation_zh == "在 ci.yml 中未找到测试作业（3 级要求流水线中包含自动化测试）。"
    _no_fact_key(verdict)


def test_a_found_job_reads_plainly():
    verdict = evaluate(HAS_TEST, [_pipeline(1, "ci.yml", has_test=True)], level=3)
    assert verdict.value == "met"
    assert verdict.explanation_en.startswith("Test job found in ci.yml (")
    assert verdict.explanation_zh.startswith("在 ci.yml 中找到测试作业（")


def test_figures_carry_their_unit_in_each_language():
    checks = [
        {"fact": "deployments.per_week", "op": ">=", "value": 1, "threshold": "ours"},
        {"fact": "ci.feedback_minutes", "op": "<=", "value": 30, "threshold": "standard"},
    ]
    metrics = EvidenceFacts(
        4, "May metrics", {"deployments.per_week": 0.5, "ci.feedback_minutes": 42.5}, "metric_snapshot"
    )
    verdict = evaluate(checks, [metrics], level=4)
    assert verdict.value == "not_met"
    assert "Production deployments in May metrics: 0.5 a week (level 4 asks for at least 1 a week)." in (
        verdict.explanation_en
    )
    assert "(level 4 asks for at most 30 min)" in verdict.explanation_en and "42.5 min" in verdict.explanation_en
    assert "May metrics 中的生产部署：每周 0.5 次（4 级要求至少每周 1 次）。" in verdict.explanation_zh
    assert "42.5 分钟（4 级要求不超过 30 分钟）" in verdict.explanation_zh
    _no_fact_key(verdict)


def test_a_missing_fact_is_inconclusive_and_says_what_is_missing():
    verdict = evaluate(PASS_RATE, [EvidenceFacts(9, "coverage.xml", {"coverage.line_rate": 0.8}, "coverage")], level=3)
    assert verdict.value == "inconclusive"
    assert verdict.explanation_en.startswith("No evidence read so far shows the test pass rate (level 3 asks")
    assert verdict.explanation_zh.startswith("已读取的证据均未显示测试通过率（3 级要求")
    assert "coverage.xml (coverage report) was read but shows nothing this level asks about" in (verdict.explanation_en)
    assert "coverage.xml（覆盖率报告）已读取，但不含本级所需的数据，未使用" in verdict.explanation_zh
    assert verdict.evidence_ids == ()
    _no_fact_key(verdict)


def test_all_checks_must_hold_and_any_failure_wins():
    checks = [
        {"fact": "pipeline.has_build", "op": "==", "value": True, "threshold": "ours"},
        *HAS_TEST,
        {"fact": "pipeline.has_deploy", "op": "==", "value": True, "threshold": "ours"},
    ]
    partial = _pipeline(1, "ci.yml", has_build=True, has_test=False)
    assert evaluate(checks, [partial], level=3).value == "not_met"  # one failure beats one unknown
    complete = _pipeline(2, "ci.yml", has_build=True, has_test=True, has_deploy=True)
    assert evaluate(checks, [complete], level=3).value == "met"


def test_the_newest_evidence_counts_and_the_older_one_says_why_it_was_not_used():
    newest = EvidenceFacts(2, "june.json", {"ci.feedback_minutes": 20}, "metric_snapshot")
    older = EvidenceFacts(1, "may.json", {"ci.feedback_minutes": 90}, "metric_snapshot")
    check = [{"fact": "ci.feedback_minutes", "op": "<=", "value": 30, "threshold": "standard"}]
    verdict = evaluate(check, [newest, older], level=4)
    assert verdict.value == "met" and verdict.evidence_ids == (2,)
    assert "may.json (delivery metrics) was not used: newer evidence gives the same figures" in verdict.explanation_en
    assert "may.json（交付度量数据）未使用：已有更新的证据提供同样的数据" in verdict.explanation_zh
    assert evaluate(check, [older, newest], level=4).value == "not_met"


def test_two_files_each_figure_names_its_own_file():
    checks = [{"fact": "junit.tests", "op": ">", "value": 0, "threshold": "ours"}, *HAS_TEST]
    verdict = evaluate(checks, [JUNIT, _pipeline(3, ".gitlab-ci.yml", has_test=True)], level=3)
    assert verdict.value == "met" and set(verdict.evidence_ids) == {3, 7}
    assert "Number of tests in junit.xml: 1,204 (level 3 asks for more than 0)." in verdict.explanation_en
    assert "Test job found in .gitlab-ci.yml (" in verdict.explanation_en
    assert "junit.xml 中的测试用例数：1,204（3 级要求大于 0）。" in verdict.explanation_zh
    assert "在 .gitlab-ci.yml 中找到测试作业（" in verdict.explanation_zh
    _no_fact_key(verdict)


@pytest.mark.parametrize("kind", ["other", "link", "note"])
def test_a_file_nobody_reads_is_never_judged_by_another_files_facts(kind):
    """A Jenkinsfile read as `other` (or a PDF, a link) beside a workflow: the figure names the workflow, and
    the unread file is said to be kept for a person, not shown as if it had been read."""
    unread = EvidenceFacts(5, "Jenkinsfile", {}, kind)
    verdict = evaluate(HAS_TEST, [unread, _pipeline(6, "ci.yml", has_test=False)], level=3)
    assert verdict.value == "not_met" and verdict.evidence_ids == (6,)
    assert verdict.explanation_en == (
        "No test job found in ci.yml (level 3 asks for automated tests in the pipeline). "
        "Jenkinsfile is kept for review by a person: no machine reads it, and it was not used here."
    )
    assert verdict.explanation_zh == (
        "在 ci.yml 中未找到测试作业（3 级要求流水线中包含自动化测试）。"
        "Jenkinsfile 留待人工审阅：系统不自动读取，此处未使用。"
    )


def test_an_unread_file_alone_gives_no_verdict_from_elsewhere():
    verdict = evaluate(HAS_TEST, [EvidenceFacts(5, "design.pdf", {}, "other")], level=3)
    assert verdict.value == "inconclusive" and verdict.evidence_ids == ()
    assert "Nothing read so far says whether there is any test job" in verdict.explanation_en
    assert "design.pdf is kept for review by a person" in verdict.explanation_en
    assert "design.pdf 留待人工审阅" in verdict.explanation_zh


def test_three_files_of_different_kinds_on_one_criterion():
    checks = [
        {"fact": "coverage.line_rate", "op": ">=", "value": 0.6, "threshold": "ours"},
        {"fact": "junit.tests", "op": ">", "value": 0, "threshold": "ours"},
    ]
    coverage = EvidenceFacts(8, "cobertura.xml", {"coverage.line_rate": 0.42}, "coverage")
    sarif = EvidenceFacts(9, "scan.sarif", {"sarif.runs": 1}, "sarif")
    verdict = evaluate(checks, [sarif, coverage, JUNIT], level=3)
    assert verdict.value == "not_met" and set(verdict.evidence_ids) == {7, 8}
    sentences = verdict.explanation_en.split(". ")
    assert sentences[0] == "Line coverage in cobertura.xml: 42% (level 3 asks for at least 60%)"
    assert sentences[1] == "Number of tests in junit.xml: 1,204 (level 3 asks for more than 0)"
    assert sentences[2].startswith("scan.sarif (SARIF analysis report) was read but shows nothing this level")
    assert "cobertura.xml 中的行覆盖率：42%（3 级要求至少 60%）" in verdict.explanation_zh
    assert "scan.sarif（SARIF 分析报告）已读取，但不含本级所需的数据，未使用" in verdict.explanation_zh
    _no_fact_key(verdict)


def test_a_value_of_the_wrong_type_is_inconclusive():
    check = [{"fact": "junit.tests", "op": ">", "value": 0, "threshold": "ours"}]
    many = evaluate(check, [EvidenceFacts(1, "a.xml", {"junit.tests": "many"}, "junit")], level=2)
    assert many.value == "inconclusive" and "cannot be compared" in many.explanation_en
    assert evaluate(check, [EvidenceFacts(1, "a.xml", {"junit.tests": True}, "junit")], level=2).value == "inconclusive"


def test_exists():
    check = [{"fact": "iac.kind", "op": "exists", "threshold": "ours"}]
    assert (
        evaluate(check, [EvidenceFacts(1, "main.tf", {"iac.kind": "terraform"}, "terraform")], level=4).value == "met"
    )
    assert evaluate(check, [], level=4).value == "inconclusive"


def test_a_fact_without_a_phrase_is_spelled_out_not_shown_as_a_key():
    check = [{"fact": "team.widgets_shipped", "op": ">=", "value": 3, "threshold": "ours"}]
    verdict = evaluate(check, [EvidenceFacts(1, "w.json", {"team.widgets_shipped": 4}, "deployments")], level=2)
    assert verdict.explanation_en == "Team widgets shipped in w.json: 4 (level 2 asks for at least 3)."
    assert "team.widgets_shipped" not in verdict.explanation_zh


IAC_OR_CONTAINER = [
    {
        "any_of": [
            {"fact": "iac.present", "op": "==", "value": True},
            {"fact": "container.present", "op": "==", "value": True},
        ],
        "threshold": "ours",
    }
]


def test_any_of_holds_when_one_alternative_does_and_names_it():
    dockerfile = EvidenceFacts(1, "Dockerfile", {"container.present": True}, "dockerfile")
    verdict = evaluate(IAC_OR_CONTAINER, [dockerfile], level=4)
    assert verdict.value == "met" and verdict.evidence_ids == (1,)
    assert verdict.explanation_en == (
        "Container image definition found in Dockerfile (level 4 asks for a container image definition)."
    )
    assert verdict.explanation_zh == "在 Dockerfile 中找到容器镜像定义（4 级要求容器镜像定义）。"


def test_any_of_is_inconclusive_until_one_holds_or_all_fail():
    nothing = evaluate(IAC_OR_CONTAINER, [], level=4)
    assert nothing.value == "inconclusive"
    assert nothing.explanation_en.startswith("One of these would be enough: ")
    assert nothing.explanation_zh.startswith("满足其一即可：")
    both_absent = EvidenceFacts(2, "x.json", {"iac.present": False, "container.present": False}, "deployments")
    assert evaluate(IAC_OR_CONTAINER, [both_absent], level=4).value == "not_met"
    _no_fact_key(nothing)


TREND = [{"fact": "sarif.findings.total", "op": "not_increasing", "threshold": "ours"}]


def _sarif(evidence_id: int, name: str, total: int) -> EvidenceFacts:
    return EvidenceFacts(evidence_id, name, {"sarif.findings.total": total}, "sarif")


def test_a_trend_compares_the_newest_report_with_the_one_before():
    verdict = evaluate(TREND, [_sarif(2, "june.sarif", 9), _sarif(1, "may.sarif", 12)], level=3)
    assert verdict.value == "met" and verdict.evidence_ids == (2, 1)
    assert verdict.explanation_en == (
        "Findings went from 12 in may.sarif to 9 in june.sarif (level 3 asks that they do not rise)."
    )
    assert verdict.explanation_zh == "问题总数从 may.sarif 中的 12 变为 june.sarif 中的 9（3 级要求其不上升）。"
    assert evaluate(TREND, [_sarif(2, "june.sarif", 15), _sarif(1, "may.sarif", 12)], level=3).value == "not_met"


def test_a_trend_needs_two_reports():
    verdict = evaluate(TREND, [_sarif(2, "june.sarif", 0)], level=3)
    assert verdict.value == "inconclusive"
    assert "a trend needs an earlier report as well" in verdict.explanation_en
    assert "判断趋势还需要一份更早的报告" in verdict.explanation_zh


def test_every_kind_a_parser_gives_has_a_name_in_both_languages():
    from assessment.parsers.reading import READERS
    from assessment.scoring.phrases import KINDS

    assert {kind for kind, _recognises, _parse in READERS} <= set(KINDS)
