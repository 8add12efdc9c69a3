"""Who may change points. Card balances, card holders and ledger entries change only on the
server's own paths: a document that posts or is cancelled, Odoo's order confirmation and
cancellation, the balance update wizard, a merge of customers. Those paths run inside
``ledger_writer()`` (or as superuser, for the suite's own bookkeeping); a client's ``create``
or ``write`` never does, whatever context it sends, because the marker is a variable of the
running request on the server, not a value a JSON-RPC call can carry."""

import contextlib
import contextvars

_WRITER = contextvars.ContextVar("rs_loyalty_ledger_writer", default=None)


@contextlib.contextmanager
def ledger_writer(adjustment=None):
    """Open the ledger to the server code run inside; ``adjustment`` is the balance update
    wizard whose history row becomes an adjustment entry."""
    token = _WRITER.set({"adjustment": adjustment})
    try:
        yield
    finally:
        _WRITER.reset(token)


def ledger_open(env):
    """Whether the code now running may change points: inside ``ledger_writer()``, or as
    superuser (``sudo()`` is a server-side call no client can make)."""
    return env.su or _WRITER.get() is not None


def ledger_adjustment():
    """The balance update wizard now writing, if any."""
    state = _WRITER.get()
    return state and state["adjustment"]
