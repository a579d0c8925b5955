"""A year of made-up delivery events for a demo project, in the events API's format (DESIGN.md §8), so that they
go through the same ingest as a CI script's. Pure: no ORM.

Deterministic: one random.Random seeded by the project's name, and times relative to the last day given (the
demo passes yesterday), so every run on one day makes the same events. The rhythm is a telecom team's: merges
on working days and few at weekends, production deployments in the team's windows but never during the change
freeze around the golden weeks (demo_calendar), main-line builds after each merge and a nightly one, failed
deployments followed by a hotfix and a recovery, red builds followed by a green one, incidents resolved hours
later (or still open). `improvement` makes the team better over the year: at the start its failure rates and
recovery times are that many times the profile's, and its pace that many times slower.
"""

import bisect
import datetime
import math
import random
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from metrics.services.demo_calendar import is_frozen, is_holiday, is_working_day

DAYS = 365
WEEKDAYS = (0, 1, 2, 3, 4)
CHANGE_KINDS = ("feat", "feat", "feat", "fix", "fix", "refactor", "test", "chore", "perf")
TOPICS = (
    "账单查询分页",
    "套餐变更接口",
    "实名认证校验",
    "积分兑换规则",
    "工单流转状态",
    "短信验证码限流",
    "话费充值回调",
    "号卡激活流程",
    "宽带预约时段",
    "用户画像标签",
    "流量提醒阈值",
    "客户投诉分类",
    "订单超时关闭",
    "日志脱敏",
    "依赖版本升级",
    "接口鉴权缓存",
    "报表导出性能",
    "配置中心迁移",
)
INCIDENTS = (
    "支付回调超时 Payment callbacks time out",
    "登录接口 5xx 升高 Sign-in errors rising",
    "消息队列积压 Message queue backlog",
    "数据库连接池耗尽 Database connections exhausted",
    "证书即将过期告警 Certificate about to expire",
    "第三方短信网关故障 SMS gateway outage",
    "缓存击穿导致延迟 Cache stampede slows responses",
)
SEVERITIES = (("P1", 1), ("P2", 4), ("P3", 10), ("P4", 5))


@dataclass(frozen=True)
class DeliveryProfile:
    """How a team delivers, at the end of the year (see `improvement` in the module docstring)."""

    source: str  # the tool that reports its events: gitlab, github, jenkins, api
    production: str  # production's name as the tool sends it (production, prod, 生产)
    merges_per_day: float  # changes merged to the main line on an ordinary working day
    deploy_days: tuple[int, ...]  # weekdays with a production window (0 is Monday)
    deploys_per_window: float  # production deployments in one window (below 1: the chance it is used)
    window_hour: float | None  # a fixed evening window (22.0), or None to deploy through the working day
    change_fail_rate: float
    recovery_hours: float  # median, a failed deployment to the next successful one
    lead_hours: float  # median, first commit to merge
    build_minutes: float
    build_failure_rate: float
    incidents_per_month: float
    restore_hours: float  # median, an incident opened to resolved
    improvement: float = 1.0
    nightly: bool = False
    weekend_share: float = 0.05  # weekend merges relative to a working day
    pipeline: str = "main"
    branch: str = "main"


@dataclass
class _Year:
    profile: DeliveryProfile
    rng: random.Random
    zone: ZoneInfo
    end: datetime.datetime  # nothing happens at or after this moment
    events: list = field(default_factory=list)
    merged_at: list = field(default_factory=list)  # main-line merge times, in order, for picking what ships
    merged_sha: list = field(default_factory=list)
    deployed_sha: str = ""
    counter: int = 0

    def next_id(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}-{self.counter}"

    def sha(self) -> str:
        return f"{self.rng.getrandbits(160):040x}"

    def at(self, day: datetime.date, hours: float) -> datetime.datetime:
        return datetime.datetime.combine(day, datetime.time.min, tzinfo=self.zone) + datetime.timedelta(hours=hours)

    def add(self, kind: str, **values) -> None:
        for name, value in values.items():
            if isinstance(value, datetime.datetime):
                values[name] = value.isoformat(timespec="seconds")
        self.events.append({"type": kind, "source": self.profile.source, **values})


def _poisson(rng: random.Random, mean: float) -> int:
    """Knuth's method: the number of events of a Poisson process with this mean (small means only)."""
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def _spread(rng: random.Random, median: float, sigma: float = 0.6) -> float:
    """A positive duration around a median, with the long tail durations have."""
    return rng.lognormvariate(math.log(median), sigma)


def year_of_events(profile: DeliveryProfile, *, seed: str, last_day: datetime.date, zone: ZoneInfo) -> list[dict]:
    """The project's events from DAYS days before last_day up to its end, oldest first within each kind."""
    end = datetime.datetime.combine(last_day + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone)
    # Made-up demo data that must come out the same every run: a seeded generator, not a secure one.
    year = _Year(profile, random.Random(seed), zone, end)  # noqa: S311
    first_day = last_day - datetime.timedelta(days=DAYS - 1)
    for offset in range(DAYS):
        day = first_day + datetime.timedelta(days=offset)
        # Worse at the start of the year, the profile's own figures at its end.
        strain = profile.improvement + (1 - profile.improvement) * offset / (DAYS - 1)
        _merges(year, day, strain)
        if profile.nightly and is_working_day(day):
            _build(year, year.at(day, 2 + year.rng.random()), trigger="schedule", sha="", strain=strain)
        _deployments(year, day, strain)
        _incident(year, day, strain)
    return year.events


def _activity(profile: DeliveryProfile, day: datetime.date) -> float:
    if is_holiday(day):
        return 0.03
    return 1.0 if day.weekday() < 5 else profile.weekend_share


def _merges(year: _Year, day: datetime.date, strain: float) -> None:
    profile, rng = year.profile, year.rng
    count = _poisson(rng, profile.merges_per_day * _activity(profile, day) / strain)
    for hours in sorted(rng.uniform(9.5, 19.5) for _index in range(count)):
        merged = year.at(day, hours)
        sha = _change(year, merged, strain)
        year.merged_at.append(merged)
        year.merged_sha.append(sha)
        _build(year, merged + datetime.timedelta(minutes=rng.uniform(1, 3)), trigger="push", sha=sha, strain=strain)


def _change(year: _Year, merged: datetime.datetime, strain: float, *, title: str = "") -> str:
    rng, sha = year.rng, year.sha()
    authored = merged - datetime.timedelta(hours=_spread(year.rng, year.profile.lead_hours * strain, 0.9))
    title = title or f"{rng.choice(CHANGE_KINDS)}: {rng.choice(TOPICS)}"
    year.add(
        "change", external_id=year.next_id("mr"), commit_sha=sha, title=title, authored_at=authored, merged_at=merged
    )
    return sha


def _build(year: _Year, started: datetime.datetime, *, trigger: str, sha: str, strain: float) -> None:
    """A main-line pipeline run; a red one is followed by a green run once someone has fixed it."""
    profile, rng = year.profile, year.rng
    for attempt in range(2):
        finished = started + datetime.timedelta(minutes=_spread(rng, profile.build_minutes * math.sqrt(strain), 0.35))
        if finished >= year.end:
            return
        failed = attempt == 0 and rng.random() < min(0.5, profile.build_failure_rate * strain)
        result = "cancelled" if not failed and rng.random() < 0.02 else ("failure" if failed else "success")
        year.add(
            "build",
            external_id=year.next_id("pipeline"),
            name=profile.pipeline,
            branch=profile.branch,
            started_at=started,
            finished_at=finished,
            result=result,
            trigger=trigger,
            commit_sha=sha,
        )
        if not failed:
            return
        # Someone pushes a fix: sooner where builds are quick.
        started = finished + datetime.timedelta(minutes=_spread(rng, 1.5 * profile.build_minutes * strain, 0.8))


def _deployments(year: _Year, day: datetime.date, strain: float) -> None:
    profile, rng = year.profile, year.rng
    if is_frozen(day) or day.weekday() not in profile.deploy_days:
        return
    if profile.window_hour is not None:
        if rng.random() < profile.deploys_per_window / strain:
            _deploy(year, year.at(day, profile.window_hour + rng.uniform(0, 0.5)), strain)
        return
    count = _poisson(rng, profile.deploys_per_window / strain)
    for hours in sorted(rng.uniform(10, 20) for _index in range(count)):
        _deploy(year, year.at(day, hours), strain)


def _deploy(year: _Year, started: datetime.datetime, strain: float) -> None:
    """Ships the last change merged before it; a failure is followed by a hotfix and a recovery deployment."""
    rng = year.rng
    shipped = bisect.bisect_right(year.merged_at, started)
    if not shipped or year.merged_sha[shipped - 1] == year.deployed_sha:
        return  # nothing new to ship
    sha = year.merged_sha[shipped - 1]
    _deployment(year, "staging", started, sha, "success")
    started += datetime.timedelta(hours=rng.uniform(0.5, 1.5))
    failed = rng.random() < min(0.6, year.profile.change_fail_rate * strain)
    finished = _deployment(year, year.profile.production, started, sha, "failure" if failed else "success")
    year.deployed_sha = sha
    if not failed or finished is None:
        return
    recovered = finished + datetime.timedelta(hours=_spread(rng, year.profile.recovery_hours * strain, 0.7))
    if recovered >= year.end:
        return
    hotfix = _change(year, recovered - datetime.timedelta(minutes=20), strain=0.1, title="fix: 紧急修复 hotfix")
    _deployment(year, year.profile.production, recovered, hotfix, "success")


def _deployment(year: _Year, environment: str, started: datetime.datetime, sha: str, result: str):
    finished = started + datetime.timedelta(minutes=_spread(year.rng, 12, 0.5))
    if finished >= year.end:
        return None
    year.add(
        "deployment",
        external_id=year.next_id("deploy"),
        environment=environment,
        started_at=started,
        finished_at=finished,
        result=result,
        commit_sha=sha,
        version=f"{started:%Y.%m%d}.{year.counter}",
    )
    return finished


def _incident(year: _Year, day: datetime.date, strain: float) -> None:
    profile, rng = year.profile, year.rng
    if rng.random() >= profile.incidents_per_month * strain / 30:
        return
    opened = year.at(day, rng.uniform(0, 24))
    resolved = opened + datetime.timedelta(hours=_spread(rng, profile.restore_hours * strain, 0.8))
    severity = rng.choices([name for name, _weight in SEVERITIES], [weight for _name, weight in SEVERITIES])[0]
    year.events.append(
        {
            "type": "incident",
            "source": "itsm",  # incidents come from the service desk, not the delivery tool
            "external_id": year.next_id("INC"),
            "title": rng.choice(INCIDENTS),
            "severity": severity,
            "opened_at": opened.isoformat(timespec="seconds"),
            "resolved_at": resolved.isoformat(timespec="seconds") if resolved < year.end else None,
        }
    )
