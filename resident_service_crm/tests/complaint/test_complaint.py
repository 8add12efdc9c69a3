from datetime import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tests.common import new_test_user
from odoo.tools import mute_logger

from ..common import ResidentServiceCase

MAIL = """Return-Path: <alice.brown@example.com>
To: complaints@example.com
From: Alice Brown <alice.brown@example.com>
Subject: The cleaner did not come
Message-ID: <complaint-1@example.com>
Date: Mon, 2 Mar 2026 09:00:00 +0000
Content-Type: text/plain; charset="utf-8"

Nobody came this morning and nobody called.
"""


@tagged("post_install", "-at_install")
class TestComplaint(ResidentServiceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False))
        cls.customer = cls.own_customer
        cls.customer.write(
            {"email": "wang.fang@example.com", "mobile": "+86 138 0013 8000", "tz": "Asia/Shanghai"}
        )
        cls.category = cls.env.ref("resident_service_crm.complaint_category_service_quality")
        cls.closed = cls.env.ref("resident_service_crm.complaint_stage_closed")
        cls.acknowledged = cls.env.ref("resident_service_crm.complaint_stage_acknowledged")
        cls.Complaint = cls.env["rs.complaint"]

    def _complaint(self, **values):
        return self.Complaint.create(
            {
                "subject": "Vase broken",
                "partner_id": self.customer.id,
                "category_id": self.category.id,
                **values,
            }
        )

    def _complete(self, complaint):
        complaint.write(
            {
                "responsible_party": "staff",
                "root_cause_id": self.env.ref("resident_service_crm.root_cause_carelessness").id,
                "resolution": "<p>Vase replaced, apology accepted.</p>",
            }
        )

    # ------------------------------------------------------------------
    def test_reference_stage_and_subscription(self):
        complaint = self._complaint()
        self.assertTrue(complaint.name.startswith("CMP/"))
        self.assertEqual(complaint.stage_id, self.env.ref("resident_service_crm.complaint_stage_new"))
        self.assertIn(self.customer, complaint.message_partner_ids)
        self.assertEqual(complaint.access_url, f"/my/complaints/{complaint.id}")

    def test_the_form_shows_the_number_to_call_back(self):
        """A complaint made by phone is called back from its form: the customer's mobile is
        there, read by the service desk as the form reads it."""
        complaint = self._complaint(channel="phone")
        desk = self.users["user_all"]
        read = complaint.with_user(desk).web_read({"partner_mobile": {}, "partner_phone": {}})[0]
        self.assertEqual(read["partner_mobile"], "+86 138 0013 8000")
        self.assertFalse(read["partner_phone"])

    def test_acknowledgement_by_email_when_allowed(self):
        complaint = self._complaint()
        self.assertTrue(complaint.acknowledged_date)
        self.assertIn("email", complaint.acknowledgement_note)
        ack = complaint.message_ids.filtered(lambda m: "received your complaint" in (m.subject or ""))
        self.assertEqual(len(ack), 1)

    @freeze_time("2026-03-02 02:00:00")  # 10:00 in Shanghai: outside quiet hours, when SMS may go
    def test_acknowledgement_follows_the_customers_channel_and_consent(self):
        self.customer.write({"rs_preferred_channel": "sms", "tz": "Asia/Shanghai"})
        complaint = self._complaint()
        self.assertIn("SMS", complaint.acknowledgement_note)
        self.assertTrue(self.env["sms.sms"].search([("number", "=", self.customer.phone_sanitized)]))
        # refused service notices by email and SMS: nothing is sent, and the reason is kept
        for channel in ("email", "sms"):
            self.env["rs.consent"]._record(self.customer, "service", channel, "refused")
        refused = self._complaint(subject="Second complaint")
        self.assertFalse(refused.acknowledged_date)
        self.assertIn("refused", refused.acknowledgement_note)

    def test_process_steps_are_recorded_with_who_and_when(self):
        complaint = self._complaint()
        staff = self.users["user_all"]
        complaint = complaint.with_user(staff)
        complaint.stage_id = self.acknowledged
        complaint.investigation = "<p>The cleaner admits knocking the vase over.</p>"
        complaint.responsible_party = "staff"
        action = complaint.action_record_apology()
        self.env["rs.complaint.apology.wizard"].with_user(staff).with_context(action["context"]).create(
            {"apology_method": "message"}
        ).action_confirm()
        self.assertEqual(complaint.investigated_by_id, staff)
        self.assertEqual(complaint.responsibility_confirmed_by_id, staff)
        self.assertTrue(complaint.responsibility_confirmed_date)
        self.assertEqual((complaint.apology_user_id, complaint.apology_method), (staff, "message"))
        complaint.action_ids = [
            Command.create({"kind": "corrective", "name": "Replace the vase", "user_id": staff.id}),
            Command.create({"kind": "preventive", "name": "Training on fragile objects"}),
        ]
        self.assertEqual(complaint.open_action_count, 2)
        complaint.action_ids[0].is_done = True
        self.assertTrue(complaint.action_ids[0].done_date)
        self.assertEqual(complaint.action_ids[0].done_by_id, staff)
        self.assertEqual(complaint.open_action_count, 1)

    def test_closing_is_refused_until_the_required_steps_are_there(self):
        complaint = self._complaint()
        missing_all = "the responsible party, the root cause, and a resolution note"
        with self.assertRaisesRegex(UserError, missing_all):
            complaint.action_close()
        complaint.responsible_party = "process"
        with self.assertRaisesRegex(UserError, "the root cause and a resolution note"):
            complaint.action_close()
        self._complete(complaint)
        complaint.action_close()
        self.assertTrue(complaint.is_closed)
        self.assertTrue(complaint.closed_date)

    def test_closing_in_one_write_with_the_missing_values(self):
        complaint = self._complaint()
        complaint.write(
            {
                "stage_id": self.closed.id,
                "responsible_party": "none",
                "root_cause_id": self.env.ref("resident_service_crm.root_cause_external").id,
                "resolution": "<p>Explained.</p>",
            }
        )
        self.assertTrue(complaint.is_closed)

    def test_reopening(self):
        complaint = self._complaint()
        with self.assertRaises(UserError):
            complaint.action_reopen()
        self._complete(complaint)
        complaint.action_close()
        complaint.action_reopen()
        self.assertFalse(complaint.is_closed)
        self.assertFalse(complaint.closed_date)
        self.assertIn("reopened", complaint.message_ids[0].body)

    def test_closing_asks_the_customer_to_rate_the_handling(self):
        self.env["rs.consent"]._record(self.customer, "survey", "email", "given")
        complaint = self._complaint()
        self._complete(complaint)
        complaint.action_close()
        rating = self.env["rating.rating"].search(
            [("res_model", "=", "rs.complaint"), ("res_id", "=", complaint.id)]
        )
        self.assertEqual(len(rating), 1)
        complaint.rating_apply(5, token=rating.access_token)
        self.assertEqual(complaint.rating_last_value, 5)

    def test_recurrence_within_the_window(self):
        self.company.rs_complaint_recurrence_days = 90
        first = self._complaint(date=datetime(2026, 1, 10, 9, 0))
        other_category = self._complaint(
            date=datetime(2026, 2, 1, 9, 0),
            category_id=self.env.ref("resident_service_crm.complaint_category_price").id,
        )
        second = self._complaint(date=datetime(2026, 3, 1, 9, 0))
        late = self._complaint(date=datetime(2026, 9, 1, 9, 0))
        self.assertFalse(first.is_recurrent or other_category.is_recurrent or late.is_recurrent)
        self.assertTrue(second.is_recurrent)
        self.assertEqual(second.earlier_complaint_ids, first)

    def test_mail_alias_opens_a_complaint_and_replies_join_it(self):
        self.other_customer.email = "alice.brown@example.com"
        with mute_logger("odoo.addons.mail.models.mail_thread"):
            complaint = self.env["mail.thread"].message_process("rs.complaint", MAIL)
        complaint = self.Complaint.browse(complaint)
        self.assertEqual(complaint.subject, "The cleaner did not come")
        self.assertEqual((complaint.channel, complaint.partner_id), ("email", self.other_customer))
        reply = MAIL.replace(
            "Message-ID: <complaint-1@example.com>",
            "Message-ID: <complaint-2@example.com>\nIn-Reply-To: <complaint-1@example.com>",
        )
        reply = reply.replace("Nobody came this morning", "Still waiting for a call")
        with mute_logger("odoo.addons.mail.models.mail_thread"):
            self.env["mail.thread"].message_process("rs.complaint", reply)
        self.assertEqual(self.Complaint.search_count([("partner_id", "=", self.other_customer.id)]), 1)
        self.assertTrue(complaint.message_ids.filtered(lambda m: "Still waiting" in (m.body or "")))


@tagged("post_install", "-at_install")
class TestCompensation(ResidentServiceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.rs_compensation_approval_limit = 200
        # no tax: the amounts compared are the approved ones, whatever the chart's default tax
        product = cls.env["product.product"].create(
            {"name": "Deep cleaning", "type": "service", "list_price": 300, "taxes_id": [Command.clear()]}
        )
        cls.invoice = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": cls.own_customer.id,
                "invoice_line_ids": [
                    Command.create({"product_id": product.id, "quantity": 1, "price_unit": 300})
                ],
            }
        )
        cls.invoice.action_post()
        cls.service = cls._service(cls.own_customer, team_id=cls.team.id)
        cls.complaint = cls.env["rs.complaint"].create(
            {
                "subject": "Windows still dirty",
                "partner_id": cls.own_customer.id,
                "invoice_id": cls.invoice.id,
                "service_record_id": cls.service.id,
            }
        )

    def _line(self, kind, amount):
        return self.env["rs.complaint.compensation"].create(
            {"complaint_id": self.complaint.id, "compensation_type": kind, "amount": amount}
        )

    def test_refund_drafts_a_credit_note_on_the_invoice(self):
        line = self._line("refund", 80)
        line.action_approve()
        line.action_done()
        credit_note = line.credit_note_id
        self.assertEqual((credit_note.move_type, credit_note.state), ("out_refund", "draft"))
        self.assertEqual(credit_note.reversed_entry_id, self.invoice)
        self.assertEqual(credit_note.amount_untaxed, 80)
        self.assertEqual(line.state, "to_post", "accounting posts the credit note")
        credit_note.action_post()
        self.assertEqual(line.state, "done")

    def test_free_reservice_schedules_a_visit(self):
        line = self._line("reservice", 0)
        line.action_approve()
        line.action_done()
        visit = line.service_record_id
        self.assertEqual(
            (visit.partner_id, visit.service_type_id, visit.amount),
            (self.own_customer, self.service.service_type_id, 0),
        )
        self.assertEqual(visit.state, "scheduled")

    def test_gift_and_cash_are_recorded(self):
        for kind in ("gift", "cash"):
            line = self._line(kind, 50)
            line.action_approve()
            line.action_done()
            self.assertEqual(line.state, "done")
        self.assertEqual(self.complaint.compensation_total, 100)

    def test_approval_limits(self):
        staff = self.users["user_own"]
        small = self._line("cash", 150).with_user(staff)
        small.action_approve()
        self.assertEqual(small.approved_by_id, staff)
        large = self._line("cash", 500).with_user(staff)
        large.action_approve()
        self.assertEqual(large.state, "to_approve")
        self.assertIn(self.users["manager"], large.activity_ids.user_id)
        with self.assertRaisesRegex(UserError, "waiting for approval"):
            large.action_approve()
        large.with_user(self.users["manager"]).action_approve()
        self.assertEqual(large.state, "approved")
        self.assertFalse(large.activity_ids)

    def test_approver_from_the_settings(self):
        approver = self.users["user_all"]
        self.company.rs_compensation_approver_id = approver
        large = self._line("cash", 500).with_user(self.users["user_own"])
        large.action_approve()
        self.assertEqual((large.state, large.activity_ids.user_id), ("to_approve", approver))
        large.with_user(approver).action_approve()
        self.assertEqual((large.state, large.approved_by_id), ("approved", approver))

    def test_refund_without_invoice_says_so(self):
        complaint = self.env["rs.complaint"].create(
            {"subject": "No invoice", "partner_id": self.own_customer.id}
        )
        line = self.env["rs.complaint.compensation"].create(
            {"complaint_id": complaint.id, "compensation_type": "refund", "amount": 10}
        )
        line.action_approve()
        with self.assertRaisesRegex(UserError, "needs the invoice concerned"):
            line.action_done()

    def test_draft_compensation_does_not_count_in_the_cost(self):
        self._line("gift", 30)
        self.assertEqual(self.complaint.compensation_total, 0)


@tagged("post_install", "-at_install")
class TestComplaintAccess(ResidentServiceCase):
    def test_roles_and_portal(self):
        own = self.env["rs.complaint"].create({"subject": "Own", "partner_id": self.own_customer.id})
        foreign = self.env["rs.complaint"].create(
            {"subject": "Foreign", "partner_id": self.other_customer.id, "user_id": self.colleague.id}
        )
        portal_user = new_test_user(self.env, login="rs_portal_alice", groups="base.group_portal")
        mine = self.env["rs.complaint"].create({"subject": "Portal", "partner_id": portal_user.partner_id.id})
        Complaint = self.env["rs.complaint"]
        visible = {
            role: set(Complaint.with_user(user).search([("id", "in", (own | foreign | mine).ids)]).ids)
            for role, user in {**self.users, "portal": portal_user}.items()
            if role != "technician"
        }
        self.assertEqual(visible["user_own"], {own.id})
        self.assertEqual(visible["user_all"], {own.id, foreign.id, mine.id})
        self.assertEqual(visible["portal"], {mine.id})
        with self.assertRaises(AccessError):
            Complaint.with_user(self.users["technician"]).search([])
        # writing and deleting
        own.with_user(self.users["user_own"]).write({"priority": "2"})
        with self.assertRaises(AccessError), self.cr.savepoint():
            mine.with_user(portal_user).write({"priority": "3"})
        with self.assertRaises(AccessError), self.cr.savepoint():
            own.with_user(self.users["user_all"]).unlink()
        own.with_user(self.users["manager"]).unlink()
        with self.assertRaises(AccessError), self.cr.savepoint():
            self.env["rs.complaint"].with_user(portal_user).create(
                {"subject": "x", "partner_id": portal_user.partner_id.id}
            )
