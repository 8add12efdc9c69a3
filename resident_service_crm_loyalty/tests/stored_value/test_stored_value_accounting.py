from freezegun import freeze_time

from odoo import Command, fields
from odoo.tests import Form, tagged
from odoo.tests.common import new_test_user
from odoo.tools import SQL

from .common import StoredValueCommon


@tagged("post_install", "-at_install")
class TestStoredValueAccounting(StoredValueCommon):
    """A top-up's principal is a prepayment received (预收账款), booked to the program's
    account; it becomes revenue as the card is spent, is paid back on a refund, and an
    expired or void bonus releases the share it carries as breakage. The liability report
    adds up to the account's balance after every step, under both bonus treatments; the
    amounts are counted by hand in each test's comments."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.accountant = new_test_user(
            cls.env,
            login="sv_accountant",
            groups="base.group_user,account.group_account_invoice",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.liability = cls.program.rs_liability_account_id
        cls.bonus_account = cls.program.rs_bonus_account_id
        cls.breakage = cls.program.rs_breakage_account_id

    def setUp(self):
        super().setUp()
        self.card = self.named_card()

    # ------------------------------------------------------------------

    def balance(self, account):
        """The account's balance in the general ledger, as the accountant reads it."""
        groups = (
            self.env["account.move.line"]
            .with_user(self.accountant)
            .read_group(
                [("account_id", "=", account.id), ("parent_state", "=", "posted")], ["balance:sum"], []
            )
        )
        return round(groups[0]["balance"] or 0.0, 2)

    def report(self):
        """(liability carried, refundable principal, awaiting payment) of the liability
        report, as the accountant reads it."""
        groups = (
            self.env["rs.stored.value.liability.report"]
            .with_user(self.accountant)
            .read_group([], ["liability:sum", "principal:sum", "awaiting:sum"], [])
        )
        return tuple(round(groups[0][name] or 0.0, 2) for name in ("liability", "principal", "awaiting"))

    def assertBooks(self, liability, principal, bonus_discount, breakage, awaiting=0.0):
        """The prepayment account carries ``liability`` (a credit), the report says the same
        and ``principal`` refundable, the bonus discount and breakage accounts hold what the
        hand count says; the ledger's own prepayment figure agrees."""
        self.env.invalidate_all()
        self.assertEqual(self.balance(self.liability), -liability)
        self.assertEqual(self.report(), (liability, principal, awaiting))
        self.assertEqual(self.balance(self.bonus_account), bonus_discount)
        self.assertEqual(self.balance(self.breakage), -breakage)
        entries = self.env["rs.stored.value.entry"].search([("card_id", "=", self.card.id)])
        self.assertEqual(round(sum(entries.mapped("liability")), 2), round(liability - awaiting, 2))

    def credit_note(self, invoice, amount):
        wizard = (
            self.env["account.move.reversal"]
            .with_user(self.cashier)
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"journal_id": invoice.journal_id.id, "reason": "Service not done"})
        )
        credit_note = self.env["account.move"].browse(wizard.refund_moves()["res_id"])
        with Form(credit_note.with_user(self.cashier)) as form:
            with form.invoice_line_ids.edit(0) as line:
                line.price_unit = amount
        credit_note.with_user(self.cashier).action_post()
        return credit_note

    def refund_card(self):
        wizard = (
            self.env["rs.stored.value.refund"]
            .with_user(self.cashier)
            .create({"card_id": self.card.id, "journal_id": self.cash.id})
        )
        wizard.action_confirm()

    def card_payment(self, invoice):
        payment = self.env["account.payment"].search(
            [("rs_stored_value_card_id", "=", self.card.id), ("memo", "like", invoice.name)]
        )
        self.assertEqual(len(payment), 1)
        return payment

    # ------------------------------------------------------------------

    def test_allocated_price(self):
        """CAS 14 / IFRS 15: 1,000 paid for 1,100 of value, so each unit spent releases
        1,000 / 1,100 of the prepayment, and the rest is a discount."""
        self.set_company(
            rs_stored_value_bonus_treatment="allocated", rs_stored_value_spending_order="principal_first"
        )
        topup = self.top_up(self.card)
        # invoiced, not paid: the account carries it, the card holds nothing yet
        self.assertBooks(1000, 0, 0, 0, awaiting=1000)
        self.pay(topup, self.bank)
        # principal lot 1,000 carries 909.09, bonus lot 100 carries 90.91
        self.assertEqual(
            sorted(
                self.env["rs.stored.value.entry"].search([("card_id", "=", self.card.id)]).mapped("liability")
            ),
            [90.91, 909.09],
        )
        self.assertBooks(1000, 1000, 0, 0)
        # 330 from the principal: 330 x 909.09 / 1,000 = 300.00 released, 30 discount
        invoice = self.invoice(330)
        self.pay_with_card(invoice, self.card, 330)
        payment = self.card_payment(invoice)
        self.assertEqual(payment.amount, 300)
        self.assertEqual(
            {(line.account_id, line.balance) for line in payment.move_id.line_ids},
            {
                (self.liability, 300.0),
                (self.bonus_account, 30.0),
                (self.customer.property_account_receivable_id, -330.0),
            },
        )
        self.assertEqual(invoice.payment_state, "paid")
        self.assertBooks(700, 670, 30, 0)
        # a credit note of 110 gives 110 back to the principal lot: 100 prepayment, 10 discount
        self.credit_note(invoice, 110)
        self.assertBooks(800, 780, 20, 0)
        # a year and a day later the bonus lot expires: its 90.91 is breakage
        with freeze_time(fields.Date.add(fields.Date.today(), days=366)):
            self.env["rs.stored.value.entry"]._cron_expire_bonus()
            self.assertBooks(709.09, 780, 20, 90.91)
            # the refund pays back 780: 709.09 prepayment, 70.91 the bonus already spent
            self.refund_card()
        self.assertBooks(0, 0, 90.91, 90.91)
        # the customer paid 1,000 and got 780 back: 220 of cleaning, less the bonus's
        # 90.91 discount, plus its 90.91 breakage, is 220 of net revenue
        income = invoice.invoice_line_ids.account_id
        self.assertEqual(
            round(self.balance(income) + self.balance(self.bonus_account) + self.balance(self.breakage), 2),
            -220,
        )

    def test_plain_discount(self):
        """The prepayment is the principal alone; the bonus is a discount when spent, and
        an expired bonus books nothing."""
        self.set_company(
            rs_stored_value_bonus_treatment="discount", rs_stored_value_spending_order="bonus_first"
        )
        self.pay(self.top_up(self.card), self.bank)
        self.assertBooks(1000, 1000, 0, 0)
        # 330: the bonus's 100 is a discount, the principal's 230 is released
        invoice = self.invoice(330)
        self.pay_with_card(invoice, self.card, 330)
        self.assertEqual(self.card_payment(invoice).amount, 230)
        self.assertBooks(770, 770, 100, 0)
        # a credit note of 110 gives back in proportion of what each lot misses (100 and
        # 230): 33.33 to the bonus, 76.67 to the principal
        self.credit_note(invoice, 110)
        self.assertBooks(846.67, 846.67, 66.67, 0)
        with freeze_time(fields.Date.add(fields.Date.today(), days=366)):
            self.env["rs.stored.value.entry"]._cron_expire_bonus()
            self.assertBooks(846.67, 846.67, 66.67, 0)
            self.refund_card()
        self.assertBooks(0, 0, 66.67, 0)

    def test_void_bonus_of_an_empty_card_is_breakage(self):
        """A card whose principal is spent is returned with bonus left: nothing is paid
        back, and the prepayment its bonus carries is breakage."""
        self.set_company(
            rs_stored_value_bonus_treatment="allocated", rs_stored_value_spending_order="principal_first"
        )
        self.pay(self.top_up(self.card), self.bank)
        invoice = self.invoice(1000)
        self.pay_with_card(invoice, self.card, 1000)
        # 1,000 empties the principal lot: all its 909.09 released
        self.assertBooks(90.91, 0, 90.91, 0)
        self.refund_card()
        self.assertBooks(0, 0, 90.91, 90.91)

    def test_top_up_is_booked_to_the_prepayment_account(self):
        """Whatever account the top-up product names, the top-up line is a prepayment."""
        topup = self.top_up(self.card)
        line = topup.invoice_line_ids
        self.assertEqual(line.account_id, self.liability)
        self.assertNotEqual(self.topup_product.property_account_income_id, self.liability)

    def top_up(self, card, amount=1000, journal=None, buyer=None):
        return super().top_up(card, amount, journal, buyer)

    def test_top_up_and_refund_are_no_purchase(self):
        """Money paid in advance is no purchase, nor is it paid back: the value engine counts
        the invoice the card pays, once, and neither the top-up nor the card's refund."""
        topup = self.top_up(self.card)
        self.pay(topup, self.bank)
        invoice = self.invoice(330)
        self.pay_with_card(invoice, self.card, 330)
        self.refund_card()
        refund = self.env["account.move"].search(
            [("move_type", "=", "out_refund"), ("partner_id", "=", self.customer.id)]
        )
        self.assertEqual(len(refund), 1)
        self.env.flush_all()
        Fact = self.env["rs.purchase.fact"].sudo()
        rows = self.env.execute_query(
            Fact._purchases_sql(SQL("f.partner_id = %s", self.customer.commercial_partner_id.id))
        )
        self.assertEqual([(row[2], row[4]) for row in rows], [(False, 330.0)])
