"""Deployment and incident records (CSV or JSON) turned into delivery figures. Pure.

Times must be ISO-8601 with a UTC offset (`2026-11-02T10:15:00+08:00`, or `Z`). A row whose time has no offset,
is not ISO-8601, or is otherwise unreadable is rejected with a reason and counted (`*.rejected_rows`); the
file fails only when no row at all can be read. Cells are text: a cell starting with `=` is never evaluated.

Deployments: only production rows count (environment prod, production, prd, 生产 or 生产环境, any case).
`deployments.count`, `.per_week` (count / weeks spanned, at least one week), `.max_per_day` (by the calendar
day of each row's own offset), `.change_fail_rate`, `.recovery_hours` (median time from the first failure of
a run of failed deployments to the next successful one; runs never recovered are left out),
`.rework_rate` (rows flagged rollback/hotfix, when the file has such a column), `.period_days`,
`.rejected_rows`. Incidents: `incidents.count`, `.open`, `.mttr_hours` (median opened -> resolved),
`.period_days`, `.rejected_rows`, and `incidents.by_severity.<severity>` counts.
Rows of the events API format with another `type` (e.g. `change`) are skipped, not rejected.
"""

import re
import statistics
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from assessment.parsers.base import Fact, ParseError, ParseResult, Source
from assessment.parsers.tabular import Record, head_text, header_names, is_json, normalise, read_records

DEPLOYMENT_COLUMNS = {
    "environment": ("environment", "env", "environment_name", "target_environment", "环境", "部署环境"),
    "started_at": ("started_at", "start_time", "started", "start", "start_at", "开始时间"),
    "finished_at": ("finished_at", "finish_time", "finished", "ended_at", "end_time", "completed_at", "end"),
    "deployed_at": ("deployed_at", "deploy_time", "deployment_time", "部署时间", "结束时间", "完成时间"),
    "result": ("result", "status", "outcome", "conclusion", "state", "结果", "状态"),
    "commit_sha": ("commit_sha", "commit", "sha", "revision", "git_sha"),
    "rework": ("rework", "rollback", "is_rollback", "hotfix", "is_hotfix", "回滚", "热修复"),
    "type": ("type", "event_type"),
}
INCIDENT_COLUMNS = {
    "opened_at": ("opened_at", "opened", "created_at", "created", "detected_at", "reported_at", "started_at"),
    "resolved_at": ("resolved_at", "resolved", "closed_at", "closed", "recovered_at", "restored_at", "mitigated_at"),
    "severity": ("severity", "sev", "priority", "level", "严重程度", "级别", "等级"),
    "type": ("type", "event_type"),
}
INCIDENT_COLUMNS["opened_at"] += ("发生时间", "创建时间", "开始时间")
INCIDENT_COLUMNS["resolved_at"] += ("解决时间", "恢复时间", "关闭时间")
PRODUCTION = frozenset({"prod", "production", "prd", "生产", "生产环境"})
SUCCESS = frozenset({"success", "succeeded", "successful", "ok", "passed", "pass", "deployed", "成功"})
FAILURE = frozenset({"failure", "failed", "fail", "error", "errored", "rolled_back", "rollback", "失败"})
TRUE_FLAGS = frozenset({"true", "yes", "y", "1", "rollback", "hotfix", "是"})
MAX_SEVERITIES = 20
_JSON_KEY = re.compile(r'"([^"\\\n]{1,64})"\s*+:')
_JSON_TYPE = re.compile(r'"type"\s*+:\s*+"(deployment|incident)"')


class _Reject(Exception):
    """A row that cannot be read; the message is the reason."""


def _head_facts(head: bytes) -> tuple[set[str], set[str]]:
    """(normalised column names, event types named) from the start of a CSV or JSON file."""
    text = head_text(head)
    if text is None:
        return set(), set()
    if is_json(text):
        return {normalise(key) for key in _JSON_KEY.findall(text)}, set(_JSON_TYPE.findall(text))
    return {normalise(name) for name in header_names(text)}, set()


def _has(names: set[str], columns: dict, *wanted: str) -> bool:
    return all(names & set(columns[name]) for name in wanted)


def _looks_like_incidents(names: set[str]) -> bool:
    return _has(names, INCIDENT_COLUMNS, "opened_at") and (
        _has(names, INCIDENT_COLUMNS, "resolved_at") or _has(names, INCIDENT_COLUMNS, "severity")
    )


def recognises_deployments(head: bytes) -> bool:
    """CSV header or JSON fields with an environment, a time and a result (and nothing incident-like)."""
    names, types = _head_facts(head)
    if "deployment" in types:
        return True
    timed = names & {*DEPLOYMENT_COLUMNS["started_at"], *DEPLOYMENT_COLUMNS["finished_at"]}
    timed |= names & set(DEPLOYMENT_COLUMNS["deployed_at"])
    return bool(timed) and _has(names, DEPLOYMENT_COLUMNS, "environment", "result") and not _looks_like_incidents(names)


def recognises_incidents(head: bytes) -> bool:
    """CSV header or JSON fields with an opening time and a resolution time or severity."""
    names, types = _head_facts(head)
    if "deployment" in types:
        return False  # a mixed events file is read for its deployments
    return "incident" in types or _looks_like_incidents(names)


def _moment(values: dict[str, str], column: str) -> datetime:
    text = values.get(column, "")
    if not text:
        raise _Reject(f"{column} is empty")
    try:
        moment = datetime.fromisoformat(text) if len(text) <= 40 else None
    except ValueError:
        moment = None
    if moment is None:
        raise _Reject(f"{column} {text[:30]!r} is not an ISO-8601 time")
    if moment.utcoffset() is None:
        raise _Reject(f"{column} {text[:30]!r} has no UTC offset")
    return moment


def _open(source: Source, columns: dict, required: tuple[str, ...], what: str) -> tuple[set[str], Iterable[Record]]:
    """The columns present and the records; ParseError when a required column is missing."""
    present, records = read_records(source, aliases=columns, what=what)
    missing = [name for name in required if not ({name} | _ALTERNATIVES.get(name, set())) & present]
    if missing:
        accepted = "; ".join(f"{name}: {', '.join(columns[name][:4])}" for name in missing)
        raise ParseError(f"The {what} lack required columns ({accepted}).")
    return present, records


_ALTERNATIVES = {"finished_at": {"started_at", "deployed_at"}}


class _Rejects:
    """Rows that could not be read: how many, and the first few reasons to show."""

    def __init__(self):
        self.count = 0
        self.examples: list[str] = []

    def add(self, line: int, reason: str) -> None:
        self.count += 1
        if len(self.examples) < 3:
            self.examples.append(f"row {line}: {reason}")

    def describe(self) -> str:
        if not self.count:
            return ""
        more = "; ..." if self.count > len(self.examples) else ""
        return f"; {self.count} row(s) rejected ({'; '.join(self.examples)}{more})"


def _readable(records: Iterable[Record], kind: str, rejects: _Rejects) -> Iterator[Record]:
    """Records of this kind (rows of another event `type` are skipped) that have no problem."""
    for record in records:
        if record.values.get("type", kind).strip().lower() != kind:
            continue
        if record.problem:
            rejects.add(record.line, record.problem)
        else:
            yield record


def _hours(seconds: float) -> float:
    return round(seconds / 3600, 2)


# Deployments


@dataclass(frozen=True, slots=True)
class _Deployment:
    started: datetime
    finished: datetime
    failed: bool
    production: bool
    rework: bool


def _deployment(values: dict[str, str]) -> _Deployment:
    environment = values.get("environment", "")
    if not environment:
        raise _Reject("environment is empty")
    result = values.get("result", "").lower()
    if not result:
        raise _Reject("result is empty")
    if result not in SUCCESS | FAILURE:
        raise _Reject(f"result {values.get('result', '')[:30]!r} is neither success nor failure")
    present = [column for column in ("started_at", "finished_at", "deployed_at") if values.get(column)]
    if not present:
        raise _Reject("there is no start or finish time")
    started = _moment(values, "started_at" if "started_at" in present else present[0])
    finished = _moment(
        values, next(column for column in ("finished_at", "deployed_at", "started_at") if column in present)
    )
    if finished < started:
        raise _Reject("it finished before it started")
    return _Deployment(
        started=started,
        finished=finished,
        failed=result in FAILURE,
        production=environment.lower() in PRODUCTION,
        rework=values.get("rework", "").lower() in TRUE_FLAGS,
    )


class _Production:
    """Production deployments kept compactly (a million rows take about 20 MB), then summed up."""

    def __init__(self):
        self.started, self.finished = array("d"), array("d")
        self.failed, self.rework = array("b"), array("b")
        self.days = Counter()  # local calendar day -> deployments

    def add(self, deployment: _Deployment) -> None:
        self.started.append(deployment.started.timestamp())
        self.finished.append(deployment.finished.timestamp())
        self.failed.append(deployment.failed)
        self.rework.append(deployment.rework)
        self.days[deployment.finished.date()] += 1

    def figures(self, *, has_rework: bool) -> dict[str, Fact]:
        count = len(self.finished)
        days = (max(self.finished) - min(self.started)) / 86400
        figures: dict[str, Fact] = {
            "deployments.period_days": round(days, 2),
            "deployments.per_week": round(count / max(days / 7, 1), 2),
            "deployments.max_per_day": max(self.days.values()),
            "deployments.change_fail_rate": round(sum(self.failed) / count, 4),
        }
        recoveries = self._recoveries()
        if recoveries:
            figures["deployments.recovery_hours"] = _hours(statistics.median(recoveries))
        if has_rework:
            figures["deployments.rework_rate"] = round(sum(self.rework) / count, 4)
        return figures

    def _recoveries(self) -> list[float]:
        """Seconds from the first failure of each run of failures to the next success, in finishing order."""
        recoveries, failed_since = [], None
        for index in sorted(range(len(self.finished)), key=self.finished.__getitem__):
            if self.failed[index] and failed_since is None:
                failed_since = self.finished[index]
            elif not self.failed[index] and failed_since is not None:
                recoveries.append(self.finished[index] - failed_since)
                failed_since = None
        return recoveries


def parse_deployments(source: Source) -> ParseResult:
    """Delivery figures from production deployment records; ParseError when no row can be read."""
    what = "deployment records"
    present, records = _open(source, DEPLOYMENT_COLUMNS, ("environment", "finished_at", "result"), what)
    rejects, production, readable = _Rejects(), _Production(), 0
    for record in _readable(records, "deployment", rejects):
        try:
            deployment = _deployment(record.values)
        except _Reject as reason:
            rejects.add(record.line, str(reason))
            continue
        readable += 1
        if deployment.production:
            production.add(deployment)
    if not readable:
        raise ParseError(f"No deployment row could be read{rejects.describe()}.")
    count = len(production.finished)
    facts: dict[str, Fact] = {"deployments.count": count, "deployments.rejected_rows": rejects.count}
    if count:
        facts |= production.figures(has_rework="rework" in present)
        summary = (
            f"{count} production deployments over {facts['deployments.period_days']} days "
            f"({facts['deployments.per_week']} a week), change fail rate {facts['deployments.change_fail_rate']:.0%}"
        )
    else:
        summary = f"No production deployments among {readable} readable row(s)"
    return ParseResult(kind="deployments", facts=facts, summary=summary + rejects.describe())


# Incidents


def parse_incidents(source: Source) -> ParseResult:
    """Incident counts and time to restore from incident records; ParseError when no row can be read."""
    what = "incident records"
    _present, records = _open(source, INCIDENT_COLUMNS, ("opened_at", "resolved_at"), what)
    rejects, durations, severities = _Rejects(), array("d"), Counter()
    count, open_count, first, last = 0, 0, None, None
    for record in _readable(records, "incident", rejects):
        try:
            start = _moment(record.values, "opened_at")
            end = _moment(record.values, "resolved_at") if record.values.get("resolved_at") else None
            if end is not None and end < start:
                raise _Reject("it was resolved before it was opened")
        except _Reject as reason:
            rejects.add(record.line, str(reason))
            continue
        count += 1
        first, last = min(first or start, start), max(last or start, start)
        if end is None:
            open_count += 1
        else:
            durations.append((end - start).total_seconds())
        if record.values.get("severity"):
            severities[_severity_key(record.values["severity"], severities)] += 1
    if not count:
        raise ParseError(f"No incident row could be read{rejects.describe()}.")
    facts: dict[str, Fact] = {
        "incidents.count": count,
        "incidents.open": open_count,
        "incidents.rejected_rows": rejects.count,
        "incidents.period_days": round((last - first).total_seconds() / 86400, 2),
    }
    if durations:
        facts["incidents.mttr_hours"] = _hours(statistics.median(durations))
    facts |= {f"incidents.by_severity.{key}": number for key, number in sorted(severities.items()) if key}
    mttr = f", median time to restore {facts['incidents.mttr_hours']} h" if durations else ""
    return ParseResult(
        kind="incidents", facts=facts, summary=f"{count} incidents, {open_count} open{mttr}{rejects.describe()}"
    )


def _severity_key(value: str, seen: Counter) -> str:
    """A severity as a fact-name segment ("P1" -> "p1"); rarer ones beyond the first 20 become "other"."""
    key = re.sub(r"\W+", "_", value.strip().lower())[:32].strip("_")
    if key and key not in seen and len(seen) >= MAX_SEVERITIES:
        return "other"
    return key


KINDS = (
    ("incidents", recognises_incidents, parse_incidents),
    ("deployments", recognises_deployments, parse_deployments),
)
