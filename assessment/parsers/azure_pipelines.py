"""Azure Pipelines YAML (`azure-pipelines.yml` and its templates) read as data. Pure.

A file has stages of jobs of steps, or only jobs, or only steps (one implicit stage and job). Steps are
judged like other CI jobs: `script`/`bash`/`pwsh` lines as commands, `displayName`s as names, and tasks by
what they run: `Maven@3` goals read as `mvn <goals>`, `Gradle@3` tasks as `gradle <tasks>`,
`DotNetCoreCLI@2` as `dotnet <command>`, `PublishTestResults@2` and `VSTest@2` as tests, `Cache@2` as
caching, `PublishPipelineArtifact@1`/`PublishBuildArtifacts@1` as artefacts, `ManualValidation@0` as a manual
gate. Template expressions (`${{ if ... }}:`, `${{ each ... }}:`) are read through, both branches counted;
a stage whose name is computed counts once, in `pipeline.generated_stages`. Nothing outside the file is
fetched: `template:` references are listed in `pipeline.unresolved_templates` (their file names still count,
`test-project.yml` shows tests). A `deployment:` job deploys to its environment; the approvals and checks of
an Azure DevOps environment are configured in Azure DevOps, not in the file, so such environments are listed in
`pipeline.approvals_outside_file` rather than counted as absent gates.

Triggers follow Azure's defaults: without `trigger:` every push runs the pipeline, without `pr:` pull requests
do (for GitHub and Bitbucket repositories), `none` turns either off; `schedules:` runs it on a timetable; any
pipeline can be run by hand; `resources: pipelines: - trigger:` starts it when another pipeline finishes.
"""

import re
from typing import Any

from assessment.parsers.base import ParseError, Source
from assessment.parsers.pipeline_signals import PipelineSummary, command_lines
from assessment.parsers.text import decode_head
from assessment.parsers.yaml_safety import load_yaml_documents, outline

_TOP_KEYS = frozenset({"trigger", "pr", "pool", "stages", "jobs", "steps", "extends", "schedules", "resources"})
# Keys only other systems have at the top: GitHub (`on`), Kubernetes, Compose, Ansible and GitLab.
_OTHER_KEYS = frozenset({"on", "apiVersion", "kind", "services", "hosts", "include", "workflow", "default", "image"})
# `- template:` is not enough on its own: GitLab lists `include: - template: ...`.
_ITEM = re.compile(
    r"^[ \t]*+-[ \t]++(?:stage|job|deployment|task|script|bash|pwsh|powershell|checkout)[ \t]*+:",
    re.MULTILINE,
)
_SCRIPT_KEYS = ("script", "bash", "pwsh", "powershell")
_EXPRESSION = "${{"
_MAX_LISTED = 1000
# What a task runs, as a command line the shared vocabulary reads: (input names joined after the tool name).
_TASK_COMMANDS = {
    "maven": ("mvn", ("goals", "options")),
    "gradle": ("gradle", ("tasks", "options")),
    "dotnetcorecli": ("dotnet", ("command", "custom", "arguments")),
    "npm": ("npm", ("command", "customCommand")),
    "docker": ("docker", ("command",)),
    "kubernetes": ("kubectl", ("command",)),
    "helmdeploy": ("helm", ("command",)),
    "terraformtaskv4": ("terraform", ("command",)),
    "terraformcli": ("terraform", ("command",)),
    "azurecli": ("az", ("inlineScript", "scriptPath")),
    "bash": ("", ("script", "filePath")),
    "powershell": ("", ("script", "filePath")),
    "cmdline": ("", ("script",)),
}
_TASK_CATEGORIES = {
    **dict.fromkeys(["publishtestresults", "vstest", "publishcodecoverageresults"], "test"),
    **dict.fromkeys(["sonarqubeanalyze", "sonarcloudanalyze", "sonarqubeprepare", "sonarcloudprepare"], "lint"),
    **dict.fromkeys(["credscan", "microsoftsecuritydevops", "advancedsecurity-codeql-analyze"], "security_scan"),
    **dict.fromkeys(["componentgovernancecomponentdetection", "dependency-check-build-task"], "security_scan"),
    **dict.fromkeys(["snyksecurityscan", "whitesource", "mendbolt", "trivy", "antimalware"], "security_scan"),
}
_ARTIFACT_TASKS = frozenset({"publishpipelineartifact", "publishbuildartifacts", "universalpackages"})


def recognises(head: bytes) -> bool:
    """A YAML mapping with Azure's top-level keys (`trigger`, `pr`, `pool`, `stages`, `jobs`, `steps`, ...) whose
    lists hold `- stage:`, `- job:`/`- deployment:` or steps such as `- task:`/`- script:`/`- bash:`;
    never a GitHub workflow (`on`), a GitLab file (`include`, `workflow`, `default`, `image`) or a Kubernetes
    object (`apiVersion`)."""
    text = decode_head(head)
    if text is None or not _ITEM.search(text):
        return False
    for document in outline(text):
        keys = set(document)
        if keys & _TOP_KEYS and not keys & _OTHER_KEYS:
            return True
    return False


def read(source: Source) -> PipelineSummary:
    """What an Azure Pipelines file shows; ParseError when it is not one."""
    documents = [document for document in load_yaml_documents(source, what="Azure Pipelines file") if document]
    if len(documents) != 1 or not isinstance(documents[0], dict):
        raise ParseError("Not an Azure Pipelines file: it should be one YAML mapping with stages, jobs or steps.")
    pipeline = _through_expressions(documents[0])
    if not any(key in pipeline for key in ("stages", "jobs", "steps", "extends")):
        raise ParseError("Not an Azure Pipelines file: it has no `stages`, `jobs`, `steps` or `extends`.")
    return _AzureReader(pipeline, source).summary


def _through_expressions(value: Any) -> Any:
    """A mapping with `${{ if ... }}:`/`${{ each ... }}:` keys merged into it (every branch), one level."""
    if not isinstance(value, dict):
        return value
    merged: dict = {}
    for key, item in value.items():
        if isinstance(key, str) and key.startswith(_EXPRESSION) and isinstance(item, dict):
            merged |= _through_expressions(item)
        else:
            merged[key] = item
    return merged


def _items(value: Any, depth: int = 0) -> list[dict]:
    """The mappings of a stages/jobs/steps list, with conditional and loop blocks (`- ${{ if ... }}:`) opened."""
    found: list[dict] = []
    if depth > 20 or not isinstance(value, list):
        return found
    for item in value:
        if not isinstance(item, dict):
            continue
        expressions = [key for key in item if isinstance(key, str) and key.startswith(_EXPRESSION)]
        if expressions and len(expressions) == len(item):
            for key in expressions:
                found += _items(item[key], depth + 1)
        else:
            found.append(_through_expressions(item))
    return found


def _text(value: Any) -> str:
    return value[:4096] if isinstance(value, str) else str(value)[:200] if isinstance(value, int | float) else ""


class _AzureReader:
    """Reads one pipeline, stage by stage and job by job, into `summary`."""

    def __init__(self, pipeline: dict, source: Source):
        self.deadline = source.deadline
        self.summary = PipelineSummary(tool="azure")
        self.templates: list[str] = []
        self.approval_environments: set[str] = set()
        self.generated_stages = 0
        stages = _items(pipeline.get("stages"))
        if not stages and ("jobs" in pipeline or "steps" in pipeline):
            stages = [pipeline]  # one implicit stage
        for stage in stages:
            self._read_stage(stage)
        self._note_template(pipeline.get("extends"))
        self.summary.stage_count = len(stages)
        self._read_triggers(pipeline)
        self.summary.extra = {
            "pipeline.unresolved_templates": ", ".join(dict.fromkeys(self.templates))[:_MAX_LISTED],
            "pipeline.approvals_outside_file": ", ".join(sorted(self.approval_environments))[:_MAX_LISTED],
            "pipeline.generated_stages": self.generated_stages,
        }

    def _note_template(self, item: Any) -> str:
        """Records a `template:` reference (also `extends: {template: ...}`) and returns its name."""
        name = item.get("template") if isinstance(item, dict) else None
        if not isinstance(name, str):
            return ""
        self.templates.append(name[:200])
        self.summary.add_job(names=[name], commands=[])
        return name

    def _read_stage(self, stage: dict) -> None:
        self.deadline.check()
        if self._note_template(stage):
            return
        name = _text(stage.get("stage"))
        self.generated_stages += _EXPRESSION in name or "$(" in name
        self.summary.add_job(names=[name, _text(stage.get("displayName"))], commands=[])
        jobs = _items(stage.get("jobs"))
        if not jobs and "steps" in stage:
            jobs = [stage]  # one implicit job
        for job in jobs:
            self._read_job(job)

    def _read_job(self, job: dict) -> None:
        self.deadline.check()
        self.summary.job_count += 1
        if self._note_template(job):
            return
        names = [_text(job.get(key)) for key in ("job", "deployment", "displayName")]
        commands: list[str] = []
        for step in _job_steps(job):
            names.append(_text(step.get("displayName")) or _text(step.get("name")))
            commands += self._read_step(step)
        self.summary.add_job(names=names, commands=commands)
        if "deployment" in job:
            environment = job.get("environment")
            name = environment.get("name") if isinstance(environment, dict) else environment
            self.summary.categories.add("deploy")
            self.summary.add_environment(name)
            if isinstance(name, str) and name.strip():
                self.approval_environments.add(name.strip()[:100])

    def _read_step(self, step: dict) -> list[str]:
        """The command lines a step runs; tasks also set categories, caching, artefacts and gates directly."""
        if self._note_template(step):
            return []
        commands = [line for key in _SCRIPT_KEYS for line in command_lines(_text(step.get(key)))]
        if "publish" in step or "upload" in step:
            self.summary.artifacts = True
        task = _text(step.get("task")).split("@")[0].strip().lower()
        if not task:
            return commands
        inputs = step.get("inputs") if isinstance(step.get("inputs"), dict) else {}
        tool, keys = _TASK_COMMANDS.get(task, ("", ()))
        line = " ".join(part for part in [tool, *(_text(inputs.get(key)) for key in keys)] if part)
        commands += [*command_lines(line), task]
        if task in _TASK_CATEGORIES:
            self.summary.categories.add(_TASK_CATEGORIES[task])
        if task in ("maven", "gradle") and str(inputs.get("publishJUnitResults", "")).lower() == "true":
            self.summary.categories.add("test")
        self.summary.caching |= task in ("cache", "cachebeta")
        self.summary.artifacts |= task in _ARTIFACT_TASKS
        self.summary.manual_gates += task == "manualvalidation"
        return commands

    def _read_triggers(self, pipeline: dict) -> None:
        resources = pipeline.get("resources")
        upstream = resources.get("pipelines") if isinstance(resources, dict) else None
        schedules = pipeline.get("schedules")
        self.summary.triggers = {
            "push": _is_on(pipeline, "trigger"),
            "merge_request": _is_on(pipeline, "pr"),
            "schedule": isinstance(schedules, list) and bool(schedules),
            "manual": True,  # Azure DevOps can queue any pipeline by hand ("Run pipeline")
            "upstream": isinstance(upstream, list)
            and any(isinstance(item, dict) and item.get("trigger") for item in upstream),
        }


def _is_on(pipeline: dict, key: str) -> bool:
    """Whether a `trigger`/`pr` setting lets runs start: absent means on, `none` (or an empty list) off."""
    if key not in pipeline:
        return True
    value = pipeline[key]
    if isinstance(value, str):
        return value.strip().lower() != "none"
    if isinstance(value, dict):
        return value.get("enabled", True) is not False
    return bool(value)


def _job_steps(job: dict) -> list[dict]:
    """A job's steps, and for a deployment job those of every phase of its strategy (`runOnce`, `rolling`,
    `canary`: preDeploy, deploy, routeTraffic, postRouteTraffic, on failure/success)."""
    steps = _items(job.get("steps"))
    strategy = job.get("strategy")
    for phases in strategy.values() if isinstance(strategy, dict) else []:
        if not isinstance(phases, dict):
            continue
        for phase in phases.values():
            phase = _through_expressions(phase)
            if isinstance(phase, dict):
                hooks = [phase] + [hook for hook in phase.values() if isinstance(hook, dict)]
                for hook in hooks:
                    steps += _items(hook.get("steps"))
    return steps
