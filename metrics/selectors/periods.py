"""Reporting periods (week, month, quarter) in the site's time zone (settings.TIME_ZONE). Pure.

A week starts on Monday, as PostgreSQL's date_trunc('week') does. A period is [start, end) in local dates; its
aware bounds are local midnight, so an event at 23:30 UTC on a Sunday already belongs to Monday's week in
Asia/Shanghai.
"""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext_lazy as _

WEEK, MONTH, QUARTER = "week", "month", "quarter"
KINDS = {WEEK: _("week"), MONTH: _("month"), QUARTER: _("quarter")}
DEFAULT_COUNT = {WEEK: 12, MONTH: 12, QUARTER: 8}
MAX_PERIODS = 260  # five years of weeks: enough for any chart, bounded for the database


def site_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def start_of(day: datetime.date, kind: str) -> datetime.date:
    """The first day of the period of this kind that contains the day."""
    if kind == WEEK:
        return day - datetime.timedelta(days=day.weekday())
    if kind == MONTH:
        return day.replace(day=1)
    return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)


def following(start: datetime.date, kind: str) -> datetime.date:
    """The first day of the next period."""
    if kind == WEEK:
        return start + datetime.timedelta(days=7)
    months = 1 if kind == MONTH else 3
    month_index = start.month - 1 + months
    return datetime.date(start.year + month_index // 12, month_index % 12 + 1, 1)


def preceding(start: datetime.date, kind: str) -> datetime.date:
    return start_of(start - datetime.timedelta(days=1), kind)


def local_midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=site_zone())


@dataclass(frozen=True)
class Period:
    kind: str
    start: datetime.date
    end: datetime.date  # exclusive

    @property
    def starts_at(self) -> datetime.datetime:
        return local_midnight(self.start)

    @property
    def ends_at(self) -> datetime.datetime:
        return local_midnight(self.end)

    @property
    def last_day(self) -> datetime.date:
        return self.end - datetime.timedelta(days=1)

    def is_complete(self, now: datetime.datetime) -> bool:
        return self.ends_at <= now

    def days_covered(self, now: datetime.datetime) -> float:
        """Days of the period that have passed (the whole period once it is over), for rates per day or week."""
        until = min(self.ends_at, max(now, self.starts_at))
        return (until - self.starts_at).total_seconds() / 86400


def period_of(day: datetime.date, kind: str) -> Period:
    start = start_of(day, kind)
    return Period(kind, start, following(start, kind))


def periods_between(first_day: datetime.date, last_day: datetime.date, kind: str) -> list[Period]:
    """Every period of the kind from the one containing first_day to the one containing last_day."""
    periods, start = [], start_of(first_day, kind)
    while start <= last_day and len(periods) <= MAX_PERIODS:
        end = following(start, kind)
        periods.append(Period(kind, start, end))
        start = end
    return periods


def recent_periods(today: datetime.date, kind: str, count: int | None = None) -> list[Period]:
    """The last `count` periods up to and including the current (unfinished) one."""
    start = start_of(today, kind)
    for _step in range((count or DEFAULT_COUNT[kind]) - 1):
        start = preceding(start, kind)
    return periods_between(start, today, kind)


def latest_complete(today: datetime.date, kind: str) -> Period:
    """The last period that ended before today began."""
    return period_of(preceding(start_of(today, kind), kind), kind)
