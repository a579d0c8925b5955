"""Declarative Jenkinsfiles read as tokens: Groovy is never evaluated. Pure.

One regular expression cuts the text into comments, strings, words and braces. Every alternative is possessive
and ends at its closing quote, the end of the line or the end of the text, so no input makes it backtrack
(50,000 `{` or a megabyte of quotes take milliseconds). Braces give the block tree (`pipeline`, `stages`,
`stage('Build')`, `steps`, `post`, `triggers`, `when`, `input`); each stage's words and strings are then
judged like any CI job. Jenkins triggers are mostly configured in the job, not the file: push and merge
request facts are given only when the file shows them (a `pollSCM`/`githubPush` trigger, `when { branch }`,
`when { changeRequest() }`), never as false.
"""

import re
from dataclasses import dataclass, field

from assessment.parsers.base import ParseError, Source
from assessment.parsers.pipeline_signals import PipelineSummary, command_lines, command_token_categories, tokens
from assessment.parsers.text import decode_text, line_of, read_bounded

MAX_JENKINSFILE_BYTES = 1024 * 1024
MAX_BLOCK_DEPTH = 200

_TOKEN = re.compile(
    r"""
    (?P<space>\s++)
  | (?P<comment>//[^\n]*+|/\*(?:[^*]++|\*(?!/))*+(?:\*/|\Z))
  | (?P<string>'''(?:[^'\\]++|\\.|'(?!''))*+(?:'''|\Z)
      | \"\"\"(?:[^"\\]++|\\.|"(?!""))*+(?:\"\"\"|\Z)
      | '(?:[^'\\\n]++|\\.)*+(?:'|(?=\n)|\Z)
      | "(?:[^"\\\n]++|\\.)*+(?:"|(?=\n)|\Z))
  | (?P<word>[A-Za-z_$][\w$]*+)
  | (?P<open>\{)
  | (?P<close>\})
  | (?P<punct>[^\s\w$'"{}/]++|/)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_DECLARATIVE = re.compile(r"\bpipeline\s*+\{")
_DECLARATIVE_PART = re.compile(r"\bstages\s*+\{|\bagent\b")
_CACHE_MOUNT = re.compile(r"(?:^|[\s:=/])\.(?:m2|gradle|npm|yarn|pnpm-store|cache|pip|ivy2)\b")

_STEP_CATEGORIES = {
    **dict.fromkeys(["junit", "xunit", "nunit", "mstest", "jacoco", "publishcoverage", "recordcoverage"], "test"),
    **dict.fromkeys(["cobertura", "publishtestresults"], "test"),
    **dict.fromkeys(["recordissues", "withsonarqubeenv", "waitforqualitygate", "checkstyle", "pmd"], "lint"),
    **dict.fromkeys(["dependencycheck", "dependencycheckpublisher", "snyksecurity", "anchore"], "security_scan"),
    **dict.fromkeys(["kubernetesdeploy", "ansibleplaybook", "sshpublisher", "azurewebapppublish"], "deploy"),
    **dict.fromkeys(["flywayrunner", "liquibaseupdate"], "db_migration"),
}
_ARTIFACT_STEPS = frozenset({"archiveartifacts", "publishhtml", "nexusartifactuploader", "rtupload", "s3upload"})
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


@dataclass
class _Stage:
    label: str
    words: set[str] = field(default_factory=set)
    strings: list[str] = field(default_factory=list)
    has_children: bool = False


@dataclass
class _Frame:
    name: str
    stage: _Stage | None


@dataclass
class _Scan:
    """What the token walk collects: stages, pipeline-level words and strings, and block-specific words."""

    stages: list[_Stage] = field(default_factory=list)
    outside: _Stage = field(default_factory=lambda: _Stage(label=""))
    block_words: dict[str, set[str]] = field(default_factory=dict)  # "triggers"/"when" -> words inside
    pipeline_blocks: set[str] = field(default_factory=set)  # blocks inside `pipeline { }`, e.g. "stages"
    gates: int = 0


def read(source: Source) -> PipelineSummary:
    """The pipeline a declarative Jenkinsfile describes; ParseError when it is not one or is cut off."""
    text = decode_text(read_bounded(source, max_bytes=MAX_JENKINSFILE_BYTES, what="Jenkinsfile"), what="Jenkinsfile")
    scan = _scan(text, source)
    if "stages" not in scan.pipeline_blocks:
        raise ParseError(
            "Not a declarative Jenkinsfile: there is no `pipeline { stages { ... } }` block "
            "(scripted `node { ... }` pipelines are not read)."
        )
    return _summarise(scan)


def _scan(text: str, source: Source) -> _Scan:
    scan = _Scan()
    stack: list[_Frame] = []
    statement: list[str] = []  # words of the current statement; the first names a block it opens
    label: str | None = None
    parens = 0
    pending_input = False
    previous = ""
    inside = {"pipeline": 0, "triggers": 0, "when": 0}  # how many such blocks are open
    for count, match in enumerate(_TOKEN.finditer(text)):
        if count % 4096 == 0:
            source.deadline.check()
        kind, value = match.lastgroup, match.group()
        if kind in ("space", "comment"):
            if "\n" in value and parens == 0:
                statement, label = [], None
            continue
        if pending_input and (kind in ("open", "word", "string") or value.startswith("(")):
            scan.gates += 1
        pending_input = False
        collector = _current_stage(stack) or scan.outside
        if kind == "word":
            word = value.lower()
            collector.words.add(word)
            for name in ("triggers", "when"):
                if inside[name]:
                    scan.block_words.setdefault(name, set()).add(word)
            pending_input = word == "input" and not previous.endswith(".")
            statement.append(word)
        elif kind == "string":
            content = _string_content(value)
            collector.strings.append(content)
            label = content if label is None else label
        elif kind == "open":
            stack.append(_open_block(scan, stack, statement[0] if statement else "", label, inside["pipeline"] > 0))
            if stack[-1].name in inside:
                inside[stack[-1].name] += 1
            if len(stack) > MAX_BLOCK_DEPTH:
                raise ParseError(f"Jenkinsfile line {line_of(text, match.start())}: blocks nested too deeply.")
            statement, label, parens = [], None, 0
        elif kind == "close":
            if not stack:
                raise ParseError(f"Jenkinsfile line {line_of(text, match.start())}: `}}` without a matching `{{`.")
            closed = stack.pop()
            if closed.name in inside:
                inside[closed.name] -= 1
            statement, label, parens = [], None, 0
        elif kind == "punct":
            parens = max(0, parens + value.count("(") - value.count(")"))
            if ";" in value and parens == 0:
                statement, label = [], None
        previous = value
    if stack:
        raise ParseError(
            f"The Jenkinsfile ends inside {len(stack)} unclosed block(s) (`{stack[-1].name or '{'}`); "
            "it may be cut off."
        )
    return scan


def _open_block(scan: _Scan, stack: list[_Frame], name: str, label: str | None, in_pipeline: bool) -> _Frame:
    if in_pipeline:
        scan.pipeline_blocks.add(name)
    if name != "stage":
        return _Frame(name=name, stage=_current_stage(stack))
    parent = _current_stage(stack)
    if parent is not None:
        parent.has_children = True
    stage = _Stage(label=(label or "")[:200])
    scan.stages.append(stage)
    return _Frame(name=name, stage=stage)


def _current_stage(stack: list[_Frame]) -> _Stage | None:
    return stack[-1].stage if stack else None


def _string_content(token: str) -> str:
    quote = 3 if token[:3] in ("'''", '"""') else 1
    return token[quote:-quote] if len(token) >= 2 * quote else token[quote:]


def _summarise(scan: _Scan) -> PipelineSummary:
    summary = PipelineSummary(tool="jenkins")
    for stage in [*scan.stages, scan.outside]:
        commands = [line for string in stage.strings for line in command_lines(string)]
        before = set(summary.categories)
        summary.add_job(names=[stage.label], commands=commands)
        summary.categories |= command_token_categories(stage.words)
        summary.categories |= {_STEP_CATEGORIES[word] for word in stage.words if word in _STEP_CATEGORIES}
        summary.artifacts |= bool(stage.words & _ARTIFACT_STEPS)
        summary.caching |= "cache" in stage.words or any(_CACHE_MOUNT.search(line) for line in commands)
        stage_categories = summary.categories - before
        if stage is not scan.outside and ("deploy" in stage_categories or "deploy" in tokens(stage.label)):
            for word in tokens(stage.label) & set(_ENVIRONMENT_WORDS):
                summary.add_environment(_ENVIRONMENT_WORDS[word] or word)
    summary.stage_count = len(scan.stages)
    summary.job_count = sum(not stage.has_children for stage in scan.stages)
    summary.manual_gates = scan.gates
    triggers = scan.block_words.get("triggers", set())
    when = scan.block_words.get("when", set())
    every_word = scan.outside.words.union(*(stage.words for stage in scan.stages))
    summary.triggers = {"schedule": bool(triggers & {"cron", "parameterizedcron"}), "manual": scan.gates > 0}
    if triggers & _PUSH_TRIGGERS or "branch" in when or "branch_name" in every_word:
        summary.triggers["push"] = True
    if "changerequest" in when or "change_id" in every_word or "triggeronmergerequest" in triggers:
        summary.triggers["merge_request"] = True
    return summary
