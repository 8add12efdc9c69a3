from odoo.tests import tagged

from ..common import LedgerCommon


@tagged("post_install", "-at_install")
class TestLedgerSales(LedgerCommon):
    def _invoice_order(self, order):
        invoice = order._create_invoices()
        invoice.action_post()
        return invoice

    def test_order_program_earns_at_confirmation_and_not_again_on_the_invoice(self):
        self.program.active = False
        program = self._program("order")
        order = self._sale_order([(self.cleaning, 2, 100.0), (self.repair, 2, 50.0)], confirm=True)
        self.assertEqual(self._points(program), 300.0)
        invoice = self._invoice_order(order)
        self.assertEqual(self._points(program), 300.0)
        self.assertFalse(self._entries(invoice))
        self.assertInvariant()

    def test_credit_note_reverses_points_earned_at_order_confirmation(self):
        self.program.active = False
        program = self._program("order")
        order = self._sale_order([(self.cleaning, 2, 100.0), (self.repair, 2, 50.0)], confirm=True)
        invoice = self._invoice_order(order)
        partial = self._credit_note(invoice, {0: {"quantity": 1}})
        self.assertEqual(self._points(program), 200.0)
        self.assertInvariant()
        partial._rs_ledger_sync()
        self.assertEqual(self._points(program), 200.0)
        self._credit_note(invoice, {0: {"quantity": 1}, 1: {}})
        self.assertEqual(self._points(program), 0.0)
        self.assertInvariant()
        partial.button_draft()
        self.assertEqual(self._points(program), 100.0)
        self.assertInvariant()

    def test_invoice_program_does_not_earn_at_confirmation(self):
        order = self._sale_order([(self.cleaning, 1, 100.0)], confirm=True)
        card = self._card()
        self.assertFalse(card.points)
        self._invoice_order(order)
        self.assertEqual(self._points(), 100.0)
        self.assertInvariant()
