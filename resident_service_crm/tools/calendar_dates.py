"""Anniversaries on the solar and the Chinese lunar calendar, on plain dates.

Lunar dates are converted with ``lunardate`` (tables for 1900-2099). Two conventions,
the ones families follow:

- a day that a lunar month does not have this year (the 30th of a 29-day month) falls
  on the month's last day: 除夕 is "the last day of the twelfth month";
- a birthday in a leap month (闰月) is kept in that leap month when the year has it, and
  in the ordinary month of the same number otherwise.

A solar February 29 falls on February 28 in other years.
"""

import calendar
from datetime import date, timedelta

from lunardate import LunarDate

LAST_LUNAR_YEAR = 2099


def solar_on(year, month, day):
    """The solar date of (month, day) in that year; February 29 is the 28th in other years."""
    if month == 2 and day == 29 and not calendar.isleap(year):
        return date(year, 2, 28)
    return date(year, month, day)


def next_solar(month, day, today):
    """The next (month, day) on or after ``today``."""
    this_year = solar_on(today.year, month, day)
    return this_year if this_year >= today else solar_on(today.year + 1, month, day)


def lunar_month_length(year, month, leap=False):
    start = LunarDate(year, month, 1, leap).to_solar_date()
    if not leap and LunarDate.leap_month_for_year(year) == month:
        following = LunarDate(year, month, 1, True)
    elif month == 12:
        following = LunarDate(year + 1, 1, 1)
    else:
        following = LunarDate(year, month + 1, 1)
    return (following.to_solar_date() - start).days


def lunar_to_solar(year, month, day, leap=False):
    """The solar date of a lunar (month, day) in lunar ``year``, with the conventions above."""
    if leap and LunarDate.leap_month_for_year(year) != month:
        leap = False
    day = min(day, lunar_month_length(year, month, leap))
    return LunarDate(year, month, day, leap).to_solar_date()


def next_lunar(month, day, today, leap=False):
    """The next solar date, on or after ``today``, of the lunar (month, day); None past 2099."""
    lunar_year = LunarDate.from_solar_date(today.year, today.month, today.day).year
    for year in (lunar_year - 1, lunar_year, lunar_year + 1):
        if year > LAST_LUNAR_YEAR:
            return None
        if leap and LunarDate.leap_month_for_year(year) == month:
            # the leap month comes after the ordinary one: celebrate in the leap month
            candidate = lunar_to_solar(year, month, day, True)
        else:
            candidate = lunar_to_solar(year, month, day, False)
        if candidate >= today:
            return candidate
    return None


def next_occurrence(calendar_kind, month, day, today, leap=False):
    if calendar_kind == "lunar":
        return next_lunar(month, day, today, leap)
    return next_solar(month, day, today)


def dates_between(start, end):
    """Every date from start to end, both included."""
    return [start + timedelta(days=offset) for offset in range((end - start).days + 1)]
