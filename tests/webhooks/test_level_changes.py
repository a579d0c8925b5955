"""Which level changes an event reports (pure: two stored levels in, changes out)."""

from assessment.services.levels import level_changes


def stored(provisional: dict, confirmed: dict | None = None) -> dict:
    def reading(levels: dict) -> dict:
        return {
            "parts": {code: {"level": level} for code, level in levels.items() if "." not in code},
            "subdomains": {code: {"level": level} for code, level in levels.items() if "." in code},
            "subitems": {"cd.cm.vc.vcs": {"level": "5"}},  # sub-items are never reported
        }

    return {"provisional": reading(provisional), "confirmed": reading(confirmed or {}), "computed_at": "later"}


def test_nothing_changed_nothing_reported():
    levels = stored({"cd": "1", "cd.cm": "2-"}, {"cd": "1", "cd.cm": "1"})
    assert level_changes(levels, levels) == []


def test_both_readings_parts_and_subdomains_in_order():
    before = stored({"cd": "1", "cd.cm": "1", "cd.bci": "1"}, {"cd": "0", "cd.cm": "0", "cd.bci": "0"})
    after = stored({"cd": "1", "cd.cm": "2-", "cd.bci": "1"}, {"cd": "1", "cd.cm": "1", "cd.bci": "1"})
    assert level_changes(before, after) == [
        {"reading": "provisional", "scope": "subdomain", "code": "cd.cm", "before": "1", "after": "2-"},
        {"reading": "confirmed", "scope": "part", "code": "cd", "before": "0", "after": "1"},
        {"reading": "confirmed", "scope": "subdomain", "code": "cd.cm", "before": "0", "after": "1"},
        {"reading": "confirmed", "scope": "subdomain", "code": "cd.bci", "before": "0", "after": "1"},
    ]


def test_the_first_computation_compares_with_level_zero():
    assert level_changes({}, stored({"cd": "0", "cd.cm": "0"})) == []
    assert level_changes({}, stored({"cd": "0", "cd.cm": "1-"})) == [
        {"reading": "provisional", "scope": "subdomain", "code": "cd.cm", "before": "0", "after": "1-"}
    ]
