"""Stored-value arithmetic (储值卡) on plain values, in whole cents (integers), so that every
split adds up to the amount exactly.

A tier is a mapping with ``min_amount`` (cents), ``bonus_type`` (``amount`` or ``percent``),
``bonus_amount`` (cents) and ``bonus_percent``. A lot is a mapping with ``id``, ``kind``
(``principal`` or ``bonus``) and ``remaining`` (cents), given oldest first (bonus lots by
the date they expire, then oldest first).
"""

from decimal import ROUND_HALF_UP, Decimal

PRINCIPAL = "principal"
BONUS = "bonus"
ORDERS = ("bonus_first", "principal_first", "proportional")


def to_cents(amount, digits=2):
    """An amount of money as a whole number of its smallest unit, rounded half up."""
    return int(Decimal(str(amount)).scaleb(digits).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def from_cents(cents, digits=2):
    return float(Decimal(cents).scaleb(-digits))


def topup_tier(amount, tiers):
    """The tier a top-up of ``amount`` reaches: the one with the highest minimum at most the
    amount, or None."""
    reached = [tier for tier in tiers if tier["min_amount"] <= amount]
    return max(reached, key=lambda tier: tier["min_amount"]) if reached else None


def topup_bonus(amount, tiers):
    """The bonus (赠送金额) a top-up of ``amount`` earns, in cents: the reached tier's fixed
    bonus, or its percentage of the amount rounded half up to the cent."""
    tier = topup_tier(amount, tiers)
    if not tier:
        return 0
    if tier["bonus_type"] == "percent":
        exact = Decimal(amount) * Decimal(str(tier["bonus_percent"])) / 100
        return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return tier["bonus_amount"]


def largest_remainder(amount, weights):
    """Split ``amount`` (cents) in proportion to ``weights`` (a list of non-negative cents):
    each part rounded down, then the cents left over go one by one to the parts with the
    largest fractions, the earlier part on a tie. The parts add up to ``amount``."""
    total = sum(weights)
    if not total:
        return [0] * len(weights)
    exact = [(amount * weight, total) for weight in weights]
    parts = [numerator // denominator for numerator, denominator in exact]
    left = amount - sum(parts)
    fractions = sorted(range(len(weights)), key=lambda index: (-(exact[index][0] % total), index))
    for index in fractions[:left]:
        parts[index] += 1
    return parts


def split_spending(amount, lots, order):
    """Which lots pay ``amount`` (cents): a list of (lot id, cents), in the spending order.

    - ``bonus_first``: the bonus lots, soonest to expire first, then the principal, oldest
      first;
    - ``principal_first``: the principal, oldest first, then the bonus lots;
    - ``proportional``: principal and bonus in proportion to what the card holds of each
      (``largest_remainder``: the cent a rounding leaves goes to the larger fraction,
      the principal on a tie), each kind then spent oldest first.

    Raises ValueError when the lots hold less than ``amount``."""
    if order not in ORDERS:
        raise ValueError(f"unknown spending order {order!r}")
    lots = [lot for lot in lots if lot["remaining"] > 0]
    if amount > sum(lot["remaining"] for lot in lots):
        raise ValueError("the lots hold less than the amount")
    principal = [lot for lot in lots if lot["kind"] == PRINCIPAL]
    bonus = [lot for lot in lots if lot["kind"] == BONUS]
    if order == "proportional":
        held = [sum(lot["remaining"] for lot in kind) for kind in (principal, bonus)]
        shares = largest_remainder(amount, held)
        return _take(shares[0], principal) + _take(shares[1], bonus)
    first, second = (bonus, principal) if order == "bonus_first" else (principal, bonus)
    taken = _take(min(amount, sum(lot["remaining"] for lot in first)), first)
    return taken + _take(amount - sum(cents for _lot, cents in taken), second)


def _take(amount, lots):
    taken = []
    for lot in lots:
        if amount <= 0:
            break
        cents = min(amount, lot["remaining"])
        taken.append((lot["id"], cents))
        amount -= cents
    return taken


# ----------------------------------------------------------------------
# The prepayment (预收账款) each lot carries: what the ledger's ``liability`` adds up to
# ----------------------------------------------------------------------

TREATMENTS = ("allocated", "discount")


def _share(cents, numerator, denominator):
    """``cents`` * numerator / denominator, rounded half up (all non-negative)."""
    if not denominator:
        return 0
    return (2 * cents * numerator + denominator) // (2 * denominator)


def topup_liability(principal, bonus, treatment):
    """(principal lot's liability, bonus lot's liability) of a top-up of ``principal`` with
    ``bonus`` on top, in cents; they add up to the principal, the money received.

    - ``allocated`` (CAS 14 / IFRS 15): the price paid is spread over all the value the card
      receives, so each lot carries its share (principal * value of the lot / whole value);
    - ``discount``: the principal lot carries the money received, the bonus lot nothing."""
    if treatment not in TREATMENTS:
        raise ValueError(f"unknown bonus treatment {treatment!r}")
    if treatment == "discount" or not bonus:
        return principal, 0
    carried = _share(principal, principal, principal + bonus)
    return carried, principal - carried


def released_liability(cents, remaining, liability):
    """What taking ``cents`` of a lot's ``remaining`` value releases of the ``liability`` the
    lot still carries: its share, rounded half up, and all of it when the lot is emptied, so
    that an empty lot carries nothing."""
    if cents >= remaining:
        return liability
    return _share(cents, liability, remaining)
