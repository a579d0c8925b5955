"""GitLab CI configuration read as data: jobs after `extends`, `!reference` tags resolved within the file,
rules and `only:` for triggers. Included files are not fetched; their names still count
(`Jobs/SAST.gitlab-ci.yml` shows a security scan), and so do the names of templates a job `extends` from them
(`.publish_nightly` publishes). What could not be read is said, not guessed: `pipeline.unresolved_includes`
lists the includes and `pipeline.unresolved_templates` the `extends` targets defined outside the file, so a
missing deploy job may still be in them. A `pages` job publishes a site, which is a deployment. Pure.
"""

import re
from typing import Any

from assessment.parsers.base import ParseError, Source
from assessment.parsers.pipeline_signals import PipelineSummary, command_lines, tokens
from assessment.parsers.yaml_safety import YamlReference, load_yaml_documents

_GITLAB_GLOBALS = frozenset(
    {"default", "include", "stages", "variables", "workflow", "image", "services", "cache"}
    | {"before_script", "after_script", "types", "spec"}
)
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
_MAX_NESTING = 10  # GitLab's limit for nested !reference tags and nested script lists
_MAX_TEMPLATES = 50
_MAX_LISTED = 1000  # characters of an unresolved list kept as a fact


def _is_mapping_of_strings(value: Any) -> bool:
    return isinstance(value, dict) and all(isinstance(key, str) for key in value)


def read(source: Source) -> PipelineSummary:
    """What a `.gitlab-ci.yml` shows; ParseError when it is not a readable GitLab CI configuration."""
    config = _gitlab_config(load_yaml_documents(source, what="GitLab CI file"))
    return _GitLabReader(config, source).summary


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
    """Reads a GitLab CI configuration once, job by job, into `summary`."""

    def __init__(self, config: dict, source: Source):
        self.config = config
        self.budget = _Budget(source)
        self.deadline = source.deadline
        self.summary = PipelineSummary(tool="gitlab")
        self.sources: set[str] = set()  # pipeline sources that job rules mention
        self.missing_templates: set[str] = set()  # `extends` targets not defined in this file
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
        self.summary.extra = {
            "pipeline.unresolved_includes": _listed(self.includes),
            "pipeline.unresolved_templates": _listed(sorted(self.missing_templates)),
        }

    def _read_includes(self) -> None:
        values = [item for item in self._flatten(_include_values(self.config)) if isinstance(item, str)]
        self.summary.add_job(names=values, commands=values)
        self.includes = _include_names(self.config.get("include"))
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
                elif isinstance(parent, str):
                    self.missing_templates.add(parent[:200])
            order.append(node)

        visit(name, job, 0)
        return order

    def _read_job(self, name: str, chain: list[dict]) -> None:
        job_chain = chain[1:]  # without `default:`
        # GitLab's default stage is `test`, but a template from outside the file may set another one.
        external = any(parent not in self.config for node in job_chain for parent in self._flatten(node.get("extends")))
        names = [name, str(_last(chain, "stage") or ("" if external else "test"))]
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
        if name == "pages" or _last(job_chain, "pages"):  # GitLab Pages: the job publishes a site
            self.summary.categories.add("deploy")
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

    def _flatten(self, value: Any, references: int = 0, nesting: int = 0) -> list[Any]:
        """Leaves of nested lists, with `!reference` tags resolved inside this file, each up to GitLab's ten
        levels; the budget refuses references that multiply like an alias bomb."""
        self.budget.spend()
        if value is None or references > _MAX_NESTING or nesting > _MAX_NESTING:
            return []
        if isinstance(value, YamlReference):
            return self._flatten(self._resolve(value), references + 1, 0)
        if isinstance(value, list):
            return [leaf for item in value for leaf in self._flatten(item, references, nesting + 1)]
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


def _include_names(include: Any) -> list[str]:
    """One readable name per `include:` entry: `project:file`, or the local path, remote URL, template or
    component it names."""
    names = []
    for entry in include if isinstance(include, list) else [include]:
        if isinstance(entry, str):
            names.append(entry)
        elif isinstance(entry, dict):
            files = entry.get("file")
            files = files if isinstance(files, list) else [files]
            if isinstance(entry.get("project"), str):
                names += [f"{entry['project']}:{file}" for file in files if isinstance(file, str)]
            names += [
                entry[key] for key in ("local", "remote", "template", "component") if isinstance(entry.get(key), str)
            ]
    return names


def _listed(names: list[str]) -> str:
    return ", ".join(dict.fromkeys(name[:200] for name in names))[:_MAX_LISTED]


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
