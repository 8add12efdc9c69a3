"""A refund, from the service desk to accounting, and a compensation above the approval
limit reaching a manager: each step as the role's user, through the routes the web client
calls."""

from odoo import Command
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from ..journey_common import RoleJourneyCase

WHO_CAN_POST = "Only accounting (users with Invoicing rights) can post the credit note of a compensation"


@tagged("post_install", "-at_install")
class TestJourneyRefund(RoleJourneyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.accountant = cls.role_users["accountant"]
        cls.company = cls.role_users["service_desk"].company_id
        cls.company.write({"rs_compensation_approval_limit": 200, "rs_compensation_approver_id": False})
        cls.customer = cls.env["res.partner"].create(
            {"name": "Wu Ting (journey)", "rs_is_resident_customer": True, "company_id": cls.company.id}
        )
        # no tax: the amounts compared are the approved ones, whatever the chart's default tax
        product = cls.env["product.product"].create(
            {
                "name": "Window cleaning (journey)",
                "type": "service",
                "list_price": 300,
                "taxes_id": [(5, 0, 0)],
            }
        )
        # made and posted by accounting: the service desk may not even read it
        cls.invoice = (
            cls.env["account.move"]
            .with_user(cls.accountant)
            .with_company(cls.company)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": cls.customer.id,
                    "invoice_line_ids": [
                        Command.create({"product_id": product.id, "quantity": 1, "price_unit": 300})
                    ],
                }
            )
        )
        cls.invoice.action_post()
        cls.complaint = cls.env["rs.complaint"].create(
            {
                "subject": "Streaks left on every window",
                "partner_id": cls.customer.id,
                "invoice_id": cls.invoice.id,
                "company_id": cls.company.id,
            }
        )

    def json(self, route, **params):
        """Each call's outcome is read back fresh: the server wrote it in another environment."""
        try:
            return super().json(route, **params)
        finally:
            self.env.invalidate_all()

    def _ask_compensation(self, amount, kind="refund"):
        """The service desk adds a compensation to the complaint and presses Approve."""
        self.login_as("service_desk")
        compensation_id = self.create(
            "rs.complaint.compensation",
            {"complaint_id": self.complaint.id, "compensation_type": kind, "amount": amount},
        )
        self.button("rs.complaint.compensation", compensation_id, "action_approve")
        return self.env["rs.complaint.compensation"].browse(compensation_id)

    def _carried_out_refund(self):
        compensation = self._ask_compensation(80)
        self.assertEqual(compensation.state, "approved")
        self.button("rs.complaint.compensation", compensation.id, "action_done")
        return compensation

    def test_refund_carried_out_by_the_desk_and_posted_by_accounting(self):
        compensation = self._carried_out_refund()
        credit_note = compensation.credit_note_id
        self.assertEqual((credit_note.move_type, credit_note.state), ("out_refund", "draft"))
        self.assertEqual(credit_note.reversed_entry_id, self.invoice, "on the invoice concerned")
        self.assertEqual(credit_note.partner_id, self.customer)
        self.assertEqual(credit_note.amount_untaxed, 80, "exactly the approved amount")
        self.assertEqual(compensation.state, "to_post", "waiting for accounting, not done yet")
        self.assertEqual(self.complaint.compensation_total, 80)
        review = credit_note.activity_ids
        self.assertEqual(review.user_id, self.accountant, "accounting is asked to review and post it")
        self.assertEqual(review.activity_type_id, self.env.ref("mail.mail_activity_data_todo"))

        self.login_as("accountant")
        self.call("account.move", "action_post", [credit_note.id])
        self.assertEqual(credit_note.state, "posted")
        self.assertEqual(compensation.state, "done", "done once its credit note is posted")
        self.assertEqual(compensation.done_by_id, self.accountant, "carried out by whoever posted it")
        self.assertTrue(compensation.done_date)
        self.assertIn("carried out", self.complaint.message_ids[0].body)

    def test_cancelled_credit_note_leaves_the_refund_waiting(self):
        compensation = self._carried_out_refund()
        self.login_as("accountant")
        self.call("account.move", "button_cancel", [compensation.credit_note_id.id])
        self.assertEqual(compensation.credit_note_id.state, "cancel")
        self.assertEqual(compensation.state, "to_post")

    def test_only_accounting_posts_the_credit_note(self):
        compensation = self._carried_out_refund()
        credit_note = compensation.credit_note_id
        for role in ("service_desk", "manager"):
            self.login_as(role)
            with self.refused("odoo.exceptions.AccessError") as caught:
                self.call("account.move", "action_post", [credit_note.id])
            self.assertIn(WHO_CAN_POST, caught.exception.message, role)
            self.assertIn(self.accountant.name, caught.exception.message, "it says whom to ask")
            self.assertEqual(credit_note.state, "draft", role)
        self.assertEqual(compensation.state, "to_post")

    def test_over_limit_request_reaches_the_managers(self):
        manager = self.role_users["manager"]
        compensation = self._ask_compensation(500, kind="cash")
        self.assertEqual(compensation.state, "to_approve")
        self.assertFalse(compensation.approved_by_id)
        self.assertIn(manager, compensation.activity_ids.user_id, "a to-do for each manager")
        self.assertNotIn(self.role_users["service_desk"], compensation.activity_ids.user_id)
        with self.refused("odoo.exceptions.UserError") as caught:
            self.button("rs.complaint.compensation", compensation.id, "action_approve")
        self.assertIn("waiting for approval", caught.exception.message)

        # the manager finds the request among their activities and approves from there
        self.login_as("manager")
        mine = self.call(
            "mail.activity",
            "search_read",
            [("user_id", "=", manager.id), ("res_model", "=", "rs.complaint.compensation")],
            ["res_model", "res_id", "summary"],
        )
        self.assertEqual([activity["res_id"] for activity in mine], [compensation.id])
        self.button(mine[0]["res_model"], mine[0]["res_id"], "action_approve")
        self.assertEqual(compensation.state, "approved")
        self.assertEqual(compensation.approved_by_id, manager)
        self.assertFalse(compensation.activity_ids, "no approver is left with the request")
        self.assertTrue(
            compensation.message_ids.filtered(lambda message: "Approved by" in (message.body or "")),
            "the approval is the feedback of the manager's to-do",
        )

    def test_approval_queue_lists_the_request_for_the_manager(self):
        compensation = self._ask_compensation(450, kind="gift")
        within_limit = self._ask_compensation(50, kind="gift")
        self.login_as("manager")
        action = self.json(
            "/web/action/load", action_id="resident_service_crm.rs_complaint_compensation_action_to_approve"
        )
        self.assertEqual(action["res_model"], "rs.complaint.compensation")
        rows = self.call(
            "rs.complaint.compensation",
            "web_search_read",
            safe_eval(action["domain"]),
            specification={"amount": {}, "state": {}, "complaint_id": {"fields": {"display_name": {}}}},
        )["records"]
        ids = [row["id"] for row in rows]
        self.assertIn(compensation.id, ids)
        self.assertNotIn(within_limit.id, ids, "approved at once within the limit")
