"""Level maths (DESIGN.md §4). Pure: answers in, levels out; no ORM.

A sub-item is at level L when every criterion 1..L counts as met. When the next level is partly met the CAICT
notation shows it as "L+1-": "3-" means level 3 is partly met, "3" that it is fully met.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from statistics import median_low

MET, PARTLY, NOT_MET, NOT_APPLICABLE = "met", "partly", "not_met", "na"
LEVELS = (1, 2, 3, 4, 5)


@dataclass(frozen=True, order=True)
class Level:
    """An achieved level and whether the next one is partly met."""

    achieved: int
    next_partly: bool = False

    @property
    def notation(self) -> str:
        """CAICT notation: "3", "3-" (level 3 partly met), "0" when not even level 1 is met."""
        if self.next_partly:
            return f"{self.achieved + 1}-"
        return str(self.achieved)


def counts_as_met(answer: str | None, *, na_approved: bool = True) -> bool:
    """N/A counts as met provisionally; in the confirmed reading only once an assessor approved it."""
    return answer == MET or (answer == NOT_APPLICABLE and na_approved)


def subitem_level(answers: Mapping[int, str | None], *, na_approved: bool = True) -> Level:
    """The level of one sub-item from its answers by criterion level (missing levels are unanswered)."""
    achieved = 0
    for level in LEVELS:
        if not counts_as_met(answers.get(level), na_approved=na_approved):
            return Level(achieved, next_partly=answers.get(level) == PARTLY)
        achieved = level
    return Level(achieved)


def roll_up(levels: Iterable[Level], rule: str = "min") -> Level:
    """Sub-domain or part level from its sub-items' levels.

    `min` (the certification reading) takes the lowest level; it carries the "-" mark only when every
    sub-item at that lowest level is partly through the next one. `median` takes the lower median.
    """
    levels = list(levels)
    if not levels:
        return Level(0)
    if rule == "median":
        return median_low(levels)
    lowest = min(level.achieved for level in levels)
    at_lowest = [level for level in levels if level.achieved == lowest]
    return Level(lowest, next_partly=all(level.next_partly for level in at_lowest))


def distribution(levels: Iterable[Level]) -> dict[int, int]:
    """How many sub-items reached each level 0..5, as CAICT's statistics sheet shows beside the roll-up."""
    counts = dict.fromkeys((0, *LEVELS), 0)
    for level in levels:
        counts[level.achieved] += 1
    return counts


def blocking_levels(answers: Mapping[int, str | None], target: int, *, na_approved: bool = True) -> list[int]:
    """The criterion levels up to the target that are not met: what keeps the sub-item below its target."""
    return [
        level for level in LEVELS if level <= target and not counts_as_met(answers.get(level), na_approved=na_approved)
    ]
