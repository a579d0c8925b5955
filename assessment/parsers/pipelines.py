"""CI/CD pipeline definitions: GitLab CI YAML, GitHub Actions workflows, Azure Pipelines and Jenkinsfiles. Pure.

Facts (assessment/catalogs/FORMAT.md): `pipeline.has_*` for build, test, lint, security scan, deploy and
database migration, judged from job, stage and step names, commands, actions, images and report kinds;
`pipeline.triggers.*`, `pipeline.stage_count`, `pipeline.job_count`, `pipeline.environments` (distinct names,
also listed in `pipeline.environment_names`), `pipeline.manual_gates`, `pipeline.caching`,
`pipeline.artifacts`, `pipeline.tool`. Nothing is executed or resolved outside the file itself: GitLab
`include:` files are not fetched (their names still count, e.g. `Security/SAST.gitlab-ci.yml`).
"""

import re
from typing import Any

from assessment.parsers import azure_pipelines, gitlab_ci, jenkinsfile
from assessment.parsers.base import ParseError, ParseResult, Source
from assessment.parsers.pipeline_signals import PipelineSummary, command_lines, tokens
from assessment.parsers.text import decode_head
from assessment.parsers.yaml_safety import load_yaml_documents, outline

_GITLAB_JOB_KEYS = frozenset({"script", "trigger", "extends", "run"})
_OTHER_CI_KEYS = frozenset({"on", "jobs", "pool", "steps", "trigger", "pipelines", "language", "script", "apiVersion"})
_GITHUB_JOB_LINE = re.compile(r"^[ \t]+(?:runs-on|steps|uses)[ \t]*:", re.MULTILINE)


# GitLab CI


def recognises_gitlab_ci(head: bytes) -> bool:
    """A YAML mapping with `stages`, `include` or `workflow`, or a top-level job with `script`/`trigger`/`extends`."""
    text = decode_head(head)
    if text is None:
        return False
    for document in outline(text):
        keys = set(document)
        if keys & _OTHER_CI_KEYS or {"kind", "services", "version"} <= keys:
            continue
        if keys & {"stages", "include", "workflow"}:
            return True
        if any(not key.startswith(".") and children & _GITLAB_JOB_KEYS for key, children in document.items()):
            return True
    return False


def parse_gitlab_ci(source: Source) -> ParseResult:
    """Facts from a `.gitlab-ci.yml`; ParseError when it is not a readable GitLab CI configuration."""
    summary = gitlab_ci.read(source)
    return ParseResult(kind="gitlab_ci", facts=summary.facts(), summary=summary.summary())


# GitHub Actions


def recognises_github_actions(head: bytes) -> bool:
    """A YAML mapping with `on` and `jobs`, whose jobs have `runs-on`, `steps` or `uses`."""
    text = decode_head(head)
    if text is None:
        return False
    documents = outline(text)
    return any({"on", "jobs"} <= set(document) for document in documents) and bool(_GITHUB_JOB_LINE.search(text))


def parse_github_actions(source: Source) -> ParseResult:
    """Facts from a GitHub Actions workflow; ParseError when it is not one."""
    documents = [document for document in load_yaml_documents(source, what="workflow file") if document is not None]
    if len(documents) != 1 or not isinstance(documents[0], dict):
        raise ParseError("Not a GitHub Actions workflow: it should be one YAML mapping with `on` and `jobs`.")
    workflow = documents[0]
    on = workflow.get("on", workflow.get(True))  # YAML 1.1 reads an unquoted `on` key as true
    jobs = workflow.get("jobs")
    if on is None or not isinstance(jobs, dict) or not any(isinstance(job, dict) for job in jobs.values()):
        raise ParseError("Not a GitHub Actions workflow: it needs `on` and a `jobs` mapping.")
    summary = PipelineSummary(tool="github")
    events = _github_events(on)
    summary.triggers = {
        "push": "push" in events,
        "merge_request": bool(events & {"pull_request", "pull_request_target", "merge_group"}),
        "schedule": "schedule" in events,
        "manual": "workflow_dispatch" in events,
    }
    jobs = {str(job_id): job for job_id, job in jobs.items() if isinstance(job, dict)}
    for job_id, job in jobs.items():
        source.deadline.check()
        _read_github_job(summary, job_id, job)
    summary.job_count = len(jobs)
    summary.stage_count = _longest_needs_chain(jobs)
    return ParseResult(kind="github_actions", facts=summary.facts(), summary=summary.summary())


def _github_events(on: Any) -> set[str]:
    if isinstance(on, str):
        return {on}
    if isinstance(on, list | dict):
        return {event for event in on if isinstance(event, str)}
    return set()


def _read_github_job(summary: PipelineSummary, job_id: str, job: dict) -> None:
    names = [job_id, str(job.get("name") or "")]
    commands = []
    if isinstance(job.get("uses"), str):  # a reusable workflow: its file name says what it does
        names.append(job["uses"])
        commands.append(job["uses"])
    container = job.get("container")
    container = container.get("image") if isinstance(container, dict) else container
    if isinstance(container, str):
        commands.append(container)
    steps = job.get("steps") if isinstance(job.get("steps"), list) else []
    gated = False
    for step in (step for step in steps if isinstance(step, dict)):
        names.append(str(step.get("name") or ""))
        if isinstance(step.get("run"), str):
            commands += command_lines(step["run"])
        uses = step.get("uses") if isinstance(step.get("uses"), str) else ""
        arguments = step.get("with") if isinstance(step.get("with"), dict) else {}
        commands += [uses] + [
            value for key, value in arguments.items() if key in ("args", "command", "script") and isinstance(value, str)
        ]
        words = tokens(uses)
        summary.caching |= "cache" in words or ("setup" in words and bool(arguments.get("cache")))
        summary.artifacts |= bool(words & {"upload-artifact", "upload-pages-artifact"})
        gated |= "approval" in words
    summary.add_job(names=names, commands=commands + _matrix_lines(job, commands))
    summary.manual_gates += gated
    environment = job.get("environment")
    summary.add_environment(environment.get("name") if isinstance(environment, dict) else environment)


_MATRIX_REFERENCE = re.compile(r"\$\{\{\s*matrix\.([\w-]{1,64})\s*\}\}")
_MAX_MATRIX_VALUES = 50


def _matrix_values(job: dict) -> dict[str, list[str]]:
    """Each matrix key's string values, from its axes and its `include` entries."""
    strategy = job.get("strategy")
    matrix = strategy.get("matrix") if isinstance(strategy, dict) else None
    values: dict[str, list[str]] = {}
    if not isinstance(matrix, dict):
        return values
    entries = [matrix] + [entry for entry in matrix.get("include") or [] if isinstance(entry, dict)]
    for entry in entries:
        for key, value in entry.items():
            listed = value if isinstance(value, list) and entry is matrix else [value]
            values.setdefault(str(key), []).extend(item for item in listed if isinstance(item, str | int | float))
    return {key: [str(item) for item in items[:_MAX_MATRIX_VALUES]] for key, items in values.items()}


def _matrix_lines(job: dict, commands: list[str]) -> list[str]:
    """Commands that use `${{ matrix.goal }}` read once per value of `goal`, so a matrix entry that runs
    `checkstyle:check` or `golangci-lint` counts like a job of its own."""
    values = _matrix_values(job)
    lines = []
    for command in commands:
        for key in set(_MATRIX_REFERENCE.findall(command)) & set(values):
            lines += [
                _MATRIX_REFERENCE.sub(lambda found, v=value, k=key: v if found.group(1) == k else "", command)
                for value in values[key]
            ]
    return lines[:1000]


def _longest_needs_chain(jobs: dict[str, dict]) -> int:
    """Jobs in sequence: the length of the longest `needs` chain (1 when no job waits for another)."""
    depth: dict[str, int] = {}

    def visit(job_id: str, path: frozenset[str]) -> int:
        if job_id in depth:
            return depth[job_id]
        needs = jobs[job_id].get("needs")
        needs = [needs] if isinstance(needs, str) else needs if isinstance(needs, list) else []
        parents = [need for need in needs if isinstance(need, str) and need in jobs and need not in path]
        depth[job_id] = 1 + max((visit(parent, path | {job_id}) for parent in parents), default=0)
        return depth[job_id]

    if len(jobs) > 500:  # beyond any real workflow; keep the walk cheap
        return 1
    return max((visit(job_id, frozenset()) for job_id in jobs), default=0)


# Azure Pipelines


def recognises_azure_pipelines(head: bytes) -> bool:
    """Azure's top-level keys with `- stage:`, `- job:` or step items; see `azure_pipelines.recognises`."""
    return azure_pipelines.recognises(head)


def parse_azure_pipelines(source: Source) -> ParseResult:
    """Facts from an Azure Pipelines file; ParseError when it is not one."""
    summary = azure_pipelines.read(source)
    return ParseResult(kind="azure_pipelines", facts=summary.facts(), summary=summary.summary())


# Jenkins


def recognises_jenkinsfile(head: bytes) -> bool:
    """Groovy text with a declarative `pipeline {` block holding `stages {` or `agent`, or a scripted one:
    `stage` calls with Jenkins steps such as `node {`, `parallel` or `sh '...'`."""
    text = decode_head(head)
    return text is not None and (jenkinsfile.looks_declarative(text) or jenkinsfile.looks_scripted(text))


def parse_jenkinsfile(source: Source) -> ParseResult:
    """Facts from a declarative or scripted Jenkinsfile, read as tokens (never evaluated); ParseError when it
    is not one."""
    summary = jenkinsfile.read(source)
    return ParseResult(kind="jenkinsfile", facts=summary.facts(), summary=summary.summary())


# Azure comes before GitLab: both may have `stages:` at the top, and only Azure lists `- stage:` items.
KINDS = (
    ("azure_pipelines", recognises_azure_pipelines, parse_azure_pipelines),
    ("github_actions", recognises_github_actions, parse_github_actions),
    ("gitlab_ci", recognises_gitlab_ci, parse_gitlab_ci),
    ("jenkinsfile", recognises_jenkinsfile, parse_jenkinsfile),
)
