"""read_evidence: every sample is recognised as its own kind by content (whatever its name), gzip is expanded
within a cap, and anything unrecognised is kept for people as kind `other`."""

import gzip
import io

import pytest

from assessment.parsers.reading import Limits, ParseError, read_evidence
from tests.parsers.conftest import SAMPLES

EXPECTED = {
    "pytest-junit.xml": "junit",
    "surefire-junit.xml": "junit",
    "jest-junit.xml": "junit",
    "mocha-junit.xml": "junit",
    "gotestsum-junit.xml": "junit",
    "coveragepy-cobertura.xml": "cobertura",
    "jacoco.xml": "jacoco",
    "bandit.sarif": "sarif",
    "ruff.sarif": "sarif",
    "gitlab-ci.yml": "gitlab_ci",
    "github-workflow.yml": "github_actions",
    "github-healthchecks-django.yml": "github_actions",
    "Jenkinsfile": "jenkinsfile",
    "Dockerfile": "dockerfile",
    "k8s-deployment.yaml": "kubernetes",
    "main.tf": "terraform",
    "deployments.csv": "deployments",
    "incidents.json": "incidents",
}


def read(data: bytes, **limits):
    return read_evidence(io.BytesIO(data), name="upload", limits=Limits(**limits) if limits else None)


def test_every_sample_has_an_expectation():
    """Files at the top level; the corpora in sub-folders carry their own manifests and tests."""
    assert {path.name for path in SAMPLES.iterdir() if path.is_file() and path.name != "README.md"} == set(EXPECTED)


@pytest.mark.parametrize(("name", "kind"), sorted(EXPECTED.items()))
def test_each_sample_is_recognised_by_content(name, kind):
    result = read((SAMPLES / name).read_bytes())
    assert result.kind == kind
    assert result.facts, "a recognised file yields facts"


@pytest.mark.parametrize(("name", "kind"), sorted(EXPECTED.items()))
def test_gzipped_samples_read_the_same(name, kind):
    data = (SAMPLES / name).read_bytes()
    assert read(gzip.compress(data)) == read(data)


def test_unrecognised_content_is_kept_as_other():
    assert read(b"%PDF-1.7\n...").kind == "other"
    assert read("构建说明：每次提交触发流水线。".encode()).kind == "other"
    assert read(b"").kind == "other"


def test_a_gzip_bomb_is_refused_before_it_fills_anything():
    bomb = gzip.compress(b"\0" * (20 * 1024 * 1024))  # 20 MB of zeros in about 20 KB
    assert len(bomb) < 100_000
    with pytest.raises(ParseError, match="expands to more than 1 MB"):
        read(bomb, max_bytes=1024 * 1024)


@pytest.mark.parametrize("data", [b"\x1f\x8b\x08\x00garbage", gzip.compress(b"<testsuite/>")[:-12]])
def test_damaged_gzip_is_refused_with_a_reason(data):
    with pytest.raises(ParseError, match="gzip file is damaged or truncated"):
        read(data)
