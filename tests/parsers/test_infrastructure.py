"""Dockerfiles, Kubernetes manifests and Terraform: samples, edge cases and hostile text."""

import contextlib
import io
import json
import time

import pytest

from assessment.parsers import infrastructure
from assessment.parsers.base import ParseError
from assessment.parsers.reading import read_evidence

from .conftest import SAMPLES
from .fuzz import evidence, mutations


def facts_of(parse, text: str) -> dict:
    return parse(evidence(text.encode())).facts


def refusal(parse, data: bytes) -> str:
    with pytest.raises(ParseError) as error:
        parse(evidence(data))
    return error.value.reason


def recognised(data: bytes) -> list[str]:
    return [kind for kind, recognises, _parse in infrastructure.KINDS if recognises(data[:65536])]


@pytest.mark.parametrize(
    ("name", "kind"), [("Dockerfile", "dockerfile"), ("k8s-deployment.yaml", "kubernetes"), ("main.tf", "terraform")]
)
def test_each_sample_is_recognised_as_its_kind_only_and_through_the_dispatcher(name, kind):
    data = (SAMPLES / name).read_bytes()

    assert recognised(data) == [kind]
    assert read_evidence(io.BytesIO(data), name=name).kind == kind


@pytest.mark.parametrize("name", ["gitlab-ci.yml", "github-workflow.yml", "Jenkinsfile", "incidents.json"])
def test_other_kinds_are_not_taken_for_infrastructure(name):
    assert recognised((SAMPLES / name).read_bytes()) == []


# Dockerfile


def test_multi_stage_dockerfile_sample():
    result = infrastructure.parse_dockerfile(evidence((SAMPLES / "Dockerfile").read_bytes()))

    assert result.facts == {
        "iac.present": True,  # "类似 Dockerfile": the standard's own example of infrastructure as code
        "iac.kind": "dockerfile",
        "container.present": True,
        "dockerfile.stages": 2,  # the FROM inside the RUN heredoc is not an instruction
        "dockerfile.runs_as_root": False,
        "dockerfile.has_healthcheck": True,
        "dockerfile.base_image": "python:3.13-slim",  # the global ARG default is applied
    }
    assert result.summary == "Dockerfile: 2 stage(s), final image from python:3.13-slim, runs as app"


@pytest.mark.parametrize(
    ("text", "as_root"),
    [
        ("FROM alpine\nRUN echo hi\n", True),
        ("FROM alpine\nUSER root\n", True),
        ("FROM alpine\nUSER 0:0\n", True),
        ("FROM alpine\nUSER 10001:10001\n", False),
        ("FROM alpine AS base\nUSER app\nFROM base\nRUN true\n", False),  # inherited from the named stage
        ("FROM alpine AS build\nUSER app\nFROM alpine\nCOPY --from=build /x /x\n", True),
        ("from alpine\nuser nobody\n", False),  # instructions are case-insensitive
    ],
)
def test_runs_as_root_judges_the_final_stage(text, as_root):
    assert facts_of(infrastructure.parse_dockerfile, text)["dockerfile.runs_as_root"] is as_root


def test_line_continuations_comments_and_escape_directive():
    text = "# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\n"
    text += "RUN dir `\n  # a comment inside\n  c:\\\nUSER ContainerUser\n"

    facts = facts_of(infrastructure.parse_dockerfile, text)

    assert facts["dockerfile.stages"] == 1
    assert facts["dockerfile.runs_as_root"] is False


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"RUN make\nFROM alpine\n", "line 1: RUN comes before the first FROM"),
        (b"FROM alpine\napt-get install -y curl\n", "line 2: unknown instruction APT-GET"),
        (b"ARG A=1\n", "there is no FROM instruction"),
        (b"FROM\n", "FROM needs an image"),
        (b"FROM alpine\nRUN echo \xff\n", "not valid UTF-8 (line 2)"),
    ],
)
def test_broken_dockerfiles(data, expected):
    assert expected in refusal(infrastructure.parse_dockerfile, data)


@pytest.mark.parametrize(
    ("data", "is_dockerfile"),
    [
        (b"# syntax=docker/dockerfile:1\nARG BASE=alpine\nFROM ${BASE}\n", True),
        (b"FROM --platform=$BUILDPLATFORM golang:1.23 AS build\n", True),
        (b"from the beginning of time we wrote notes\n", False),
        (b"ENV A=1\nFROM alpine\n", False),
        (b"From: alice@example.com\nSubject: hi\n", False),
    ],
)
def test_dockerfile_recogniser(data, is_dockerfile):
    assert (recognised(data) == ["dockerfile"]) is is_dockerfile


@pytest.mark.parametrize(
    "data",
    [b"FROM a\nRUN " + b"x" * 900_000, b"FROM a\nRUN " + b"x \\\n" * 100_000, b"FROM a\n" + b"RUN <<EOF\n" * 50_000],
)
def test_adversarial_dockerfiles_finish_fast(data):
    started = time.process_time()

    infrastructure.parse_dockerfile(evidence(data))

    assert time.process_time() - started < 1


# Kubernetes


def test_deployment_and_service_sample():
    result = infrastructure.parse_kubernetes(evidence((SAMPLES / "k8s-deployment.yaml").read_bytes()))

    assert result.facts == {
        "iac.present": True,
        "iac.kind": "kubernetes",
        "k8s.objects": 2,
        "k8s.kinds": "Deployment, Service",
        "k8s.workloads": 1,
        "k8s.containers": 1,
        "container.present": True,
        "k8s.has_resource_limits": True,
        "k8s.has_probes": True,
    }


def test_jobs_need_no_probes_but_services_do_and_lists_are_expanded():
    text = """apiVersion: v1
kind: List
items:
  - apiVersion: batch/v1
    kind: CronJob
    spec:
      jobTemplate:
        spec:
          template:
            spec:
              containers: [{name: report, image: x, resources: {limits: {memory: 128Mi}}}]
  - apiVersion: apps/v1
    kind: StatefulSet
    spec:
      template:
        spec:
          containers: [{name: db, image: postgres:17}]
---
# an empty document
---
apiVersion: v1
kind: ConfigMap
data: {a: b}
"""
    facts = facts_of(infrastructure.parse_kubernetes, text)

    assert facts["k8s.objects"] == 3
    assert facts["k8s.kinds"] == "ConfigMap, CronJob, StatefulSet"
    assert facts["k8s.containers"] == 2
    assert facts["k8s.has_probes"] is False  # the StatefulSet's container has none
    assert facts["k8s.has_resource_limits"] is False


def test_manifest_without_workloads_has_no_container_facts():
    facts = facts_of(infrastructure.parse_kubernetes, "apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n")

    assert facts["container.present"] is False
    assert "k8s.has_probes" not in facts
    assert "k8s.has_resource_limits" not in facts


def test_json_manifest_is_recognised_and_read():
    data = json.dumps({"apiVersion": "v1", "kind": "Pod", "spec": {"containers": [{"name": "a", "image": "b"}]}})

    assert recognised(data.encode()) == ["kubernetes"]
    assert facts_of(infrastructure.parse_kubernetes, data)["k8s.has_probes"] is False


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"apiVersion: v1\nkind: Service\nspec: {{ .Values.spec }}\n", "render the chart first"),
        # valid YAML, yet still a template: the quoted actions are only known once rendered
        (b'apiVersion: v1\nkind: Pod\nspec:\n  image: "{{ .Values.image }}"\n', "Helm template, not a manifest"),
        (b"name: x\nvalue: 1\n", "no document has both apiVersion and kind"),
        (b"apiVersion: v1\nkind: Pod\nspec: !!python/object/apply:os.system [id]\n", "tag !!python/object/apply"),
        (b"apiVersion: v1\nkind: Pod\nmetadata:\n  name: [unclosed\n", "YAML syntax error at line 5"),
    ],
)
def test_broken_manifests(data, expected):
    assert expected in refusal(infrastructure.parse_kubernetes, data)


# Terraform


def test_terraform_sample():
    result = infrastructure.parse_terraform(evidence((SAMPLES / "main.tf").read_bytes()))

    assert result.facts == {
        "iac.present": True,
        "iac.kind": "terraform",
        "terraform.resources": 3,
        "terraform.modules": 1,
        "terraform.providers": "aws, random",
    }


def test_braces_in_strings_heredocs_and_comments_do_not_count():
    text = """# resource "fake" "one" {
// resource "fake" "two" {
resource "google_storage_bucket" "b" {
  name = "x-${var.env == "prod" ? "p" : "d"}-{id}"
  cors {
    origin = ["*"]
  }
  labels = { team = "a" }
  description = <<EOT
  } resource "fake" "three" {
  EOT
}
data "aws_caller_identity" "me" {}
"""
    facts = facts_of(infrastructure.parse_terraform, text)

    assert facts["terraform.resources"] == 1
    assert facts["terraform.providers"] == "aws, google"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b'resource "a_b" "c" {\n  x = 1\n', "ends inside `resource`"),
        (b'resource "a_b" "c" {}\n}\n', "line 2: `}` without a matching `{`"),
        (b'build "x" {\n}\n', "line 1: build is not a Terraform block"),
        (b'region = "eu-west-1"\n', "there are no blocks"),
        (b'resource "a" "b" ' + b"{" * 50_000, "nested too deeply"),
    ],
)
def test_broken_terraform(data, expected):
    assert expected in refusal(infrastructure.parse_terraform, data)


@pytest.mark.parametrize(
    ("data", "is_terraform"),
    [
        (b'provider "aws" {\n  region = "x"\n}\n', True),
        (b"terraform {\n}\n", True),
        (b'variable "a" {}\n', False),  # as likely Packer as Terraform
        (b'source "amazon-ebs" "x" {\n}\nbuild {\n}\nvariable "a" {}\nresource "x" "y" {}\n', False),  # Packer
        (b'job "web" {\n}\n', False),  # Nomad
    ],
)
def test_terraform_recogniser(data, is_terraform):
    assert (recognised(data) == ["terraform"]) is is_terraform


@pytest.mark.parametrize(
    "data",
    [
        b'resource "a" "b" {\n x = ' + b"<<EOT\n" * 100_000,
        b'resource "a" "b" {' + b'"' * 400_000,
        b"resource " + b'"a" ' * 100_000 + b"{",
        b"/* " * 200_000,
        b"resource" + b" " * 900_000,
    ],
)
def test_adversarial_hcl_finishes_fast(data):
    started = time.process_time()

    with pytest.raises(ParseError):
        infrastructure.parse_terraform(evidence(data))
    infrastructure.recognises_terraform(data[:65536])

    assert time.process_time() - started < 1


@pytest.mark.parametrize("name", ["Dockerfile", "k8s-deployment.yaml", "main.tf"])
def test_mutated_samples_give_facts_or_a_parse_error(name):
    for mutated in mutations((SAMPLES / name).read_bytes(), count=150, seed=len(name)):
        for _kind, recognises, parse in infrastructure.KINDS:
            recognises(mutated[:65536])
            with contextlib.suppress(ParseError):  # any other exception fails the test
                parse(evidence(mutated))
