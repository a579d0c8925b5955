"""Derived links between events: which production deployment shipped a change, which one an incident follows.

DevLake's rule (anchors.md §3) is that a successful production deployment owns the changes whose commits lie
between the previous successful production deployment's commit and its own. We keep no git graph, so we read
"lies between" as follows, and recompute it from scratch so the order events arrived in never matters:

* Only successful production deployments own anything; failed ones and other environments own nothing.
* Commit identity first: a change whose commit is the one a deployment shipped belongs to the earliest such
  deployment (a later redeploy of the same commit ships nothing new).
* Otherwise time: the change belongs to the first deployment that finished at or after the change landed on
  the main line (merged, or authored if it was never merged): the earliest deployment that could contain it.
  Every later deployment finds it already owned, which is DevLake's "since the previous deployment". A
  redeploy or rollback (a commit an earlier successful production deployment shipped) owns nothing new by
  time, as its DevLake commit range would be empty.
* `deployed_at` is the owning deployment's finish time; a change nothing has shipped yet has neither.
* An incident belongs to the last successful production deployment that finished at or before it opened, as in
  DevLake's incident_deploy_connector (a failed deployment shipped nothing to blame); None if there is none.

Each is one set-based UPDATE per table. On PostgreSQL rows whose links did not move are not rewritten.
"""

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from metrics.models import Change, Deployment, Incident, Result


def _shipped(alias: str) -> str:
    return f"{alias}.project_id = %(project)s AND {alias}.is_production AND {alias}.result = 'success'"


# A redeploy or rollback to a commit an earlier deployment already shipped brings nothing new.
_SHIPS_NEW = f"""NOT EXISTS (
    SELECT 1 FROM metrics_deployment e WHERE {_shipped("e")} AND d.commit_sha <> '' AND e.commit_sha = d.commit_sha
      AND (e.finished_at, e.id) < (d.finished_at, d.id))"""  # noqa: S608 (constant SQL)

_CHANGES_SQL = f"""
UPDATE metrics_change AS c
SET deployment_id = owner.id, deployed_at = owner.finished_at
FROM metrics_change AS c2
LEFT JOIN LATERAL (
    SELECT d.id, d.finished_at FROM metrics_deployment d
    WHERE {_shipped("d")} AND c2.commit_sha <> '' AND d.commit_sha = c2.commit_sha
    ORDER BY d.finished_at, d.id LIMIT 1
) AS by_commit ON TRUE
LEFT JOIN LATERAL (
    SELECT d.id, d.finished_at FROM metrics_deployment d
    WHERE {_shipped("d")} AND d.finished_at >= COALESCE(c2.merged_at, c2.authored_at) AND {_SHIPS_NEW}
    ORDER BY d.finished_at, d.id LIMIT 1
) AS by_time ON by_commit.id IS NULL
CROSS JOIN LATERAL (
    SELECT COALESCE(by_commit.id, by_time.id) AS id, COALESCE(by_commit.finished_at, by_time.finished_at) AS finished_at
) AS owner
WHERE c2.project_id = %(project)s AND c.id = c2.id
  AND (c.deployment_id IS DISTINCT FROM owner.id OR c.deployed_at IS DISTINCT FROM owner.finished_at)
"""  # noqa: S608  (no user input is formatted in; the project id is a parameter)

_INCIDENTS_SQL = f"""
UPDATE metrics_incident AS i
SET deployment_id = owner.id
FROM metrics_incident AS i2
LEFT JOIN LATERAL (
    SELECT d.id FROM metrics_deployment d
    WHERE {_shipped("d")} AND d.finished_at <= i2.opened_at
    ORDER BY d.finished_at DESC, d.id DESC LIMIT 1
) AS owner ON TRUE
WHERE i2.project_id = %(project)s AND i.id = i2.id AND i.deployment_id IS DISTINCT FROM owner.id
"""  # noqa: S608


@transaction.atomic
def relink_project(*, project_id: int) -> None:
    """Recomputes every change's and incident's deployment for the project; running it twice changes nothing."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_CHANGES_SQL, {"project": project_id})
            cursor.execute(_INCIDENTS_SQL, {"project": project_id})
        return
    _relink_portably(project_id)


def _relink_portably(project_id: int) -> None:
    """The same rule as correlated subqueries, for SQLite (the embedded default); rewrites every row."""
    shipped = Deployment.objects.filter(project_id=project_id, is_production=True, result=Result.SUCCESS)
    by_commit = shipped.filter(commit_sha=OuterRef("commit_sha")).exclude(commit_sha="")
    earlier_same_commit = shipped.filter(commit_sha=OuterRef("commit_sha")).filter(
        Q(finished_at__lt=OuterRef("finished_at")) | Q(finished_at=OuterRef("finished_at"), pk__lt=OuterRef("pk"))
    )
    by_time = shipped.filter(finished_at__gte=Coalesce(OuterRef("merged_at"), OuterRef("authored_at"))).exclude(
        ~Q(commit_sha="") & Exists(earlier_same_commit)
    )
    first = ("finished_at", "pk")
    changes = Change.objects.filter(project_id=project_id)
    changes.update(
        deployment_id=Coalesce(
            Subquery(by_commit.order_by(*first).values("pk")[:1]),
            Subquery(by_time.order_by(*first).values("pk")[:1]),
        )
    )
    changes.update(deployed_at=Subquery(Deployment.objects.filter(pk=OuterRef("deployment_id")).values("finished_at")))
    last_before = shipped.filter(finished_at__lte=OuterRef("opened_at")).order_by("-finished_at", "-pk")
    Incident.objects.filter(project_id=project_id).update(deployment_id=Subquery(last_before.values("pk")[:1]))
