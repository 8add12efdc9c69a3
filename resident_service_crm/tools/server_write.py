"""Fields that only the server writes: states, approvals, who did what and when, tiers.

A client (the web client, JSON-RPC, XML-RPC, an import) sends values to ``create`` and
``write``; the suite's own actions write these fields inside ``server_write()``. The marker
is a variable of the request running on the server, so no value a client sends can open it.
``sudo()`` also opens it: only server code can call it. An administrator repairs data as
superuser (``odoo shell``), which is the one way around the rules, and a deliberate one."""

import contextlib
import contextvars
import functools

from odoo.exceptions import AccessError

_SERVER = contextvars.ContextVar("rs_server_write", default=False)


@contextlib.contextmanager
def server_write():
    """Let the server code run inside write server-owned fields."""
    token = _SERVER.set(True)
    try:
        yield
    finally:
        _SERVER.reset(token)


def server_open(env):
    """Whether the code now running may write server-owned fields."""
    return env.su or _SERVER.get()


def refuse_client_values(records, vals_list, server_fields):
    """Refuse values of ``server_fields`` sent by a client in ``vals_list`` (a list of dicts,
    or one dict) to ``records``' model, with a message naming the fields."""
    env = records.env
    if server_open(env):
        return
    if isinstance(vals_list, dict):
        vals_list = [vals_list]
    sent = sorted({name for vals in vals_list for name in vals if name in server_fields})
    if sent:
        labels = ", ".join(records._fields[name]._description_string(env) for name in sent)
        raise AccessError(
            env._(
                "These fields of %(model)s are set by the application's own actions, never typed "
                "in: %(fields)s. Use the buttons of the form instead.",
                fields=labels,
                model=env["ir.model"]._get(records._name).name,
            )
        )


def server_action(method):
    """Decorate a public action whose own writes set server-owned fields: the action checks
    what the user may do, then writes as the server."""

    @functools.wraps(method)
    def action(self, *args, **kwargs):
        with server_write():
            return method(self, *args, **kwargs)

    return action
