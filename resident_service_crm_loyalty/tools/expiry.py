"""Expiry of points on plain values: the date an earning lapses, and first-in first-out
consumption of earnings ("lots") by the earliest expiry date."""

import datetime

from dateutil.relativedelta import relativedelta

PRECISION = 2
EPSILON = 0.005


def expiry_date(mode, months, earned_on):
    """The last day on which points earned on ``earned_on`` can be spent, or None.

    ``mode`` is ``never``, ``months`` (``months`` months after the earning, the day
    before the same day of the month) or ``year_end`` (31 December of the year of earning).
    """
    if mode == "months" and months > 0:
        return earned_on + relativedelta(months=months) - datetime.timedelta(days=1)
    if mode == "year_end":
        return datetime.date(earned_on.year, 12, 31)
    return None


def fifo_key(lot):
    """Order of consumption: earliest expiry first, points that never expire last, then
    the oldest earning first."""
    return (lot["expiry_date"] is None, lot["expiry_date"] or datetime.date.max, lot["id"])


def consume(lots, points, preferred=None):
    """Take ``points`` from ``lots`` (dicts with ``id``, ``expiry_date``, ``remaining`` and
    ``origin``), first from the lots whose origin is ``preferred`` (the earning a reversal
    takes back), then first-in first-out. Changes the lots' ``remaining`` in place and
    returns ``[(lot id, points taken)]``; what no lot covers is left out."""
    ordered = sorted(lots, key=lambda lot: (not (preferred and lot["origin"] == preferred), fifo_key(lot)))
    taken = []
    need = round(points, PRECISION)
    for lot in ordered:
        if need < EPSILON:
            break
        take = round(min(need, lot["remaining"]), PRECISION)
        if take < EPSILON:
            continue
        lot["remaining"] = round(lot["remaining"] - take, PRECISION)
        need = round(need - take, PRECISION)
        taken.append((lot["id"], take))
    return taken


def release(held, points):
    """Give back ``points`` of what a spending holds (``[(lot id, expiry date, points)]``),
    the latest-expiring first, so that what is returned is what it would have taken last.
    Returns ``[(lot id, points given back)]``."""
    ordered = sorted(
        held,
        key=lambda item: (item[1] is None, item[1] or datetime.date.max, item[0]),
        reverse=True,
    )
    given = []
    need = round(points, PRECISION)
    for lot_id, _expiry, amount in ordered:
        if need < EPSILON:
            break
        back = round(min(need, amount), PRECISION)
        if back < EPSILON:
            continue
        need = round(need - back, PRECISION)
        given.append((lot_id, back))
    return given
