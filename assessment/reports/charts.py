"""Chart geometry for server-rendered SVG: numbers in, coordinates out (the templates only draw them). Pure."""

import math
from dataclasses import dataclass

RADAR_WIDTH = 560  # wider than tall: long English sub-domain names sit left and right of the chart
RADAR_HEIGHT = 400
RADAR_RADIUS = 130
LABEL_WRAP = 16  # characters; longer labels break at the space nearest their middle
MAX_LEVEL = 5


@dataclass(frozen=True)
class Point:
    x: float
    y: float

    def __str__(self) -> str:
        return f"{self.x:.1f},{self.y:.1f}"


@dataclass(frozen=True)
class RadarAxis:
    label: str
    lines: list[str]  # the label broken into at most two lines
    notation: str
    end: Point  # where the axis meets the outer ring
    label_at: Point
    anchor: str  # SVG text-anchor for the label: start, middle or end


@dataclass(frozen=True)
class Radar:
    width: int
    height: int
    center: Point
    axes: list[RadarAxis]
    rings: list[str]  # one polygon per level 1..5
    achieved: str  # polygon points
    target: str
    achieved_dots: list[Point]


def _at(center: Point, angle: float, radius: float) -> Point:
    return Point(center.x + radius * math.cos(angle), center.y + radius * math.sin(angle))


def _polygon(points: list[Point]) -> str:
    return " ".join(str(point) for point in points)


def label_lines(label: str) -> list[str]:
    """One line, or two broken at the space nearest the middle (Chinese names are short and stay whole)."""
    if len(label) <= LABEL_WRAP or " " not in label:
        return [label]
    middle = len(label) / 2
    spaces = [index for index, character in enumerate(label) if character == " "]
    cut = min(spaces, key=lambda index: abs(index - middle))
    return [label[:cut], label[cut + 1 :]]


def radar(values: list[tuple[str, float, str]], target: float) -> Radar:
    """A radar of (label, value 0..5, notation) per axis against a target level, first axis pointing up.

    A partly met next level ("3-") is drawn half-way to it, so partial progress shows without overstating it.
    """
    center = Point(RADAR_WIDTH / 2, RADAR_HEIGHT / 2)
    count = max(len(values), 3)
    angles = [-math.pi / 2 + 2 * math.pi * index / count for index in range(len(values))]
    scale = RADAR_RADIUS / MAX_LEVEL
    axes = []
    for (label, _value, notation), angle in zip(values, angles, strict=True):
        cosine = math.cos(angle)
        anchor = "middle" if abs(cosine) < 0.2 else ("start" if cosine > 0 else "end")
        axes.append(
            RadarAxis(
                label=label,
                lines=label_lines(label),
                notation=notation,
                end=_at(center, angle, RADAR_RADIUS),
                label_at=_at(center, angle, RADAR_RADIUS + 18),
                anchor=anchor,
            )
        )
    rings = [_polygon([_at(center, angle, level * scale) for angle in angles]) for level in range(1, MAX_LEVEL + 1)]
    dots = [_at(center, angle, value * scale) for (_label, value, _notation), angle in zip(values, angles, strict=True)]
    return Radar(
        width=RADAR_WIDTH,
        height=RADAR_HEIGHT,
        center=center,
        axes=axes,
        rings=rings,
        achieved=_polygon(dots),
        target=_polygon([_at(center, angle, target * scale) for angle in angles]),
        achieved_dots=dots,
    )


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    width: float  # in percent of the longest bar
    y: int


def bars(counts: dict[int, int], *, row_height: int = 22) -> list[Bar]:
    """Horizontal bars for a distribution of levels 0..5."""
    longest = max(counts.values(), default=0) or 1
    return [
        Bar(label=str(level), count=count, width=100 * count / longest, y=index * row_height)
        for index, (level, count) in enumerate(sorted(counts.items()))
    ]
