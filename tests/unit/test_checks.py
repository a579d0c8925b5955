"""Checks over facts: met, not met, inconclusive, and explanations that cite the figures in both languages."""

from assessment.scoring.checks import EvidenceFacts, evaluate

PASS_RATE = [{"fact": "junit.pass_rate", "op": ">=", "value": 0.95, "threshold": "ours"}]
JUNIT = EvidenceFacts(7, "1,204 tests, 3 failed", {"junit.tests": 1204, "junit.pass_rate": 0.9975})


def test_no_checks_no_verdict():
    assert evaluate([], [JUNIT]) is None


def test_met_with_the_figures_cited():
    verdict = evaluate(PASS_RATE, [JUNIT])
    assert verdict.value == "met"
    assert verdict.explanation_en == "1,204 tests, 3 failed: junit.pass_rate 99.75% ≥ 95.00%"
    assert verdict.explanation_zh == "1,204 tests, 3 failed: junit.pass_rate 99.75% ≥ 95.00%"
    assert verdict.evidence_ids == (7,)


def test_not_met_says_so():
    verdict = evaluate(PASS_RATE, [EvidenceFacts(8, "", {"junit.pass_rate": 0.5})])
    assert verdict.value == "not_met"
    assert verdict.explanation_en == "junit.pass_rate 50.00% < 95.00% (not met)"
    assert "未满足" in verdict.explanation_zh


def test_a_missing_fact_is_inconclusive_not_a_failure():
    verdict = evaluate(PASS_RATE, [EvidenceFacts(9, "", {"coverage.line_rate": 0.8})])
    assert verdict.value == "inconclusive"
    assert verdict.explanation_en == "no evidence reports junit.pass_rate"
    assert verdict.evidence_ids == ()


def test_all_checks_must_hold_and_any_failure_wins():
    checks = [
        {"fact": "pipeline.has_build", "op": "==", "value": True, "threshold": "ours"},
        {"fact": "pipeline.has_test", "op": "==", "value": True, "threshold": "ours"},
        {"fact": "pipeline.has_deploy", "op": "==", "value": True, "threshold": "ours"},
    ]
    pipeline = EvidenceFacts(1, "", {"pipeline.has_build": True, "pipeline.has_test": False})
    assert evaluate(checks, [pipeline]).value == "not_met"  # one failure beats one unknown
    complete = EvidenceFacts(
        2, "", {"pipeline.has_build": True, "pipeline.has_test": True, "pipeline.has_deploy": True}
    )
    assert evaluate(checks, [complete]).value == "met"


def test_the_newest_evidence_counts_when_several_report_a_fact():
    newest, older = EvidenceFacts(2, "", {"ci.feedback_minutes": 20}), EvidenceFacts(1, "", {"ci.feedback_minutes": 90})
    check = [{"fact": "ci.feedback_minutes", "op": "<=", "value": 30, "threshold": "standard"}]
    assert evaluate(check, [newest, older]).value == "met"
    assert evaluate(check, [older, newest]).value == "not_met"


def test_facts_from_several_pieces_combine():
    checks = [
        {"fact": "junit.tests", "op": ">", "value": 0, "threshold": "ours"},
        {"fact": "pipeline.has_test", "op": "==", "value": True, "threshold": "ours"},
    ]
    verdict = evaluate(checks, [JUNIT, EvidenceFacts(3, "", {"pipeline.has_test": True})])
    assert verdict.value == "met" and set(verdict.evidence_ids) == {3, 7}


def test_a_value_of_the_wrong_type_is_inconclusive():
    check = [{"fact": "junit.tests", "op": ">", "value": 0, "threshold": "ours"}]
    assert evaluate(check, [EvidenceFacts(1, "", {"junit.tests": "many"})]).value == "inconclusive"
    assert evaluate(check, [EvidenceFacts(1, "", {"junit.tests": True})]).value == "inconclusive"


def test_exists():
    check = [{"fact": "iac.kind", "op": "exists", "threshold": "ours"}]
    assert evaluate(check, [EvidenceFacts(1, "", {"iac.kind": "terraform"})]).value == "met"
    assert evaluate(check, []).value == "inconclusive"


def test_true_false_checks_read_plainly():
    check = [{"fact": "pipeline.has_test", "op": "==", "value": True, "threshold": "ours"}]
    assert (
        evaluate(check, [EvidenceFacts(1, "", {"pipeline.has_test": True})]).explanation_en == "pipeline.has_test: true"
    )
    failed = evaluate(check, [EvidenceFacts(1, "", {"pipeline.has_test": False})])
    assert failed.explanation_en == "pipeline.has_test: false (expected true)"
    assert failed.explanation_zh == "pipeline.has_test：false（应为 true）"
