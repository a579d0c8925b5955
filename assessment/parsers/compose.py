"""Docker Compose files (`compose.yaml`, `docker-compose.yml`, any name), recognised by content. Pure.

Facts: `iac.present` (true) and `iac.kind` = `compose`, `container.present`, `compose.services`,
`compose.images` and `compose.builds` (services that name an image; that build one), `compose.unpinned_images`
(services whose image has no tag, or a floating one without a version number such as `latest`, `alpine` or
`stable`; a digest or a versioned tag pins it, and a `${VAR:-default}` image is judged by its default) with
their names in `compose.unpinned_image_names`, `compose.variable_images` (images chosen at run time by a
variable without a default, e.g. `${IMAGE}`, not judged), and the number of services with a
`compose.healthchecks` (not `disable: true`), a `compose.restart_policies` (other than `no`),
`compose.depends_on`, `compose.resource_limits` (`deploy.resources.limits`, or the older `mem_limit`/`cpus`)
and `compose.service_secrets`; `compose.volumes`, `compose.networks` and `compose.secrets` count the named
ones declared at the top. `<<: *anchor` merges and `x-` extension fields are read as Compose reads them.
"""

import re
from typing import Any

from assessment.parsers.base import Fact, ParseError, ParseResult, Source
from assessment.parsers.text import decode_head
from assessment.parsers.yaml_safety import load_yaml_documents, outline

_NOT_COMPOSE = frozenset({"apiVersion", "kind", "on", "jobs", "stages", "steps", "trigger", "pr", "hosts"})
_SERVICE_KEY = re.compile(r"^([ \t]++)(image|build)[ \t]*+:", re.MULTILINE)
_DEFAULTED = re.compile(r"^\$\{\w{1,64}:?-([^}]{1,300})\}$")
_MAX_LISTED = 1000


def recognises(head: bytes) -> bool:
    """A YAML mapping with a `services:` mapping whose entries have `image:` or `build:`."""
    text = decode_head(head)
    if text is None:
        return False
    for document in outline(text):
        if document.get("services") and not set(document) & _NOT_COMPOSE:
            return any(len(match.group(1)) > 2 or "\t" in match.group(1) for match in _SERVICE_KEY.finditer(text))
    return False


def parse(source: Source) -> ParseResult:
    """Facts from a Compose file; ParseError when it is not one."""
    documents = [document for document in load_yaml_documents(source, what="Compose file") if document is not None]
    if len(documents) != 1 or not isinstance(documents[0], dict):
        raise ParseError("Not a Compose file: it should be one YAML mapping with `services`.")
    compose = documents[0]
    services = compose.get("services")
    if not isinstance(services, dict) or not services:
        raise ParseError("Not a Compose file: `services` should map service names to their settings.")
    services = {str(name): service for name, service in services.items() if isinstance(service, dict)}
    if not any("image" in service or "build" in service for service in services.values()):
        raise ParseError("Not a Compose file: no service has an `image` or a `build`.")
    pins = {name: _pinning(service.get("image")) for name, service in services.items()}
    unpinned = [name for name, pinning in pins.items() if pinning == "unpinned"]
    facts: dict[str, Fact] = {
        "iac.present": True,
        "iac.kind": "compose",
        "container.present": True,
        "compose.services": len(services),
        "compose.images": sum(isinstance(service.get("image"), str) for service in services.values()),
        "compose.builds": sum(bool(service.get("build")) for service in services.values()),
        "compose.unpinned_images": len(unpinned),
        "compose.unpinned_image_names": ", ".join(unpinned)[:_MAX_LISTED],
        "compose.variable_images": sum(pinning == "variable" for pinning in pins.values()),
        "compose.healthchecks": sum(_has_healthcheck(service) for service in services.values()),
        "compose.restart_policies": sum(_restarts(service) for service in services.values()),
        "compose.depends_on": sum(bool(service.get("depends_on")) for service in services.values()),
        "compose.resource_limits": sum(_has_limits(service) for service in services.values()),
        "compose.service_secrets": sum(bool(service.get("secrets")) for service in services.values()),
    }
    for key in ("volumes", "networks", "secrets"):
        declared = compose.get(key)
        facts[f"compose.{key}"] = len(declared) if isinstance(declared, dict) else 0
    summary = (
        f"Compose: {len(services)} service(s), {facts['compose.healthchecks']} with a health check, "
        f"{len(unpinned)} image(s) without a pinned tag"
    )
    return ParseResult(kind="compose", facts=facts, summary=summary)


def _pinning(image: Any) -> str:
    """`pinned` (a digest, or a tag with a version number), `unpinned` (no tag, or a floating one such as
    `latest`/`alpine`), `variable` (chosen at run time, no default) or `none` (the service only builds)."""
    if not isinstance(image, str) or not image.strip():
        return "none"
    image = image.strip()
    defaulted = _DEFAULTED.match(image)
    if defaulted:
        image = defaulted.group(1)
    elif image.startswith("$"):
        return "variable"
    if "@" in image:
        return "pinned"
    last = image.rsplit("/", 1)[-1]
    return "pinned" if ":" in last and is_versioned_tag(last.rsplit(":", 1)[1]) else "unpinned"


def is_versioned_tag(tag: str) -> bool:
    """A tag that names a version (`16-alpine`, `v1.2`, `${VERSION-v4.1}`), not a moving one (`latest`, `alpine`)."""
    return any(character.isdigit() for character in tag) or "$" in tag


def _has_healthcheck(service: dict) -> bool:
    check = service.get("healthcheck")
    return (
        isinstance(check, dict) and bool(check) and check.get("disable") is not True and check.get("test") != ["NONE"]
    )


def _restarts(service: dict) -> bool:
    policy = service.get("restart")
    deploy_policy = service.get("deploy", {}).get("restart_policy") if isinstance(service.get("deploy"), dict) else None
    return (isinstance(policy, str) and policy.strip() not in ("", "no")) or isinstance(deploy_policy, dict)


def _has_limits(service: dict) -> bool:
    deploy = service.get("deploy")
    resources = deploy.get("resources") if isinstance(deploy, dict) else None
    limits = resources.get("limits") if isinstance(resources, dict) else None
    return (isinstance(limits, dict) and bool(limits)) or any(service.get(key) for key in ("mem_limit", "cpus"))
