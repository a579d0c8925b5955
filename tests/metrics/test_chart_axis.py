"""The trend charts' axes read as round numbers in one unit, with the top just above the highest value; figures
show the decimals they need."""

import pytest
from django.utils import translation

from metrics.templatetags.metrics_format import axis, show


@pytest.mark.parametrize(
    ("highest", "unit", "top", "labels"),
    [
        (12.1, "per_week", 16, ["0", "8", "16"]),
        (0.4, "per_week", 0.5, ["0", "0.25", "0.5"]),
        (0, "per_week", 1, ["0", "0.5", "1"]),
        (0.33, "rate", 0.4, ["0", "20%", "40%"]),
        (0.01, "rate", 0.2, ["0", "10%", "20%"]),
        (0.95, "rate", 1.0, ["0", "50%", "100%"]),
        (26, "hours", 30, ["0", "15h", "30h"]),
        (1.6, "hours", 2, ["0", "1h", "2h"]),
        (79.2, "hours", 96, ["0", "2d", "4d"]),
        (366, "seconds", 480, ["0", "4min", "8min"]),
        (1.0, "days", 1.25, ["0", "15h", "30h"]),
    ],
)
def test_ticks_are_round_numbers_in_one_unit(highest, unit, top, labels):
    with translation.override("en"):
        assert axis(highest, unit) == (pytest.approx(top), labels)


def test_chinese_ticks_use_chinese_units():
    with translation.override("zh-hans"):
        assert axis(26, "hours")[1] == ["0", "15小时", "30小时"]


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (1.9999, "per_week", "2 a week"),
        (0.5, "per_week", "0.5 a week"),
        (18.46, "hours", "18.5 h"),
        (0.25, "rate", "25%"),
    ],
)
def test_figures_show_no_trailing_zeros(value, unit, shown):
    with translation.override("en"):
        assert show(value, unit) == shown
