"""Chart geometry for server-rendered SVG: numbers in, coordinates out (the templates only draw them). Pure."""

import math
from dataclasses import dataclass

RADAR_SIZE = 420
RADAR_RADIUS = 130
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
    notation: str
    end: Point  # where the axis meets the outer ring
    label_at: Point
    anchor: str  # SVG text-anchor for the label: start, middle or end


@dataclass(frozen=True)
class Radar:
    size: int
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


def radar(values: list[tuple[str, float, str]], target: float) -> Radar:
    """A radar of (label, value 0..5, notation) per axis against a target level, first axis pointing up.

    A partly met next level ("3-") is drawn half-way to it, so partial progress shows without overstating it.
    """
    center = Point(RADAR_SIZE / 2, RADAR_SIZE / 2)
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
                notation=notation,
                end=_at(center, angle, RADAR_RADIUS),
                label_at=_at(center, angle, RADAR_RADIUS + 18),
                anchor=anchor,
            )
        )
    rings = [_polygon([_at(center, angle, level * scale) for angle in angles]) for level in range(1, MAX_LEVEL + 1)]
    dots = [_at(center, angle, value * scale) for (_label, value, _notation), angle in zip(values, angles, strict=True)]
    return Radar(
        size=RADAR_SIZE,
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
