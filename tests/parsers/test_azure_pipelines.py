"""Azure Pipelines: tasks read by what they run, deployment jobs and their environments, triggers, template
expressions and references, and hostile YAML."""

import time

import pytest

from assessment.parsers import pipelines
from assessment.parsers.base import ParseError

from .fuzz import evidence

DEPLOYING = b"""
trigger:
  branches:
    include: [main]
pr: none
schedules:
  - cron: "0 3 * * *"
    branches: {include: [main]}
resources:
  pipelines:
    - pipeline: upstream
      source: Libraries
      trigger: true
stages:
  - stage: Build
    jobs:
      - job: Compile
        steps:
          - task: Cache@2
            inputs: {key: 'maven | pom.xml', path: $(MAVEN_CACHE_FOLDER)}
          - task: Maven@3
            inputs:
              mavenPomFile: pom.xml
              goals: clean package
          - task: PublishPipelineArtifact@1
            inputs: {targetPath: target, artifact: app}
  - stage: Approve
    jobs:
      - job: Wait
        pool: server
        steps:
          - task: ManualValidation@0
            inputs: {notifyUsers: ops@example.com}
  - stage: Production
    jobs:
      - deployment: DeployWeb
        environment: production
        strategy:
          runOnce:
            deploy:
              steps:
                - script: echo "release $(Build.BuildId)"
      - deployment: DeployApi
        environment:
          name: production-eu
          resourceType: VirtualMachine
        strategy:
          canary:
            increments: [10, 20]
            deploy:
              steps:
                - bash: ./rollout.sh
"""


def facts_of(data: bytes) -> dict:
    return pipelines.parse_azure_pipelines(evidence(data)).facts


def test_stages_jobs_deployments_and_gates():
    facts = facts_of(DEPLOYING)

    assert facts["pipeline.tool"] == "azure"
    assert (facts["pipeline.stage_count"], facts["pipeline.job_count"]) == (3, 4)
    assert facts["pipeline.has_build"] is True  # mvn clean package
    assert facts["pipeline.has_test"] is False  # package alone, and no test results published
    assert facts["pipeline.has_deploy"] is True  # deployment jobs deploy to their environment
    assert facts["pipeline.environment_names"] == "production, production-eu"
    # Approvals of Azure DevOps environments live outside the file: named, not taken as absent
    assert facts["pipeline.approvals_outside_file"] == "production, production-eu"
    assert facts["pipeline.manual_gates"] == 1  # ManualValidation@0
    assert (facts["pipeline.caching"], facts["pipeline.artifacts"]) == (True, True)


def test_triggers_follow_azure_defaults():
    facts = facts_of(DEPLOYING)
    defaults = facts_of(b"steps:\n  - script: make\n")

    assert facts["pipeline.triggers.push"] is True
    assert facts["pipeline.triggers.merge_request"] is False  # pr: none
    assert facts["pipeline.triggers.schedule"] is True
    assert facts["pipeline.triggers.upstream"] is True  # resources.pipelines with a trigger
    assert (defaults["pipeline.triggers.push"], defaults["pipeline.triggers.merge_request"]) == (True, True)
    assert defaults["pipeline.triggers.schedule"] is False
    assert facts_of(b"trigger: none\nsteps:\n  - script: make\n")["pipeline.triggers.push"] is False


@pytest.mark.parametrize(
    "step",
    [
        b"- task: Maven@3\n    inputs: {goals: verify}",
        b"- task: Gradle@3\n    inputs: {tasks: build, publishJUnitResults: true}",
        b"- task: DotNetCoreCLI@2\n    inputs: {command: test, projects: '**/*Tests.csproj'}",
        b"- task: PublishTestResults@2\n    inputs: {testResultsFormat: JUnit}",
        b"- task: VSTest@2",
        b"- script: npm test\n    displayName: Unit",
    ],
)
def test_test_tasks(step):
    assert facts_of(b"pool: {vmImage: ubuntu-latest}\nsteps:\n  " + step + b"\n")["pipeline.has_test"] is True


@pytest.mark.parametrize(
    ("step", "category"),
    [
        (b"- task: SonarCloudAnalyze@3", "lint"),
        (b"- task: CredScan@3", "security_scan"),
        (b"- task: AzureWebApp@1\n    inputs: {appName: shop}", "deploy"),
        (b"- task: HelmDeploy@0\n    inputs: {command: upgrade}", "deploy"),
        (b"- task: DotNetCoreCLI@2\n    inputs: {command: build}", "build"),
    ],
)
def test_tasks_by_what_they_run(step, category):
    assert facts_of(b"steps:\n  " + step + b"\n")[f"pipeline.has_{category}"] is True


def test_template_expressions_and_references():
    data = b"""
parameters:
  - name: platforms
    type: object
    default: [x64, arm64]
stages:
  - ${{ if eq(parameters.audit, true) }}:
    - stage: Audit
      jobs:
        - template: templates/job-build.yml
  - ${{ each platform in parameters.platforms }}:
    - stage: Test_${{ platform }}
      jobs:
        - template: templates/job-test-project.yml@shared
          parameters: {platform: '${{ platform }}'}
"""
    facts = facts_of(data)

    assert facts["pipeline.stage_count"] == 2  # one written, one generated per platform
    assert facts["pipeline.generated_stages"] == 1
    assert facts["pipeline.job_count"] == 2  # a job template counts as a job
    assert facts["pipeline.unresolved_templates"] == "templates/job-build.yml, templates/job-test-project.yml@shared"
    assert facts["pipeline.has_test"] is True  # said by the template's name


def test_steps_only_file_is_one_stage_and_one_job():
    facts = facts_of(b"pool:\n  vmImage: ubuntu-latest\nsteps:\n  - bash: pytest -q\n")

    assert (facts["pipeline.stage_count"], facts["pipeline.job_count"], facts["pipeline.has_test"]) == (1, 1, True)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"- stage: a\n", "Not an Azure Pipelines file"),
        (b"trigger: none\npool: {vmImage: x}\n", "no `stages`, `jobs`, `steps`"),
        (b"steps:\n  - script: !!python/object/apply:os.system [id]\n", "tag !!python/object/apply"),
        (
            b"a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
            b"c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
            b"e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
            b"steps:\n  - script: *f\n",
            "alias bomb",
        ),
        (b"steps:\n  - script: " + b"[" * 150 + b"]" * 150 + b"\n", "nested more than 100 levels"),
        (b"stages:\n  - stage: a\n    jobs: [\n", "YAML syntax error"),
    ],
)
def test_hostile_or_broken_files_fail_with_a_reason(data, expected):
    with pytest.raises(ParseError) as error:
        pipelines.parse_azure_pipelines(evidence(data))

    assert expected in error.value.reason


def test_deeply_nested_template_expressions_finish_fast():
    nested = b"stages:\n"
    for depth in range(40):
        nested += b"  " * (depth + 1) + b"- ${{ if true }}:\n"
    nested += b"  " * 41 + b"- stage: Deep\n"
    started = time.process_time()

    facts = facts_of(nested)

    assert facts["pipeline.stage_count"] == 0  # beyond the 20 levels opened: not counted, not crashed
    assert time.process_time() - started < 2
