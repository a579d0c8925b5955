"""The working calendar of the demo's Chinese teams: weekends, the public holidays that stop work, and the change
freeze (封网) that operators keep before and during them. Pure.

Only the holidays long enough to shape a delivery chart are kept: the Spring Festival, Labour Day and National
Day golden weeks. Official make-up working days (调休) are left out: they move a day or two a year and change no
figure that the demo shows.
"""

import datetime

# The first day of the Spring Festival (正月初一); the holiday runs from its eve to the sixth day.
SPRING_FESTIVAL = {
    2024: datetime.date(2024, 2, 10),
    2025: datetime.date(2025, 1, 29),
    2026: datetime.date(2026, 2, 17),
    2027: datetime.date(2027, 2, 6),
    2028: datetime.date(2028, 1, 26),
    2029: datetime.date(2029, 2, 13),
    2030: datetime.date(2030, 2, 3),
    2031: datetime.date(2031, 1, 23),
    2032: datetime.date(2032, 2, 11),
    2033: datetime.date(2033, 1, 31),
    2034: datetime.date(2034, 2, 19),
    2035: datetime.date(2035, 2, 8),
}
FREEZE_DAYS_BEFORE = 3  # production changes stop this many days before a holiday


def is_holiday(day: datetime.date) -> bool:
    """A public holiday of the three golden weeks (years missing from the table have no Spring Festival)."""
    if day.month == 5 and day.day <= 5:
        return True
    if day.month == 10 and day.day <= 7:
        return True
    new_year = SPRING_FESTIVAL.get(day.year)
    return new_year is not None and -1 <= (day - new_year).days <= 6


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and not is_holiday(day)


def is_frozen(day: datetime.date) -> bool:
    """No planned production change: a holiday, or the days just before one."""
    return any(is_holiday(day + datetime.timedelta(days=ahead)) for ahead in range(FREEZE_DAYS_BEFORE + 1))
