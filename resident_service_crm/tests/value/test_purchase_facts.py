"""The purchase facts the value engine reads: kept when invoices are posted, reset,
cancelled and refunded, refreshed when a margin rate or a product's category changes,
and filled for invoices that were written without posting."""

from datetime import timedelta

from odoo import Command
from odoo.tests import tagged

from ..value_common import TODAY, CustomerValueCase


@tagged("post_install", "-at_install")
class TestPurchaseFacts(CustomerValueCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.buyer = cls._customer("Fact buyer")
        cls.move_id = cls._invoice(cls.buyer, 30, [(600, cls.product_50), (200, cls.product_30)])
        cls._invoice(cls.buyer, 20, [(100, cls.product_50)], refund=True)

    def _facts(self, move_ids):
        facts = self.env["rs.purchase.fact"].search([("move_id", "in", move_ids)])
        return {fact.move_id.id: (fact.amount, fact.margin_amount, fact.line_count) for fact in facts}

    def test_facts_say_who_bought_and_when(self):
        self._recompute()
        facts = self.env["rs.purchase.fact"].search([("partner_id", "=", self.buyer.id)], order="date")
        self.assertEqual(
            [(fact.date, fact.is_refund, fact.amount) for fact in facts],
            [(TODAY - timedelta(days=30), False, 800), (TODAY - timedelta(days=20), True, -100)],
        )

    def test_invoices_written_without_posting_get_their_facts_at_the_recompute(self):
        self.assertEqual(self._facts([self.move_id]), {})
        self._recompute()
        # 600 x 50 % + 200 x 30 %
        self.assertEqual(self._facts([self.move_id]), {self.move_id: (800, 360, 2)})
        self.assertEqual(self.env["rs.purchase.fact"]._fill_missing(self.value_company), 0)
        value = self._value(self.buyer)
        # 800 - 100; (360 - 50) x 365 / 365
        self.assertEqual((value.frequency, value.monetary, value.current_value), (1, 700, 310))

    def test_margin_rate_change_refreshes_the_facts(self):
        self._recompute()
        self.category_50.rs_margin_rate = 20
        self.assertEqual(self._facts([self.move_id]), {self.move_id: (800, 180, 2)})
        self._recompute(TODAY)
        # (600 - 100) x 20 % + 200 x 30 %
        self.assertEqual(self._value(self.buyer).current_value, 160)

    def test_product_moved_to_another_category_refreshes_the_facts(self):
        self._recompute()
        self.product_50.categ_id = self.category_30
        self._recompute(TODAY)
        # (600 + 200 - 100) x 30 %
        self.assertEqual(self._value(self.buyer).current_value, 210)

    def test_company_default_rate_applies_to_lines_without_product(self):
        self._recompute()
        self.env.cr.execute(
            "UPDATE account_move_line SET product_id = NULL WHERE move_id = %s AND balance = -200",
            [self.move_id],
        )
        self.value_company.rs_default_margin_rate = 10
        # 600 x 50 % + 200 x the company's 10 %
        self.assertEqual(self._facts([self.move_id]), {self.move_id: (800, 320, 2)})

    def test_posting_resetting_cancelling_and_refunding(self):
        company = self.env.company
        customer = self._customer("Posted buyer", company=company)
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": customer.id,
                "invoice_date": "2026-06-01",
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": self.product_30.id,
                            "quantity": 2,
                            "price_unit": 150,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        self.assertEqual(self._facts(invoice.ids), {}, "a draft has no fact")
        invoice.action_post()
        self.assertEqual(self._facts(invoice.ids), {invoice.id: (300, 90, 1)})
        invoice.button_draft()
        self.assertEqual(self._facts(invoice.ids), {})
        invoice.invoice_line_ids.quantity = 3
        invoice.action_post()
        self.assertEqual(self._facts(invoice.ids), {invoice.id: (450, 135, 1)})
        refund = invoice._reverse_moves([{"invoice_date": "2026-06-02"}])
        self.assertEqual(self._facts(refund.ids), {}, "a draft credit note has no fact")
        refund.invoice_line_ids.quantity = 1
        refund.action_post()
        self.assertEqual(self._facts(refund.ids), {refund.id: (-150, -45, 1)})
        refund.button_draft()
        refund.button_cancel()
        self.assertEqual(self._facts((invoice | refund).ids), {invoice.id: (450, 135, 1)})
        self.env["rs.customer.value"]._recompute_value(company, today=TODAY, partner_ids=customer.ids)
        value = self._value(customer, company)
        self.assertEqual((value.frequency, value.monetary), (1, 450))
