"""Formatting for the metrics pages: figures with their units, DORA bands, and server-drawn SVG trend charts."""

import math
from dataclasses import dataclass

from django import template
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessment.reports.delivery import duration_text, number_text
from metrics.bands import BAND_LABELS, BAND_ORDER, shading
from metrics.selectors.dashboard import ProjectDashboard
from metrics.selectors.definitions import DEFINITIONS
from metrics.selectors.figures import PeriodFigures

register = template.Library()

# (figure, label, unit, group, band key or None, companion figure shown as a detail)
FIGURES = [
    ("deployment_frequency_per_week", gettext_lazy("Deployment frequency"), "per_week", "dora", True, None),
    ("lead_time_median_hours", gettext_lazy("Change lead time"), "hours", "dora", True, "lead_time_p90_hours"),
    ("change_fail_rate", gettext_lazy("Change fail rate"), "rate", "dora", True, None),
    ("recovery_median_hours", gettext_lazy("Failed deployment recovery time"), "hours", "dora", True, None),
    ("rework_rate", gettext_lazy("Deployment rework rate"), "rate", "dora", False, None),
    (
        "build_duration_median_seconds",
        gettext_lazy("Build duration"),
        "seconds",
        "caict",
        False,
        "build_duration_p90_seconds",
    ),
    ("pipeline_success_rate", gettext_lazy("Pipeline success rate"), "rate", "caict", False, None),
    ("delivery_cycle_median_days", gettext_lazy("Delivery cycle"), "days", "caict", False, None),
    ("release_per_week", gettext_lazy("Release frequency"), "per_week", "caict", False, None),
    ("ci_feedback_median_minutes", gettext_lazy("CI feedback time (red to green)"), "minutes", "caict", False, None),
]
OVERVIEW = ["deployment_frequency_per_week", "lead_time_median_hours", "change_fail_rate", "recovery_median_hours"]
_SECONDS = {"hours": 3600, "seconds": 1, "days": 86400, "minutes": 60}
WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 320, 150, 48, 8, 8, 22  # LEFT fits "14.6小时"-wide ticks


ROUND_STEPS = (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10)


def round_up(value: float) -> float:
    """The smallest round number (1, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 times a power of ten) not below the value."""
    magnitude = 10 ** math.floor(math.log10(value))
    return next(step * magnitude for step in ROUND_STEPS if step * magnitude >= value * (1 - 1e-9))


def axis(highest: float, unit: str) -> tuple[float, list[str]]:
    """A chart's top (in the figure's unit) and the labels of its ticks at 0, half and top: round numbers in one
    display unit (0 · 8 · 16, 0 · 20% · 40%, 0 · 15h · 30h), the top just above the highest value."""
    if unit in ("rate", "coverage"):
        half = min(round_up(max(highest * 1.1, 0.2) * 50), 50)
        return half / 50, ["0", f"{half:g}%", f"{2 * half:g}%"]
    if unit == "per_week":
        half = round_up(highest * 0.55 or 0.5)
        return 2 * half, ["0", number_text(half, 2), number_text(2 * half, 2)]
    half_seconds = (highest or 1) * _SECONDS[unit] * 0.55
    sizes = ((86400, _("d")), (3600, _("h")), (60, _("min")), (1, _("s")))
    size = next(size for size, _suffix in sizes if half_seconds >= size or size == 1)
    half_seconds = round_up(half_seconds / size) * size
    # A round number of a larger unit reads better in it: 60 min is 1 h.
    size, suffix = next((size, suffix) for size, suffix in sizes if half_seconds % size == 0 or size == 1)
    labels = ["0", *(f"{number_text(seconds / size, 2)}{suffix}" for seconds in (half_seconds, 2 * half_seconds))]
    return 2 * half_seconds / _SECONDS[unit], labels


def show(value, unit: str) -> str:
    if value is None:
        return "–"
    if unit == "rate":
        return f"{number_text(value * 100)}%"
    if unit == "per_week":
        return _("%(value)s a week") % {"value": number_text(value, 2 if value < 1 else 1)}
    if unit == "coverage":
        return f"{number_text(value * 100)}%"
    return duration_text(value * _SECONDS[unit])


@register.filter
def band_label(band: str | None) -> str:
    return str(BAND_LABELS.get(band, _("No band")))


@register.filter
def period_label(figures: PeriodFigures) -> str:
    period = figures.period
    if period.kind == "month":
        return date_format(period.start, "YEAR_MONTH_FORMAT")
    if period.kind == "quarter":
        return _("Q%(quarter)s %(year)s") % {"quarter": (period.start.month - 1) // 3 + 1, "year": period.start.year}
    # ISO dates, like every other date the app shows (SHORT_DATE_FORMAT would read 11/30/2026 in English).
    return _("Week of %(day)s") % {"day": date_format(period.start, "Y-m-d")}


@register.filter
def coverage_text(coverage) -> str:
    return show(coverage.line_rate, "coverage") if coverage else "–"


@dataclass(frozen=True)
class Chart:
    title: str
    bands: list[dict]
    segments: list[str]
    points: list[dict]
    y_labels: list[dict]
    x_labels: list[dict]
    width: int = WIDTH
    height: int = HEIGHT
    plot_left: int = LEFT
    plot_right: int = WIDTH - RIGHT
    plot_width: int = WIDTH - LEFT - RIGHT
    plot_bottom: int = HEIGHT - BOTTOM
    tick_x: int = LEFT - 4
    label_y: int = HEIGHT - 6


def _chart(title: str, name: str, unit: str, banded: bool, series: list[PeriodFigures]) -> Chart:
    values = [getattr(figures, name) for figures in series]
    known = [value for value in values if value is not None]
    top, tick_labels = axis(max(known, default=0), unit)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(series) - 1, 1)

    def y(value: float) -> float:
        return round(TOP + plot_h * (1 - min(value, top) / top), 1)

    points, segments, current = [], [], []
    for index, (figures, value) in enumerate(zip(series, values, strict=True)):
        if value is None:
            segments, current = segments + ([" ".join(current)] if current else []), []
            continue
        x = round(LEFT + index * step, 1)
        current.append(f"{x},{y(value)}")
        label = f"{period_label(figures)}: {show(value, unit)}"
        points.append({"x": x, "y": y(value), "label": label, "is_complete": figures.is_complete})
    segments += [" ".join(current)] if current else []
    bands = [
        {"band": band, "y": y(high), "height": round(y(low) - y(high), 1), "label": band_label(band)}
        for band, low, high in (shading(name, top) if banded else [])
    ]
    y_labels = [{"y": y(value), "text": text} for value, text in zip((0, top / 2, top), tick_labels, strict=True)]
    ends = sorted({0, len(series) // 2, len(series) - 1}) if series else []
    anchors = {0: "start", len(series) - 1: "end"}
    x_labels = [
        {
            "x": round(LEFT + index * step, 1),
            "text": date_format(series[index].period.start, "m-d"),
            "anchor": anchors.get(index, "middle"),
        }
        for index in ends
    ]
    return Chart(str(title), bands, segments, points, y_labels, x_labels)


@register.simple_tag
def figure_panels(dashboard: ProjectDashboard) -> list[dict]:
    """Per figure: its label, the current period's value and band, a detail line, and its trend chart."""
    current = dashboard.current
    panels = []
    for name, label, unit, group, banded, companion in FIGURES:
        value = getattr(current, name) if current else None
        detail = "" if banded or group != "dora" else _("DORA gives no bands for this figure.")
        if value is None:
            detail = _("Nothing to measure in this period so far.")
        if companion and current and getattr(current, companion) is not None:
            detail = _("90th percentile %(value)s") % {"value": show(getattr(current, companion), unit)}
        panels.append(
            {
                "name": name,
                "label": label,
                "group": group,
                "value": show(value, unit),
                "band": current.bands.get(name) if current and banded else None,
                "is_banded": banded,
                "detail": detail,
                "definition": DEFINITIONS[name],
                "chart": _chart(label, name, unit, banded, dashboard.series),
                "rows": [(period_label(figures), show(getattr(figures, name), unit)) for figures in dashboard.series],
            }
        )
    return panels


@register.simple_tag
def figure_definition(name: str):
    return DEFINITIONS[name]


@register.simple_tag
def band_legend() -> list[tuple[str, str]]:
    return [(band, str(BAND_LABELS[band])) for band in BAND_ORDER]


@register.simple_tag
def overview_cells(figures: PeriodFigures) -> list[dict]:
    units = {name: unit for name, _label, unit, *_rest in FIGURES}
    return [{"value": show(getattr(figures, name), units[name]), "band": figures.bands.get(name)} for name in OVERVIEW]


@register.simple_tag
def overview_headings() -> list[str]:
    labels = {name: label for name, label, *_rest in FIGURES}
    return [labels[name] for name in OVERVIEW]
