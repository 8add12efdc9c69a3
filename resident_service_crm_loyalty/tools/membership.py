"""Membership tier arithmetic on plain values: review dates, grace periods and which tier a
customer's qualifying points reach or keep.

A tier is a tuple ``(tier_id, points_to_reach, points_to_keep)``; tiers come in their
catalogue order, the highest first.
"""

import calendar
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta


def _on(year, month, day):
    """The day ``month``/``day`` of ``year``; the 29th of February falls on the 28th in
    other years."""
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def last_review_date(today, mode, member_since=None, month=1, day=1):
    """The latest review date on or before ``today``: the membership anniversary
    (``mode`` "anniversary", counted from ``member_since``) or a fixed day of the year
    (``mode`` "fixed"). None before the first review (less than a year of membership)."""
    if mode == "anniversary":
        if not member_since:
            return None
        month, day = member_since.month, member_since.day
    review = _on(today.year, month, day)
    if review > today:
        review = _on(today.year - 1, month, day)
    if member_since and review < _on(member_since.year + 1, member_since.month, member_since.day):
        return None
    return review


def grace_end(review, amount, unit):
    """The day a grace period of ``amount`` days or months started on ``review`` ends."""
    if unit == "months":
        return review + relativedelta(months=amount)
    return review + relativedelta(days=amount)


def tier_to_reach(tiers, points):
    """The highest tier whose threshold the points reach (None when none)."""
    for tier_id, to_reach, _to_keep in tiers:
        if points >= to_reach:
            return tier_id
    return None


def rank(tiers, tier_id):
    """The place of a tier in the catalogue, 0 for the highest; a tier outside it (or none)
    ranks below all."""
    for index, (candidate, _reach, _keep) in enumerate(tiers):
        if candidate == tier_id:
            return index
    return len(tiers)


def keeps(tiers, tier_id, points):
    """Whether the points keep the tier (its retention threshold, 保级)."""
    for candidate, _reach, to_keep in tiers:
        if candidate == tier_id:
            return points >= to_keep
    return True


def tier_after_review(tiers, tier_id, points):
    """The tier a customer below the retention threshold of ``tier_id`` falls to: the
    highest lower tier whose retention threshold the points meet, or none."""
    current = rank(tiers, tier_id)
    for tier, _to_reach, to_keep in tiers[current + 1 :]:
        if points >= to_keep:
            return tier
    return None


def next_review_date(today, mode, member_since=None, month=1, day=1):
    """The first review date on or after ``today`` (see ``last_review_date``): the day by
    which a member must hold the points that keep the tier. None without a membership date
    under the anniversary mode."""
    if mode == "anniversary":
        if not member_since:
            return None
        month, day = member_since.month, member_since.day
    review = _on(today.year, month, day)
    if review < today:
        review = _on(today.year + 1, month, day)
    if member_since:
        first = _on(member_since.year + 1, member_since.month, member_since.day)
        if mode == "anniversary":
            review = max(review, first)
        while review < first:
            review = _on(review.year + 1, month, day)
    return review


def value_keep_deadline(purchases, window_days, min_monetary, min_frequency):
    """Under the customer value policy, the day a tier's minimum stops holding if nothing
    more is bought: purchases leave the window of ``window_days`` (a purchase of day d
    counts until d + window - 1), oldest first. ``purchases`` are the ``(day, amount,
    is_refund)`` of the current window. None when the minimum does not hold now or holds
    without any purchase."""
    monetary = sum(amount for _day, amount, _refund in purchases)
    frequency = sum(1 for _day, _amount, refund in purchases if not refund)
    if monetary < min_monetary or frequency < min_frequency:
        return None
    for day, amount, refund in sorted(purchases):
        monetary -= amount
        frequency -= 0 if refund else 1
        if monetary < min_monetary or frequency < min_frequency:
            return day + timedelta(days=window_days)
    return None
