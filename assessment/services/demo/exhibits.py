"""The demo team's evidence: files of assessment/demo_files (their provenance is in its SOURCES.yaml), links and
notes, attached through the evidence service and read through the scoring service as any upload is."""

import datetime
import io
from pathlib import Path

from django.core.files.base import ContentFile

from assessment.models import Assessment, Evidence
from assessment.parsers.reading import read_evidence
from assessment.services.demo.story import Exhibit
from assessment.services.evidence import add_evidence
from assessment.services.scoring import score_evidence_now
from assessment.services.snapshots import criteria_reading

DEMO_FILES = Path(__file__).resolve().parents[2] / "demo_files"


def attach_exhibit(*, assessment: Assessment, exhibit: Exhibit, actor, effective_on: datetime.date) -> Evidence:
    if exhibit.file:
        content = (DEMO_FILES / exhibit.file).read_bytes()
        return attach_file(
            assessment=assessment,
            name=exhibit.file,
            content=content,
            actor=actor,
            effective_on=effective_on,
            criteria=exhibit.criteria,
        )
    return add_evidence(
        assessment=assessment,
        actor=actor,
        criteria_codes=list(exhibit.criteria),
        url=exhibit.url,
        note=exhibit.note,
        name=exhibit.name,
        effective_on=effective_on,
    )


def attach_file(
    *,
    assessment: Assessment,
    name: str,
    content: bytes,
    actor,
    effective_on: datetime.date,
    criteria: tuple[str, ...] = (),
) -> Evidence:
    """Uploads the file for the criteria given, or else for every criterion whose checks read what it reports (as a
    team attaches its pipeline file to each criterion it speaks to), and reads it at once."""
    codes = list(criteria) or _criteria_reading(assessment, name, content)
    evidence = add_evidence(
        assessment=assessment,
        actor=actor,
        criteria_codes=codes,
        upload=ContentFile(content, name=name),
        effective_on=effective_on,
    )
    # Read now rather than by the worker after the commit: the story goes on to submission and review within this
    # run, and the assessor decides on the verdicts. The task sent after the commit finds it read and does nothing.
    score_evidence_now(evidence_id=evidence.pk, task_id=f"demo-{evidence.pk}")
    return evidence


def _criteria_reading(assessment: Assessment, name: str, content: bytes) -> list[str]:
    facts = read_evidence(io.BytesIO(content), name=name).facts
    return sorted(criterion.code for criterion in criteria_reading(assessment, facts))
