"""DORA performance bands, read from a data file (its source and year travel with it) and checked once.

`band_for(figure, value)` answers "elite", "high", "medium", "low", or None when the figure has no bands or no
value. `shading(figure)` gives each band's value range for chart shading.
"""

import functools
import math
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BANDS_FILE = Path(__file__).with_name("dora-2023.yaml")
BAND_ORDER = ("elite", "high", "medium", "low")
BAND_LABELS = {"elite": _("Elite"), "high": _("High"), "medium": _("Medium"), "low": _("Low")}


@dataclass(frozen=True)
class Band:
    band: str
    bound: float | None  # min for higher-is-better figures, max for lower-is-better ones; None for the last


@dataclass(frozen=True)
class FigureBands:
    figure: str
    higher_is_better: bool
    inclusive: bool
    bands: tuple[Band, ...]

    def band_for(self, value: float) -> str:
        for band in self.bands:
            if band.bound is None or self._meets(value, band.bound):
                return band.band
        return self.bands[-1].band

    def _meets(self, value: float, bound: float) -> bool:
        if self.higher_is_better:
            return value >= bound
        return value <= bound if self.inclusive else value < bound


@dataclass(frozen=True)
class BandTable:
    source: str
    url: str
    year: int
    figures: dict[str, FigureBands]


def _problem(message: str) -> ImproperlyConfigured:
    return ImproperlyConfigured(f"{BANDS_FILE.name}: {message}")


def _figure(name: str, data: dict) -> FigureBands:
    better = data.get("better")
    if better not in ("higher", "lower"):
        raise _problem(f"{name}: better must be higher or lower")
    rows = data.get("bands") or []
    if tuple(row.get("band") for row in rows) != BAND_ORDER:
        raise _problem(f"{name}: bands must be {', '.join(BAND_ORDER)} in that order")
    key = "min" if better == "higher" else "max"
    bounds = [row.get(key) for row in rows]
    if bounds[-1] is not None or any(not isinstance(bound, int | float) for bound in bounds[:-1]):
        raise _problem(f"{name}: every band but the last needs a numeric {key}; the last has none")
    ordered = sorted(bounds[:-1], reverse=better == "higher")
    if bounds[:-1] != ordered or len(set(ordered)) != len(ordered):
        raise _problem(f"{name}: {key} values must run from the best band to the worst")
    return FigureBands(
        name, better == "higher", bool(data.get("inclusive")), tuple(Band(row["band"], row.get(key)) for row in rows)
    )


@functools.cache
def band_table() -> BandTable:
    """The band file, checked: a broken file stops the first use with a message naming the problem."""
    data = yaml.safe_load(BANDS_FILE.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("figures"), dict):
        raise _problem("needs a figures mapping")
    for field in ("source", "url", "year"):
        if not data.get(field):
            raise _problem(f"needs {field}")
    figures = {name: _figure(name, spec) for name, spec in data["figures"].items()}
    return BandTable(str(data["source"]), str(data["url"]), int(data["year"]), figures)


def band_for(figure: str, value) -> str | None:
    bands = band_table().figures.get(figure)
    if bands is None or value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return bands.band_for(value)


def has_bands(figure: str) -> bool:
    return figure in band_table().figures


def shading(figure: str, top: float) -> list[tuple[str, float, float]]:
    """(band, low value, high value) ranges covering 0..top, for drawing behind a chart."""
    bands = band_table().figures.get(figure)
    if bands is None:
        return []
    edges = [band.bound for band in bands.bands[:-1]]
    ranges = []
    if bands.higher_is_better:
        upper = top
        for band, bound in zip(bands.bands, [*edges, 0.0], strict=True):
            ranges.append((band.band, min(bound, top), upper))
            upper = min(bound, top)
    else:
        lower = 0.0
        for band, bound in zip(bands.bands, [*edges, top], strict=True):
            ranges.append((band.band, lower, min(bound, top)))
            lower = min(bound, top)
    return [(band, low, high) for band, low, high in ranges if high > low]
