from datetime import timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged
from odoo.tests.common import new_test_user

from .common import StoredValueCommon


@tagged("post_install", "-at_install")
class TestStoredValueBooks(StoredValueCommon):
    """The prepayment account and the liability report agree whatever users do with the
    documents that moved a card: a visit's card is not typed in, a bonus given back after it
    expired expires again, and the documents the card's refund and expiry post stay posted."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.accountant = new_test_user(
            cls.env,
            login="sv_books_accountant",
            groups="base.group_user,account.group_account_invoice",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.liability = cls.program.rs_liability_account_id
        # sudo: the service catalogue is the manager's set-up
        category = cls.env["rs.service.category"].sudo().create({"name": "Home"})
        cls.cleaning = (
            cls.env["rs.service.type"]
            .sudo()
            .create({"name": "Cleaning", "category_id": category.id, "product_id": cls.service.id})
        )

    def setUp(self):
        super().setUp()
        self.set_company(
            rs_stored_value_bonus_treatment="allocated", rs_stored_value_spending_order="bonus_first"
        )
        self.card = self.named_card()
        # 1,000 paid, 100 bonus: the principal lot carries 909.09, the bonus lot 90.91
        self.pay(self.top_up(self.card, 1000), self.bank)

    def visit(self, amount):
        # sudo: the visit is scheduled by the service desk before the counter takes payment
        return (
            self.env["rs.service.record"]
            .sudo()
            .create(
                {
                    "partner_id": self.customer.id,
                    "service_type_id": self.cleaning.id,
                    "scheduled_start": fields.Datetime.now() - timedelta(hours=2),
                    "amount": amount,
                }
            )
        )

    def pay_visit(self, visit, card, amount):
        action = visit.with_user(self.cashier).action_pay_with_stored_value()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.cashier)
            .with_context(action["context"])
            .create({"card_id": card.id})
        )
        wizard.amount = amount
        wizard.action_pay()

    def assertBooks(self, liability):
        """The prepayment account carries ``liability``, as the report and the ledger say."""
        self.env.invalidate_all()
        lines = (
            self.env["account.move.line"]
            .with_user(self.accountant)
            .read_group(
                [("account_id", "=", self.liability.id), ("parent_state", "=", "posted")], ["balance:sum"], []
            )
        )
        self.assertEqual(round(lines[0]["balance"] or 0.0, 2), -liability)
        report = (
            self.env["rs.stored.value.liability.report"]
            .with_user(self.accountant)
            .read_group([], ["liability:sum"], [])
        )
        self.assertEqual(round(report[0]["liability"] or 0.0, 2), liability)
        entries = self.env["rs.stored.value.entry"].search([])
        self.assertEqual(round(sum(entries.mapped("liability")), 2), liability)

    def test_card_of_a_visit_is_not_typed_in(self):
        """A cashier cannot point a visit paid by one card at another card: the give-back
        would credit the other card with what the first one paid."""
        other = self.named_card()
        visit = self.visit(330)
        self.pay_visit(visit, self.card, 330)
        # 330: the bonus lot's 100 (90.91 released), then 230 of the principal (909.09 *
        # 230 / 1,000 = 209.09 released): 700 carried
        self.assertBalances(self.card, 770, 0)
        self.assertBooks(700)
        with self.assertRaises(AccessError):
            visit.with_user(self.cashier).write({"stored_value_card_id": other.id})
        visit.with_user(self.cashier).action_cancel_stored_value_payment()
        self.assertBalances(self.card, 1000, 100)
        self.assertBalances(other, 0, 0)
        self.assertBooks(1000)

    def test_bonus_given_back_after_it_expired_expires_again(self):
        """A visit paid from the bonus, the bonus expired, then the card payment cancelled:
        what comes back to the expired lot expires on the next night, once more."""
        visit = self.visit(50)
        self.pay_visit(visit, self.card, 50)
        # 50 of the bonus lot: 45.46 of its 90.91 released
        self.assertBalances(self.card, 1000, 50)
        self.assertBooks(954.54)
        Entry = self.env["rs.stored.value.entry"]
        with freeze_time(fields.Date.add(fields.Date.today(), days=366)):
            Entry._cron_expire_bonus()
            # the 45.45 left in the lot is breakage
            self.assertBalances(self.card, 1000, 0)
            self.assertBooks(909.09)
            visit.with_user(self.cashier).action_cancel_stored_value_payment()
            # back to the expired lot: 50, carrying 45.46 again
            self.assertBalances(self.card, 1000, 50)
            self.assertBooks(954.55)
            Entry._cron_expire_bonus()
            self.assertBalances(self.card, 1000, 0)
            self.assertBooks(909.09)
            Entry._cron_expire_bonus()
        self.assertBalances(self.card, 1000, 0)
        self.assertBooks(909.09)
        expired = Entry.search([("card_id", "=", self.card.id), ("operation", "=", "expire")])
        self.assertEqual(sorted(expired.mapped("amount")), [-50, -50])

    def test_refund_and_breakage_stay_posted(self):
        """The credit note of a card's refund and the breakage entry of an expiry are in the
        ledger: the accountant cannot reset them to draft (and then delete or change them)."""
        self.pay_with_card(self.invoice(30), self.card, 30)
        # 30 of the bonus lot: 27.27 released
        self.assertBooks(972.73)
        Entry = self.env["rs.stored.value.entry"]
        with freeze_time(fields.Date.add(fields.Date.today(), days=366)):
            Entry._cron_expire_bonus()
        self.assertBooks(909.09)
        breakage = Entry.search([("card_id", "=", self.card.id), ("operation", "=", "expire")]).move_id
        self.assertEqual((breakage.move_type, breakage.state), ("entry", "posted"))
        wizard = (
            self.env["rs.stored.value.refund"]
            .with_user(self.cashier)
            .create({"card_id": self.card.id, "journal_id": self.cash.id})
        )
        credit_note = self.env["account.move"].browse(wizard.action_confirm()["res_id"])
        self.assertEqual((credit_note.move_type, credit_note.amount_total), ("out_refund", 1000))
        self.assertBooks(0)
        for move in (breakage, credit_note):
            with self.assertRefused("stays posted"):
                move.with_user(self.accountant).button_draft()
            with self.assertRefused("stays posted"):
                move.with_user(self.accountant).button_cancel()
        self.assertEqual((breakage.state, credit_note.state), ("posted", "posted"))
        self.assertBooks(0)

    def reverse(self, invoice):
        wizard = (
            self.env["account.move.reversal"]
            .with_user(self.cashier)
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"journal_id": invoice.journal_id.id, "reason": "Changed their mind"})
        )
        return self.env["account.move"].browse(wizard.refund_moves()["res_id"])

    def test_top_up_is_not_reversed_by_a_credit_note(self):
        """A paid top-up is on the card: a credit note of it would pay the money back and
        leave the card full. Unpaid, a credit note of part of it would leave the rest to pay
        and the card credited in full. The card's refund gives a top-up back."""
        paid = self.env["account.move"].search(
            [("invoice_line_ids.rs_stored_value_card_id", "=", self.card.id)]
        )
        self.assertBooks(1000)
        credit_note = self.reverse(paid)
        with self.assertRefused("card's refund"):
            credit_note.with_user(self.cashier).action_post()
        self.assertBooks(1000)
        self.assertBalances(self.card, 1000, 100)

        other = self.named_card()
        unpaid = self.top_up(other, 1000)
        credit_note = self.reverse(unpaid)
        credit_note.invoice_line_ids.with_user(self.cashier).write({"price_unit": 500})
        with self.assertRefused("card's refund"):
            credit_note.with_user(self.cashier).action_post()
        self.pay(unpaid, self.bank)
        self.assertBalances(other, 1000, 100)
        self.assertBooks(2000)

    def test_visit_takes_at_most_its_amount_from_the_card(self):
        """What the card pays for a visit is at most the visit's amount: a cashier cannot take
        more of the card than the visit costs."""
        visit = self.visit(330)
        with self.assertRefused("at most what is due"):
            self.pay_visit(visit, self.card, 500)
        self.env.invalidate_all()
        self.assertEqual(visit.payment_mode, "to_invoice")
        self.assertBalances(self.card, 1000, 100)
        self.assertBooks(1000)

    def test_payment_of_a_returned_card_is_not_given_back(self):
        """A card returned (its principal paid back) takes nothing back: a card payment
        cancelled then would leave value, and prepayment, on a card nobody can spend or
        refund any more."""
        visit = self.visit(330)
        self.pay_visit(visit, self.card, 330)
        wizard = (
            self.env["rs.stored.value.refund"]
            .with_user(self.cashier)
            .create({"card_id": self.card.id, "journal_id": self.cash.id})
        )
        wizard.action_confirm()
        self.assertBalances(self.card, 0, 0)
        self.assertBooks(0)
        with self.assertRefused("returned"):
            visit.with_user(self.cashier).action_cancel_stored_value_payment()
        self.env.invalidate_all()
        self.assertEqual((visit.payment_mode, visit.payment_method), ("on_spot", "stored_value"))
        self.assertBalances(self.card, 0, 0)
        self.assertBooks(0)

    def test_program_keeps_the_company_currency(self):
        """The ledger counts a card's prepayment in the card's currency, the prepayment
        account in the company's: a program in another currency would book its breakage in
        the wrong currency and the report would not add up to the account."""
        eur = self.setup_other_currency("EUR")
        self.assertNotEqual(eur, self.company.currency_id)
        with self.assertRefused("currency", ValidationError):
            # sudo: the set-up is the manager's
            self.program.sudo().currency_id = eur
        with self.assertRefused("currency", ValidationError):
            self.program.sudo().copy({"name": "Euro card", "currency_id": eur.id})
        self.assertEqual(self.program.currency_id, self.company.currency_id)

    def test_credit_note_of_a_returned_card_is_paid_back_otherwise(self):
        """A credit note of an invoice a card paid, once the card is returned, gives nothing
        back to the card: the credit note stays to be paid back from another journal."""
        invoice = self.invoice(330)
        self.pay_with_card(invoice, self.card, 330)
        wizard = (
            self.env["rs.stored.value.refund"]
            .with_user(self.cashier)
            .create({"card_id": self.card.id, "journal_id": self.cash.id})
        )
        wizard.action_confirm()
        self.assertBooks(0)
        credit_note = self.reverse(invoice)
        credit_note.with_user(self.cashier).action_post()
        self.env.invalidate_all()
        self.assertEqual((credit_note.payment_state, credit_note.amount_residual), ("not_paid", 330))
        self.assertBalances(self.card, 0, 0)
        self.assertBooks(0)
