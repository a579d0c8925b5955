"""Cobertura and JaCoCo coverage reports."""

import pytest

from assessment.parsers import coverage
from assessment.parsers.base import ParseError

from .conftest import SAMPLES

JACOCO_DOCTYPE = b'<!DOCTYPE report PUBLIC "-//JACOCO//DTD Report 1.1//EN" "report.dtd">'


def test_coverage_py_report(read):
    data = (SAMPLES / "coveragepy-cobertura.xml").read_bytes()
    assert coverage.recognises(data[: 64 * 1024])

    result = read(coverage, data)

    assert result.kind == "cobertura"
    assert result.facts == {
        "coverage.format": "cobertura",
        "coverage.lines_valid": 38,
        "coverage.lines_covered": 27,
        "coverage.line_rate": 0.7105,
        "coverage.branch_rate": 0.3333,
        "coverage.branches_valid": 6,
        "coverage.branches_covered": 2,
    }
    assert result.summary == "71.0% of 38 lines covered, 33.3% of 6 branches (Cobertura)"


def test_jacoco_report_uses_the_report_level_counters(read):
    data = (SAMPLES / "jacoco.xml").read_bytes()
    assert coverage.recognises(data[: 64 * 1024])

    result = read(coverage, data)

    assert result.kind == "jacoco"
    assert result.facts == {
        "coverage.format": "jacoco",
        "coverage.lines_valid": 8,
        "coverage.lines_covered": 5,
        "coverage.line_rate": 0.625,
        "coverage.branch_rate": 0.5,
        "coverage.branches_valid": 2,
        "coverage.branches_covered": 1,
    }
    assert result.summary == "62.5% of 8 lines covered, 50.0% of 2 branches (JaCoCo)"


def test_jacoco_multi_module_report_with_groups(read):
    report = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' + JACOCO_DOCTYPE + b'<report name="shop">'
        b'<sessioninfo id="a" start="1" dump="2"/>'
        b'<group name="api"><package name="p"><counter type="LINE" missed="90" covered="10"/></package>'
        b'<counter type="LINE" missed="90" covered="10"/></group>'
        b'<group name="web"><counter type="LINE" missed="10" covered="90"/></group>'
        b'<counter type="INSTRUCTION" missed="7" covered="3"/><counter type="LINE" missed="100" covered="100"/>'
        b"</report>"
    )

    facts = read(coverage, report).facts

    assert (facts["coverage.line_rate"], facts["coverage.lines_valid"]) == (0.5, 200)
    assert "coverage.branch_rate" not in facts  # JaCoCo writes no BRANCH counter when there are no branches


def test_jacoco_report_without_classes_has_no_rates(read):
    report = JACOCO_DOCTYPE + b'<report name="empty"><sessioninfo id="a" start="1" dump="2"/></report>'

    result = read(coverage, report)

    assert result.facts == {"coverage.format": "jacoco", "coverage.lines_valid": 0, "coverage.lines_covered": 0}
    assert result.summary == "no measurable lines (JaCoCo)"


@pytest.mark.parametrize(
    ("counter", "expected"),
    [
        (b'<counter type="LINE" missed="x" covered="1"/>', "non-numeric"),
        (b'<counter type="LINE" covered="1"/>', "non-numeric"),
        (b'<counter type="LINE" missed="-1" covered="1"/>', "negative"),
    ],
)
def test_broken_jacoco_counters_are_refused(read, counter, expected):
    with pytest.raises(ParseError, match=expected):
        read(coverage, b'<report name="x">' + counter + b"</report>")


def test_a_report_root_that_is_not_jacoco_is_refused(read):
    with pytest.raises(ParseError, match="not a JaCoCo report"):
        read(coverage, b"<report><title>Quarterly numbers</title></report>")


def test_old_cobertura_root_without_counts_is_counted_from_class_lines(read):
    """Method lines repeat class lines; only the class's own <lines> count."""
    report = b"""<?xml version="1.0"?>
    <!DOCTYPE coverage SYSTEM "http://cobertura.sourceforge.net/xml/coverage-04.dtd">
    <coverage timestamp="1" version="1.9"><sources><source>src</source></sources><packages><package name="p">
      <classes><class name="p.A" filename="p/A.java">
        <methods><method name="f" signature="()V"><lines><line number="1" hits="3"/></lines></method></methods>
        <lines>
          <line number="1" hits="3" branch="false"/>
          <line number="2" hits="0" branch="true" condition-coverage="50% (1/2)"/>
          <line number="3" hits="12" branch="true" condition-coverage="100% (4/4)"/>
          <line number="4" hits="0"/>
        </lines>
      </class></classes>
    </package></packages></coverage>"""

    facts = read(coverage, report).facts

    assert (facts["coverage.lines_valid"], facts["coverage.lines_covered"], facts["coverage.line_rate"]) == (4, 2, 0.5)
    assert (facts["coverage.branches_valid"], facts["coverage.branches_covered"]) == (6, 5)
    assert facts["coverage.branch_rate"] == pytest.approx(5 / 6)


def test_branch_rate_is_left_out_when_branches_were_not_measured(read):
    """coverage.py without --branch writes branch-rate="0" and branches-valid="0"."""
    report = b"""<coverage version="7.17.3" lines-valid="10" lines-covered="9" line-rate="0.9" branches-covered="0"
        branches-valid="0" branch-rate="0" complexity="0"><packages/></coverage>"""

    facts = read(coverage, report).facts

    assert facts["coverage.line_rate"] == 0.9
    assert not any(name.startswith("coverage.branch") for name in facts)


def test_empty_cobertura_report_has_no_line_rate(read):
    report = b'<coverage lines-valid="0" lines-covered="0" line-rate="1" branch-rate="0"><packages/></coverage>'

    result = read(coverage, report)

    assert "coverage.line_rate" not in result.facts
    assert result.summary == "no measurable lines (Cobertura)"


@pytest.mark.parametrize(
    ("root", "expected"),
    [
        (b'<coverage line-rate="1.7"><packages/></coverage>', "not a ratio"),
        (b'<coverage line-rate="-0.1"><packages/></coverage>', "not a ratio"),
        (b'<coverage line-rate="0.5" lines-valid="-3"><packages/></coverage>', "negative"),
        (b'<coverage line-rate="0.5" lines-valid="3" lines-covered="4"><packages/></coverage>', "4 of 3 lines"),
        (b'<coverage generated="1" clover="4.4.1"><project><metrics/></project></coverage>', "not a Cobertura"),
    ],
)
def test_impossible_cobertura_figures_are_refused(read, root, expected):
    with pytest.raises(ParseError, match=expected):
        read(coverage, root)


def test_a_non_numeric_rate_falls_back_to_the_counts(read):
    report = b'<coverage line-rate="NaN" lines-valid="4" lines-covered="3"><packages/></coverage>'

    assert read(coverage, report).facts["coverage.line_rate"] == 0.75


@pytest.mark.parametrize(
    "head",
    [
        b'<?xml version="1.0" ?>\n<coverage version="7.17.3" timestamp="1" lines-valid="38" line-rate="0.7105">',
        b'<?xml version="1.0"?>\n<!DOCTYPE coverage SYSTEM "http://cobertura.sourceforge.net/xml/coverage-04.dtd">'
        b'\n<coverage timestamp="1">\n<sources/>\n<packages>',
        b'\xef\xbb\xbf<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' + JACOCO_DOCTYPE + b'<report name="x">',
        b'<report name="x"><sessioninfo id="a" start="1" dump="2"/>',
        b'<report name="x"><package name="p"><class name="p/A"><method name="f" desc="()V"><counter type="LINE"',
    ],
)
def test_recognises_coverage_heads(head):
    assert coverage.recognises(head)


@pytest.mark.parametrize(
    "head",
    [
        b"",
        b'<coverage generated="1" clover="4.4.1"><project>',
        b"<report><title>Quarterly numbers</title>",
        b'<testsuite name="x">',
        b'{"coverage": {"line-rate": 1}}',
    ],
)
def test_does_not_recognise_other_heads(head):
    assert not coverage.recognises(head)


def test_jacoco_groups_give_each_modules_own_figures(read):
    report = (
        JACOCO_DOCTYPE + b'<report name="shop"><sessioninfo id="a" start="1" dump="2"/>'
        b'<group name="api"><group name="inner"><counter type="LINE" missed="5" covered="5"/></group>'
        b'<counter type="LINE" missed="3" covered="1"/><counter type="BRANCH" missed="1" covered="1"/></group>'
        b'<group name="web"><counter type="LINE" missed="0" covered="4"/>'
        b'<counter type="METHOD" missed="9" covered="0"/></group>'
        b'<group name="web"><counter type="LINE" missed="4" covered="0"/></group>'
        b'<counter type="LINE" missed="7" covered="5"/></report>'
    )

    result = read(coverage, report)

    facts = result.facts
    assert facts["coverage.groups"] == 2  # two groups named "web" add up; "inner" is inside "api"
    assert (facts["coverage.group.api.line_rate"], facts["coverage.group.api.branch_rate"]) == (0.25, 0.5)
    assert facts["coverage.group.web.line_rate"] == 0.5
    assert "coverage.group.web.branch_rate" not in facts and "coverage.group.inner.line_rate" not in facts
    assert result.summary == "41.7% of 12 lines covered in 2 module groups (JaCoCo)"


def test_jacoco_group_names_and_numbers_are_bounded(read):
    groups = b"".join(
        b'<group name="m%d"><counter type="LINE" missed="1" covered="1"/></group>' % number for number in range(250)
    )
    long_name = b'<group name="' + b"x" * 5000 + b'"><counter type="LINE" missed="0" covered="1"/></group>'
    report = b'<report name="r"><sessioninfo id="a" start="1" dump="2"/>' + long_name + groups + b"</report>"

    facts = read(coverage, report).facts

    assert facts["coverage.groups"] == coverage.MAX_GROUPS
    assert max(len(name) for name in facts) < 150


def test_a_broken_group_counter_is_refused(read):
    report = b'<report name="r"><group name="g"><counter type="LINE" missed="x" covered="1"/></group></report>'

    with pytest.raises(ParseError, match="non-numeric"):
        read(coverage, report)
