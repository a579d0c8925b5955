"""Delivery figures as the metrics bridge records them on an assessment (facts named `delivery.*` on evidence of
kind `metric_snapshot`), labelled, and compared between two periods. Pure: facts in, figures out."""

from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# name → (label, unit, whether lower is better). Ratios arrive as 0..1 and are shown as percentages.
FIGURES = {
    "delivery.deployment_frequency_per_day": (_("Deployments per day"), "/d", False),
    "delivery.lead_time_median_hours": (_("Change lead time (median)"), "h", True),
    "delivery.delivery_cycle_days": (_("Delivery cycle"), "d", True),
    "delivery.build_duration_median_seconds": (_("Build duration (median)"), "s", True),
    "delivery.pipeline_success_rate": (_("Pipeline success rate"), "%", False),
    "delivery.release_per_week": (_("Releases per week"), "/wk", False),
    "delivery.change_fail_rate": (_("Change fail rate"), "%", True),
    "delivery.recovery_hours": (_("Time to restore (median)"), "h", True),
    "delivery.test_coverage": (_("Test coverage"), "%", False),
}
PERCENT = "%"
DURATIONS = {"s": 1, "h": 3600, "d": 86400}  # the figures' units of time, in seconds
# The metrics bridge names the period snapshot.period_start/_end; plain names are accepted too.
PERIOD_STARTS = ("snapshot.period_start", "delivery.period_start", "period_start")
PERIOD_ENDS = ("snapshot.period_end", "delivery.period_end", "period_end")


@dataclass(frozen=True)
class Figure:
    name: str
    label: str
    value: float
    unit: str
    lower_is_better: bool

    @property
    def shown(self) -> float:
        """The value as displayed: ratios 0..1 as percentages."""
        return self.value * 100 if self.unit == PERCENT and self.value <= 1 else self.value


@dataclass(frozen=True)
class Delta:
    figure: Figure  # the later period's
    before: Figure
    change_percent: float | None  # None when the earlier value is zero

    @property
    def is_improvement(self) -> bool:
        if self.change_percent is None or self.change_percent == 0:
            return False
        return (self.change_percent < 0) == self.figure.lower_is_better


def figures(facts: dict) -> list[Figure]:
    """The known delivery figures present in the facts, in a fixed order; anything else is ignored."""
    found = []
    for name, (label, unit, lower_is_better) in FIGURES.items():
        value = facts.get(name)
        if isinstance(value, bool) or not isinstance(value, int | float):
            continue
        found.append(Figure(name, str(label), float(value), unit, lower_is_better))
    return found


def period(facts: dict) -> tuple[str, str]:
    """The measured period's first and last day as recorded (ISO dates), or empty strings."""
    start = next((facts[name] for name in PERIOD_STARTS if facts.get(name)), "")
    end = next((facts[name] for name in PERIOD_ENDS if facts.get(name)), "")
    return str(start or ""), str(end or "")


def deltas(before: dict, after: dict) -> list[Delta]:
    """Change of each figure present in both periods: "delivery cycle −45%"."""
    earlier = {figure.name: figure for figure in figures(before)}
    result = []
    for figure in figures(after):
        previous = earlier.get(figure.name)
        if previous is None:
            continue
        change = None if previous.value == 0 else (figure.value - previous.value) / abs(previous.value) * 100
        result.append(Delta(figure=figure, before=previous, change_percent=change))
    return result


def duration_text(seconds: float) -> str:
    """A duration in the unit that reads best, in the active language: 41 s, 6.9 min, 18.5 h, 3.2 d."""
    if seconds < 120:
        return gettext("%(value)s s") % {"value": number_text(seconds, 0)}
    if seconds < 7200:
        return gettext("%(value)s min") % {"value": number_text(seconds / 60)}
    if seconds < 172800:
        return gettext("%(value)s h") % {"value": number_text(seconds / 3600)}
    return gettext("%(value)s d") % {"value": number_text(seconds / 86400)}


def number_text(value: float, digits: int = 1) -> str:
    """The value rounded to at most `digits` decimals, without trailing zeros: 2, 18.5, 0.25."""
    rounded = round(value, digits)
    decimals = len(f"{rounded:.{digits}f}".rstrip("0").partition(".")[2]) if digits > 0 else 0
    return number_format(rounded, decimal_pos=decimals)
