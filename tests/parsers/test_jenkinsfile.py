"""Declarative Jenkinsfiles: details of the reading, and hostile Groovy (the sample is in test_pipelines.py)."""

import time

import pytest

from assessment.parsers import pipelines
from assessment.parsers.base import ParseError

from .fuzz import evidence
from .pipeline_checks import facts_of, recognised, refusal


def jenkinsfile(stages: str, head: str = "") -> str:
    return f"pipeline {{\n  agent any\n{head}\n  stages {{\n{stages}\n  }}\n}}\n"


def test_jenkins_braces_in_strings_and_comments_do_not_count():
    text = jenkinsfile(
        """    stage('Odd } names {') {
      steps {
        // a } in a comment
        /* and { here */
        sh "echo '}' && pytest"
        sh '''
          echo "{"
        '''
      }
    }"""
    )
    facts = facts_of(pipelines.parse_jenkinsfile, text)

    assert facts["pipeline.stage_count"] == 1
    assert facts["pipeline.has_test"] is True


def test_jenkins_input_steps_and_change_requests():
    text = jenkinsfile(
        """    stage('PR checks') {
      when { changeRequest() }
      steps { sh 'npm run lint' }
    }
    stage('Release') {
      steps {
        input message: 'Release?'
        script { def input = params.input; input(id: 'again', message: 'Really?') }
      }
    }"""
    )
    facts = facts_of(pipelines.parse_jenkinsfile, text)

    assert facts["pipeline.manual_gates"] == 2
    assert facts["pipeline.triggers.merge_request"] is True
    assert "pipeline.triggers.push" not in facts  # configured in the Jenkins job, not visible here
    assert facts["pipeline.triggers.schedule"] is False
    assert facts["pipeline.has_lint"] is True


def test_pipeline_inside_a_shared_library_step_is_read():
    text = "def call(Map config) {\n" + jenkinsfile("    stage('Test') { steps { sh 'go test ./...' } }") + "}\n"

    facts = facts_of(pipelines.parse_jenkinsfile, text)

    assert facts["pipeline.has_test"] is True
    assert facts["pipeline.stage_count"] == 1


def test_scripted_pipeline_is_refused():
    reason = refusal(pipelines.parse_jenkinsfile, b"node {\n  stage('Build') {\n    sh 'make'\n  }\n}\n")

    assert "Not a declarative Jenkinsfile" in reason


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (jenkinsfile("stage('a') { steps { sh 'make' } }").encode()[:-8], "ends inside 3 unclosed block(s) (`stage`)"),
        (b"pipeline { stages { } }\n}", "line 2: `}` without a matching `{`"),
        (b"pipeline {" + b"{" * 50_000, "blocks nested too deeply"),
        (b"pipeline { stages {}}\xff", "not valid UTF-8"),
    ],
)
def test_broken_jenkinsfiles(data, expected):
    assert expected in refusal(pipelines.parse_jenkinsfile, data)


@pytest.mark.parametrize(
    "data",
    [
        b"{" * 50_000,
        b"pipeline {" + b" " * 500_000,
        b"pipeline { stages { " + b"'" * 200_001,
        b"pipeline { stages { " + b'"' * 200_001,
        b"pipeline { stages { " + b"/* " * 100_000,
        b"pipeline { stages { " + b"''' " * 100_000,
        b"pipeline { stages { sh '" + b"\\'" * 200_000,
        b"pipeline { stages { " + b"stage(" * 50_000,
        b"pipeline { stages { " + b"'a\n" * 100_000,
    ],
)
def test_adversarial_groovy_finishes_fast(data):
    started = time.monotonic()

    with pytest.raises(ParseError):
        pipelines.parse_jenkinsfile(evidence(data))
    pipelines.recognises_jenkinsfile(data[:65536])

    assert time.monotonic() - started < 1


def test_jenkins_recogniser_needs_a_declarative_pipeline():
    assert recognised(b"pipeline {\n  agent any\n}") == ["jenkinsfile"]
    assert recognised(b"node { stage('x') { sh 'make' } }") == []
    assert recognised(b"# Notes\nOur pipeline is fast.\n") == []
