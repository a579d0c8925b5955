"""Level maths as pure tests: the CAICT "3-" notation, N/A, roll-up rules and the gap to target."""

import pytest

from assessment.scoring.levels import Level, blocking_levels, distribution, roll_up, subitem_level

MET, PARTLY, NOT_MET, NA = "met", "partly", "not_met", "na"


@pytest.mark.parametrize(
    ("answers", "notation"),
    [
        ({}, "0"),
        ({1: NOT_MET}, "0"),
        ({1: PARTLY}, "1-"),
        ({1: MET}, "1"),
        ({1: MET, 2: MET, 3: PARTLY}, "3-"),
        ({1: MET, 2: MET, 3: NOT_MET, 4: MET}, "2"),
        ({1: MET, 2: MET, 3: PARTLY, 4: MET, 5: MET}, "3-"),
        ({1: MET, 2: MET, 4: MET}, "2"),
        ({1: MET, 2: MET, 3: MET, 4: MET, 5: MET}, "5"),
        ({1: MET, 2: NA, 3: MET}, "3"),
    ],
)
def test_subitem_level_in_caict_notation(answers, notation):
    assert subitem_level(answers).notation == notation


def test_not_applicable_counts_only_once_approved_in_the_confirmed_reading():
    answers = {1: MET, 2: NA, 3: MET}
    assert subitem_level(answers, na_approved=True) == Level(3)
    assert subitem_level(answers, na_approved=False) == Level(1)


def test_min_roll_up_is_the_lowest_sub_item():
    assert roll_up([Level(3), Level(2), Level(4)]) == Level(2)


def test_min_roll_up_keeps_the_partial_mark_only_when_every_lowest_sub_item_is_partly_through():
    assert roll_up([Level(2, True), Level(3), Level(2, True)]).notation == "3-"
    assert roll_up([Level(2, True), Level(3), Level(2)]).notation == "2"


def test_median_roll_up():
    assert roll_up([Level(1), Level(3), Level(4)], rule="median") == Level(3)
    assert roll_up([Level(1), Level(2), Level(3), Level(4)], rule="median") == Level(2)


def test_roll_up_of_nothing_is_zero():
    assert roll_up([]) == Level(0)


def test_distribution_counts_sub_items_per_level():
    assert distribution([Level(3), Level(3, True), Level(1), Level(0)]) == {0: 1, 1: 1, 2: 0, 3: 2, 4: 0, 5: 0}


def test_blocking_levels_are_the_unmet_criteria_up_to_the_target():
    assert blocking_levels({1: MET, 2: PARTLY, 4: MET}, target=3) == [2, 3]
    assert blocking_levels({1: MET, 2: MET, 3: NA}, target=3) == []
    assert blocking_levels({1: MET, 2: MET, 3: NA}, target=3, na_approved=False) == [3]
