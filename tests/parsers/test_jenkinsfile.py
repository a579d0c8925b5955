"""Jenkinsfiles, declarative and scripted: details of the reading, and hostile Groovy (the samples are in
test_pipelines.py and the corpus)."""

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


def test_scripted_pipeline_is_read():
    facts = facts_of(pipelines.parse_jenkinsfile, "node {\n  stage('Build') {\n    sh 'make test'\n  }\n}\n")

    assert facts["pipeline.syntax"] == "scripted"
    assert facts["pipeline.stage_count"] == 1
    assert facts["pipeline.has_test"] is True


def test_scripted_stages_built_in_a_loop_are_counted_as_generated():
    text = """properties([pipelineTriggers([cron('H 2 * * *'), upstream(upstreamProjects: 'core')])])
stage 'Checkout'
checkout scm
def branches = [:]
for (os in ['linux', 'windows']) {
  branches[os] = {
    node(os) {
      stage("Test on ${os}") { withMaven { sh 'mvn -B verify' }; junit '**/TEST-*.xml' }
      stage(os + ' lint') { sh 'mvn checkstyle:check spotbugs:check apache-rat:check' }
    }
  }
}
parallel branches
stage('Release') { input 'Deploy?'; sh 'mvn deploy' }
"""
    facts = facts_of(pipelines.parse_jenkinsfile, text)

    assert facts["pipeline.stage_count"] == 4
    assert facts["pipeline.generated_stages"] == 2
    assert facts["pipeline.has_test"] is facts["pipeline.has_lint"] is facts["pipeline.has_deploy"] is True
    assert facts["pipeline.triggers.schedule"] is facts["pipeline.triggers.upstream"] is True
    assert facts["pipeline.manual_gates"] == 1


def test_text_without_stages_is_refused():
    reason = refusal(pipelines.parse_jenkinsfile, b"node {\n  sh 'make'\n}\n")

    assert "Not a Jenkinsfile we can read" in reason


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
        b"node {\n" + b"stage('x') {\n" * 250,  # scripted, nested too deeply
        b"node { stage('x') {\n  sh '" + b"a" * 900_000,  # a huge unterminated string
        b"stage 'a'\nnode {\n" + b"stage 'b'\n" * 100_000,  # many statement stages, never closed
        b"properties([" * 100_000,
    ],
)
def test_adversarial_groovy_finishes_fast(data):
    started = time.process_time()

    with pytest.raises(ParseError):
        pipelines.parse_jenkinsfile(evidence(data))
    pipelines.recognises_jenkinsfile(data[:65536])

    assert time.process_time() - started < 1


def test_jenkins_recogniser_needs_a_pipeline_or_stages_with_jenkins_steps():
    assert recognised(b"pipeline {\n  agent any\n}") == ["jenkinsfile"]
    assert recognised(b"node { stage('x') { sh 'make' } }") == ["jenkinsfile"]
    assert recognised(b"# Notes\nOur pipeline is fast.\n") == []
    assert recognised(b"plugins { id 'java' }\ntasks.register('stage') { doLast { println 'x' } }\n") == []
