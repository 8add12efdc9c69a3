"""Points arithmetic on plain values: the program's rules applied to document lines,
allocation of a total to lines, and what a refund takes back.

A line is a mapping with ``id``, ``product_id``, ``quantity``, ``price_subtotal``,
``price_total`` and ``counts_for_amount`` (False for lines, such as points spent as a
discount, that core loyalty leaves out of amounts). A rule is a mapping with ``mode``
(``order``, ``money`` or ``unit``), ``amount`` (points), ``minimum_amount`` (in the
document's currency), ``tax_mode`` (``incl`` or ``excl``), ``minimum_qty`` and
``product_ids`` (the products the rule accepts).

The result per line is a pair (points by quantity, points by amount): points of rules
per unit follow quantities, points of rules per order and per currency unit follow
amounts, so that a refund of part of a line takes back the right share of each.
"""

import math
from collections import defaultdict

PRECISION = 2


def round_down(value, digits=PRECISION):
    """Core loyalty rounds points per currency unit down to two decimals."""
    factor = 10**digits
    return math.floor(round(value * factor, 6)) / factor


def allocate(total, weights, digits=PRECISION):
    """Split ``total`` over keys in proportion to ``weights`` (a dict), rounded to
    ``digits`` with the largest remainders, so that the parts add up to the total exactly."""
    positive = {key: weight for key, weight in weights.items() if weight > 0}
    if not total or not positive:
        return dict.fromkeys(weights, 0.0)
    factor = 10**digits
    units = round(total * factor)
    weight_sum = sum(positive.values())
    exact = {key: units * weight / weight_sum for key, weight in positive.items()}
    parts = {key: math.floor(value) for key, value in exact.items()}
    left = units - sum(parts.values())
    for key in sorted(exact, key=lambda k: (parts[k] - exact[k], str(k)))[:left]:
        parts[key] += 1
    result = dict.fromkeys(weights, 0.0)
    result.update({key: part / factor for key, part in parts.items()})
    return result


def rule_points(rules, lines):
    """Points per line id for the given rules, as core loyalty computes them for an order."""
    by_qty = defaultdict(float)
    by_amount = defaultdict(float)
    for rule in rules:
        matching = [line for line in lines if line["product_id"] in rule["product_ids"]]
        if not matching or not rule["amount"]:
            continue
        untaxed = sum(line["price_subtotal"] for line in matching)
        taxed = sum(line["price_total"] for line in matching)
        if rule["minimum_amount"] > (taxed if rule["tax_mode"] == "incl" else untaxed):
            continue
        quantity = sum(line["quantity"] for line in matching if line["counts_for_amount"])
        if quantity < rule["minimum_qty"]:
            continue
        counted = [line for line in matching if line["counts_for_amount"]]
        if rule["mode"] == "unit":
            for line in counted:
                by_qty[line["id"]] += rule["amount"] * line["quantity"]
            continue
        if rule["mode"] == "order":
            total = rule["amount"]
        else:
            total = round_down(rule["amount"] * sum(line["price_total"] for line in counted))
        weights = {line["id"]: line["price_total"] for line in counted}
        for line_id, part in allocate(total, weights).items():
            by_amount[line_id] += part
    return {
        line_id: (round(by_qty.get(line_id, 0.0), PRECISION), round(by_amount.get(line_id, 0.0), PRECISION))
        for line_id in set(by_qty) | set(by_amount)
    }


def refund_ratio(refunded, original):
    """The share of an original line that refunds take back, between 0 and 1."""
    if not original:
        return 1.0 if refunded else 0.0
    return max(0.0, min(1.0, refunded / original))


def points_left(base_qty, base_amount, qty_ratio, amount_ratio):
    """Points an original line keeps once refunds took back these shares of it."""
    return round(base_qty * (1 - qty_ratio) + base_amount * (1 - amount_ratio), PRECISION)


def display_digits(value, digits=PRECISION):
    """Decimals to show a points figure with: none for a whole number, ``digits`` otherwise,
    so that one balance reads the same wherever it is printed."""
    return 0 if round(value or 0.0, digits) == round(value or 0.0) else digits
