"""Compose files, Helm charts (Chart.yaml, values.yaml; templates refused) and Ansible playbooks: recognised by
content whatever their name, facts as written, hostile YAML refused with a reason."""

import contextlib
import io

import pytest

from assessment.parsers import ansible, compose, helm, infrastructure, pipelines
from assessment.parsers.base import ParseError
from assessment.parsers.reading import read_evidence

from .conftest import SAMPLES
from .fuzz import evidence, mutations

COMPOSE = b"""
x-common: &common
  restart: unless-stopped
  depends_on: [db]
services:
  web:
    <<: *common
    build: {context: .}
    image: registry.example.com/shop/web:1.4.2
    healthcheck: {test: [CMD, curl, -f, http://localhost/health], interval: 10s}
    deploy:
      resources:
        limits: {cpus: '0.5', memory: 256M}
    secrets: [db_password]
  worker:
    <<: *common
    image: registry.example.com/shop/web
    healthcheck: {disable: true}
  db:
    image: postgres@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
    restart: "no"
    mem_limit: 1g
  cache:
    image: redis:alpine
  app:
    image: ${APP_IMAGE}
  proxy:
    image: ${PROXY_IMAGE:-nginx:1.27}
volumes:
  data: {}
networks:
  front: {}
  back: {}
secrets:
  db_password: {file: ./db_password.txt}
"""

CHART = b"""apiVersion: v2
name: shop
description: The shop
type: application
version: 1.2.3
appVersion: "4.5.6"
dependencies:
  - name: postgresql
    version: 15.x.x
    repository: oci://registry-1.docker.io/bitnamicharts
  - name: common
    version: 2.x.x
    repository: oci://registry-1.docker.io/bitnamicharts
"""

VALUES = b"""replicaCount: 2
image:
  repository: ghcr.io/example/shop
  tag: ""
nameOverride: ""
serviceAccount: {create: true}
resources:
  limits: {cpu: 500m, memory: 256Mi}
livenessProbe:
  httpGet: {path: /health, port: http}
sidecar:
  image: {repository: busybox, tag: latest}
"""

PLAYBOOK = b"""---
- name: Web servers
  hosts: web
  become: true
  pre_tasks:
    - name: Update apt cache
      ansible.builtin.apt: {update_cache: true}
  roles:
    - nginx
    - role: app
  tasks:
    - name: Install packages
      ansible.builtin.package: {name: [git, curl], state: present}
    - block:
        - ansible.builtin.import_tasks: tasks/deploy.yml
        - name: Restart
          ansible.builtin.service: {name: app, state: restarted}
      rescue:
        - ansible.builtin.include_tasks: "{{ rollback_file }}"
  handlers:
    - name: reload nginx
      ansible.builtin.service: {name: nginx, state: reloaded}
- import_playbook: databases.yml
- name: Databases
  hosts: [db1, db2]
  tasks:
    - name: Ping
      ansible.builtin.ping:
"""


def kinds_claiming(data: bytes) -> list[str]:
    every = (*pipelines.KINDS, *infrastructure.KINDS)
    return [kind for kind, recognises, _parse in every if recognises(data[:65536])]


@pytest.mark.parametrize(
    ("data", "kind"), [(COMPOSE, "compose"), (CHART, "helm_chart"), (VALUES, "helm_values"), (PLAYBOOK, "ansible")]
)
def test_recognised_by_content_only_as_their_kind(data, kind):
    assert kinds_claiming(data) == [kind]
    assert read_evidence(io.BytesIO(data), name="upload.yml").kind == kind


def test_compose_facts():
    facts = compose.parse(evidence(COMPOSE)).facts

    assert (facts["iac.present"], facts["iac.kind"], facts["container.present"]) == (True, "compose", True)
    assert (facts["compose.services"], facts["compose.images"], facts["compose.builds"]) == (6, 6, 1)
    # no tag, or a floating one; the digest, 1.4.2 and the variable's default nginx:1.27 are pinned
    assert facts["compose.unpinned_image_names"] == "worker, cache"
    assert facts["compose.unpinned_images"] == 2
    assert facts["compose.variable_images"] == 1  # ${APP_IMAGE}: chosen at run time
    assert facts["compose.healthchecks"] == 1  # the worker's is disabled
    assert facts["compose.restart_policies"] == 2  # merged from x-common; "no" is none
    assert facts["compose.depends_on"] == 2
    assert facts["compose.resource_limits"] == 2  # deploy.resources.limits, and mem_limit
    assert facts["compose.service_secrets"] == 1
    assert (facts["compose.volumes"], facts["compose.networks"], facts["compose.secrets"]) == (1, 2, 1)


def test_chart_facts():
    facts = helm.parse_chart(evidence(CHART)).facts

    assert facts == {
        "iac.present": True,
        "iac.kind": "helm",
        "helm.api_version": "v2",
        "helm.chart_name": "shop",
        "helm.chart_version": "1.2.3",
        "helm.app_version": "4.5.6",
        "helm.chart_type": "application",
        "helm.dependencies": 2,
        "helm.dependency_names": "postgresql, common",
    }


def test_values_facts():
    facts = helm.parse_values(evidence(VALUES)).facts

    assert facts["helm.image_repositories"] == "ghcr.io/example/shop, busybox"
    assert facts["helm.unpinned_images"] == 1  # busybox:latest; an empty tag means the chart's appVersion
    assert facts["helm.has_resource_limits"] is True
    assert facts["helm.has_probes"] is True


def test_values_without_probes_or_resources_say_nothing_about_them():
    facts = helm.parse_values(evidence(b"image: {repository: nginx, tag: '1.27'}\nnameOverride: ''\n")).facts

    assert "helm.has_probes" not in facts
    assert "helm.has_resource_limits" not in facts


def test_playbook_facts():
    facts = ansible.parse(evidence(PLAYBOOK)).facts

    assert (facts["iac.present"], facts["iac.kind"]) == (True, "ansible")
    assert facts["ansible.plays"] == 2  # import_playbook is not a play
    assert facts["ansible.tasks"] == 7  # pre_task, package, two in the block, one in rescue, a handler, ping
    assert facts["ansible.roles"] == 2
    assert facts["ansible.hosts"] == "web, db1, db2"
    # the Jinja file name is only known at run time, so it is not listed
    assert facts["ansible.unresolved_includes"] == "tasks/deploy.yml, databases.yml"


@pytest.mark.parametrize(
    ("parse", "data", "expected"),
    [
        (compose.parse, b"services:\n  web: {ports: [80]}\n", "no service has an `image` or a `build`"),
        (compose.parse, b"services: [web]\n", "`services` should map"),
        (helm.parse_chart, b"apiVersion: v3\nname: x\nversion: 1\n", "apiVersion` v1 or v2"),
        (helm.parse_values, b"nameOverride: ''\nresources: {}\n", "no `image` setting"),
        (ansible.parse, b"hosts: all\ntasks: []\n", "one YAML list of plays"),
        (ansible.parse, b"- name: x\n  tasks: []\n", "no play names its `hosts`"),
        (
            compose.parse,
            b"a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
            b"c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
            b"e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
            b"services:\n  web: {image: x, command: *f}\n",
            "alias bomb",
        ),
        (ansible.parse, b"- hosts: all\n  tasks: " + b"[" * 150 + b"]" * 150 + b"\n", "nested more than 100"),
        (helm.parse_chart, b"apiVersion: v2\nname: !!python/name:os.system\nversion: 1\n", "is not allowed"),
    ],
)
def test_broken_and_hostile_files_fail_with_a_reason(parse, data, expected):
    with pytest.raises(ParseError) as error:
        parse(evidence(data))

    assert expected in error.value.reason


def test_helm_templates_are_refused_with_the_advice_to_render_them():
    template = (
        b'{{- if .Values.enabled }}\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ include "x" . }}\n'
    )

    with pytest.raises(ParseError) as error:
        read_evidence(io.BytesIO(template), name="deployment.yaml")

    assert "render the chart first" in error.value.reason


def test_go_template_text_in_a_configmap_is_still_a_manifest():
    data = (
        b"apiVersion: v1\nkind: ConfigMap\ndata:\n  alert.tmpl: '{{ range .Alerts }}{{ .Labels.alertname }}{{ end }}'\n"
    )

    assert read_evidence(io.BytesIO(data), name="cm.yaml").kind == "kubernetes"


CORPUS = SAMPLES / "infrastructure"


@pytest.mark.parametrize(
    "name",
    [
        "docker-zulip.compose.yaml",
        "docker-zulip-helm-Chart.yaml",
        "prometheus-pushgateway-helm-values.yaml",
        "mac-dev-playbook-main.yml",
        "../pipelines/terminal-ci.azure-pipelines.yml",
    ],
)
def test_mutated_real_files_give_facts_or_a_parse_error(name):
    readers = (*pipelines.KINDS, *infrastructure.KINDS)
    for mutated in mutations((CORPUS / name).read_bytes(), count=50, seed=len(name)):
        for _kind, recognises, parse in readers:
            recognises(mutated[:65536])
            with contextlib.suppress(ParseError):  # any other exception fails the test
                parse(evidence(mutated))
