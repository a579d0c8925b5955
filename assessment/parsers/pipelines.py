"""CI/CD pipeline definitions: GitLab CI YAML, GitHub Actions workflows and declarative Jenkinsfiles. Pure.

Facts (assessment/catalogs/FORMAT.md): `pipeline.has_*` for build, test, lint, security scan, deploy and
database migration, judged from job, stage and step names, commands, actions, images and report kinds;
`pipeline.triggers.*`, `pipeline.stage_count`, `pipeline.job_count`, `pipeline.environments` (distinct names,
also listed in `pipeline.environment_names`), `pipeline.manual_gates`, `pipeline.caching`,
`pipeline.artifacts`, `pipeline.tool`. Nothing is executed or resolved outside the file itself: GitLab
`include:` files are not fetched (their names still count, e.g. `Security/SAST.gitlab-ci.yml`).
"""

import re
from typing import Any

from assessment.parsers import jenkinsfile
from assessment.parsers.base import ParseError, ParseResult, Source
from assessment.parsers.pipeline_signals import PipelineSummary, command_lines, tokens
from assessment.parsers.text import decode_head
from assessment.parsers.yaml_safety import YamlReference, load_yaml_documents, outline

_GITLAB_GLOBALS = frozenset(
    {"default", "include", "stages", "variables", "workflow", "image", "services", "cache"}
    | {"before_script", "after_script", "types", "spec"}
)
_GITLAB_JOB_KEYS = frozenset({"script", "trigger", "extends", "run"})
_OTHER_CI_KEYS = frozenset({"on", "jobs", "pool", "steps", "trigger", "pipelines", "language", "script", "apiVersion"})
_GITLAB_REPORTS = {
    "junit": "test",
    "coverage_report": "test",
    "cobertura": "test",
    "codequality": "lint",
    "sast": "security_scan",
    "dast": "security_scan",
    "dependency_scanning": "security_scan",
    "container_scanning": "security_scan",
    "secret_detection": "security_scan",
}
_NOT_DEPLOYING = frozenset({"stop", "prepare", "verify", "access"})
_PIPELINE_SOURCE = re.compile(r"""CI_PIPELINE_SOURCE\s*==\s*["']([a-z_]{1,40})["']""")
_ONLY_SOURCES = {"merge_requests": "merge_request_event", "schedules": "schedule", "web": "web", "pushes": "push"}
_GITHUB_JOB_LINE = re.compile(r"^[ \t]+(?:runs-on|steps|uses)[ \t]*:", re.MULTILINE)
_MAX_REFERENCE_DEPTH = 10
_MAX_TEMPLATES = 50


def _is_mapping_of_strings(value: Any) -> bool:
    return isinstance(value, dict) and all(isinstance(key, str) for key in value)


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
    config = _gitlab_config(load_yaml_documents(source, what="GitLab CI file"))
    reader = _GitLabReader(config, source)
    return ParseResult(kind="gitlab_ci", facts=reader.summary.facts(), summary=reader.summary.summary())


def _gitlab_config(documents: list[Any]) -> dict:
    documents = [document for document in documents if document is not None]
    if len(documents) == 2 and isinstance(documents[0], dict) and set(documents[0]) == {"spec"}:
        documents = documents[1:]  # a CI/CD component: `spec: inputs:` header, then the configuration
    if len(documents) != 1 or not _is_mapping_of_strings(documents[0]):
        raise ParseError("Not a GitLab CI file: it should be one YAML mapping of jobs and settings.")
    config = documents[0]
    if set(config) & {"on", "jobs", "apiVersion"}:
        raise ParseError("Not a GitLab CI file: it has `on`/`jobs` or `apiVersion` at the top, like other kinds.")
    return config


class _Budget:
    """Bounds the work of resolving `!reference` tags, which can multiply like aliases."""

    def __init__(self, source: Source):
        self.left = 4 * source.limits.max_yaml_nodes
        self.deadline = source.deadline

    def spend(self) -> None:
        self.left -= 1
        if self.left < 0:
            raise ParseError("GitLab CI: !reference tags expand to more items than we read; refusing the file.")
        if self.left % 1024 == 0:
            self.deadline.check()


class _GitLabReader:
    def __init__(self, config: dict, source: Source):
        self.config = config
        self.budget = _Budget(source)
        self.deadline = source.deadline
        self.summary = PipelineSummary(tool="gitlab")
        self.sources: set[str] = set()  # pipeline sources that job rules mention
        jobs = {
            name: job
            for name, job in config.items()
            if name not in _GITLAB_GLOBALS and not name.startswith(".") and isinstance(job, dict)
        }
        if not jobs and "include" not in config:
            raise ParseError("GitLab CI file without jobs or include: nothing runs in this pipeline.")
        # Top-level image/before_script/after_script/cache are the older spelling of `default:`.
        default = {key: config[key] for key in ("image", "before_script", "after_script", "cache") if key in config}
        default |= config["default"] if _is_mapping_of_strings(config.get("default")) else {}
        self._read_includes()
        stages_used = set()
        for name, job in jobs.items():
            self.deadline.check()
            chain = [default, *self._templates(name, job)]
            stages_used.add(str(_last(chain, "stage") or "test"))
            self._read_job(name, chain)
        declared = [stage for stage in self._flatten(config.get("stages")) if isinstance(stage, str)]
        self.summary.stage_count = len(declared) or len(stages_used)
        self.summary.job_count = len(jobs)
        self._read_triggers()

    def _read_includes(self) -> None:
        self.includes = [item for item in self._flatten(_include_values(self.config)) if isinstance(item, str)]
        self.summary.add_job(names=self.includes, commands=self.includes)
        if any("auto-devops" in tokens(item) for item in self.includes):
            self.summary.categories |= {"build", "test", "lint", "security_scan", "deploy"}

    def _includes_template(self, name: str) -> bool:
        return any(item.endswith(f"{name}.gitlab-ci.yml") for item in self.includes)

    def _templates(self, name: str, job: dict) -> list[dict]:
        """The job after the templates it `extends`, most general first (the order GitLab merges them)."""
        order: list[dict] = []
        seen: set[str] = set()

        def visit(node_name: str, node: dict, depth: int) -> None:
            if depth > 11 or len(order) >= _MAX_TEMPLATES or node_name in seen:
                return
            seen.add(node_name)
            parents = node.get("extends")
            for parent in [parents] if isinstance(parents, str) else parents if isinstance(parents, list) else []:
                if isinstance(parent, str) and isinstance(self.config.get(parent), dict):
                    visit(parent, self.config[parent], depth + 1)
            order.append(node)

        visit(name, job, 0)
        return order

    def _read_job(self, name: str, chain: list[dict]) -> None:
        job_chain = chain[1:]  # without `default:`
        names = [name, str(_last(chain, "stage") or "test")]
        names += [str(parent) for node in job_chain for parent in self._flatten(node.get("extends"))]
        commands = []
        for key in ("before_script", "script", "after_script"):
            commands += self._commands(_last(chain, key))
        image = _last(chain, "image")
        image = image.get("name") if isinstance(image, dict) else image
        if isinstance(image, str):
            commands.append(image)
        trigger = _last(job_chain, "trigger")
        trigger = list(trigger.values()) if isinstance(trigger, dict) else trigger
        names += [item for item in self._flatten(trigger) if isinstance(item, str)]
        self.summary.add_job(names=names, commands=commands)
        self._read_environment(job_chain)
        artifacts = _last(chain, "artifacts")
        if artifacts:
            self.summary.artifacts = True
            reports = artifacts.get("reports") if isinstance(artifacts, dict) else None
            for report in reports if isinstance(reports, dict) else {}:
                if report in _GITLAB_REPORTS:
                    self.summary.categories.add(_GITLAB_REPORTS[report])
        if _last(chain, "cache"):
            self.summary.caching = True
        self._read_job_rules(job_chain)

    def _read_environment(self, job_chain: list[dict]) -> None:
        environment = _last(job_chain, "environment")
        if isinstance(environment, dict):
            named = [node["environment"] for node in job_chain if isinstance(node.get("environment"), dict)]
            name = next((item.get("name") for item in reversed(named) if item.get("name")), None)
            action = str(environment.get("action", "start"))
            self.summary.add_environment(name, deploying=action not in _NOT_DEPLOYING)
        elif environment is not None:
            self.summary.add_environment(environment)

    def _read_job_rules(self, job_chain: list[dict]) -> None:
        manual = _last(job_chain, "when") == "manual"
        for rule in self._flatten(_last(job_chain, "rules")):
            if isinstance(rule, dict):
                manual = manual or rule.get("when") == "manual"
                self.sources |= _rule_sources(rule) or set()
        only = _last(job_chain, "only")
        refs = only.get("refs") if isinstance(only, dict) else only
        for ref in self._flatten(refs):
            self.sources.add(_ONLY_SOURCES.get(str(ref), "push"))
        if manual:
            self.summary.manual_gates += 1

    def _read_triggers(self) -> None:
        workflow = self.config.get("workflow")
        rules = workflow.get("rules") if isinstance(workflow, dict) else None
        allowed: set[str] | None = None
        if rules is not None:
            allowed = set()
            for rule in self._flatten(rules):
                if isinstance(rule, dict):
                    allowed |= _rule_sources(rule) or set()

        def starts_on(source: str, *, by_default: bool) -> bool:
            if allowed is not None and source in allowed:
                return True
            open_door = allowed is None or "any" in allowed
            return open_door and (by_default or source in self.sources)

        self.summary.triggers = {
            "push": starts_on("push", by_default=True) or self._includes_template("Branch-Pipelines"),
            "merge_request": starts_on("merge_request_event", by_default=False)
            or self._includes_template("MergeRequest-Pipelines"),
            "schedule": starts_on("schedule", by_default=False),
            "manual": self.summary.manual_gates > 0 or starts_on("web", by_default=False),
        }

    def _commands(self, value: Any) -> list[str]:
        lines: list[str] = []
        for item in self._flatten(value):
            if isinstance(item, str):
                lines += command_lines(item)
        return lines

    def _flatten(self, value: Any, depth: int = 0) -> list[Any]:
        """Leaves of nested lists, with `!reference` tags resolved inside this file (as GitLab does)."""
        self.budget.spend()
        if depth > _MAX_REFERENCE_DEPTH or value is None:
            return []
        if isinstance(value, YamlReference):
            return self._flatten(self._resolve(value), depth + 1)
        if isinstance(value, list):
            return [leaf for item in value for leaf in self._flatten(item, depth + 1)]
        return [value]

    def _resolve(self, reference: YamlReference) -> Any:
        value: Any = self.config
        for key in reference.path:
            value = value.get(key) if isinstance(value, dict) else None
        return value


def _include_values(config: dict) -> Any:
    """The `include:` entries as a list of strings and mappings' string values."""
    include = config.get("include")
    entries = include if isinstance(include, list) else [include]
    return [
        value
        for entry in entries
        for value in (entry.values() if isinstance(entry, dict) else [entry])
        if isinstance(value, str | list)
    ]


def _last(chain: list[dict], key: str) -> Any:
    for node in reversed(chain):
        if key in node:
            return node[key]
    return None


def _rule_sources(rule: dict) -> set[str] | None:
    """Pipeline sources a rule admits ("any" when it names none); None for `when: never`."""
    if rule.get("when") == "never":
        return None
    condition = rule.get("if")
    if not isinstance(condition, str):
        return {"any"}
    condition = condition[:2000]
    named = set(_PIPELINE_SOURCE.findall(condition))
    if "CI_MERGE_REQUEST_" in condition:
        named.add("merge_request_event")
    return named or {"any"}


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
    if isinstance(job.get("uses"), str):  # a reusable workflow
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
    summary.add_job(names=names, commands=commands)
    summary.manual_gates += gated
    environment = job.get("environment")
    summary.add_environment(environment.get("name") if isinstance(environment, dict) else environment)


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


# Jenkins


def recognises_jenkinsfile(head: bytes) -> bool:
    """Groovy text with a declarative `pipeline {` block holding `stages {` or `agent`."""
    text = decode_head(head)
    return text is not None and jenkinsfile.looks_declarative(text)


def parse_jenkinsfile(source: Source) -> ParseResult:
    """Facts from a declarative Jenkinsfile, read as tokens (never evaluated); ParseError when it is not one."""
    summary = jenkinsfile.read(source)
    return ParseResult(kind="jenkinsfile", facts=summary.facts(), summary=summary.summary())


KINDS = (
    ("github_actions", recognises_github_actions, parse_github_actions),
    ("gitlab_ci", recognises_gitlab_ci, parse_gitlab_ci),
    ("jenkinsfile", recognises_jenkinsfile, parse_jenkinsfile),
)
