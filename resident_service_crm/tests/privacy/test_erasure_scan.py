"""Erasure leaves nothing behind: a customer with unique sentinel values in every place the
suite and Odoo's mail and SMS layers keep them is erased by the privacy officer, then every
text, varchar and JSON column of every table of the database is scanned for the sentinels.
Core's portal "delete my account" opens an erasure request instead of acting alone."""

import re

from odoo import Command
from odoo.tests import HttpCase, tagged
from odoo.tools import SQL, mute_logger

from ..common import ResidentServiceCase

SENTINELS = {
    "name": "Qzxname Vortigaunt",
    "phone": "+86 21 5817 2946",
    "mobile": "+86 139 5817 2946",
    "email": "qzx.vortigaunt@example.com",
    "street": "Qzxstreet Lane 77",
    "household": "Qzxhouse Family Vortigaunt",
    "note": "Qzxnote keep the cat inside",
}
# Pieces that may appear reformatted (a phone in E.164, an address in a sentence).
NEEDLES = (
    "Qzxname",
    "Vortigaunt",
    "58172946",
    "5817 2946",
    "qzx.vortigaunt",
    "Qzxstreet",
    "Qzxhouse",
    "Qzxnote",
)
# Tables Odoo empties by itself, or rows of transient wizards.
IGNORED_TABLES = {"bus_bus"}


def scan(env, needles):
    """{(table, column)} of every text, varchar and JSON column holding one of ``needles``."""
    env.flush_all()
    cr = env.cr
    cr.execute(
        """
        SELECT c.table_name, array_agg(c.column_name::text ORDER BY c.column_name)
          FROM information_schema.columns c
          JOIN information_schema.tables t
            ON t.table_schema = c.table_schema AND t.table_name = c.table_name
         WHERE c.table_schema = current_schema()
           AND t.table_type = 'BASE TABLE'
           AND c.data_type IN ('character varying', 'text', 'json', 'jsonb')
         GROUP BY c.table_name
        """
    )
    transient = {model._table for model in env.registry.values() if model._transient}
    patterns = [f"%{needle}%" for needle in needles]
    found = set()
    for table, columns in cr.fetchall():
        if table in IGNORED_TABLES or table in transient:
            continue
        checks = SQL(", ").join(
            SQL("bool_or(%s::text ILIKE ANY(%s))", SQL.identifier(column), patterns) for column in columns
        )
        cr.execute(SQL("SELECT %s FROM %s", checks, SQL.identifier(table)))
        for column, hit in zip(columns, cr.fetchone(), strict=True):
            if hit:
                found.add((table, column))
    return found


@tagged("post_install", "-at_install")
class TestErasureScan(ResidentServiceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.officer = cls.users["privacy_officer"]
        household = cls.env["rs.household"].create(
            {"name": SENTINELS["household"], "street": SENTINELS["street"]}
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": SENTINELS["name"],
                "rs_is_resident_customer": True,
                "phone": SENTINELS["phone"],
                "mobile": SENTINELS["mobile"],
                "email": SENTINELS["email"],
                "street": SENTINELS["street"],
                "rs_household_id": household.id,
                "rs_service_note": SENTINELS["note"],
                "rs_preferred_channel": "sms",
            }
        )
        for channel in ("email", "sms"):
            cls.env["rs.consent"]._record(cls.customer, "service", channel, "given")
        cls.env["rs.service.record"].create(
            {
                "partner_id": cls.customer.id,
                "service_type_id": cls.service_type.id,
                "scheduled_start": "2026-11-02 09:00:00",
                "notes": f"{SENTINELS['note']} ({SENTINELS['name']})",
            }
        )
        cls.env["rs.communication"].create(
            {"partner_id": cls.customer.id, "summary": SENTINELS["name"], "detail": SENTINELS["note"]}
        )
        # a complaint whose subject names the customer: acknowledged by mail and SMS, a
        # message and a text message to the customer, an activity on it
        complaint = cls.env["rs.complaint"].create(
            {
                "partner_id": cls.customer.id,
                "subject": f"{SENTINELS['name']} at {SENTINELS['street']}",
                "description": f"<p>{SENTINELS['note']}</p>",
                "email_from": SENTINELS["email"],
            }
        )
        # queued, as when the mail queue has not run yet
        complaint.with_context(mail_notify_force_send=False).message_post(
            body=f"Dear {SENTINELS['name']}, we call you at {SENTINELS['mobile']}.",
            partner_ids=cls.customer.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        complaint._message_sms(
            body=f"{SENTINELS['name']}: the technician comes at 10.", partner_ids=cls.customer.ids
        )
        complaint.activity_schedule(
            "mail.mail_activity_data_call", summary="Call back", user_id=cls.officer.id
        )
        cls.complaint = complaint
        # portal access
        cls.portal_user = (
            cls.env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "login": SENTINELS["email"],
                    "partner_id": cls.customer.id,
                    "signature": f"<p>{SENTINELS['name']}</p>",
                    "groups_id": [Command.set(cls.env.ref("base.group_portal").ids)],
                }
            )
        )

    def test_erasure_leaves_no_sentinel_in_the_database(self):
        self.assertTrue(scan(self.env, NEEDLES), "the scan finds the sentinels before the erasure")
        self.assertTrue(self.env["sms.sms"].search([("partner_id", "=", self.customer.id)]))
        self.assertTrue(self.env["mail.mail"].search([("recipient_ids", "in", self.customer.ids)]))
        Request = self.env["rs.privacy.request"].with_user(self.officer)
        access = Request.create({"partner_id": self.customer.id, "request_type": "access"})
        access.action_export()
        self.assertEqual(len(access.message_ids.attachment_ids), 2)
        # the export holds every registered record about the customer and every message on them
        data = self.customer.with_user(self.officer)._rs_privacy_export()
        exported = {}
        for section in data.values():
            exported.setdefault(section["model"], set()).update(row["id"] for row in section["rows"])
        registered = self.customer._rs_privacy_registered_records()
        self.assertTrue(registered["rs.complaint"] and registered["rs.household"] and registered["res.users"])
        for model, records in registered.items():
            self.assertLessEqual(set(records.ids), exported.get(model, set()), model)
        messages = self.env["mail.message"].search(self.customer._rs_privacy_message_domain())
        self.assertIn(self.complaint.message_ids[0], messages)
        self.assertEqual({row["id"] for row in data["messages"]["rows"]}, set(messages.ids))
        erasure = Request.create({"partner_id": self.customer.id, "request_type": "erasure"})
        erasure.action_erase()

        self.assertEqual(scan(self.env, NEEDLES), set())
        # the earlier export went, and the log says so without a personal value
        self.assertFalse(
            self.env["ir.attachment"].search(
                [("res_model", "=", "rs.privacy.request"), ("res_id", "=", access.id)]
            )
        )
        self.assertIn("Earlier exports deleted: 2 files", erasure.log_ids.mapped("detail"))
        # the portal access ended
        user = self.portal_user.with_context(active_test=False)
        self.assertFalse(user.active)
        self.assertNotIn("vortigaunt", user.login.lower())

    def test_portal_delete_my_account_opens_an_erasure_request(self):
        with self.assertRaisesRegex(Exception, "was received as"):
            self.portal_user._deactivate_portal_user(request_blacklist=True)
        request = self.env["rs.privacy.request"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual((request.request_type, request.state), ("erasure", "new"))
        self.assertTrue(self.portal_user.active, "the account stays until the officer answers")
        self.assertFalse(self.env["mail.blacklist"].search([("email", "=", SENTINELS["email"])]))


@tagged("post_install", "-at_install")
class TestPortalDeleteAccount(HttpCase):
    def test_delete_my_account_from_the_portal(self):
        partner = self.env["res.partner"].create(
            {"name": "Tang Yi", "rs_is_resident_customer": True, "email": "tang.yi@example.com"}
        )
        self.env["res.users"].with_context(no_reset_password=True).create(
            {
                "login": "tang.yi",
                "password": "tang.yi.password",
                "partner_id": partner.id,
                "groups_id": [Command.set(self.env.ref("base.group_portal").ids)],
            }
        )
        self.authenticate("tang.yi", "tang.yi.password")
        page = self.url_open("/my/security")
        token = re.search(r'name="csrf_token"\s+value="([^"]+)"', page.text).group(1)
        with mute_logger("odoo.http"):
            response = self.url_open(
                "/my/deactivate_account",
                data={"csrf_token": token, "validation": "tang.yi", "password": "tang.yi.password"},
            )
        self.assertEqual(response.status_code, 200)
        self.assertIn("was received as", response.text)
        request = self.env["rs.privacy.request"].search([("partner_id", "=", partner.id)])
        self.assertEqual((request.request_type, request.state), ("erasure", "new"))
        self.assertIn("portal", " ".join(request.log_ids.mapped("detail")))
        self.assertTrue(partner.user_ids.active)
