from odoo import Command
from odoo.tests import tagged

from ..common import LedgerCommon


@tagged("post_install", "-at_install")
class TestLedgerInvoices(LedgerCommon):
    def test_posted_invoice_earns_by_the_program_rules(self):
        invoice = self._invoice([(self.cleaning, 2, 100.0), (self.repair, 1, 50.0)])
        self.assertEqual(self._points(), 250.0)
        entries = self._entries(invoice, "earn")
        self.assertEqual(len(entries), 2, "one entry per invoice line")
        self.assertEqual(sorted(entries.mapped("issued")), [50.0, 200.0])
        self.assertEqual(set(entries.mapped("rs_ledger_cycle")), {0})
        self.assertEqual(entries[0].order_model, "account.move")
        self.assertInvariant()

    def test_product_category_and_quantity_rules(self):
        program = self._program(
            "invoice",
            rules=[
                {
                    "reward_point_mode": "unit",
                    "reward_point_amount": 10.0,
                    "product_category_id": self.category_cleaning.id,
                    "minimum_qty": 2,
                },
                {
                    "reward_point_mode": "order",
                    "reward_point_amount": 5.0,
                    "product_ids": [Command.set(self.repair.ids)],
                },
            ],
        )
        self._invoice([(self.cleaning, 3, 100.0), (self.repair, 1, 50.0)])
        self.assertEqual(self._points(program), 35.0)
        self._invoice([(self.cleaning, 1, 100.0)])
        self.assertEqual(self._points(program), 35.0, "below the minimum quantity of the rule")
        self.assertInvariant()

    def test_product_tag_rule_and_partial_refund_of_tagged_lines(self):
        tag = self.env["product.tag"].create({"name": "Elderly care"})
        self.repair.product_tmpl_id.product_tag_ids = tag
        program = self._program(
            "invoice",
            rules=[{"reward_point_mode": "unit", "reward_point_amount": 7.0, "product_tag_id": tag.id}],
        )
        invoice = self._invoice([(self.cleaning, 2, 100.0), (self.repair, 3, 50.0)])
        self.assertEqual(self._points(program), 21.0, "only the tagged product earns")
        self._credit_note(invoice, {1: {"quantity": 1}})
        self.assertEqual(self._points(program), 14.0)
        self._credit_note(invoice, {0: {"quantity": 2}})
        self.assertEqual(self._points(program), 14.0, "refunding untagged lines takes nothing")
        self.assertInvariant()

    def test_minimum_amount_with_the_rule_tax_mode(self):
        tax = self.env["account.tax"].create({"name": "VAT 10", "amount": 10.0, "type_tax_use": "sale"})
        program = self._program(
            "invoice",
            rules=[
                {
                    "reward_point_mode": "order",
                    "reward_point_amount": 20.0,
                    "minimum_amount": 105.0,
                    "minimum_amount_tax_mode": "incl",
                }
            ],
        )
        program_excl = self._program(
            "invoice",
            rules=[
                {
                    "reward_point_mode": "order",
                    "reward_point_amount": 20.0,
                    "minimum_amount": 105.0,
                    "minimum_amount_tax_mode": "excl",
                }
            ],
        )
        self._invoice([(self.cleaning, 1, 100.0)], taxes=tax)
        self.assertEqual(self._points(program), 20.0, "110 with taxes reaches 105")
        self.assertFalse(self._points(program_excl), "100 without taxes does not")
        # money rules count the amount with taxes, as core does for orders
        self.assertEqual(self._points(), 110.0)
        self.assertInvariant()

    def test_program_dates_and_other_customers(self):
        self.program.date_to = "2025-12-31"
        self._invoice([(self.cleaning, 1, 100.0)])
        self.assertFalse(self._card())
        self.program.date_to = False
        other = self.env["res.partner"].create({"name": "Li Lei"})
        self._invoice([(self.cleaning, 1, 100.0)], partner=other)
        self.assertEqual(self._points(partner=other), 100.0)
        self.assertFalse(self._card())

    def test_full_credit_note_reverses_everything_and_replays_change_nothing(self):
        invoice = self._invoice([(self.cleaning, 2, 100.0), (self.repair, 1, 50.0)])
        credit_note = self._credit_note(invoice)
        self.assertEqual(self._points(), 0.0)
        refunds = self._entries(credit_note, "refund")
        self.assertEqual(sorted(refunds.mapped("used")), [50.0, 200.0])
        self.assertInvariant()
        count = len(self._entries())
        (invoice | credit_note)._rs_ledger_sync()
        invoice._invoice_paid_hook()
        credit_note._invoice_paid_hook()
        self.assertEqual(len(self._entries()), count)
        self.assertEqual(self._points(), 0.0)
        self.assertInvariant()

    def test_partial_credit_notes_by_quantity_and_amount(self):
        program = self._program(
            "invoice",
            rules=[
                {
                    "reward_point_mode": "unit",
                    "reward_point_amount": 10.0,
                    "product_ids": [Command.set(self.cleaning.ids)],
                },
                {"reward_point_mode": "money", "reward_point_amount": 1.0},
            ],
        )
        invoice = self._invoice([(self.cleaning, 4, 100.0), (self.repair, 2, 50.0)])
        self.assertEqual(self._points(program), 40.0 + 500.0)
        # one unit of four cleanings: a quarter of both the unit and the amount points
        self._credit_note(invoice, {0: {"quantity": 1}})
        self.assertEqual(self._points(program), 540.0 - 10.0 - 100.0)
        self.assertEqual(self._points(), 500.0 - 100.0)
        self.assertInvariant()
        # a price reduction of 20 on the repairs: amount points only
        self._credit_note(invoice, {1: {"quantity": 2, "price_unit": 10.0}})
        self.assertEqual(self._points(program), 430.0 - 20.0)
        self.assertInvariant()
        # refunding the rest of the cleanings, then more than was invoiced: never beyond the line
        self._credit_note(invoice, {0: {"quantity": 3}})
        self.assertEqual(self._points(program), 410.0 - 30.0 - 300.0)
        self._credit_note(invoice, {0: {"quantity": 2}})
        self.assertEqual(self._points(program), 80.0)
        self.assertInvariant()

    def test_order_rule_points_are_allocated_to_lines_by_amount(self):
        program = self._program(
            "invoice", rules=[{"reward_point_mode": "order", "reward_point_amount": 30.0}]
        )
        invoice = self._invoice([(self.cleaning, 1, 100.0), (self.repair, 1, 50.0)])
        entries = self._entries(invoice, "earn").filtered(lambda entry: entry.card_id.program_id == program)
        self.assertEqual(sorted(entries.mapped("issued")), [10.0, 20.0])
        self._credit_note(invoice, {1: {}})
        self.assertEqual(self._points(program), 20.0)
        self.assertInvariant()

    def test_reset_to_draft_and_post_again_earns_once_per_cycle(self):
        invoice = self._invoice([(self.cleaning, 1, 100.0)])
        invoice.button_draft()
        self.assertEqual(self._points(), 0.0)
        self.assertEqual(self._entries(invoice, "reversal").rs_ledger_cycle, 0)
        invoice._rs_ledger_sync()
        invoice.button_cancel()
        self.assertEqual(len(self._entries(invoice)), 2, "replays and cancelling a draft add nothing")
        invoice.button_draft()
        invoice.write({"invoice_line_ids": [Command.update(invoice.invoice_line_ids.id, {"quantity": 3})]})
        invoice.action_post()
        self.assertEqual(self._points(), 300.0)
        earn = self._entries(invoice, "earn").sorted("id")
        self.assertEqual(earn.mapped("rs_ledger_cycle"), [0, 1])
        invoice._rs_ledger_sync()
        invoice._invoice_paid_hook()
        self.assertEqual(len(self._entries(invoice)), 3)
        self.assertInvariant()

    def test_cancel_reverses_the_earning(self):
        invoice = self._invoice([(self.cleaning, 2, 100.0)])
        invoice.button_cancel()
        self.assertEqual(self._points(), 0.0)
        self.assertEqual(self._entries(invoice, "reversal").used, 200.0)
        invoice._rs_ledger_sync()
        self.assertEqual(len(self._entries(invoice)), 2)
        self.assertInvariant()

    def test_draft_invoice_with_a_partial_credit_note(self):
        invoice = self._invoice([(self.cleaning, 2, 100.0)])
        credit_note = self._credit_note(invoice, {0: {"quantity": 1}})
        self.assertEqual(self._points(), 100.0)
        invoice.button_draft()
        self.assertEqual(self._points(), 0.0, "the draft invoice holds nothing, the refund counted")
        invoice.action_post()
        self.assertEqual(self._points(), 100.0, "posted again: what the credit note left")
        credit_note.button_draft()
        self.assertEqual(self._points(), 200.0, "the credit note no longer counts")
        credit_note.action_post()
        self.assertEqual(self._points(), 100.0)
        self.assertEqual(self._entries(credit_note, "refund").mapped("rs_ledger_cycle"), [1, 0])
        self.assertInvariant()

    def test_credit_note_reset_and_cancelled(self):
        invoice = self._invoice([(self.cleaning, 1, 100.0)])
        credit_note = self._credit_note(invoice)
        credit_note.button_cancel()
        self.assertEqual(self._points(), 100.0)
        credit_note._rs_ledger_sync()
        self.assertEqual(self._points(), 100.0)
        self.assertInvariant()

    def test_pay_based_program_earns_on_payment_and_reverses_on_unreconcile(self):
        self.program.rs_earn_trigger = "payment"
        invoice = self._invoice([(self.cleaning, 2, 100.0)])
        self.assertFalse(self._card().points)
        payment = self._pay(invoice)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(self._points(), 200.0)
        invoice._invoice_paid_hook()
        self.assertEqual(self._points(), 200.0, "a second paid hook earns nothing")
        payment.move_id.line_ids.remove_move_reconcile()
        self.assertEqual(invoice.payment_state, "not_paid")
        self.assertEqual(self._points(), 0.0)
        self.assertInvariant()
        invoice._rs_ledger_sync()
        self.assertEqual(self._points(), 0.0)
        self._pay(invoice)
        self.assertEqual(self._points(), 200.0)
        self.assertEqual(self._entries(invoice, "earn").mapped("rs_ledger_cycle"), [1, 0])
        invoice._invoice_paid_hook()
        self.assertEqual(len(self._entries(invoice)), 3)
        self.assertInvariant()

    def test_pay_based_program_with_credit_note_before_payment(self):
        self.program.rs_earn_trigger = "payment"
        invoice = self._invoice([(self.cleaning, 2, 100.0)])
        self._credit_note(invoice, {0: {"quantity": 1}})
        self.assertFalse(self._card().points)
        self._pay(invoice)
        self.assertEqual(self._points(), 100.0, "only what was not refunded")
        self.assertInvariant()

    def test_stop_at_zero_records_the_shortfall(self):
        self.program.rs_negative_balance_policy = "zero"
        invoice = self._invoice([(self.cleaning, 1, 100.0)])
        card = self._card()
        wizard = self.env["loyalty.card.update.balance"].create(
            {"card_id": card.id, "new_balance": 30.0, "description": "spent at the counter"}
        )
        wizard.action_update_card_point()
        adjustment = self._entries(kind="adjust")
        self.assertEqual(adjustment.used, 70.0)
        credit_note = self._credit_note(invoice)
        self.assertEqual(card.points, 0.0)
        refund = self._entries(credit_note, "refund")
        self.assertEqual((refund.used, refund.rs_ledger_shortfall), (30.0, 70.0))
        self.assertEqual(card.rs_ledger_shortfall, 70.0)
        self.assertInvariant()
        credit_note.button_draft()
        self.assertEqual(card.points, 30.0, "giving back settles the shortfall first")
        self.assertEqual(card.rs_ledger_shortfall, 0.0)
        self.assertInvariant()

    def test_negative_balance_allowed(self):
        invoice = self._invoice([(self.cleaning, 1, 100.0)])
        card = self._card()
        self.env["loyalty.card.update.balance"].create(
            {"card_id": card.id, "new_balance": 10.0, "description": "spent"}
        ).action_update_card_point()
        self._credit_note(invoice)
        self.assertEqual(card.points, -90.0)
        self.assertInvariant()
