"""Every refund path reversed exactly once: partial credit notes however their lines match,
an order cancelled after its credit note, cards on the customer account, a merge of a card
in debt, and the nightly balance check. The ledger invariant is checked after each path."""

from odoo import Command
from odoo.tests import Form, tagged
from odoo.tests.common import new_test_user

from ..common import LedgerCommon


@tagged("post_install", "-at_install")
class TestLedgerRefundPaths(LedgerCommon):
    def _refunded(self, invoice):
        credit_notes = self.env["account.move"].search([("reversed_entry_id", "=", invoice.id)])
        entries = self.env["loyalty.history"].search(
            [("rs_ledger_source_model", "=", "account.move"), ("rs_ledger_source_id", "in", credit_notes.ids)]
        )
        return round(sum(entries.mapped("used")) - sum(entries.mapped("issued")), 2)

    # partial credit notes ----------------------------------------------------------------

    def test_second_partial_credit_note_on_a_second_line_of_the_product(self):
        invoice = self._invoice([(self.cleaning, 1, 100.0), (self.cleaning, 1, 100.0)])
        self.assertEqual(self._points(), 200.0)
        self._credit_note(invoice, {0: {}})
        self.assertEqual(self._points(), 100.0)
        self.assertInvariant()
        self._credit_note(invoice, {1: {}})
        self.assertEqual(self._points(), 0.0, "the second credit note takes back the second line")
        self.assertEqual(self._refunded(invoice), 200.0)
        self.assertInvariant()
        self._credit_note(invoice, {0: {}})
        self.assertEqual(self._points(), 0.0, "nothing is left to take back")
        self.assertEqual(self._refunded(invoice), 200.0, "reversals never exceed what was earned")
        self.assertInvariant()

    def test_unit_by_unit_credit_notes_on_lines_of_one_product(self):
        invoice = self._invoice([(self.cleaning, 2, 100.0), (self.cleaning, 1, 100.0)])
        for left in (200.0, 100.0, 0.0):
            self._credit_note(invoice, {0: {"quantity": 1}})
            self.assertEqual(self._points(), left)
            self.assertInvariant()
        self.assertEqual(self._refunded(invoice), 300.0)

    def test_credit_note_line_spanning_two_invoice_lines(self):
        invoice = self._invoice(
            [(self.cleaning, 1, 100.0), (self.cleaning, 1, 100.0), (self.repair, 1, 50.0)]
        )
        credit_note = self._credit_note(invoice, {0: {"quantity": 2}})
        self.assertEqual(self._points(), 50.0, "two units refunded on one line take both lines")
        self.assertInvariant()
        credit_note.button_draft()
        self.assertEqual(self._points(), 250.0)
        credit_note.action_post()
        self.assertEqual(self._points(), 50.0)
        self.assertInvariant()

    def test_line_added_on_the_credit_note(self):
        invoice = self._invoice([(self.cleaning, 1, 100.0), (self.repair, 2, 50.0)])
        credit_note = invoice._reverse_moves([{"invoice_date": "2026-01-20"}])
        credit_note.write(
            {
                "invoice_line_ids": [Command.delete(line.id) for line in credit_note.invoice_line_ids]
                + [
                    Command.create(
                        {"product_id": self.repair.id, "quantity": 1, "price_unit": 50.0, "tax_ids": []}
                    ),
                    Command.create(
                        {"product_id": self.repair.id, "quantity": 1, "price_unit": 50.0, "tax_ids": []}
                    ),
                ]
            }
        )
        credit_note.action_post()
        self.assertEqual(self._points(), 100.0)
        self.assertEqual(self._refunded(invoice), 100.0)
        self.assertInvariant()

    # orders ------------------------------------------------------------------------------

    def test_order_cancelled_after_its_credit_note_loses_its_points_once(self):
        self.program.active = False
        program = self._program("order")
        order = self._sale_order([(self.cleaning, 2, 100.0), (self.repair, 2, 50.0)], confirm=True)
        invoice = order._create_invoices()
        invoice.action_post()
        self._credit_note(invoice, {0: {"quantity": 1}})
        self.assertEqual(self._points(program), 200.0)
        self.assertInvariant()
        order._action_cancel()
        self.assertEqual(self._points(program), 0.0, "core takes the 300 back, the credit note's 100 return")
        self.assertInvariant()
        order._action_cancel()
        self.assertEqual(self._points(program), 0.0)
        self.assertInvariant()

    def test_order_fully_credited_then_cancelled_and_confirmed_again(self):
        self.program.active = False
        program = self._program("order")
        order = self._sale_order([(self.cleaning, 1, 100.0)], confirm=True)
        invoice = order._create_invoices()
        invoice.action_post()
        self._credit_note(invoice)
        self.assertEqual(self._points(program), 0.0)
        order._action_cancel()
        self.assertEqual(self._points(program), 0.0, "not taken a second time")
        self.assertInvariant()
        order.action_draft()
        order.action_confirm()
        self.assertEqual(self._points(program), 0.0, "confirmed again: the credit note still counts")
        self.assertInvariant()

    def test_core_row_of_a_confirmed_order_matches_its_points(self):
        self.program.active = False
        program = self._program("order")
        order = self._sale_order([(self.cleaning, 1, 100.0)], confirm=True)
        card = self._card(program)
        core_rows = card.history_ids.filtered(lambda row: row.order_model == "sale.order")
        self.assertEqual((len(core_rows), core_rows.issued, card.points), (1, 100.0, 100.0))
        self.assertInvariant()
        order._action_cancel()
        self.assertFalse(card.history_ids, "core deletes its row as it takes the points back")
        self.assertEqual(card.points, 0.0)
        self.assertInvariant()

    # customer account --------------------------------------------------------------------

    def test_contact_and_invoice_address_earn_on_the_company_card(self):
        company = self.env["res.partner"].create({"name": "Green Garden Estate", "is_company": True})
        contact = self.env["res.partner"].create({"name": "Zhao Min", "parent_id": company.id})
        address = self.env["res.partner"].create(
            {"name": "Accounts", "parent_id": company.id, "type": "invoice"}
        )
        self._invoice([(self.cleaning, 1, 100.0)], partner=contact)
        self._invoice([(self.repair, 1, 50.0)], partner=address)
        self.assertEqual(self._points(partner=company), 150.0)
        self.assertFalse(self._card(partner=contact) | self._card(partner=address))
        self.assertInvariant()
        invoice = self._invoice([(self.repair, 1, 80.0)], partner=contact, post=False)
        form = Form(self.env["rs.redeem.points.wizard"].with_context(default_move_id=invoice.id))
        self.assertEqual(form.card_id, self._card(partner=company), "spent from the card it earned on")

    # merges and the nightly check --------------------------------------------------------

    def test_merge_moves_a_negative_balance_through_the_ledger(self):
        duplicate = self.env["res.partner"].create({"name": "Wang Fang (old record)"})
        self._invoice([(self.cleaning, 1, 100.0)])
        invoice = self._invoice([(self.cleaning, 1, 60.0)], partner=duplicate)
        old_card = self._card(partner=duplicate)
        self.env["loyalty.card.update.balance"].create(
            {"card_id": old_card.id, "new_balance": 10.0, "description": "spent at the counter"}
        ).action_update_card_point()
        self._credit_note(invoice)
        self.assertEqual(old_card.points, -50.0)
        kept_card = self._card()
        self.env["base.partner.merge.automatic.wizard"]._merge(
            (self.customer | duplicate).ids, dst_partner=self.customer
        )
        self.assertEqual((kept_card.points, old_card.points), (50.0, 0.0))
        self.assertEqual(kept_card.history_ids.filtered(lambda h: h.rs_ledger_kind == "merge_in").used, 50.0)
        self.assertInvariant()

    def test_nightly_check_opens_one_activity_per_card_that_drifts(self):
        manager = new_test_user(
            self.env,
            login="points_check_manager",
            groups="resident_service_crm.group_manager,sales_team.group_sale_manager",
        )
        self._invoice([(self.cleaning, 1, 100.0)])
        card = self._card()
        Card = self.env["loyalty.card"]
        Card._cron_rs_check_balances()
        activity_type = self.env.ref("resident_service_crm_loyalty.mail_activity_type_points_drift")
        domain = [("res_model", "=", "loyalty.card"), ("activity_type_id", "=", activity_type.id)]
        self.assertFalse(self.env["mail.activity"].search([*domain, ("res_id", "=", card.id)]))
        self.env.flush_all()
        self.env.cr.execute("UPDATE loyalty_card SET points = points + 7 WHERE id = %s", [card.id])
        self.env.invalidate_all()
        Card._cron_rs_check_balances()
        activities = self.env["mail.activity"].search([*domain, ("res_id", "=", card.id)])
        self.assertIn(manager, activities.user_id)
        mine = activities.filtered(lambda activity: activity.user_id == manager)
        self.assertEqual(len(mine), 1)
        self.assertIn("7.0", str(mine.note))
        Card._cron_rs_check_balances()
        self.assertEqual(
            self.env["mail.activity"].search_count([*domain, ("res_id", "=", card.id)]),
            len(activities),
            "an open activity is not opened again",
        )
