"""Formatting for report, portfolio and trend templates (and the PDF, which renders the same partials)."""

from django import template
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from assessment.models import AnswerValue, DecisionValue, VerdictValue
from assessment.reports.delivery import DURATIONS, duration_text

register = template.Library()

HEAT_SYMBOLS = {"met": "✓", "partly": "◐", "not_met": "✗", "na": "N/A", "unanswered": "·"}
HEAT_LABELS = {
    "met": _("Met"),
    "partly": _("Partly met"),
    "not_met": _("Not met"),
    "na": _("Not applicable"),
    "unanswered": _("Unanswered"),
}
MINUS = "\u2212"  # a real minus sign: "−45%" reads as a change, not a hyphen


@register.filter
def level_class(level) -> str:
    """CSS class for a level's colour: lv-0 … lv-5, lv-none when there is no level."""
    return f"lv-{level.achieved}" if level is not None else "lv-none"


@register.filter
def notation(level) -> str:
    return level.notation if level is not None else "—"


@register.filter
def heat_symbol(state: str) -> str:
    return HEAT_SYMBOLS.get(state, "·")


@register.filter
def heat_label(state: str) -> str:
    return str(HEAT_LABELS.get(state, state))


@register.simple_tag
def heat_legend() -> list[tuple[str, str, str]]:
    return [(state, HEAT_SYMBOLS[state], str(label)) for state, label in HEAT_LABELS.items()]


@register.filter
def review_label(value: str) -> str:
    if value in DecisionValue.values:
        return DecisionValue(value).label
    return str(_("Not reviewed yet"))


@register.filter
def state_answer_label(value: str) -> str:
    return AnswerValue(value).label if value in AnswerValue.values else str(_("Unanswered"))


@register.filter
def verdict_text(value: str) -> str:
    return VerdictValue(value).label if value in VerdictValue.values else "—"


@register.filter
def figure_value(figure) -> str:
    """A delivery figure as a person reads it, in the page's language: 82.5%, 6.9 min, 3.2 d, 3.5 a week."""
    if figure.unit in DURATIONS:
        return duration_text(figure.value * DURATIONS[figure.unit])
    shown = figure.shown
    number = f"{shown:.0f}" if abs(shown) >= 100 else f"{shown:.1f}".rstrip("0").rstrip(".")
    if figure.unit == "/wk":
        return gettext("%(value)s a week") % {"value": number}
    if figure.unit == "/d":
        return gettext("%(value)s a day") % {"value": number}
    if figure.unit == "%" or figure.unit.startswith("/"):
        return f"{number}{figure.unit}"
    return f"{number} {figure.unit}"


@register.filter
def change_percent(delta) -> str:
    """ "−45%", "+12%", or "—" when the earlier value was zero."""
    if delta.change_percent is None:
        return "—"
    value = round(delta.change_percent)
    if value == 0:
        return "0%"
    return f"{MINUS if value < 0 else '+'}{abs(value)}%"


@register.filter
def signed(number: int) -> str:
    if number == 0:
        return "±0"
    return f"{MINUS if number < 0 else '+'}{abs(number)}"


@register.filter
def percent_of(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


@register.filter
def level_name(names: dict, level: int) -> str:
    name = names.get(level)
    return name.name if name else ""


@register.filter
def get_item(mapping: dict, key):
    return mapping.get(key)


@register.filter
def reading_label(reading: str) -> str:
    return str(_("Confirmed") if reading == "confirmed" else _("Provisional"))
