"""Dates a demo round as the story tells it.

The services stamp every row with the present moment, and no service moves a date afterwards (a real assessment's
dates are what happened). The story's rounds happened weeks or months ago, and the trends, the portfolio, the
report and the notifications read these dates, so this is the one place where the demo writes rows itself. The
audit trail keeps the moments of the run that seeded it: it is append-only by design, and stays so.
"""

import datetime

from assessment.models import Answer, Assessment, Decision, Evidence, Notification
from assessment.services.demo.story import DemoClock, Round, review_days_ago
from assessment.services.snapshots import SNAPSHOT_KIND

SENT_TO_ASSESSORS = ("submitted", "assigned")


def backdate_round(*, assessment: Assessment, round_: Round, clock: DemoClock) -> None:
    started = clock.moment(round_.started, 10)
    submitted = clock.moment(round_.submitted, 17) if round_.submitted is not None else None
    reviewed = clock.moment(review_days_ago(round_), 15) if submitted else None
    published = clock.moment(round_.published, 11) if round_.published is not None else None
    Assessment.objects.filter(pk=assessment.pk).update(
        created_at=started,
        submitted_at=submitted,
        published_at=published,
        updated_at=published or reviewed or started,
    )
    if published:
        assessment.refresh_from_db(fields=["snapshot"])
        assessment.snapshot["published_at"] = published.astimezone(datetime.UTC).isoformat()  # as publishing writes it
        assessment.save(update_fields=["snapshot"])
    Answer.objects.filter(assessment=assessment).update(updated_at=started + datetime.timedelta(days=1))
    _date_evidence(assessment, clock)
    if reviewed:
        Decision.objects.filter(assessment=assessment).update(decided_at=reviewed)
    _date_notifications(assessment, submitted=submitted, reviewed=reviewed, published=published)


def _date_evidence(assessment: Assessment, clock: DemoClock) -> None:
    """Uploaded on its effective date; a metric snapshot the morning after its period ended."""
    evidence = list(Evidence.objects.filter(assessment=assessment).only("pk", "kind", "effective_on"))
    for item in evidence:
        days_ago = (clock.today - item.effective_on).days
        if item.kind == SNAPSHOT_KIND:
            item.uploaded_at = clock.moment(max(days_ago - 1, 0), 6)
        else:
            item.uploaded_at = clock.moment(days_ago, 10)
    Evidence.objects.bulk_update(evidence, ["uploaded_at"])


def _date_notifications(assessment: Assessment, *, submitted, reviewed, published) -> None:
    """Each notice dated by the move it tells of, and emailed then: the email task sent after this run's commit
    finds it sent and does not mail people about moves made months ago."""
    notices = Notification.objects.filter(assessment=assessment)
    if submitted:
        notices.filter(kind__in=SENT_TO_ASSESSORS).update(created_at=submitted, emailed_at=submitted)
    if reviewed:
        notices.filter(kind="information_requested").update(created_at=reviewed, emailed_at=reviewed)
        resubmitted = reviewed + datetime.timedelta(days=3)
        notices.filter(kind="resubmitted").update(created_at=resubmitted, emailed_at=resubmitted)
    if published:
        notices.filter(kind="published").update(created_at=published, emailed_at=published)
