"""Helm charts: `Chart.yaml` and a chart's `values.yaml`, recognised by content. Pure.

Both give `iac.present` (true) and `iac.kind` = `helm`. A Chart.yaml (kind `helm_chart`) gives
`helm.api_version` (v1 or v2), `helm.chart_name`, `helm.chart_version`, `helm.app_version` (empty when not
set), `helm.chart_type` (application or library; v1 charts are applications), `helm.dependencies` and
`helm.dependency_names`. A values.yaml (kind `helm_values`) gives what the defaults say:
`helm.image_repositories` (every `image`/`images` mapping's repository), `helm.unpinned_images` (those whose
tag floats, like `latest` or `alpine`; an empty tag means the chart's appVersion, which is pinned), and only
where the file has them,
`helm.has_resource_limits` (some `resources` sets limits) and `helm.has_probes` (a liveness, readiness or
startup probe is enabled). Templates (`templates/*.yaml`, with `{{ ... }}` actions) are not read here: they are
refused by the Kubernetes reader with the advice to render the chart first.
"""

import re
from typing import Any

from assessment.parsers.base import Fact, ParseError, ParseResult, Source
from assessment.parsers.compose import is_versioned_tag
from assessment.parsers.text import decode_head
from assessment.parsers.yaml_safety import load_yaml_documents, outline

_CHART_API = re.compile(r"^apiVersion[ \t]*+:[ \t]*+[\"']?v[12][\"']?[ \t]*+(?:#.*+)?$", re.MULTILINE)
_CONVENTIONAL = frozenset(
    {"replicaCount", "imagePullSecrets", "nameOverride", "fullnameOverride", "serviceAccount", "serviceAccounts"}
    | {"podAnnotations", "podSecurityContext", "securityContext", "service", "ingress", "resources"}
    | {"nodeSelector", "tolerations", "affinity", "autoscaling", "livenessProbe", "readinessProbe"}
)
_PROBE = re.compile(r"^(?:liveness|readiness|startup)(?:Probe)?$")
_MAX_NODES_WALKED = 100_000
_MAX_LISTED = 1000


def recognises_chart(head: bytes) -> bool:
    """A Chart.yaml: `apiVersion: v1|v2` with `name` and `version` at the top and no `kind`."""
    text = decode_head(head)
    if text is None or not _CHART_API.search(text):
        return False
    return any({"apiVersion", "name", "version"} <= set(doc) and "kind" not in doc for doc in outline(text))


def recognises_values(head: bytes) -> bool:
    """A chart's values.yaml: an `image`/`images` mapping with a `repository` and two of Helm's conventional
    keys (`replicaCount`, `serviceAccount`, `resources`, `nameOverride`, ...)."""
    text = decode_head(head)
    if text is None:
        return False
    for document in outline(text):
        image = document.get("image") or document.get("images") or set()
        if "repository" in image and len(set(document) & _CONVENTIONAL) >= 2 and "apiVersion" not in document:
            return True
    return False


def _mapping(source: Source, what: str) -> dict:
    documents = [document for document in load_yaml_documents(source, what=what) if document is not None]
    if len(documents) != 1 or not isinstance(documents[0], dict):
        raise ParseError(f"Not a Helm {what}: it should be one YAML mapping.")
    return documents[0]


def parse_chart(source: Source) -> ParseResult:
    """Facts from a Chart.yaml; ParseError when it is not one."""
    chart = _mapping(source, "Chart.yaml")
    api_version = str(chart.get("apiVersion", ""))
    if api_version not in ("v1", "v2") or not chart.get("name") or chart.get("version") in (None, ""):
        raise ParseError("Not a Helm Chart.yaml: it needs `apiVersion` v1 or v2, a `name` and a `version`.")
    dependencies = chart.get("dependencies") if isinstance(chart.get("dependencies"), list) else []
    names = [str(item.get("name"))[:100] for item in dependencies if isinstance(item, dict) and item.get("name")]
    facts: dict[str, Fact] = {
        "iac.present": True,
        "iac.kind": "helm",
        "helm.api_version": api_version,
        "helm.chart_name": str(chart["name"])[:200],
        "helm.chart_version": str(chart["version"])[:100],
        "helm.app_version": str(chart.get("appVersion") or "")[:100],
        "helm.chart_type": str(chart.get("type") or "application")[:40],
        "helm.dependencies": len(dependencies),
        "helm.dependency_names": ", ".join(names)[:_MAX_LISTED],
    }
    summary = (
        f"Helm chart {facts['helm.chart_name']} {facts['helm.chart_version']} ({api_version}), "
        f"{len(dependencies)} dependencies"
    )
    return ParseResult(kind="helm_chart", facts=facts, summary=summary)


def parse_values(source: Source) -> ParseResult:
    """Facts from a chart's values.yaml; ParseError when it cannot be read."""
    values = _mapping(source, "values.yaml")
    walk = _ValuesWalk(source)
    walk.visit(values, "", 0)
    if not walk.repositories:
        raise ParseError("Not a Helm values.yaml: no `image` setting with a `repository`.")
    facts: dict[str, Fact] = {
        "iac.present": True,
        "iac.kind": "helm",
        "helm.image_repositories": ", ".join(dict.fromkeys(walk.repositories))[:_MAX_LISTED],
        "helm.unpinned_images": walk.unpinned,
    }
    if walk.resources:
        facts["helm.has_resource_limits"] = any(walk.resources)
    if walk.probes:
        facts["helm.has_probes"] = any(walk.probes)
    summary = f"Helm values: {len(walk.repositories)} image(s), {walk.unpinned} with a floating tag"
    return ParseResult(kind="helm_values", facts=facts, summary=summary)


class _ValuesWalk:
    """One pass over the values, collecting image settings, resources blocks and probe settings."""

    def __init__(self, source: Source):
        self.deadline = source.deadline
        self.nodes = 0
        self.repositories: list[str] = []
        self.unpinned = 0
        self.resources: list[bool] = []  # per `resources` block: does it set limits?
        self.probes: list[bool] = []  # per probe setting: is it enabled?

    def visit(self, value: Any, key: str, depth: int) -> None:
        self.nodes += 1
        if self.nodes % 1024 == 0:
            self.deadline.check()
        if depth > 50 or self.nodes > _MAX_NODES_WALKED:
            return
        if isinstance(value, list):
            for item in value:
                self.visit(item, key, depth + 1)
            return
        if not isinstance(value, dict):
            return
        if key in ("image", "images") and isinstance(value.get("repository"), str):
            self.repositories.append(value["repository"][:200])
            tag = str(value.get("tag") or "").strip()
            self.unpinned += bool(tag) and not is_versioned_tag(tag)
        elif key == "resources":
            self.resources.append(isinstance(value.get("limits"), dict) and bool(value["limits"]))
        elif _PROBE.match(key) and value:
            self.probes.append(value.get("enabled", True) is not False)
        for child_key, child in value.items():
            self.visit(child, str(child_key), depth + 1)
