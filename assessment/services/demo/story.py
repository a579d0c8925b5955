"""The demo organisation's story, as data: its projects, and for each the assessment rounds it went through, what
the team answered, which evidence it attached, what the assessor asked and decided, and when (in days before the
day the demo is seeded). Read by services/demo/rounds.py, which plays each round through the real services.

Levels are given per sub-domain of Part 3; `lower` brings single sub-items below their sub-domain's level and
`partly` marks the sub-items whose next level is partly met (the CAICT "3-" reading).
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from assessment.models import AssessmentState

State = AssessmentState
SUBDOMAINS = ("cd.cm", "cd.bci", "cd.tm", "cd.drm", "cd.env", "cd.data", "cd.mf")


def levels(cm: int, bci: int, tm: int, drm: int, env: int, data: int, mf: int) -> dict[str, int]:
    return dict(zip(SUBDOMAINS, (cm, bci, tm, drm, env, data, mf), strict=True))


@dataclass(frozen=True)
class Exhibit:
    """One piece of evidence: a file of assessment/demo_files, a link or a note, for the criteria named (a file
    with none named goes to every criterion whose checks read what it reports)."""

    file: str = ""
    url: str = ""
    note: str = ""
    name: str = ""
    criteria: tuple[str, ...] = ()


@dataclass(frozen=True)
class Round:
    target: int
    levels: dict[str, int]
    outcome: str  # the state the round is left in
    started: int  # days before today
    submitted: int | None = None
    published: int | None = None
    lower: dict[str, int] = field(default_factory=dict)
    partly: tuple[str, ...] = ()
    not_applicable: dict[str, str] = field(default_factory=dict)  # sub-item → the team's justification
    unanswered: tuple[str, ...] = ()  # sub-domains a draft has not reached yet
    exhibits: tuple[Exhibit, ...] = ()
    records: bool = True  # the team attaches its deployment and incident records (made from its events)
    requests: dict[str, str] = field(default_factory=dict)  # criterion → the assessor's question
    replies: dict[str, str] = field(default_factory=dict)  # criterion → the team's answer to it
    reply_exhibits: tuple[Exhibit, ...] = ()  # evidence the team attaches with its replies
    rejections: dict[str, str] = field(default_factory=dict)  # criterion → why the claim is rejected
    overrides: dict[str, str] = field(default_factory=dict)  # criterion → why it is accepted against its verdict
    decided: tuple[str, ...] = SUBDOMAINS  # sub-domains the assessor has decided on so far


@dataclass(frozen=True)
class DemoProject:
    organisation: str
    name: str
    description: str
    target: int
    team: tuple[str, ...]
    rounds: tuple[Round, ...] = ()
    admin: str = "orgadmin"


def files(*names: str) -> tuple[Exhibit, ...]:
    return tuple(Exhibit(file=name) for name in names)


BRANCH_NOTE = Exhibit(
    note="分支策略：主干开发，特性分支不超过两天，合并前必须通过流水线和一名同事评审。\n"
    "Branching: trunk-based, feature branches live at most two days, every merge needs a green pipeline "
    "and one colleague's review.",
    name="分支策略 Branching strategy",
    criteria=("cd.cm.vc.branch@2", "cd.cm.vc.branch@3"),
)
RELEASE_NOTE = Exhibit(
    note="发布流程：每周四 22:00 变更窗口，变更单经运维值班经理审批后由流水线执行部署，失败时执行回滚脚本。\n"
    "Releases: Thursday 22:00 change window; the change ticket is approved by the operations duty manager, the "
    "pipeline deploys, and a failed release is rolled back by script.",
    name="发布流程 Release procedure",
    criteria=("cd.drm.pipeline.collab@2", "cd.cm.change.rollback@2"),
)

NIGHTLY_JOB = Exhibit(
    url="https://jenkins.demo-telecom.example/job/customer-service/job/nightly-regression/",
    name="夜间回归构建 Nightly regression job",
    criteria=("cd.bci.build.schedule@2", "cd.bci.ci.mode@2"),
)


def dashboard(project_slug: str) -> Exhibit:
    return Exhibit(
        url=f"https://grafana.demo-telecom.example/d/{project_slug}/delivery",
        name="交付看板 Delivery dashboard",
        criteria=("cd.drm.pipeline.visibility@2", "cd.drm.pipeline.visibility@3", "cd.mf.metrics.data@2"),
    )


@dataclass(frozen=True)
class DemoClock:
    """The story's dates, counted back from the day the demo is seeded (local dates and times)."""

    today: datetime.date

    def day(self, days_ago: int) -> datetime.date:
        return self.today - datetime.timedelta(days=days_ago)

    def moment(self, days_ago: int, hour: int) -> datetime.datetime:
        return datetime.datetime.combine(
            self.day(days_ago), datetime.time(hour), tzinfo=timezone.get_current_timezone()
        )


def review_days_ago(round_: Round) -> int:
    """When the assessor took up the review: halfway to publication, or a few days after submission."""
    if round_.published is not None:
        return (round_.submitted + round_.published) // 2
    return max(round_.submitted - 5, 1)
