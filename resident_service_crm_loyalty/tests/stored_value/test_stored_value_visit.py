from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tests.common import new_test_user

from .common import StoredValueCommon


@tagged("post_install", "-at_install")
class TestStoredValueVisit(StoredValueCommon):
    """The counter's "Pay with Card" for a visit: the visit is finished and paid on the
    spot, a purchase of its own; the card's lots pay it and the program's prepayment is
    released; cancelling the card payment gives the value back once, and the visit is to
    be invoiced again."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # sudo: the service catalogue is the manager's set-up
        category = cls.env["rs.service.category"].sudo().create({"name": "Home"})
        cls.cleaning = (
            cls.env["rs.service.type"]
            .sudo()
            .create({"name": "Cleaning", "category_id": category.id, "product_id": cls.service.id})
        )
        cls.liability = cls.program.rs_liability_account_id

    def setUp(self):
        super().setUp()
        self.set_company(
            rs_stored_value_bonus_treatment="allocated", rs_stored_value_spending_order="principal_first"
        )
        self.card = self.named_card()
        self.pay(self.top_up(self.card, 1000), self.bank)
        # sudo: the visit is scheduled by the service desk before the counter takes payment
        self.visit = (
            self.env["rs.service.record"]
            .sudo()
            .create(
                {
                    "partner_id": self.customer.id,
                    "service_type_id": self.cleaning.id,
                    "scheduled_start": fields.Datetime.now() - timedelta(hours=2),
                    "amount": 330,
                }
            )
        )

    def pay_visit(self, card=None, user=None, amount=None):
        """As the web client does: the visit's button, then the wizard it opens."""
        visit = self.visit.with_user(user or self.cashier)
        action = visit.action_pay_with_stored_value()
        wizard = (
            self.env[action["res_model"]]
            .with_user(user or self.cashier)
            .with_context(action["context"])
            .create({"card_id": (card or self.card).id})
        )
        if amount is not None:
            wizard.amount = amount
        self.assertEqual(wizard.amount_residual, self.visit.amount)
        return wizard.action_pay()

    def balance(self, account):
        lines = self.env["account.move.line"].search(
            [("account_id", "=", account.id), ("parent_state", "=", "posted")]
        )
        return round(sum(lines.mapped("balance")), 2)

    def facts(self):
        # sudo: the value engine's bookkeeping, read to check it
        return self.env["rs.purchase.fact"].sudo().search([("service_id", "=", self.visit.id)])

    def test_visit_paid_with_card_and_given_back(self):
        self.pay_visit()
        self.env.invalidate_all()
        self.assertEqual(
            (
                self.visit.state,
                self.visit.payment_mode,
                self.visit.payment_method,
                self.visit.amount_received,
            ),
            ("done", "on_spot", "stored_value", 330),
        )
        self.assertEqual(self.visit.sudo().stored_value_card_id, self.card)
        # 330 of the principal lot (1,000 carrying 909.09): 300.00 of prepayment released
        self.assertBalances(self.card, 670, 100)
        self.assertEqual(self.balance(self.liability), -700)
        payment = self.visit.account_payment_id
        self.assertEqual((payment.amount, payment.rs_stored_value_card_id), (300, self.card))
        # a purchase of its own, once
        self.assertEqual(self.facts().mapped("amount"), [330])
        # the card journal pays it, not the journal of payments on the spot
        self.assertEqual(payment.journal_id, self.company.rs_stored_value_journal_id)

        self.visit.with_user(self.cashier).action_cancel_stored_value_payment()
        self.env.invalidate_all()
        self.assertBalances(self.card, 1000, 100)
        self.assertEqual(self.balance(self.liability), -1000)
        self.assertEqual((self.visit.payment_mode, self.visit.payment_method), ("to_invoice", False))
        self.assertFalse(self.facts())
        # once: the visit is no longer paid by card
        with self.assertRefused("not paid with a stored-value card"):
            self.visit.with_user(self.cashier).action_cancel_stored_value_payment()
        self.assertBalances(self.card, 1000, 100)
        # paid again, then cancelled again: each card payment is given back once
        self.pay_visit(amount=200)
        self.assertBalances(self.card, 800, 100)
        self.visit.with_user(self.cashier).action_cancel_stored_value_payment()
        self.assertBalances(self.card, 1000, 100)
        given = self.env["rs.stored.value.entry"].search(
            [("card_id", "=", self.card.id), ("operation", "=", "give_back")]
        )
        self.assertEqual(sorted(given.mapped("amount")), [200, 330])

    def test_only_a_cashier_pays_a_visit_with_a_card(self):
        desk = new_test_user(
            self.env,
            login="sv_desk",
            groups="base.group_user,resident_service_crm.group_user_all",
            company_id=self.company.id,
        )
        with self.assertRaises(AccessError):
            self.pay_visit(user=desk)
        self.env.invalidate_all()
        self.assertEqual(self.visit.payment_mode, "to_invoice")
        self.assertBalances(self.card, 1000, 100)

    def test_card_of_another_customer_refused(self):
        other = self.env["res.partner"].create({"name": "Li Lei", "rs_is_resident_customer": True})
        card = self.named_card(partner=other)
        with self.assertRefused("own customer"):
            self.pay_visit(card=card, amount=100)
        self.env.invalidate_all()
        self.assertEqual((self.visit.state, self.visit.payment_mode), ("scheduled", "to_invoice"))

    def test_more_than_the_card_holds_refused(self):
        self.visit.sudo().amount = 2000
        with self.assertRefused("less than"):
            self.pay_visit(amount=1100.01)
        self.env.invalidate_all()
        self.assertEqual(self.visit.payment_mode, "to_invoice")
        self.assertBalances(self.card, 1000, 100)

    def test_sale_order_paid_with_card(self):
        """A confirmed order at the counter: "Pay with Card" invoices it and the card pays
        the invoice, once; a second click finds nothing left to pay."""
        order = (
            self.env["sale.order"]
            .with_user(self.cashier)
            .create(
                {
                    "partner_id": self.customer.id,
                    "order_line": [
                        Command.create(
                            {"product_id": self.service.id, "product_uom_qty": 2, "price_unit": 150}
                        )
                    ],
                }
            )
        )
        order.action_confirm()
        action = order.action_rs_stored_value_pay()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.cashier)
            .with_context(action["context"])
            .create({"card_id": self.card.id})
        )
        self.assertEqual((wizard.amount_residual, wizard.amount), (300, 300))
        wizard.action_pay()
        invoice = order.invoice_ids
        self.assertEqual((len(invoice), invoice.state, invoice.payment_state), (1, "posted", "paid"))
        self.assertBalances(self.card, 700, 100)
        self.assertEqual(invoice.rs_stored_value_paid, 300)
        with self.assertRefused("nothing left to pay"):
            order.with_user(self.cashier).action_rs_stored_value_pay()
