"""Real report files from public projects (samples/reports/SOURCES.yaml): each is recognised as its kind and read
to the facts a person wrote down from the file itself."""

import io
from fractions import Fraction

import pytest
import yaml

from assessment.parsers.reading import read_evidence

from .conftest import SAMPLES

REPORTS = SAMPLES / "reports"
MANIFEST = yaml.safe_load((REPORTS / "SOURCES.yaml").read_text(encoding="utf-8"))["files"]
LICENCES = {"Apache-2.0", "MIT", "BSD-3-Clause", "BSD-2-Clause", "MPL-2.0"}
SOURCE_FIELDS = {"file", "producer", "repository", "commit", "path", "licence", "kind", "expected"}


def expected_value(value):
    """A figure as written in the manifest: "a/b" is the fraction of two counters read from the file."""
    if isinstance(value, str) and "/" in value and value.replace("/", "").isdigit():
        return float(Fraction(value))
    return value


def test_every_report_file_has_exactly_one_manifest_entry():
    files = sorted(path.name for path in REPORTS.iterdir() if path.name != "SOURCES.yaml")
    entries = sorted(entry["file"] for entry in MANIFEST)

    assert files == entries


@pytest.mark.parametrize("entry", MANIFEST, ids=lambda entry: entry["file"])
def test_manifest_entry_names_its_source_and_a_redistributable_licence(entry):
    assert set(entry) >= SOURCE_FIELDS
    assert entry["licence"] in LICENCES
    assert len(entry["commit"]) == 40 and int(entry["commit"], 16) >= 0
    assert (REPORTS / entry["file"]).stat().st_size < 200 * 1024


def test_the_corpus_covers_the_producers_and_projects_the_issue_asks_for():
    kinds = [entry["kind"] for entry in MANIFEST]
    sarif_tools = {entry["expected"]["sarif.tools"] for entry in MANIFEST if entry["kind"] == "sarif"}

    assert len({entry["repository"] for entry in MANIFEST}) >= 10
    assert kinds.count("junit") >= 5 and "cobertura" in kinds and "jacoco" in kinds
    assert len(sarif_tools) >= 3
    assert any("coverage.groups" in entry["expected"] for entry in MANIFEST)
    assert any("junit.flaky" in entry["expected"] for entry in MANIFEST)


@pytest.mark.parametrize("entry", MANIFEST, ids=lambda entry: entry["file"])
def test_real_report_reads_to_the_facts_read_from_the_file(entry):
    data = (REPORTS / entry["file"]).read_bytes()

    result = read_evidence(io.BytesIO(data), name=entry["file"])

    assert result.kind == entry["kind"]
    for fact, value in entry["expected"].items():
        expected = expected_value(value)
        if isinstance(expected, float | int) and not isinstance(expected, bool):
            assert result.facts.get(fact) == pytest.approx(expected, abs=5e-4), fact
        else:
            assert result.facts.get(fact) == expected, fact
    for fact in entry.get("absent", []):
        assert fact not in result.facts, fact
