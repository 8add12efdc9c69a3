from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import Form, tagged
from odoo.tests.common import new_test_user

from .common import StoredValueCommon


@tagged("post_install", "-at_install")
class TestStoredValueSpending(StoredValueCommon):
    """A card topped up with 1,000 (and 100 bonus) pays invoices from its lots in each
    spending order; a credit note gives back to the lots it came from, once."""

    def setUp(self):
        super().setUp()
        self.card = self.named_card()
        self.top_up(self.card, 1000, self.bank)
        self.assertBalances(self.card, 1000, 100)

    def spend(self, order, amount):
        self.set_company(rs_stored_value_spending_order=order)
        invoice = self.invoice(amount)
        self.pay_with_card(invoice, self.card, amount)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        return invoice

    def test_bonus_first(self):
        self.spend("bonus_first", 330)
        self.assertBalances(self.card, 770, 0)
        self.spend("bonus_first", 70)
        self.assertBalances(self.card, 700, 0)

    def test_principal_first(self):
        self.spend("principal_first", 330)
        self.assertBalances(self.card, 670, 100)
        self.spend("principal_first", 700)
        self.assertBalances(self.card, 0, 70)

    def test_proportional(self):
        # 330 of 1,100: 300 principal, 30 bonus
        self.spend("proportional", 330)
        self.assertBalances(self.card, 700, 70)
        # 100 of 770: 90.909... principal and 9.0909... bonus; the cent left goes to the
        # larger fraction, the principal: 90.91 and 9.09
        self.spend("proportional", 100)
        self.assertBalances(self.card, 609.09, 60.91)
        # the rest, exactly
        self.spend("proportional", 670)
        self.assertBalances(self.card, 0, 0)

    def test_part_of_an_invoice_and_overdraft_refused(self):
        invoice = self.invoice(2000)
        with self.assertRefused("less than"):
            self.pay_with_card(invoice, self.card, 1100.01)
        self.assertBalances(self.card, 1000, 100)
        self.assertEqual(invoice.payment_state, "not_paid")
        with self.assertRaises(UserError):
            self.pay_with_card(invoice, self.card, 0)
        self.pay_with_card(invoice, self.card, 1100)
        self.assertEqual(invoice.payment_state, "partial")
        self.assertEqual(invoice.amount_residual, 900)
        self.assertEqual(invoice.rs_stored_value_paid, 1100)
        self.assertBalances(self.card, 0, 0)

    def test_more_than_due_refused(self):
        invoice = self.invoice(100)
        with self.assertRaises(UserError):
            self.pay_with_card(invoice, self.card, 100.01)
        self.assertBalances(self.card, 1000, 100)

    def test_named_card_pays_its_customer_only(self):
        other = self.env["res.partner"].create({"name": "Li Lei", "rs_is_resident_customer": True})
        invoice = self.invoice(100, partner=other)
        with self.assertRefused("own customer"):
            self.pay_with_card(invoice, self.card, 100)
        self.assertBalances(self.card, 1000, 100)

    def test_expired_bonus_is_not_spent(self):
        self.set_company(rs_stored_value_spending_order="bonus_first")
        later = fields.Date.add(fields.Date.today(), days=400)
        with freeze_time(later):
            invoice = self.invoice(330)
            self.pay_with_card(invoice, self.card, 330)
            # the bonus expired: the principal pays it all
            self.assertBalances(self.card, 670, 100)
            with self.assertRefused("670"):
                self.pay_with_card(self.invoice(700), self.card, 700)

    def test_expired_bonus_is_voided_once(self):
        self.spend("bonus_first", 30)
        self.assertBalances(self.card, 1000, 70)
        Entry = self.env["rs.stored.value.entry"]
        Entry._cron_expire_bonus()
        self.assertBalances(self.card, 1000, 70)
        with freeze_time(fields.Date.add(fields.Date.today(), days=366)):
            Entry._cron_expire_bonus()
            Entry._cron_expire_bonus()
        self.assertBalances(self.card, 1000, 0)
        expired = Entry.search([("card_id", "=", self.card.id), ("operation", "=", "expire")])
        self.assertEqual(expired.mapped("amount"), [-70])

    def refund(self, invoice, amount=None):
        """A credit note of the invoice, for all of it or ``amount``, posted."""
        wizard = (
            self.env["account.move.reversal"]
            .with_user(self.cashier)
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"journal_id": invoice.journal_id.id, "reason": "Service not done"})
        )
        credit_note = self.env["account.move"].browse(wizard.refund_moves()["res_id"])
        if amount is not None:
            with Form(credit_note.with_user(self.cashier)) as form:
                with form.invoice_line_ids.edit(0) as line:
                    line.price_unit = amount
        credit_note.with_user(self.cashier).action_post()
        return credit_note

    def test_credit_note_gives_back_to_the_lots(self):
        invoice = self.spend("bonus_first", 330)
        self.assertBalances(self.card, 770, 0)
        credit_note = self.refund(invoice)
        # 100 back to the bonus lot, 230 to the principal lot
        self.assertBalances(self.card, 1000, 100)
        given = credit_note_entries = self.env["rs.stored.value.entry"].search(
            [("move_id", "=", credit_note.id), ("operation", "=", "give_back")]
        )
        self.assertEqual(sorted(given.mapped("amount")), [100, 230])
        spent = self.env["rs.stored.value.entry"].search([("move_id", "=", invoice.id)])
        self.assertEqual(given.lot_id, spent.lot_id)
        self.assertIn(credit_note.payment_state, ("paid", "in_payment"))
        self.assertEqual(invoice.rs_stored_value_paid, 0)
        # once: running the step again, or another credit note, gives nothing more
        credit_note._rs_stored_value_give_back()
        self.refund(invoice)
        self.assertBalances(self.card, 1000, 100)
        self.assertEqual(len(credit_note_entries), 2)

    def test_partial_credit_note_proportional(self):
        invoice = self.spend("proportional", 330)
        self.assertBalances(self.card, 700, 70)
        # 110 of the 330 paid by 300 principal and 30 bonus: 100 and 10 back
        self.refund(invoice, amount=110)
        self.assertBalances(self.card, 800, 80)
        self.assertEqual(invoice.rs_stored_value_paid, 220)
        # a second credit note gives back at most what is left: 220
        self.refund(invoice, amount=330)
        self.assertBalances(self.card, 1000, 100)

    def test_credit_note_gives_back_the_card_share_only(self):
        self.set_company(rs_stored_value_spending_order="principal_first")
        invoice = self.invoice(500)
        self.pay_with_card(invoice, self.card, 200)
        self.pay(invoice, self.bank)
        self.assertBalances(self.card, 800, 100)
        credit_note = self.refund(invoice)
        self.assertBalances(self.card, 1000, 100)
        # the 300 paid in cash stays a credit of the customer
        self.assertEqual(credit_note.amount_residual, 300)

    def test_card_payment_stays_posted(self):
        invoice = self.spend("principal_first", 330)
        payment = self.env["account.payment"].search([("rs_stored_value_card_id", "=", self.card.id)])
        self.assertEqual(len(payment), 1)
        with self.assertRaises(UserError):
            payment.with_user(self.cashier).action_draft()
        with self.assertRaises(UserError):
            invoice.with_user(self.cashier).button_draft()
        self.assertBalances(self.card, 670, 100)

    def test_nightly_check_sees_the_stored_value_ledger(self):
        new_test_user(
            self.env,
            login="sv_manager",
            groups="base.group_user,resident_service_crm.group_manager",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        self.spend("principal_first", 330)
        activity_type = self.env.ref("resident_service_crm_loyalty.mail_activity_type_points_drift")
        domain = [("res_id", "=", self.card.id), ("activity_type_id", "=", activity_type.id)]
        self.env["loyalty.card"]._cron_rs_check_balances()
        self.assertFalse(self.env["mail.activity"].search(domain))
        self.env.cr.execute("UPDATE loyalty_card SET points = points + 1 WHERE id = %s", [self.card.id])
        self.env.invalidate_all()
        self.env["loyalty.card"]._cron_rs_check_balances()
        self.assertTrue(self.env["mail.activity"].search(domain))
