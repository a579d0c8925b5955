"""Builds a full-size assessment for benchmarks and query-count tests: all of Part 3 answered, 300 evidence."""

from django.contrib.auth import get_user_model
from django.db import connection

from assessment.models import Answer, Criterion, Evidence, EvidenceLink, Membership, Organisation, Project
from assessment.selectors.catalog import current_model
from assessment.services.assessments import start_assessment

VALUES = ["met", "met", "met", "partly", "not_met"]


def full_assessment(*, evidence_count: int = 300, slug: str = "bench"):
    """A team member and a Part 3 assessment with every criterion answered and `evidence_count` notes."""
    organisation = Organisation.objects.create(name=f"Org {slug}", slug=slug)
    user = get_user_model().objects.create_user(f"team-{slug}", password="correct horse battery")  # noqa: S106 - benchmark data
    Membership.objects.create(organisation=organisation, user=user, is_team_member=True)
    project = Project.objects.create(organisation=organisation, name="Marketing platform")
    project.team.add(user)
    assessment = start_assessment(project=project, actor=user, target_level=3, model=current_model())
    criteria = list(Criterion.objects.filter(model=assessment.model, subitem__item__subdomain__part__code="cd"))
    Answer.objects.bulk_create(
        Answer(assessment=assessment, criterion=criterion, value=VALUES[index % len(VALUES)], updated_by=user)
        for index, criterion in enumerate(criteria)
    )
    evidence = Evidence.objects.bulk_create(
        Evidence(
            organisation=organisation,
            assessment=assessment,
            source="note",
            name=f"Note {index}",
            note=f"Evidence note {index}",
            sha256=f"{index:064x}",
            uploaded_by=user,
        )
        for index in range(evidence_count)
    )
    EvidenceLink.objects.bulk_create(
        EvidenceLink(evidence=item, criterion=criteria[index % len(criteria)]) for index, item in enumerate(evidence)
    )
    analyse()
    return user, assessment


def analyse() -> None:
    """Table statistics for the planner, as a database in use has them (autovacuum would gather them in time):
    without them, plans for tables just filled are guesses."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
