"""Reads for the questionnaire: a fixed number of queries per page, whatever the catalogue or evidence size."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.urls import reverse

from assessment.levels import Level, blocking_levels, roll_up, subitem_level
from assessment.models import Answer, Assessment, Criterion, Evidence, EvidenceLink, Item, SubDomain, SubItem
from assessment.selectors.levels import AssessmentLevels, GroupLevel, provisional_levels


@dataclass
class CriterionRow:
    criterion: Criterion
    answer: Answer | None
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def is_required(self) -> bool:
        return self.criterion.level <= self.target

    target: int = 0
    error: str = ""


@dataclass
class SubItemBlock:
    subitem: SubItem
    rows: list[CriterionRow]
    level: Level
    blocking: list[int]


@dataclass
class Progress:
    answered: int
    required: int

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.required) if self.required else 100

    @property
    def is_complete(self) -> bool:
        return self.answered >= self.required


@dataclass
class SubDomainTab:
    subdomain: SubDomain
    progress: Progress
    level: GroupLevel


@dataclass
class Questionnaire:
    assessment: Assessment
    levels: AssessmentLevels
    tabs: list[SubDomainTab]
    progress: Progress
    current: SubDomain | None = None
    sections: list[tuple[SubDomain, list[tuple[Item, list[SubItemBlock]]]]] = field(default_factory=list)

    def _neighbour(self, step: int) -> SubDomain | None:
        codes = [tab.subdomain.pk for tab in self.tabs]
        if self.current is None or self.current.pk not in codes:
            return None
        index = codes.index(self.current.pk) + step
        return self.tabs[index].subdomain if 0 <= index < len(self.tabs) else None

    @property
    def previous_subdomain(self) -> SubDomain | None:
        return self._neighbour(-1)

    @property
    def next_subdomain(self) -> SubDomain | None:
        return self._neighbour(1)


def progress_by_subdomain(assessment: Assessment) -> dict[int, Progress]:
    """Answered and required criteria (levels up to the target) per sub-domain in scope: one query."""
    answered = Answer.objects.filter(assessment=assessment).values("criterion_id")
    rows = (
        Criterion.objects.filter(
            subitem__item__subdomain__part__in=assessment.parts.all(), level__lte=assessment.target_level
        )
        .values("subitem__item__subdomain_id")
        .annotate(required=Count("pk"), answered=Count("pk", filter=Q(pk__in=answered)))
    )
    return {row["subitem__item__subdomain_id"]: Progress(row["answered"], row["required"]) for row in rows}


def overview(assessment: Assessment) -> Questionnaire:
    """Sub-domain tabs with progress and levels, without the questions (the assessment's summary page)."""
    levels = provisional_levels(assessment)
    progress = progress_by_subdomain(assessment)
    tabs = [SubDomainTab(group.node, progress.get(group.node.pk, Progress(0, 0)), group) for group in levels.subdomains]
    total = Progress(sum(tab.progress.answered for tab in tabs), sum(tab.progress.required for tab in tabs))
    return Questionnaire(assessment=assessment, levels=levels, tabs=tabs, progress=total)


def questionnaire(assessment: Assessment, subdomain: SubDomain | None) -> Questionnaire:
    """A sub-domain's questions (or every sub-domain's, when None) with answers, evidence, levels and the gap,
    plus every tab's progress. The number of queries does not depend on how many questions there are."""
    page = overview(assessment)
    page.current = subdomain
    scope = [subdomain] if subdomain else [tab.subdomain for tab in page.tabs]
    items = list(
        Item.objects.filter(subdomain__in=scope)
        .prefetch_related(
            Prefetch("subitems", queryset=SubItem.objects.order_by("position")),
            Prefetch("subitems__criteria", queryset=Criterion.objects.order_by("level")),
        )
        .order_by("subdomain__position", "position")
    )
    criterion_ids = [c.pk for item in items for s in item.subitems.all() for c in s.criteria.all()]
    answers = {
        answer.criterion_id: answer
        for answer in Answer.objects.filter(assessment=assessment, criterion_id__in=criterion_ids).select_related(
            "updated_by"
        )
    }
    evidence_by_criterion = _evidence_by_criterion(assessment, criterion_ids)
    sections = {sub.pk: (sub, []) for sub in scope}
    for item in items:
        blocks = []
        for subitem in item.subitems.all():
            rows = [
                CriterionRow(c, answers.get(c.pk), evidence_by_criterion.get(c.pk, []), target=assessment.target_level)
                for c in subitem.criteria.all()
            ]
            row_level = page.levels.subitems[subitem.pk]
            blocks.append(SubItemBlock(subitem, rows, row_level.level, row_level.blocking))
        sections[item.subdomain_id][1].append((item, blocks))
    page.sections = list(sections.values())
    return page


def evidence_choices(assessment: Assessment) -> list[Evidence]:
    """The assessment's evidence, for attaching one piece to more criteria."""
    return list(
        Evidence.objects.filter(assessment=assessment, removed_at__isnull=True).order_by("name").only("pk", "name")
    )


def _evidence_by_criterion(assessment: Assessment, criterion_ids: list[int]) -> dict[int, list[Evidence]]:
    links = (
        EvidenceLink.objects.filter(
            criterion_id__in=criterion_ids, evidence__assessment=assessment, evidence__removed_at__isnull=True
        )
        .select_related("evidence__uploaded_by")
        .order_by("evidence__uploaded_at", "evidence_id")
    )
    grouped: dict[int, list[Evidence]] = defaultdict(list)
    for link in links:
        grouped[link.criterion_id].append(link.evidence)
    return grouped


@dataclass
class AnswerFeedback:
    """What changes on the page after one answer is saved: the row, its sub-item's level, the progress bars."""

    row: CriterionRow
    subitem: SubItem
    level: Level
    blocking: list[int]
    subdomain_progress: Progress
    subdomain_level: Level
    progress: Progress


def answer_feedback(assessment: Assessment, criterion: Criterion, answer: Answer | None = None) -> AnswerFeedback:
    """After a save: pass the saved answer (with its author) to spare reading it again."""
    subdomain_id = criterion.subitem.item.subdomain_id
    answered = Answer.objects.filter(assessment=assessment, criterion=OuterRef("pk")).values("value")[:1]
    by_subitem: dict[int, dict[int, str | None]] = defaultdict(dict)
    for subitem_id, level, value in (
        Criterion.objects.filter(subitem__item__subdomain_id=subdomain_id)
        .annotate(value=Subquery(answered))
        .values_list("subitem_id", "level", "value")
    ):
        by_subitem[subitem_id][level] = value
    siblings = by_subitem[criterion.subitem_id]
    progress = progress_by_subdomain(assessment)
    subitem = criterion.subitem
    if answer is None:
        answer = Answer.objects.filter(assessment=assessment, criterion=criterion).select_related("updated_by").first()
    evidence = _evidence_by_criterion(assessment, [criterion.pk]).get(criterion.pk, [])
    return AnswerFeedback(
        row=CriterionRow(criterion, answer, evidence, target=assessment.target_level),
        subitem=subitem,
        level=subitem_level(siblings),
        blocking=blocking_levels(siblings, assessment.target_level),
        subdomain_progress=progress.get(subitem.item.subdomain_id, Progress(0, 0)),
        subdomain_level=roll_up([subitem_level(answers) for answers in by_subitem.values()], assessment.model.rollup),
        progress=Progress(sum(p.answered for p in progress.values()), sum(p.required for p in progress.values())),
    )


def find_criterion(assessment: Assessment, code: str) -> Criterion | None:
    """A criterion of the assessment's pinned model and parts in scope, with its sub-item, item and sub-domain."""
    return (
        Criterion.objects.filter(
            model_id=assessment.model_id, code=code, subitem__item__subdomain__part__in=assessment.parts.all()
        )
        .select_related("subitem__item__subdomain")
        .first()
    )


def find_subdomain(assessment: Assessment, code: str) -> SubDomain | None:
    return SubDomain.objects.filter(model_id=assessment.model_id, code=code, part__in=assessment.parts.all()).first()


def questionnaire_urls(assessment: Assessment) -> dict[str, str]:
    """URL prefixes the rows complete with a criterion code: reversing once per page, not once per row."""
    return {
        "answers": reverse("answer-save", args=(assessment.pk, "CODE")).removesuffix("CODE/"),
        "evidence_add": reverse("evidence-add", args=(assessment.pk,)),
        "evidence_attach": reverse("evidence-attach", args=(assessment.pk,)),
    }
