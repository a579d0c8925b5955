"""Infrastructure and container definitions: Dockerfiles, Kubernetes manifests and Terraform here; Compose
files, Helm charts and Ansible playbooks in modules of their own, registered in `KINDS`. Pure.

Facts: `iac.present` (true for every kind read here: environment configuration described as code) and
`iac.kind` (terraform, kubernetes, dockerfile, compose, helm or ansible), `container.present` (a Dockerfile,
or Kubernetes workloads with containers), `dockerfile.stages`, `dockerfile.runs_as_root` (the final stage has no USER,
or USER root/0), `dockerfile.has_healthcheck`, `dockerfile.base_image`, `k8s.objects`, `k8s.kinds`
(comma-separated), `k8s.workloads`, `k8s.containers`, `k8s.has_probes` (every long-running container has a
liveness, readiness or startup probe; Jobs and CronJobs are not asked for one), `k8s.has_resource_limits`
(every container sets resources.limits), `terraform.resources`, `terraform.modules` and
`terraform.providers` (comma-separated names). Terraform is tokenised, never evaluated; no HCL library.
"""

import re
from typing import Any

from assessment.parsers import ansible, compose, helm
from assessment.parsers.base import Fact, ParseError, ParseResult, Source
from assessment.parsers.hcl import TERRAFORM_BLOCKS, read_blocks
from assessment.parsers.text import decode_head, decode_text, read_bounded
from assessment.parsers.yaml_safety import load_yaml_documents, outline

MAX_DOCKERFILE_BYTES = 1024 * 1024
MAX_TERRAFORM_BYTES = 2 * 1024 * 1024
_DOCKER_INSTRUCTIONS = frozenset(
    [
        "ADD",
        "ARG",
        "CMD",
        "COPY",
        "ENTRYPOINT",
        "ENV",
        "EXPOSE",
        "FROM",
        "HEALTHCHECK",
        "LABEL",
        "MAINTAINER",
        "ONBUILD",
        "RUN",
        "SHELL",
        "STOPSIGNAL",
        "USER",
        "VOLUME",
        "WORKDIR",
    ]
)
_ESCAPE_DIRECTIVE = re.compile(r"#[ \t]*escape[ \t]*=[ \t]*([\\`])[ \t]*", re.IGNORECASE)
_FROM_ARGUMENT = re.compile(
    r"(?:--[\w-]++=\S++[ \t]++)*+([\w.\-/:@${}]++)(?:[ \t]++as[ \t]++([\w.\-]++))?+[ \t]*+", re.I
)
_VARIABLE = re.compile(r"\$\{(\w{1,64})\}|\$(\w{1,64})")
_HEREDOC = re.compile(r"<<-?([\"']?)([A-Za-z_]\w{0,63})\1")
_ROOT_USERS = frozenset({"root", "0"})
_BATCH_KINDS = frozenset({"Job", "CronJob"})
_PROBES = ("livenessProbe", "readinessProbe", "startupProbe")
_TERRAFORM_LINE = re.compile(r"^([A-Za-z_][\w-]*+)(?:[ \t]++\"[^\"\n]*+\")*+[ \t]*+\{", re.MULTILINE)
_TERRAFORM_ONLY = frozenset({"resource", "data", "provider", "module", "terraform"})
# Helm's own template objects and functions. Plain Go template actions (`{{ range .Alerts }}`, `{{ $labels.x }}`)
# also appear in real manifests, in ConfigMaps holding Alertmanager or Prometheus templates, so they do not count.
_HELM_ACTION = re.compile(
    r"\{\{-?[ \t]*+(?:\.Values\b|\.Release\b|\.Chart\b|\.Capabilities\b|\.Files\b|include[ \t]|template[ \t]"
    r"|toYaml\b|tpl[ \t])"
)


# Dockerfile


def _instructions(text: str) -> list[tuple[int, str, str]]:
    """(line, INSTRUCTION, arguments) per logical line: continuations joined, comments and heredoc bodies skipped."""
    lines = text.splitlines()
    escape = "\\"
    for line in lines:  # parser directives come first: `# syntax=...`, `# escape=...`
        directive = _ESCAPE_DIRECTIVE.fullmatch(line.strip())
        if directive:
            escape = directive.group(1)
        elif not line.lstrip().startswith("#"):
            break
    found, index = [], 0
    while index < len(lines):
        start, parts = index + 1, []
        while index < len(lines):
            line = lines[index].strip()
            index += 1
            if line.startswith("#"):
                continue
            if line.endswith(escape):
                parts.append(line[:-1])
                continue
            parts.append(line)
            break
        logical = " ".join(part for part in parts if part).strip()
        if not logical:
            continue
        word, _, arguments = logical.partition(" ")
        found.append((start, word.upper(), arguments.strip()))
        for _quote, terminator in _HEREDOC.findall(logical) if word.upper() in ("RUN", "COPY", "ADD") else []:
            while index < len(lines) and lines[index].strip() != terminator:
                index += 1
            index += 1
    return found


def recognises_dockerfile(head: bytes) -> bool:
    """Text whose first instruction, after comments and ARGs, is `FROM <image>`."""
    text = decode_head(head)
    if text is None:
        return False
    for line in text.splitlines()[:500]:
        stripped = line.strip()
        if not stripped or stripped.startswith("#") or stripped.upper().startswith("ARG "):
            continue
        word, _, rest = stripped.partition(" ")
        return word.upper() == "FROM" and bool(_FROM_ARGUMENT.fullmatch(rest.strip()))
    return False


def parse_dockerfile(source: Source) -> ParseResult:
    """Facts from a Dockerfile; ParseError when the file is not one."""
    text = decode_text(read_bounded(source, max_bytes=MAX_DOCKERFILE_BYTES, what="Dockerfile"), what="Dockerfile")
    stages: list[dict[str, Any]] = []
    global_args: dict[str, str] = {}  # ARGs before the first FROM may be used in FROM lines
    for line, instruction, arguments in _instructions(text):
        source.deadline.check()
        if instruction not in _DOCKER_INSTRUCTIONS:
            raise ParseError(f"Dockerfile line {line}: unknown instruction {instruction[:40]}.")
        if instruction == "FROM":
            stages.append(_docker_stage(line, _substitute(arguments, global_args), stages))
        elif not stages and instruction == "ARG":
            name, _, default = arguments.partition("=")
            global_args[name.strip()] = default.strip().strip("\"'")
        elif not stages:
            raise ParseError(f"Dockerfile line {line}: {instruction} comes before the first FROM.")
        elif instruction == "USER" and arguments:
            stages[-1]["user"] = arguments.split()[0]
        elif instruction == "HEALTHCHECK":
            stages[-1]["healthcheck"] = arguments.split()[:1] != ["NONE"]
    if not stages:
        raise ParseError("Not a Dockerfile: there is no FROM instruction.")
    final = stages[-1]
    user = final["user"].split(":")[0]
    facts: dict[str, Fact] = {
        "iac.present": True,  # the standard's own example of environment configuration as code
        "iac.kind": "dockerfile",
        "container.present": True,
        "dockerfile.stages": len(stages),
        "dockerfile.runs_as_root": user in _ROOT_USERS,
        "dockerfile.has_healthcheck": bool(final["healthcheck"]),
        "dockerfile.base_image": final["image"][:200],
    }
    who = "as root" if facts["dockerfile.runs_as_root"] else f"as {user[:40]}"
    summary = f"Dockerfile: {len(stages)} stage(s), final image from {facts['dockerfile.base_image']}, runs {who}"
    return ParseResult(kind="dockerfile", facts=facts, summary=summary)


def _substitute(text: str, variables: dict[str, str]) -> str:
    """`${NAME}` and `$NAME` replaced by the ARG defaults known (others are left as written)."""
    return _VARIABLE.sub(lambda match: variables.get(match.group(1) or match.group(2)) or match.group(), text)


def _docker_stage(line: int, arguments: str, stages: list[dict[str, Any]]) -> dict[str, Any]:
    match = _FROM_ARGUMENT.fullmatch(arguments)
    if not match:
        raise ParseError(f"Dockerfile line {line}: FROM needs an image, e.g. FROM python:3.13-slim AS build.")
    image, name = match.group(1), (match.group(2) or "").lower()
    parent = next((stage for stage in stages if stage["name"] and stage["name"] == image.lower()), None)
    return {
        "name": name,
        # A stage built on an earlier stage inherits its base image, user and health check.
        "image": parent["image"] if parent else image,
        "user": parent["user"] if parent else "root",
        "healthcheck": parent["healthcheck"] if parent else False,
    }


# Kubernetes


def recognises_kubernetes(head: bytes) -> bool:
    """YAML (or JSON) documents with top-level `apiVersion` and `kind`."""
    text = decode_head(head)
    if text is None:
        return False
    if _HELM_ACTION.search(text):  # claimed so that it is refused with the advice to render it
        return "apiVersion:" in text or "kind:" in text
    if text.lstrip().startswith("{"):
        return '"apiVersion"' in text and '"kind"' in text
    return any({"apiVersion", "kind"} <= set(document) for document in outline(text))


def parse_kubernetes(source: Source) -> ParseResult:
    """Facts from Kubernetes manifests (one or many YAML documents, `kind: List` expanded); a Helm template is
    refused, since what it deploys is only known once the chart is rendered."""
    helm_action = _HELM_ACTION.search(decode_head(source.head) or "")
    if helm_action:
        line = source.head[: helm_action.start()].count(b"\n") + 1
        raise ParseError(
            f"This is a Helm template, not a manifest (line {line}: {helm_action.group()[:40]}…): render the chart "
            "first (helm template <chart> > manifests.yaml) and upload the rendered manifests, or upload the "
            "chart's Chart.yaml and values.yaml."
        )
    try:
        documents = load_yaml_documents(source, what="Kubernetes manifest")
    except ParseError as error:
        if b"{{" in source.head:
            raise ParseError(f"{error.reason} Helm templates must be rendered first (helm template).") from None
        raise
    objects = [item for document in documents for item in _objects(document)]
    if not objects:
        raise ParseError("Not a Kubernetes manifest: no document has both apiVersion and kind.")
    kinds = sorted({item["kind"] for item in objects})
    facts: dict[str, Fact] = {"iac.present": True, "iac.kind": "kubernetes", "k8s.objects": len(objects)}
    facts["k8s.kinds"] = ", ".join(kinds)[:1000]
    workloads = [(item["kind"], spec) for item in objects if (spec := _pod_spec(item)) is not None]
    containers = [
        (kind, container) for kind, spec in workloads for container in spec["containers"] if isinstance(container, dict)
    ]
    facts |= {"k8s.workloads": len(workloads), "k8s.containers": len(containers), "container.present": bool(containers)}
    if containers:
        facts["k8s.has_resource_limits"] = all(_has_limits(container) for _kind, container in containers)
        serving = [container for kind, container in containers if kind not in _BATCH_KINDS]
        if serving:
            facts["k8s.has_probes"] = all(any(container.get(probe) for probe in _PROBES) for container in serving)
    summary = f"Kubernetes: {len(objects)} object(s) ({', '.join(kinds)[:200]}), {len(containers)} container(s)"
    return ParseResult(kind="kubernetes", facts=facts, summary=summary)


def _objects(document: Any) -> list[dict]:
    if not isinstance(document, dict) or not isinstance(document.get("kind"), str):
        return []
    if not isinstance(document.get("apiVersion"), str):
        return []
    if document["kind"].endswith("List") and isinstance(document.get("items"), list):
        return [item for item in document["items"] if isinstance(item, dict) and isinstance(item.get("kind"), str)]
    return [document]


def _dig(value: Any, *keys: str) -> Any:
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def _pod_spec(item: dict) -> dict | None:
    """The pod spec of a workload (Pod, Deployment, StatefulSet, Job, CronJob, ...) with a containers list."""
    spec = item.get("spec")
    if item["kind"] == "CronJob":
        spec = _dig(spec, "jobTemplate", "spec")
    pod = spec if item["kind"] == "Pod" else _dig(spec, "template", "spec")
    return pod if isinstance(pod, dict) and isinstance(pod.get("containers"), list) else None


def _has_limits(container: dict) -> bool:
    limits = _dig(container, "resources", "limits")
    return isinstance(limits, dict) and bool(limits.get("cpu") or limits.get("memory"))


# Terraform


def recognises_terraform(head: bytes) -> bool:
    """HCL text whose unindented blocks are Terraform's, with at least one `resource`, `provider`, `module`,
    `data` or `terraform` block."""
    text = decode_head(head)
    if text is None:
        return False
    blocks = {match.group(1) for match in _TERRAFORM_LINE.finditer(text)}
    return bool(blocks & _TERRAFORM_ONLY) and blocks <= TERRAFORM_BLOCKS


def parse_terraform(source: Source) -> ParseResult:
    """Facts from a Terraform `.tf` file: resources, modules and providers."""
    data = read_bounded(source, max_bytes=MAX_TERRAFORM_BYTES, what="Terraform file")
    blocks = read_blocks(decode_text(data, what="Terraform file"), source.deadline)
    if not blocks.top:
        raise ParseError("Not a Terraform file: there are no blocks such as resource, provider or module.")
    resources = [labels for kind, labels in blocks.top if kind == "resource"]
    providers = set(blocks.required_providers)
    providers |= {labels[0] for kind, labels in blocks.top if kind == "provider" and labels}
    providers |= {labels[0].split("_")[0] for kind, labels in blocks.top if kind in ("resource", "data") and labels}
    providers.discard("")
    modules = sum(kind == "module" for kind, _labels in blocks.top)
    facts: dict[str, Fact] = {
        "iac.present": True,
        "iac.kind": "terraform",
        "terraform.resources": len(resources),
        "terraform.modules": modules,
        "terraform.providers": ", ".join(sorted(providers))[:1000],
    }
    shown = ", ".join(sorted(providers))[:200] or "none"
    summary = f"Terraform: {len(resources)} resource(s), {modules} module(s); providers: {shown}"
    return ParseResult(kind="terraform", facts=facts, summary=summary)


# A chart's values.yaml is recognised last: it is the least distinctive YAML.
KINDS = (
    ("kubernetes", recognises_kubernetes, parse_kubernetes),
    ("helm_chart", helm.recognises_chart, helm.parse_chart),
    ("compose", compose.recognises, compose.parse),
    ("ansible", ansible.recognises, ansible.parse),
    ("terraform", recognises_terraform, parse_terraform),
    ("dockerfile", recognises_dockerfile, parse_dockerfile),
    ("helm_values", helm.recognises_values, helm.parse_values),
)
