"""Session package arithmetic (次卡) on plain values, in whole cents (integers), so that the
shares of a package add up to its price exactly.

The price paid for a package is a liability until its sessions are used: each session used
recognises the price per session, the price paid divided by the sessions, and the last
session takes what the rounding left, so that the package's liability ends at exactly zero.
"""

from decimal import ROUND_HALF_UP, Decimal

RATE_PAID = "paid"
RATE_LIST = "list"
RATES = (RATE_PAID, RATE_LIST)


def session_share(price, sessions, remaining, sessions_left):
    """What one session used recognises, in cents: the price per session, ``price`` (paid
    for the package) divided by its ``sessions`` and rounded half up, at most ``remaining``
    (the package's liability left); the last of the ``sessions_left`` takes the whole of
    ``remaining``, so that the liability ends at exactly zero."""
    if sessions_left <= 0 or sessions <= 0:
        raise ValueError("no session left")
    if sessions_left == 1:
        return remaining
    share = (Decimal(price) / Decimal(sessions)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return max(min(int(share), remaining), 0)


def refund_amount(rate, price, remaining, used, list_prices):
    """What the refund of a package's unused sessions pays back, in cents.

    ``price`` is what was paid for the package, ``remaining`` what is left of it (the
    package's liability), ``used`` is ``{service type: sessions used}`` and ``list_prices``
    ``{service type: list price of one session in cents}``. At the price paid per session,
    the unused sessions are paid back at that price: the refund is what is left of the
    price paid. At the list price per session (the common rule when a discount was given
    for the package), the sessions used are charged at their list price and the rest of
    the price paid is refunded, capped at what is left of the price paid and never below
    zero."""
    if rate not in RATES:
        raise ValueError(rate)
    if rate == RATE_PAID:
        return remaining
    charged = sum(sessions * list_prices.get(key, 0) for key, sessions in used.items())
    return max(min(price - charged, remaining), 0)
