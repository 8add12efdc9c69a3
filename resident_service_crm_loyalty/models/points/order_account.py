"""Cards live on the customer account. An order for a company's contact person, or for an
invoice or delivery address of a customer, earns and spends on the card of the account
(``commercial_partner_id``), as invoices do. Odoo's sales loyalty opens cards for the
order's customer as entered on the order: while it works on an order, ``order_account()``
says whose cards those are, and a card it opens for that customer is opened for the
account (``loyalty.card`` ``create``). Like ``ledger_writer``, the marker is a variable of
the running request on the server: no client sends it."""

import contextlib
import contextvars

_ACCOUNT = contextvars.ContextVar("rs_loyalty_order_account", default=None)


@contextlib.contextmanager
def order_account(customer, account):
    """Cards opened inside for ``customer`` (a partner id) are opened for ``account``."""
    token = _ACCOUNT.set((customer, account) if customer != account else None)
    try:
        yield
    finally:
        _ACCOUNT.reset(token)


def account_of(partner_id):
    """The account whose card is opened for ``partner_id`` inside ``order_account()``."""
    scope = _ACCOUNT.get()
    if scope and partner_id == scope[0]:
        return scope[1]
    return partner_id


_CANCELLING = contextvars.ContextVar("rs_loyalty_cancelling_orders", default=frozenset())


@contextlib.contextmanager
def cancelling_orders(order_ids):
    """Inside, Odoo's cancellation of the sale orders ``order_ids`` is running, for a user
    who may cancel them (a variable of the running request: no client sends it)."""
    token = _CANCELLING.set(_CANCELLING.get() | frozenset(order_ids))
    try:
        yield
    finally:
        _CANCELLING.reset(token)


def being_cancelled(order_ids):
    """Whether every order of ``order_ids`` is being cancelled inside ``cancelling_orders``."""
    return set(order_ids) <= _CANCELLING.get()
