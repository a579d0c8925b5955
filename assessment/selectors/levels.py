"""Levels of an assessment, computed from its answers: per sub-item, sub-domain and part, with the gap to target.

Reads a fixed number of queries (criteria and answers as plain values), whatever the catalogue's size.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from assessment.levels import Level, blocking_levels, distribution, roll_up, subitem_level
from assessment.models import Answer, Assessment, Criterion, Part, SubDomain, SubItem, Verdict, VerdictValue


@dataclass
class SubItemLevel:
    subitem: SubItem
    level: Level
    blocking: list[int]  # criterion levels up to the target that are not met


@dataclass
class GroupLevel:
    node: SubDomain | Part
    level: Level
    distribution: dict[int, int]
    subitems: list[SubItemLevel] = field(default_factory=list)


@dataclass
class AssessmentLevels:
    reading: str  # "provisional" (team answers) or "confirmed" (assessor-accepted only)
    target: int
    subitems: dict[int, SubItemLevel]
    subdomains: list[GroupLevel]
    parts: list[GroupLevel]

    @property
    def gaps(self) -> list[SubItemLevel]:
        return [row for row in self.subitems.values() if row.level.achieved < self.target]


def provisional_levels(assessment: Assessment) -> AssessmentLevels:
    """The team's answers plus the automatic verdicts: an answer always wins (verdicts are advice), a criterion
    the team has not answered yet counts as met when its checks are met. N/A counts as met until an assessor
    says otherwise."""
    answers = dict(
        Verdict.objects.filter(assessment=assessment, value=VerdictValue.MET).values_list("criterion_id", "value")
    )
    answers.update(Answer.objects.filter(assessment=assessment).values_list("criterion_id", "value"))
    return _levels(assessment, answers, reading="provisional", na_approved=True)


def _levels(assessment: Assessment, answers: dict[int, str], *, reading: str, na_approved: bool) -> AssessmentLevels:
    parts = list(assessment.parts.order_by("number"))
    subdomains = list(SubDomain.objects.filter(part__in=parts).order_by("position"))
    subitems = list(SubItem.objects.filter(item__subdomain__in=subdomains).select_related("item").order_by("position"))
    by_subitem: dict[int, dict[int, str | None]] = defaultdict(dict)
    for criterion_id, subitem_id, level in Criterion.objects.filter(subitem__in=subitems).values_list(
        "pk", "subitem_id", "level"
    ):
        by_subitem[subitem_id][level] = answers.get(criterion_id)
    rows = {}
    for subitem in subitems:
        subitem_answers = by_subitem[subitem.pk]
        rows[subitem.pk] = SubItemLevel(
            subitem=subitem,
            level=subitem_level(subitem_answers, na_approved=na_approved),
            blocking=blocking_levels(subitem_answers, assessment.target_level, na_approved=na_approved),
        )
    rule = assessment.model.rollup
    subdomain_groups = []
    for subdomain in subdomains:
        members = [row for row in rows.values() if row.subitem.item.subdomain_id == subdomain.pk]
        subdomain_groups.append(_group(subdomain, members, rule))
    part_groups = []
    for part in parts:
        members = [row for group in subdomain_groups if group.node.part_id == part.pk for row in group.subitems]
        part_groups.append(_group(part, members, rule))
    return AssessmentLevels(reading, assessment.target_level, rows, subdomain_groups, part_groups)


def _group(node, members: list[SubItemLevel], rule: str) -> GroupLevel:
    levels = [row.level for row in members]
    return GroupLevel(node=node, level=roll_up(levels, rule), distribution=distribution(levels), subitems=members)
