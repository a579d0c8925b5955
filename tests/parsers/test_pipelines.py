"""Pipeline definitions: GitLab CI, GitHub Actions and declarative Jenkinsfiles, real-looking and hostile (the
Jenkinsfile details are in test_jenkinsfile.py)."""

import contextlib
import io
import time

import pytest

from assessment.parsers import pipelines
from assessment.parsers.base import ParseError
from assessment.parsers.reading import read_evidence

from .conftest import SAMPLES
from .fuzz import evidence, mutations
from .pipeline_checks import facts_of, recognised, refusal

ALL_TRIGGERS = {
    "pipeline.triggers.push": True,
    "pipeline.triggers.merge_request": True,
    "pipeline.triggers.schedule": True,
    "pipeline.triggers.manual": True,
}


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("gitlab-ci.yml", "gitlab_ci"),
        ("github-workflow.yml", "github_actions"),
        ("github-healthchecks-django.yml", "github_actions"),
        ("Jenkinsfile", "jenkinsfile"),
    ],
)
def test_each_sample_is_recognised_as_its_kind_only_and_through_the_dispatcher(name, kind):
    data = (SAMPLES / name).read_bytes()

    assert recognised(data) == [kind]
    assert read_evidence(io.BytesIO(data), name=name).kind == kind


@pytest.mark.parametrize("name", ["k8s-deployment.yaml", "Dockerfile", "main.tf", "deployments.csv", "ruff.sarif"])
def test_other_kinds_are_not_taken_for_pipelines(name):
    assert recognised((SAMPLES / name).read_bytes()) == []


def test_gitlab_sample_with_anchors_references_templates_and_rules():
    result = pipelines.parse_gitlab_ci(evidence((SAMPLES / "gitlab-ci.yml").read_bytes()))

    assert result.kind == "gitlab_ci"
    assert result.facts == {
        "pipeline.has_build": True,
        "pipeline.has_test": True,
        "pipeline.has_lint": True,
        "pipeline.has_security_scan": True,  # Jobs/SAST.gitlab-ci.yml, though the include is never fetched
        "pipeline.has_deploy": True,
        "pipeline.has_db_migration": True,  # manage.py migrate
        **ALL_TRIGGERS,
        "pipeline.stage_count": 3,
        "pipeline.job_count": 6,  # hidden .setup/.deploy templates are not jobs
        "pipeline.environments": 2,
        "pipeline.environment_names": "production, staging",
        "pipeline.manual_gates": 1,
        "pipeline.caching": True,
        "pipeline.artifacts": True,
        "pipeline.tool": "gitlab",
        # Never fetched, so said: a deploy job could also hide in them.
        "pipeline.unresolved_includes": "Jobs/SAST.gitlab-ci.yml, Jobs/Secret-Detection.gitlab-ci.yml, /ci/notify.yml",
        "pipeline.unresolved_templates": "",
    }
    assert result.summary.startswith("gitlab: 6 jobs in 3 stages; build, test, lint, security scan, deploy")


def test_github_sample_with_matrix_needs_and_environment():
    facts = pipelines.parse_github_actions(evidence((SAMPLES / "github-workflow.yml").read_bytes())).facts

    assert facts == {
        "pipeline.has_build": True,
        "pipeline.has_test": True,
        "pipeline.has_lint": True,
        "pipeline.has_security_scan": True,
        "pipeline.has_deploy": True,
        "pipeline.has_db_migration": False,
        **ALL_TRIGGERS,
        "pipeline.stage_count": 3,  # test/codeql -> image -> deploy
        "pipeline.job_count": 4,
        "pipeline.environments": 1,
        "pipeline.environment_names": "production",
        "pipeline.manual_gates": 0,
        "pipeline.caching": True,
        "pipeline.artifacts": True,
        "pipeline.tool": "github",
    }


def test_real_healthchecks_workflow():
    facts = pipelines.parse_github_actions(evidence((SAMPLES / "github-healthchecks-django.yml").read_bytes())).facts

    assert facts["pipeline.has_test"] is True  # python manage.py test
    assert facts["pipeline.has_deploy"] is False
    assert facts["pipeline.triggers.push"] is True
    assert facts["pipeline.triggers.merge_request"] is True
    assert facts["pipeline.triggers.schedule"] is False
    assert facts["pipeline.job_count"] == 1


def test_jenkins_sample_with_parallel_stages_input_gate_and_triggers():
    facts = pipelines.parse_jenkinsfile(evidence((SAMPLES / "Jenkinsfile").read_bytes())).facts

    assert facts == {
        "pipeline.has_build": True,
        "pipeline.has_test": True,
        "pipeline.has_lint": True,  # withSonarQubeEnv / sonar:sonar
        "pipeline.has_security_scan": True,  # OWASP dependency-check
        "pipeline.has_deploy": True,
        "pipeline.has_db_migration": True,  # flyway migrate
        "pipeline.triggers.push": True,  # pollSCM
        "pipeline.triggers.schedule": True,  # cron
        "pipeline.triggers.manual": True,  # input
        "pipeline.triggers.upstream": False,
        "pipeline.stage_count": 7,
        "pipeline.job_count": 6,  # "Checks" only groups parallel stages
        "pipeline.environments": 2,
        "pipeline.environment_names": "production, staging",
        "pipeline.manual_gates": 1,
        "pipeline.caching": True,  # ~/.m2 mounted into the agent
        "pipeline.artifacts": True,
        "pipeline.tool": "jenkins",
        "pipeline.syntax": "declarative",
        "pipeline.generated_stages": 0,
    }


# GitHub Actions details


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        ("on: push", {"push"}),
        ('"on": [pull_request, workflow_dispatch]', {"merge_request", "manual"}),
        ("on:\n  schedule:\n    - cron: '0 0 * * *'\n  merge_group:", {"schedule", "merge_request"}),
        ("true: push", {"push"}),  # what an unquoted `on` becomes in YAML 1.1
        ("on: workflow_call", set()),
    ],
)
def test_github_triggers_whatever_the_spelling_of_on(on, expected):
    text = f"{on}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n"

    facts = facts_of(pipelines.parse_github_actions, text)

    started_by = {name.removeprefix("pipeline.triggers.") for name, on in facts.items() if "triggers" in name and on}
    assert started_by == expected


def test_github_manual_approval_action_is_a_gate_and_reusable_workflows_count():
    text = """on: push
jobs:
  approve:
    runs-on: ubuntu-latest
    steps:
      - uses: trstringer/manual-approval@v1
  release:
    needs: approve
    uses: example/shared/.github/workflows/helm-deploy.yml@v2
"""
    facts = facts_of(pipelines.parse_github_actions, text)

    assert facts["pipeline.manual_gates"] == 1
    assert facts["pipeline.stage_count"] == 2
    assert facts["pipeline.has_deploy"] is True


def test_github_needs_cycle_does_not_hang():
    text = "on: push\njobs:\n  a:\n    needs: b\n    runs-on: x\n  b:\n    needs: a\n    runs-on: x\n"

    assert facts_of(pipelines.parse_github_actions, text)["pipeline.stage_count"] == 2


# GitLab details


def test_gitlab_default_is_push_only():
    facts = facts_of(pipelines.parse_gitlab_ci, "test:\n  script: [go test ./...]\n")

    assert facts["pipeline.triggers.push"] is True
    assert facts["pipeline.triggers.merge_request"] is False
    assert facts["pipeline.triggers.schedule"] is False
    assert facts["pipeline.triggers.manual"] is False
    assert facts["pipeline.stage_count"] == 1
    assert facts["pipeline.has_test"] is True


def test_gitlab_workflow_rules_can_rule_out_push():
    text = """workflow:
  rules:
    - if: '$CI_PIPELINE_SOURCE == "merge_request_event"'
    - if: '$CI_PIPELINE_SOURCE == "push"'
      when: never
nightly:
  script: [make e2e]
  rules:
    - if: $CI_PIPELINE_SOURCE == "schedule"
"""
    facts = facts_of(pipelines.parse_gitlab_ci, text)

    assert facts["pipeline.triggers.push"] is False
    assert facts["pipeline.triggers.merge_request"] is True
    assert facts["pipeline.triggers.schedule"] is False  # the workflow admits merge requests only


def test_gitlab_only_keywords_and_workflow_templates():
    text = """include:
  - template: Workflows/MergeRequest-Pipelines.gitlab-ci.yml
audit:
  script: [npm audit --audit-level=high]
  only: [schedules]
release:
  script: [./release.sh]
  when: manual
  only:
    refs: [web]
"""
    facts = facts_of(pipelines.parse_gitlab_ci, text)

    assert facts["pipeline.triggers.merge_request"] is True
    assert facts["pipeline.triggers.schedule"] is True
    assert facts["pipeline.triggers.manual"] is True
    assert facts["pipeline.has_security_scan"] is True
    assert facts["pipeline.manual_gates"] == 1


def test_gitlab_extends_chain_with_cycle_and_stop_environment():
    text = """.a:
  extends: .b
  stage: deploy
.b:
  extends: .a
  script: [terraform apply -auto-approve]
apply:
  extends: .a
  environment: {name: prod}
stop-review:
  script: [echo bye]
  environment: {name: review/$CI_COMMIT_REF_SLUG, action: stop}
"""
    facts = facts_of(pipelines.parse_gitlab_ci, text)

    assert facts["pipeline.has_deploy"] is True
    assert facts["pipeline.environment_names"] == "prod, review/$CI_COMMIT_REF_SLUG"
    assert facts["pipeline.stage_count"] == 2  # deploy, and test for stop-review


def test_gitlab_component_header_document_is_skipped():
    text = "spec:\n  inputs:\n    stage:\n      default: test\n---\nlint:\n  script: [flake8]\n"

    assert facts_of(pipelines.parse_gitlab_ci, text)["pipeline.has_lint"] is True


def test_gitlab_reference_bomb_is_refused():
    lines = [".r0:\n  script: [echo]"]
    for level in range(1, 12):
        lines.append(f".r{level}:\n  script: [" + ", ".join([f"!reference [.r{level - 1}, script]"] * 10) + "]")
    lines.append("job:\n  script: [!reference [.r11, script]]")

    reason = refusal(pipelines.parse_gitlab_ci, "\n".join(lines).encode())

    assert "!reference tags expand" in reason


def test_gitlab_parser_refuses_other_files():
    assert "Not a GitLab CI file" in refusal(pipelines.parse_gitlab_ci, (SAMPLES / "github-workflow.yml").read_bytes())
    assert "Not a GitLab CI file" in refusal(pipelines.parse_gitlab_ci, b"- a\n- b\n")
    assert "without jobs or include" in refusal(pipelines.parse_gitlab_ci, b"variables:\n  A: 1\n")


@pytest.mark.parametrize(
    "data",
    [
        b"stages: [build]\n",
        b"include:\n  - project: group/ci\n    file: /base.yml\n",
        b"build:\n  script:\n    - make\n",
        b".hidden: &h\n  image: x\njob:\n  <<: *h\n  extends: .hidden\n",
    ],
)
def test_gitlab_recogniser(data):
    assert recognised(data) == ["gitlab_ci"]


@pytest.mark.parametrize(
    "data",
    [
        b"language: python\nscript: pytest\n",  # Travis CI
        b"version: 2.1\njobs:\n  build:\n    docker: [{image: x}]\n    steps: [checkout]\n",  # CircleCI
        b"services:\n  web:\n    build: .\n",  # docker compose
        b"name: not yaml at all {{{",
        b"\xff\xfe\x00\x00",
    ],
)
def test_other_ci_systems_are_not_gitlab_or_github(data):
    assert recognised(data) == []


def test_azure_pipelines_with_stages_is_azure_not_gitlab():
    data = b"trigger: [main]\npool:\n  vmImage: ubuntu-latest\nstages:\n  - stage: Build\n"

    assert recognised(data) == ["azure_pipelines"]


# Hostile YAML through the pipeline parsers


@pytest.mark.parametrize("parse", [pipelines.parse_gitlab_ci, pipelines.parse_github_actions])
def test_python_tags_are_refused(parse):
    data = b"on: push\njobs:\n  a:\n    runs-on: !!python/object/apply:os.system ['touch /tmp/pwned']\n"

    assert refusal(parse, data) == "YAML line 4: the tag !!python/object/apply:os.system is not allowed."


@pytest.mark.parametrize("parse", [pipelines.parse_gitlab_ci, pipelines.parse_github_actions])
def test_alias_bomb_is_refused(parse):
    lines = ['a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    lines += [f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 10) + "]" for i in range(8)]
    started = time.process_time()

    assert "alias bomb" in refusal(parse, "\n".join(lines).encode())
    assert time.process_time() - started < 1


def test_truncated_workflow_names_the_line():
    data = (SAMPLES / "github-workflow.yml").read_bytes()
    cut = data[: data.index(b'cron: "30 2') + 11]

    assert refusal(pipelines.parse_github_actions, cut).startswith("YAML syntax error at line 8")


def test_github_parser_refuses_other_files():
    assert "Not a GitHub Actions workflow" in refusal(pipelines.parse_github_actions, b"stages: [a]\nb:\n  script: c\n")
    assert "not valid UTF-8" in refusal(pipelines.parse_github_actions, b"on: push\njobs: \xc3\x28\n")


@pytest.mark.parametrize("name", ["gitlab-ci.yml", "github-workflow.yml", "Jenkinsfile"])
def test_mutated_samples_give_facts_or_a_parse_error(name):
    for mutated in mutations((SAMPLES / name).read_bytes(), count=150, seed=len(name)):
        for _kind, recognises, parse in pipelines.KINDS:
            recognises(mutated[:65536])
            with contextlib.suppress(ParseError):  # any other exception fails the test
                parse(evidence(mutated))
