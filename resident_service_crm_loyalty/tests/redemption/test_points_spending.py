import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from ..common import LedgerCommon

D = datetime.date


@tagged("post_install", "-at_install")
class TestPointsSpending(LedgerCommon):
    """Points spent on sale orders (Odoo's rewards) and on invoices (the redeem action),
    first-in first-out by expiry, with the ledger invariant kept."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.program.write({"rs_points_expiry_mode": "months", "rs_points_expiry_months": 6})
        cls.reward = cls.program.reward_ids

    def _earn(self, day, amount):
        with freeze_time(day):
            invoice = self._invoice([(self.cleaning, 1, amount)])
        return self._entries(invoice, "earn")

    def _redeem(self, invoice, points=None):
        form = Form(self.env["rs.redeem.points.wizard"].with_context(default_move_id=invoice.id))
        self.assertEqual(form.card_id, self._card())
        self.assertEqual(form.reward_id, self.reward)
        if points is not None:
            form.points = points
        form.save().action_apply()
        return invoice.invoice_line_ids.filtered("rs_loyalty_redeem_card_id")

    # sale orders ------------------------------------------------------------------------

    def test_sale_order_reward_spends_invoice_earned_points_first_to_expire(self):
        first = self._earn("2026-01-10", 100.0)
        second = self._earn("2026-03-05", 50.0)
        order = self._sale_order([(self.repair, 1, 120.0)])
        coupon = self._card()
        status = order._apply_program_reward(self.reward, coupon)
        self.assertNotIn("error", status)
        with freeze_time("2026-04-01"):
            order.action_confirm()
        self.assertEqual(self._points(), 30.0)
        core_row = coupon.history_ids.filtered(lambda entry: entry.order_model == "sale.order")
        self.assertEqual((core_row.used, core_row.rs_ledger_kind), (120.0, False))
        self.assertEqual((first + second).mapped("rs_points_remaining"), [0.0, 30.0])
        self.assertInvariant()
        # cancelling the order: Odoo deletes its row and gives the points back; so do the earnings
        order._action_cancel()
        self.assertEqual(self._points(), 150.0)
        self.assertEqual((first + second).mapped("rs_points_remaining"), [100.0, 50.0])
        self.assertFalse(self.env["rs.loyalty.allocation"].sudo().search([("card_id", "=", coupon.id)]))
        self.assertInvariant()

    def test_reward_added_to_a_confirmed_order_follows_the_row_odoo_edits(self):
        first = self._earn("2026-01-10", 100.0)
        order = self._sale_order([(self.repair, 1, 40.0)])
        order.action_confirm()
        row = self._card().history_ids.filtered(lambda entry: entry.order_model == "sale.order")
        self.assertEqual(row.used, 0.0)
        order._apply_program_reward(self.reward, self._card())
        self.assertEqual(row.used, 40.0)
        self.assertEqual(first.rs_points_remaining, 60.0)
        self.assertEqual(self._points(), 60.0)
        self.assertInvariant()

    # invoices ---------------------------------------------------------------------------

    def test_invoice_redemption_and_its_cancellation(self):
        first = self._earn("2026-01-10", 100.0)
        second = self._earn("2026-03-05", 50.0)
        invoice = self._invoice([(self.repair, 2, 60.0)], post=False)
        with freeze_time("2026-04-01"):
            line = self._redeem(invoice, points=110.0)
        self.assertEqual((line.price_unit, line.rs_loyalty_redeem_points), (-110.0, 110.0))
        self.assertEqual(invoice.amount_total, 10.0)
        redemption = self._entries(invoice, "redeem")
        self.assertEqual((redemption.used, redemption.rs_ledger_source_line_id), (110.0, line.id))
        self.assertEqual(self._points(), 40.0)
        self.assertEqual((first + second).mapped("rs_points_remaining"), [0.0, 40.0])
        self.assertInvariant()
        with freeze_time("2026-04-02"):
            invoice.action_post()
        self.assertEqual(self._entries(invoice, "earn").issued, 120.0, "points spent are not earned on")
        self.assertEqual(self._points(), 160.0)
        invoice.button_cancel()
        returned = self._entries(invoice, "redeem_return")
        self.assertEqual((returned.issued, returned.rs_points_returned_id), (110.0, redemption))
        self.assertEqual(self._points(), 150.0)
        self.assertEqual((first + second).mapped("rs_points_remaining"), [100.0, 50.0])
        self.assertInvariant()
        invoice._rs_redeem_sync()
        self.assertEqual(len(self._entries(invoice, "redeem_return")), 1, "given back once")
        # back to draft: the line spends again, in a new cycle
        invoice.button_draft()
        self.assertEqual(self._entries(invoice, "redeem").mapped("rs_ledger_cycle"), [1, 0])
        self.assertEqual(self._points(), 40.0)
        self.assertInvariant()

    def test_removing_the_discount_line_gives_the_points_back_once(self):
        first = self._earn("2026-01-10", 100.0)
        invoice = self._invoice([(self.repair, 1, 80.0)], post=False)
        line = self._redeem(invoice)
        self.assertEqual(line.rs_loyalty_redeem_points, 80.0, "by default: what pays the whole invoice")
        self.assertEqual(first.rs_points_remaining, 20.0)
        invoice.write({"invoice_line_ids": [Command.delete(line.id)]})
        self.assertEqual(self._points(), 100.0)
        self.assertEqual(first.rs_points_remaining, 100.0)
        self.assertEqual(len(self._entries(invoice, "redeem_return")), 1)
        invoice.action_post()
        invoice.button_cancel()
        self.assertEqual(len(self._entries(invoice, "redeem_return")), 1, "given back once")
        self.assertInvariant()

    def test_a_duplicated_invoice_spends_no_points(self):
        self._earn("2026-01-10", 100.0)
        invoice = self._invoice([(self.repair, 1, 80.0)], post=False)
        self._redeem(invoice, points=30.0)
        copy = invoice.copy()
        self.assertEqual(copy.invoice_line_ids.mapped("price_unit"), [80.0])
        self.assertEqual(copy.amount_total, 80.0)
        self.assertEqual(self._points(), 70.0)
        self.assertInvariant()

    def test_redemption_refused_beyond_the_balance_or_on_a_posted_invoice(self):
        self._earn("2026-01-10", 30.0)
        invoice = self._invoice([(self.repair, 1, 80.0)], post=False)
        form = Form(self.env["rs.redeem.points.wizard"].with_context(default_move_id=invoice.id))
        self.assertEqual(form.points, 30.0)
        form.points = 50.0
        wizard = form.save()
        with self.assertRaises(UserError):
            wizard.action_apply()
        self.assertFalse(invoice.invoice_line_ids.filtered("rs_loyalty_redeem_card_id"))
        self.assertEqual(self._points(), 30.0)
        invoice.action_post()
        with self.assertRaises(UserError):
            invoice.action_rs_open_redeem_points()
        self.assertInvariant()

    # credit notes ----------------------------------------------------------------------

    def _spent_and_posted(self):
        first = self._earn("2026-01-10", 100.0)
        second = self._earn("2026-03-05", 50.0)
        invoice = self._invoice([(self.repair, 2, 60.0)], post=False)
        with freeze_time("2026-04-01"):
            self._redeem(invoice, points=110.0)
            invoice.action_post()
        self.assertEqual(self._points(), 160.0)
        return invoice, first + second

    def test_credit_note_gives_back_the_points_spent_with_their_expiry_dates(self):
        invoice, earnings = self._spent_and_posted()
        credit_note = self._credit_note(invoice)
        returned = self._entries(credit_note, "redeem_return")
        self.assertEqual(returned.issued, 110.0)
        self.assertEqual(returned.rs_points_returned_id, self._entries(invoice, "redeem"))
        self.assertEqual(self._points(), 150.0, "the earning taken back, the points spent given back")
        self.assertEqual(earnings.mapped("rs_points_remaining"), [100.0, 50.0])
        self.assertEqual(self._card().rs_points_next_expiry_date, D(2026, 7, 9))
        self.assertInvariant()
        credit_note._rs_redeem_refund_sync()
        credit_note._invoice_paid_hook()
        self.assertEqual(len(self._entries(credit_note, "redeem_return")), 1, "given back once")
        credit_note.button_draft()
        self.assertEqual(self._points(), 160.0, "a credit note back to draft takes them again")
        self.assertInvariant()
        credit_note.action_post()
        self.assertEqual(self._points(), 150.0)
        self.assertInvariant()

    def test_partial_credit_notes_give_back_in_proportion_and_never_more(self):
        invoice, _earnings = self._spent_and_posted()
        discount = {1: {"price_unit": -55.0}}
        self._credit_note(invoice, {0: {"quantity": 1}, **discount})
        # 60 earned back of 120, 55 of the 110 points spent given back
        self.assertEqual(self._points(), 160.0 - 60.0 + 55.0)
        self.assertInvariant()
        self._credit_note(invoice, {0: {"quantity": 1}, **discount})
        self.assertEqual(self._points(), 150.0)
        self.assertInvariant()
        self._credit_note(invoice, {0: {}, 1: {}})
        self.assertEqual(self._points(), 150.0, "all 110 points are back already, all 120 taken back")
        self.assertInvariant()
