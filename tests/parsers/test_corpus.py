"""Real files from public projects: the parser's facts must match what an assessor reads in each file.

Each folder's SOURCES.yaml names every file's repository, commit, path and licence and the facts written down
by reading it, or for a file that must not be read as it stands (a Helm template), the reason it is refused.
Adding a file without an entry (or an entry without its file) fails here.
"""

import io

import pytest
import yaml

from assessment.parsers.base import ParseError
from assessment.parsers.reading import read_evidence

from .conftest import SAMPLES

FOLDERS = ("pipelines", "infrastructure")


def manifest(folder: str) -> dict:
    return yaml.safe_load((SAMPLES / folder / "SOURCES.yaml").read_text(encoding="utf-8"))


CASES = [(folder, name, entry) for folder in FOLDERS for name, entry in manifest(folder).items()]


@pytest.mark.parametrize("folder", FOLDERS)
def test_every_file_has_a_source_and_every_source_a_file(folder):
    files = {path.name for path in (SAMPLES / folder).iterdir() if path.name != "SOURCES.yaml"}

    assert files == set(manifest(folder))
    for entry in manifest(folder).values():
        assert {"repository", "commit", "path", "licence"} <= set(entry)
        assert len(set(entry) & {"expected", "refused"}) == 1
        assert len(entry["commit"]) == 40


READ = [case for case in CASES if "expected" in case[2]]
REFUSED = [case for case in CASES if "refused" in case[2]]


@pytest.mark.parametrize(("folder", "name", "entry"), READ, ids=[f"{case[0]}/{case[1]}" for case in READ])
def test_facts_match_what_the_file_says(folder, name, entry):
    result = read_evidence(io.BytesIO((SAMPLES / folder / name).read_bytes()), name=name)
    expected = dict(entry["expected"])

    assert result.kind == expected.pop("kind")
    assert {fact: result.facts.get(fact) for fact in expected} == expected


@pytest.mark.parametrize(("folder", "name", "entry"), REFUSED, ids=[f"{case[0]}/{case[1]}" for case in REFUSED])
def test_files_that_cannot_be_read_as_they_stand_are_refused_with_the_reason(folder, name, entry):
    with pytest.raises(ParseError) as error:
        read_evidence(io.BytesIO((SAMPLES / folder / name).read_bytes()), name=name)

    assert entry["refused"] in error.value.reason


def test_the_corpus_spans_many_projects():
    projects = {entry["repository"] for _folder, _name, entry in CASES}

    assert len(projects) >= 16
