"""Jenkinsfiles, declarative (`pipeline { stages { ... } }`) and scripted (`node { stage('Build') { ... } }`),
read as tokens by `jenkinsfile_scan`: Groovy is never evaluated. Pure.

Each stage's words and strings are judged like any CI job (names, shell commands, Jenkins steps such as
`junit`, `recordIssues`, `withSonarQubeEnv`, `archiveArtifacts`, `stash`); words outside any stage (helper
functions, `post` blocks, a trailing `parallel` call) count for the pipeline as a whole. Jenkins triggers are
mostly configured in the job, not the file: push and merge request facts are given only when the file shows
them (a `pollSCM`/`githubPush` trigger, `when { branch }`, `env.BRANCH_NAME`, `changeRequest()`,
`env.CHANGE_ID`), never as false. Facts beyond the shared pipeline ones: `pipeline.syntax` (declarative or
scripted), `pipeline.generated_stages` (stages whose names are computed, e.g. built in a loop) and
`pipeline.triggers.upstream` (started when another job finishes).
"""

import re

from assessment.parsers.base import ParseError, Source
from assessment.parsers.jenkinsfile_scan import Scan, Stage, scan
from assessment.parsers.pipeline_signals import (
    PipelineSummary,
    command_lines,
    command_token_categories,
    name_categories,
    tokens,
)
from assessment.parsers.text import decode_text, read_bounded

MAX_JENKINSFILE_BYTES = 1024 * 1024

_DECLARATIVE = re.compile(r"\bpipeline\s*+\{")
_DECLARATIVE_PART = re.compile(r"\bstages\s*+\{|\bagent\b")
_SCRIPTED_STAGE = re.compile(r"""\bstage\s*+(?:\(\s*+)?+["'\w$]""")
_SCRIPTED_STEP = re.compile(
    r"""\bnode\s*+(?:\([^)\n]{0,200}\)\s*+)?+\{|\bparallel\b|\bcheckout\s++scm\b|\bproperties\s*+\(\s*+\[|"""
    r"""^[ \t]*+(?:sh|bat|powershell)\s*+\(?\s*+["']""",
    re.MULTILINE,
)
_CACHE_MOUNT = re.compile(r"(?:^|[\s:=/])\.(?:m2|gradle|npm|yarn|pnpm-store|cache|pip|ivy2)\b")

_STEP_CATEGORIES = {
    **dict.fromkeys(["junit", "xunit", "nunit", "mstest", "jacoco", "publishcoverage", "recordcoverage"], "test"),
    **dict.fromkeys(["cobertura", "publishtestresults", "realtimejunit"], "test"),
    **dict.fromkeys(["recordissues", "withsonarqubeenv", "waitforqualitygate", "checkstyle", "pmd"], "lint"),
    **dict.fromkeys(["spotbugs", "findbugs", "scanforissues"], "lint"),
    **dict.fromkeys(["dependencycheck", "dependencycheckpublisher", "snyksecurity", "anchore"], "security_scan"),
    **dict.fromkeys(["kubernetesdeploy", "ansibleplaybook", "sshpublisher", "azurewebapppublish"], "deploy"),
    **dict.fromkeys(["nexuspublisher", "deploytomaven"], "deploy"),
    **dict.fromkeys(["flywayrunner", "liquibaseupdate"], "db_migration"),
}
_ARTIFACT_STEPS = frozenset(
    {"archiveartifacts", "publishhtml", "nexusartifactuploader", "rtupload", "s3upload", "stash", "archive"}
)
_PUSH_TRIGGERS = frozenset({"pollscm", "githubpush", "bitbucketpush", "gitlab", "gitea", "generictrigger"})
_ENVIRONMENT_WORDS = {
    **dict.fromkeys(["production", "prod", "prd", "live"], "production"),
    **dict.fromkeys(["staging", "stg"], "staging"),
    **dict.fromkeys(["uat", "qa", "sandbox", "preprod"], None),
    **dict.fromkeys(["dev", "development"], "development"),
}


def looks_declarative(text: str) -> bool:
    """True for text with a `pipeline {` block and `stages {` or `agent` (declarative Jenkins syntax)."""
    return bool(_DECLARATIVE.search(text) and _DECLARATIVE_PART.search(text))


def looks_scripted(text: str) -> bool:
    """True for Groovy with a `stage` call and a Jenkins step or block (`node {`, `parallel`, `checkout scm`,
    `properties([...])`, a line starting with `sh '...'`): a scripted Jenkinsfile. Gradle files have none."""
    return bool(_SCRIPTED_STAGE.search(text) and _SCRIPTED_STEP.search(text))


def read(source: Source) -> PipelineSummary:
    """The pipeline a Jenkinsfile describes; ParseError when it has no stages or is cut off."""
    text = decode_text(read_bounded(source, max_bytes=MAX_JENKINSFILE_BYTES, what="Jenkinsfile"), what="Jenkinsfile")
    scanned = scan(text, source)
    if "stages" in scanned.pipeline_blocks:
        syntax = "declarative"
    elif scanned.stages and not _DECLARATIVE.search(text):
        syntax = "scripted"
    else:
        raise ParseError(
            "Not a Jenkinsfile we can read: there is neither a declarative `pipeline { stages { ... } }` block "
            "nor a scripted `stage('...') { ... }`."
        )
    return _summarise(scanned, syntax)


def _judge_stage(summary: PipelineSummary, stage: Stage, *, is_stage: bool) -> None:
    commands = [line for string in stage.strings for line in command_lines(string)]
    before = set(summary.categories)
    summary.add_job(names=[stage.label] if is_stage else [], commands=commands)
    summary.categories |= command_token_categories(stage.words)
    steps = stage.words | stage.parts
    summary.categories |= {_STEP_CATEGORIES[word] for word in steps if word in _STEP_CATEGORIES}
    summary.categories |= name_categories(" ".join(sorted(stage.parts))) & {"deploy"}  # maybePublishIncrementals
    summary.artifacts |= bool(stage.words & _ARTIFACT_STEPS)
    summary.caching |= "cache" in stage.words or any(_CACHE_MOUNT.search(line) for line in commands)
    stage_categories = summary.categories - before
    if is_stage and ("deploy" in stage_categories or "deploy" in tokens(stage.label)):
        for word in tokens(stage.label) & set(_ENVIRONMENT_WORDS):
            summary.add_environment(_ENVIRONMENT_WORDS[word] or word)


def _summarise(scanned: Scan, syntax: str) -> PipelineSummary:
    summary = PipelineSummary(tool="jenkins")
    for stage in scanned.stages:
        _judge_stage(summary, stage, is_stage=True)
    _judge_stage(summary, scanned.outside, is_stage=False)
    summary.stage_count = len(scanned.stages)
    summary.job_count = sum(not stage.has_children for stage in scanned.stages)
    summary.manual_gates = scanned.gates
    summary.triggers = _triggers(scanned, syntax)
    summary.extra = {
        "pipeline.syntax": syntax,
        "pipeline.generated_stages": sum(stage.generated for stage in scanned.stages),
    }
    return summary


def _triggers(scanned: Scan, syntax: str) -> dict[str, bool]:
    every_word = scanned.every_word
    # Scripted files declare triggers anywhere: `properties([pipelineTriggers([cron(...), pollSCM(...)])])`,
    # or a shared library's settings such as `cron = '@weekly'`.
    triggers = every_word if syntax == "scripted" else scanned.block_words.get("triggers", set())
    when = scanned.block_words.get("when", set())
    found = {
        "schedule": bool(triggers & {"cron", "parameterizedcron"}),
        "manual": scanned.gates > 0,
        "upstream": "upstream" in triggers,
    }
    if triggers & _PUSH_TRIGGERS or "branch" in when or "branch_name" in every_word:
        found["push"] = True
    if "changerequest" in when or "change_id" in every_word or "triggeronmergerequest" in triggers:
        found["merge_request"] = True
    return found
