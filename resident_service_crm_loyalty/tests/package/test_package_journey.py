from datetime import timedelta

from odoo import fields
from odoo.tests import tagged
from odoo.tools import SQL

from odoo.addons.resident_service_crm.tools.server_write import server_write

from .common import PackageJourneyCase


@tagged("post_install", "-at_install")
class TestPackageJourney(PackageJourneyCase):
    """A household's ten-cleaning package (次卡) through the roles: sold when paid, used by
    two members, a session given back once, an outsider refused, refunded pro rata under
    both rates, expired with its breakage; the ledger's invariant and the books after
    each step."""

    def test_sold_when_paid_used_by_a_member_and_given_back_once(self):
        package = self.sell()
        self.assertPackage(package, 10, 1000.0, revenue=0.0)
        line = package.invoice_line_id
        self.assertEqual(line.account_id, self.liability_account)
        self.assertEqual(package.household_id, self.household)

        # the service desk sees the sessions left on the visit and the customer, then uses one
        # for the buyer's spouse, a member of the household
        visit = self.visit(self.spouse)
        self.login_as("service_desk")
        read = self.call("rs.service.record", "read", [visit.id], ["package_sessions", "package_id"])[0]
        self.assertEqual(read["package_sessions"], f"{package.name}: 10 left")
        self.assertFalse(read["package_id"])
        customer = self.call("res.partner", "read", [self.spouse.id], ["rs_package_sessions_left"])[0]
        self.assertEqual(customer["rs_package_sessions_left"], 10)
        self.use_session(visit)
        self.assertEqual(visit.state, "done")
        self.assertPackage(package, 9, 900.0, revenue=100.0)
        use = package.entry_ids.filtered(lambda entry: entry.operation == "use")
        self.assertEqual((use.member_id, use.service_record_id, use.amount), (self.spouse, visit, -100.0))
        read = self.call("rs.service.record", "read", [visit.id], ["package_id"])[0]
        self.assertEqual(read["package_id"][0], package.id)

        # a visit a session paid is not paid on the spot as well
        action = self.button("rs.service.record", visit.id, "action_rs_pay_on_spot")
        wizard_id = self.create(
            "rs.service.payment.wizard", {"amount": 120, "payment_method": "cash"}, context=action["context"]
        )
        with self.refused("odoo.exceptions.UserError") as caught:
            self.button("rs.service.payment.wizard", wizard_id, "action_confirm")
        self.assertIn("paid by a session of a package", caught.exception.message)
        self.assertEqual((visit.payment_mode, visit.payment_method), ("on_spot", "package"))
        # the session is the purchase, at its price; the package's invoice is none
        self.assertEqual(self.purchases(), [100.0])

        # the visit uses its session once
        with self.refused("odoo.exceptions.UserError") as caught:
            self.use_session(visit, package)
        self.assertIn("already used a session", caught.exception.message)
        self.assertPackage(package, 9, 900.0, revenue=100.0)

        # a finished visit cannot be cancelled: the manager gives its session back, once
        with self.refused():
            self.button("rs.service.record", visit.id, "action_rs_package_give_back")
        self.login_as("manager")
        self.button("rs.service.record", visit.id, "action_rs_package_give_back")
        self.assertPackage(package, 10, 1000.0, revenue=0.0)
        self.assertEqual((visit.payment_mode, visit.payment_method), ("to_invoice", False))
        self.assertEqual(self.purchases(), [])
        with self.refused("odoo.exceptions.UserError") as caught:
            self.button("rs.service.record", visit.id, "action_rs_package_give_back")
        self.assertIn("given back already", caught.exception.message)
        self.assertPackage(package, 10, 1000.0, revenue=0.0)

        # the technician uses a session on their own visit, for the buyer, not on another's
        visit = self.visit(self.buyer)
        other = self.visit(self.buyer, user=self.role_users["service_desk"])
        self.login_as("technician")
        self.use_session(visit)
        self.assertPackage(package, 9, 900.0, revenue=100.0)
        with self.refused():
            self.use_session(other, package)
        self.assertEqual(other.state, "scheduled")
        self.assertPackage(package, 9, 900.0, revenue=100.0)

    def purchases(self):
        """What the value engine counts of the household's purchases: the amounts, from
        the purchase facts (read as the engine does, not through a role)."""
        self.env.flush_all()
        Fact = self.env["rs.purchase.fact"].sudo()
        partners = (self.buyer | self.spouse).commercial_partner_id
        rows = self.env.execute_query(Fact._purchases_sql(SQL("f.partner_id IN %s", tuple(partners.ids))))
        return sorted(row[4] for row in rows)

    def test_a_visit_paid_on_the_spot_uses_no_session(self):
        package = self.sell()
        visit = self.visit(self.buyer)
        self.login_as("service_desk")
        action = self.button("rs.service.record", visit.id, "action_rs_pay_on_spot")
        wizard_id = self.create(
            "rs.service.payment.wizard", {"amount": 120, "payment_method": "cash"}, context=action["context"]
        )
        self.button("rs.service.payment.wizard", wizard_id, "action_confirm")
        with self.refused("odoo.exceptions.UserError") as caught:
            self.use_session(visit, package)
        self.assertIn("paid on the spot", caught.exception.message)
        self.assertPackage(package, 10, 1000.0, revenue=0.0)

    def test_member_outside_the_household_is_refused(self):
        package = self.sell()
        visit = self.visit(self.outsider)
        self.login_as("service_desk")
        read = self.call("rs.service.record", "read", [visit.id], ["package_sessions"])[0]
        self.assertFalse(read["package_sessions"])
        with self.refused("odoo.exceptions.UserError") as caught:
            self.use_session(visit, package)
        self.assertEqual(
            caught.exception.message,
            f"Qian Lei is not a member of the household that shares package {package.name}: its sessions "
            "cannot be used for this visit.",
        )
        self.assertEqual(visit.state, "scheduled")
        self.assertPackage(package, 10, 1000.0, revenue=0.0)

    def test_member_limit(self):
        package = self.sell()
        self.program.member_limit = 0
        with server_write():
            package.sudo().member_limit = 2
        third = self.env["res.partner"].create(
            {"name": "Zhou Lan", "rs_is_resident_customer": True, "rs_household_id": self.household.id}
        )
        self.login_as("service_desk")
        self.use_session(self.visit(self.spouse))
        with self.refused("odoo.exceptions.UserError") as caught:
            self.use_session(self.visit(third), package)
        self.assertIn("shared by at most 2 members", caught.exception.message)
        self.use_session(self.visit(self.buyer))
        self.assertPackage(package, 8, 800.0, revenue=200.0)

    def test_last_session_takes_the_rounding(self):
        """1,000 for three sessions: 333.33, 333.33, then 333.34; the liability ends at 0."""
        self.program.line_ids.sessions = 3
        package = self.sell()
        self.login_as("service_desk")
        self.use_session(self.visit(self.buyer))
        self.use_session(self.visit(self.spouse))
        self.assertPackage(package, 1, 333.34, revenue=666.66)
        self.use_session(self.visit(self.buyer))
        self.assertPackage(package, 0, 0.0, revenue=1000.0)
        self.assertEqual(package.state, "used_up")
        self.assertEqual(
            sorted(package.entry_ids.filtered(lambda entry: entry.operation == "use").mapped("amount")),
            [-333.34, -333.33, -333.33],
        )

    def test_refund_at_the_price_paid(self):
        package = self.sell()
        self.login_as("service_desk")
        for partner in (self.buyer, self.spouse, self.buyer):
            self.use_session(self.visit(partner))
        self.assertPackage(package, 7, 700.0, revenue=300.0)
        self.company.rs_package_refund_rate = "paid"
        # the service desk does not refund
        with self.refused():
            self.create("rs.package.refund", {"package_id": package.id, "journal_id": self.cash.id})
        credit_note = self.refund(package)
        self.assertEqual((credit_note.move_type, credit_note.amount_total), ("out_refund", 700.0))
        self.assertIn(credit_note.payment_state, ("paid", "in_payment"))
        self.assertEqual(credit_note.invoice_line_ids.account_id, self.liability_account)
        self.assertPackage(package, 0, 0.0, revenue=300.0)
        self.assertEqual(package.state, "refunded")
        refunds = package.entry_ids.filtered(lambda entry: entry.operation == "refund")
        self.assertEqual((refunds.sessions, refunds.amount, refunds.move_id), (-7, -700.0, credit_note))
        # refunded once
        with self.refused("odoo.exceptions.UserError"):
            self.refund(package)
        self.assertPackage(package, 0, 0.0, revenue=300.0)

    def test_refund_at_the_list_price(self):
        """The three sessions used are charged at their list price, 3 x 120 = 360: the refund
        is 1,000 - 360 = 640 of the 700 left, and the 60 kept is revenue."""
        package = self.sell()
        self.login_as("service_desk")
        for partner in (self.buyer, self.spouse, self.buyer):
            self.use_session(self.visit(partner))
        self.company.rs_package_refund_rate = "list"
        self.login_as("cashier")
        action = self.button("rs.package", package.id, "action_rs_refund")
        wizard_id = self.create("rs.package.refund", {"journal_id": self.cash.id}, context=action["context"])
        self.assertEqual(self.call("rs.package.refund", "read", [wizard_id], ["amount"])[0]["amount"], 640.0)
        credit_note = self.refund(package)
        self.assertEqual(credit_note.amount_total, 640.0)
        self.assertPackage(package, 0, 0.0, revenue=360.0)
        # a package used for eight sessions: 8 x 120 = 960, the refund is the 40 left of the price
        self.company.rs_package_refund_rate = "list"
        package = self.sell()
        self.login_as("service_desk")
        for _index in range(8):
            self.use_session(self.visit(self.buyer))
        self.assertEqual(package._refund_amount(), 40.0)
        # nine: the list price of the sessions used is more than was paid, nothing comes back
        self.use_session(self.visit(self.buyer))
        self.assertEqual(package._refund_amount(), 0.0)
        self.assertFalse(self.refund(package))
        self.assertPackage(package, 0, 0.0, revenue=360.0 + 1000.0)

    def test_expiry_books_breakage_once(self):
        package = self.sell()
        self.login_as("service_desk")
        self.use_session(self.visit(self.spouse))
        self.assertPackage(package, 9, 900.0, revenue=100.0)
        # the job the day after the last day (in the user's time zone)
        today = fields.Date.context_today(self.env["rs.package"])
        with server_write():
            package.sudo().expiry_date = today
        self.env["rs.package"]._cron_expire()
        self.assertPackage(package, 9, 900.0, revenue=100.0)
        with server_write():
            package.sudo().expiry_date = today - timedelta(days=1)
        # a visit of an expired package is not paid by it
        visit = self.visit(self.buyer)
        with self.refused("odoo.exceptions.UserError"):
            self.use_session(visit, package)
        self.env["rs.package"]._cron_expire()
        self.assertPackage(package, 0, 0.0, revenue=100.0, breakage=900.0)
        self.assertEqual(package.state, "expired")
        expired = package.entry_ids.filtered(lambda entry: entry.operation == "expire")
        self.assertEqual((expired.sessions, expired.amount), (-9, -900.0))
        self.assertEqual(expired.move_id.line_ids.account_id, self.liability_account | self.breakage_account)
        # a second run writes nothing
        self.env["rs.package"]._cron_expire()
        self.assertEqual(len(package.entry_ids), 3)
        self.assertPackage(package, 0, 0.0, revenue=100.0, breakage=900.0)

    def test_nobody_writes_the_ledger_or_the_package(self):
        package = self.sell()
        # the invoice that sold it stays paid
        self.login_as("cashier")
        with self.refused("odoo.exceptions.UserError") as caught:
            self.button("account.move", package.invoice_id.id, "button_draft")
        self.assertIn("sold a session package", caught.exception.message)
        self.assertIn(package.invoice_id.payment_state, ("paid", "in_payment"))
        entry = package.entry_ids[:1]
        for role in ("cashier", "manager"):
            self.login_as(role)
            with self.refused("odoo.exceptions.UserError"):
                self.call("rs.package.entry", "write", [entry.id], {"sessions": 50})
            with self.refused("odoo.exceptions.UserError"):
                self.call(
                    "rs.package.entry",
                    "create",
                    {
                        "package_id": package.id,
                        "service_type_id": self.cleaning.id,
                        "operation": "purchase",
                        "sessions": 50,
                    },
                )
            with self.refused():
                self.call("rs.package.entry", "unlink", [entry.id])
            with self.refused("odoo.exceptions.UserError"):
                self.call("rs.package", "write", [package.id], {"sessions_left": 50})
        self.assertPackage(package, 10, 1000.0, revenue=0.0)

    def test_expiry_reminder_only_with_consent(self):
        package = self.sell()
        today = fields.Date.context_today(self.env["rs.package"])
        with server_write():
            package.sudo().expiry_date = today + timedelta(days=10)
        self.env["rs.package"]._cron_send_reminders()
        self.assertEqual(package.reminder_state, "skipped")
        self.assertTrue(package.reminder_reason)
        self.env["rs.consent"].create(
            {
                "partner_id": self.buyer.id,
                "purpose": "marketing",
                "channel": "email",
                "state": "given",
                "company_id": self.company.id,
            }
        )
        with server_write():
            package.sudo().reminder_date = today - timedelta(days=1)
        self.env["rs.package"]._cron_send_reminders()
        self.assertEqual(package.reminder_state, "sent")
