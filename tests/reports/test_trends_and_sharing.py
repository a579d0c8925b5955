"""Trends between published assessments (levels per sub-domain, delivery deltas) and read-only share links."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assessment.models import Assessment, AuditEntry, ShareLink
from assessment.services.assessments import start_assessment
from tests.reports.conftest import answer, ladder, metric_snapshot

pytestmark = pytest.mark.django_db


def publish(assessment, days_ago: int) -> None:
    """Stands in for the review workflow's publication (not part of this feature)."""
    Assessment.objects.filter(pk=assessment.pk).update(
        state="published", published_at=timezone.now() - datetime.timedelta(days=days_ago)
    )


@pytest.fixture
def two_published(assessment, project, team, all_subitems):
    answer(assessment, team, {f"{code}@1": "met" for code in all_subitems})
    metric_snapshot(assessment, team, {"delivery.delivery_cycle_days": 20.0, "delivery.pipeline_success_rate": 0.8})
    publish(assessment, 90)
    later = start_assessment(project=project, actor=team, target_level=3)
    answer(later, team, {f"{code}@{level}": "met" for code in all_subitems for level in (1, 2)})
    answer(later, team, {"cd.cm.vc.vcs@3": "met"})
    metric_snapshot(later, team, {"delivery.delivery_cycle_days": 11.0, "delivery.pipeline_success_rate": 0.9})
    publish(later, 1)
    draft = start_assessment(project=project, actor=team, target_level=3)  # not published: not in the trend
    return assessment, later, draft


def test_trends_compare_the_last_two_published_assessments(client, manager, project, two_published):
    first, later, _draft = two_published
    client.force_login(manager)
    response = client.get(reverse("trends", args=(project.pk,)), {"reading": "provisional"})
    trends = response.context["trends"]
    assert [point.assessment.pk for point in trends.points] == [first.pk, later.pk]
    assert (trends.before.assessment.pk, trends.after.assessment.pk) == (first.pk, later.pk)
    cm = next(change for change in trends.changes if change.code == "cd.cm")
    assert (cm.before.notation, cm.after.notation, cm.change) == ("1", "2", 1)  # min over the sub-domain
    cycle = next(delta for delta in trends.deltas if delta.figure.name == "delivery.delivery_cycle_days")
    assert round(cycle.change_percent) == -45 and cycle.is_improvement
    html = response.content.decode()
    assert "\u221245%" in html and "+12%" in html  # delivery cycle −45%, success rate +12.5%


def test_trends_compare_any_two_and_default_to_the_confirmed_reading(client, manager, project, two_published):
    first, later, _draft = two_published
    client.force_login(manager)
    trends = client.get(reverse("trends", args=(project.pk,)), {"before": later.pk, "after": first.pk}).context[
        "trends"
    ]
    assert trends.reading == "confirmed"
    assert (trends.before.assessment.pk, trends.after.assessment.pk) == (later.pk, first.pk)
    cycle = next(delta for delta in trends.deltas if delta.figure.name == "delivery.delivery_cycle_days")
    assert round(cycle.change_percent) == 82 and not cycle.is_improvement


def test_sharing_needs_the_admins_permission(client, assessment, manager, orgadmin):
    client.force_login(manager)
    response = client.post(
        reverse("share-create", args=(assessment.pk,)), {"days": "7"}, follow=True, headers={"accept-language": "en"}
    )
    assert ShareLink.objects.count() == 0 and "has not allowed" in response.content.decode()
    client.force_login(orgadmin)
    client.post(reverse("share-settings", args=("acme",)), {"allow_share_links": "on"})
    assert AuditEntry.objects.filter(action="organisation.share_links").exists()
    client.force_login(manager)
    response = client.post(reverse("share-create", args=(assessment.pk,)), {"days": "7"}, follow=True)
    assert ShareLink.objects.count() == 1


def test_a_share_link_shows_the_report_read_only_until_revoked_or_expired(client, assessment, team, manager, acme):
    organisation = acme[0]
    organisation.allow_share_links = True
    organisation.save()
    answer(assessment, team, ladder("cd.cm.vc.vcs", "met", "met", "partly"))
    client.force_login(manager)
    response = client.post(reverse("share-create", args=(assessment.pk,)), {"days": "7"}, follow=True)
    message = next(iter(response.context["messages"])).message
    url = message[message.index("/shared/") :]
    link = ShareLink.objects.get()
    assert link.token_digest not in url  # only the digest is stored

    client.logout()
    shared = client.get(url, headers={"accept-language": "en"})
    assert shared.status_code == 200 and shared["Referrer-Policy"] == "no-referrer"
    html = shared.content.decode()
    assert "read-only shared copy" in html and "3-" in html
    assert reverse("questionnaire", args=(assessment.pk, "cd.cm")) not in html  # no way into the app
    assert 'action="/assessments/' not in html

    ShareLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get(url).status_code == 404
    ShareLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() + datetime.timedelta(days=1))
    assert client.get(url).status_code == 200
    organisation.allow_share_links = False
    organisation.save()
    assert client.get(url).status_code == 404  # switching sharing off stops every link
    organisation.allow_share_links = True
    organisation.save()

    client.force_login(manager)
    client.post(reverse("share-revoke", args=(link.pk,)))
    client.logout()
    assert client.get(url).status_code == 404
    assert client.get("/shared/not-a-token/").status_code == 404


def test_only_managers_and_admins_share(client, assessment, team, assessor, acme):
    acme[0].allow_share_links = True
    acme[0].save()
    for person in (team, assessor):
        client.force_login(person)
        assert client.post(reverse("share-create", args=(assessment.pk,)), {"days": "7"}).status_code == 403
