"""The journey harness: a user's daily work through the routes the web client calls.

A journey logs in over HTTP as a user who holds exactly the groups of one demo role, and
goes through ``/web/dataset/call_kw``, ``/web/action/load``, the ``/mail/`` routes and the
portal pages, as the browser would. Nothing in a journey runs as the superuser: ``sudo()``
and ``self.env`` belong to the set-up and to reading the outcome back. The bridges' journeys
and later ones extend this case rather than write their own."""

import json
from contextlib import contextmanager

from odoo import Command
from odoo.tests import HttpCase
from odoo.tools import mute_logger


class Refused(Exception):
    """A call the server answered with an error: its exception class and its message."""

    def __init__(self, name, message):
        super().__init__(f"{name}: {message}")
        self.name = name
        self.message = message


# Each role of the demo, and the demo user whose groups it holds.
DEMO_ROLES = {
    "manager": "resident_service_crm.user_manager_demo",
    "service_desk": "resident_service_crm.user_all_demo",
    "account_keeper": "resident_service_crm.user_own_demo",
    "technician": "resident_service_crm.user_technician_demo",
    "privacy_officer": "resident_service_crm.user_privacy_officer_demo",
    "accountant": "resident_service_crm.user_accountant_demo",
    "portal": "resident_service_crm.user_portal_demo",
}


class RoleJourneyCase(HttpCase):
    """One user per demo role, each holding exactly the groups of the demo user of that
    role, in the demo user's companies; their password is their login."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.role_users = {}
        for role, xmlid in DEMO_ROLES.items():
            demo = cls.env.ref(xmlid)
            login = f"journey_{role}"
            values = {
                "name": f"{demo.name} ({role})",
                "login": login,
                "password": login,
                "email": f"{login}@example.com",
                "tz": demo.tz,
                "lang": "en_US",
                "groups_id": [Command.set(demo.groups_id.ids)],
                "company_id": demo.company_id.id,
                "company_ids": [Command.set(demo.company_ids.ids)],
            }
            if role == "portal":
                # the demo customer's own portal access: the journey is that customer's
                values.pop("name")
                values["partner_id"] = (
                    cls.env["res.partner"]
                    .create(
                        {
                            "name": f"{demo.partner_id.name} (journey)",
                            "rs_is_resident_customer": True,
                            "email": values["email"],
                            "company_id": demo.partner_id.company_id.id,
                        }
                    )
                    .id
                )
            Users = cls.env["res.users"].with_context(no_reset_password=True, tracking_disable=True)
            cls.role_users[role] = Users.create(values)

    # ------------------------------------------------------------------
    # logging in and calling as the web client does
    # ------------------------------------------------------------------

    def login_as(self, role):
        """Open a session as the role's user; later calls run with that user's rights."""
        user = self.role_users[role]
        self.authenticate(user.login, user.login)
        self.current_user = user
        return user

    def context(self, **extra):
        """The context the web client sends with every call."""
        user = self.current_user
        return {
            "lang": user.lang or "en_US",
            "tz": user.tz or "UTC",
            "uid": user.id,
            "allowed_company_ids": [user.company_id.id],
            **extra,
        }

    def json(self, route, **params):
        """A JSON-RPC route, as the web client posts it; an error answer raises ``Refused``."""
        payload = {"id": 0, "jsonrpc": "2.0", "method": "call", "params": params}
        response = self.url_open(
            route, json.dumps(payload).encode(), headers={"Content-Type": "application/json"}
        )
        response.raise_for_status()
        answer = response.json()
        if "error" in answer:
            data = answer["error"].get("data", {})
            raise Refused(data.get("name", ""), data.get("message", answer["error"].get("message")))
        return answer["result"]

    def call(self, model, method, *args, context=None, **kwargs):
        """``/web/dataset/call_kw``: a model's public method, as a button or a view calls it."""
        kwargs["context"] = self.context(**(context or {}))
        return self.json(
            f"/web/dataset/call_kw/{model}/{method}",
            model=model,
            method=method,
            args=list(args),
            kwargs=kwargs,
        )

    def create(self, model, values, context=None):
        """A form saved for the first time (``web_save`` without a record)."""
        return self.call(model, "web_save", [], values, specification={}, context=context)[0]["id"]

    def save(self, model, record_id, values, context=None):
        """A form saved on an existing record."""
        return self.call(model, "web_save", [record_id], values, specification={}, context=context)

    def button(self, model, record_id, method, context=None):
        """A button of a form: the record is saved, then its method called on it. Its answer
        is True or an action, never None, which XML-RPC clients cannot read."""
        answer = self.call(model, method, [record_id], context=context)
        self.assertIsNotNone(answer, f"{model}.{method} answers None")
        return answer

    def post_message(self, model, record_id, body, partner_ids=(), note=False):
        """The chatter's "Send message" (or "Log note"), through ``/mail/message/post``."""
        return self.json(
            "/mail/message/post",
            thread_model=model,
            thread_id=record_id,
            post_data={
                "body": body,
                "message_type": "comment",
                "subtype_xmlid": "mail.mt_note" if note else "mail.mt_comment",
                "partner_ids": list(partner_ids),
            },
            context=self.context(),
        )

    @contextmanager
    def refused(self, error="odoo.exceptions.AccessError"):
        """Expect the call inside to be refused with ``error`` (its class); the refusal is in
        ``caught.exception`` (``.message`` says what the user reads). The HTTP layer's log of
        the refusal is the only log muted."""
        with mute_logger("odoo.http"), self.assertRaises(Refused) as caught:
            yield caught
        self.assertEqual(caught.exception.name, error, caught.exception.message)
