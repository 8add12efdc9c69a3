from freezegun import freeze_time
from lxml import etree

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tests.common import new_test_user

from .common import StoredValueCommon


@tagged("post_install", "-at_install")
class TestStoredValueRefund(StoredValueCommon):
    """Returning a card (退卡): the remaining principal is paid back by a credit note and a
    payment, the remaining bonus is void, and the statement says paid, bonus received,
    spent, refunded and voided."""

    def setUp(self):
        super().setUp()
        self.card = self.named_card()
        self.top_up(self.card, 1000, self.bank)
        self.set_company(rs_stored_value_spending_order="principal_first")
        invoice = self.invoice(330)
        self.pay_with_card(invoice, self.card, 330)
        self.assertBalances(self.card, 670, 100)

    def refund(self, user=None):
        wizard = (
            self.env["rs.stored.value.refund"]
            .with_user(user or self.cashier)
            .create({"card_id": self.card.id, "journal_id": self.cash.id})
        )
        action = wizard.action_confirm()
        return self.env["account.move"].browse(action.get("res_id"))

    def assertStatement(self, paid, bonus_received, spent, refunded, voided):
        self.env.invalidate_all()
        card = self.card.with_context(active_test=False)
        self.assertEqual(
            (
                card.rs_stored_value_paid,
                card.rs_stored_value_bonus_received,
                card.rs_stored_value_spent,
                card.rs_stored_value_refunded,
                card.rs_stored_value_voided,
            ),
            (paid, bonus_received, spent, refunded, voided),
        )

    def test_refund_of_a_partly_spent_card(self):
        self.assertStatement(1000, 100, 330, 0, 0)
        credit_note = self.refund()
        self.assertEqual(credit_note.move_type, "out_refund")
        self.assertEqual(credit_note.amount_total, 670)
        self.assertEqual(credit_note.partner_id, self.customer)
        self.assertIn(credit_note.payment_state, ("paid", "in_payment"))
        self.assertBalances(self.card, 0, 0)
        self.assertFalse(self.card.active)
        self.assertStatement(1000, 100, 330, 670, 100)
        entries = self.env["rs.stored.value.entry"].search(
            [("card_id", "=", self.card.id), ("operation", "in", ("refund", "void"))]
        )
        self.assertEqual(
            sorted((entry.operation, entry.kind, entry.amount) for entry in entries),
            [("refund", "principal", -670), ("void", "bonus", -100)],
        )
        # a returned card is topped up, paid with and refunded no more
        with self.assertRefused("returned"):
            self.top_up(self.card, 100, self.bank)
        with self.assertRefused("no stored-value card"):
            self.pay_with_card(self.invoice(10), self.card, 10)
        with self.assertRefused("no active stored-value card"):
            self.refund()
        self.assertBalances(self.card, 0, 0)

    def test_large_refund_needs_a_manager(self):
        self.set_company(rs_stored_value_refund_approval_from=500)
        with self.assertRefused("needs a Resident Services manager", error=AccessError):
            self.refund()
        self.assertTrue(self.card.active)
        self.assertBalances(self.card, 670, 100)
        manager = new_test_user(
            self.env,
            login="sv_refund_manager",
            groups="base.group_user,resident_service_crm.group_manager,"
            "sales_team.group_sale_salesman,account.group_account_invoice",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        self.refund(user=manager)
        self.assertBalances(self.card, 0, 0)
        self.assertStatement(1000, 100, 330, 670, 100)

    def test_only_a_cashier_refunds(self):
        clerk = new_test_user(
            self.env,
            login="sv_refund_clerk",
            groups="base.group_user,resident_service_crm.group_user_all,account.group_account_invoice",
        )
        with self.assertRaises(AccessError):
            self.refund(user=clerk)
        with self.assertRaises(AccessError):
            self.card.with_user(clerk)._rs_stored_value_refund(self.cash, self.customer)
        self.assertBalances(self.card, 670, 100)

    def test_expired_bonus_already_voided_is_in_the_statement(self):
        self.env["rs.stored.value.entry"].sudo().create(
            {
                "card_id": self.card.id,
                "operation": "expire",
                "kind": "bonus",
                "amount": -100,
                "lot_id": self.card.rs_stored_value_entry_ids.filtered(
                    lambda entry: entry.operation == "top_up" and entry.kind == "bonus"
                ).id,
                "source_model": "rs.stored.value.entry",
                "source_id": 1,
            }
        )
        self.card._rs_stored_value_sync_balance()
        self.refund()
        self.assertStatement(1000, 100, 330, 670, 100)
        self.assertBalances(self.card, 0, 0)

    def test_empty_card_is_closed_without_credit_note(self):
        card = self.anonymous_card()
        self.card = card
        moves = self.env["account.move"].search_count([])
        wizard = (
            self.env["rs.stored.value.refund"]
            .with_user(self.cashier)
            .create({"card_id": card.id, "journal_id": self.cash.id, "partner_id": self.customer.id})
        )
        self.assertEqual(wizard.action_confirm(), {"type": "ir.actions.act_window_close"})
        self.assertFalse(card.active)
        self.assertEqual(self.env["account.move"].search_count([]), moves)
        with self.assertRaises(UserError):
            self.top_up(card, 10, self.bank, buyer=self.customer)

    def test_cooling_off_refund(self):
        """Within the cooling-off days of its first top-up, a card nothing was spent from is
        refunded in full by any cashier; after them, or once spent from, the approval
        threshold applies again."""
        self.set_company(rs_stored_value_refund_approval_from=300, rs_stored_value_cooling_off_days=7)
        buyer = self.env["res.partner"].create({"name": "Zhao Lei", "rs_is_resident_customer": True})

        def refund(card):
            wizard = (
                self.env["rs.stored.value.refund"]
                .with_user(self.cashier)
                .create({"card_id": card.id, "journal_id": self.cash.id, "partner_id": buyer.id})
            )
            return self.env["account.move"].browse(wizard.action_confirm().get("res_id"))

        unused = self.anonymous_card()
        self.top_up(unused, 500, self.bank, buyer=buyer)
        spent = self.anonymous_card()
        self.top_up(spent, 500, self.bank, buyer=buyer)
        self.pay_with_card(self.invoice(10, partner=buyer), spent, 10)
        late = self.anonymous_card()
        self.top_up(late, 500, self.bank, buyer=buyer)

        with freeze_time(fields.Date.add(fields.Date.today(), days=7)):
            credit_note = refund(unused)
            self.assertEqual(credit_note.amount_total, 500)
            self.assertIn("Cooling-off refund", credit_note.invoice_line_ids.name)
            self.assertFalse(unused.active)
            # spent from: the threshold applies
            with self.assertRefused("needs a Resident Services manager", error=AccessError):
                refund(spent)
        with freeze_time(fields.Date.add(fields.Date.today(), days=8)):
            with self.assertRefused("needs a Resident Services manager", error=AccessError):
                refund(late)
        self.assertTrue(spent.active and late.active)
        self.assertEqual((spent.points, late.points), (490, 500))

    def test_statement_prints_what_the_card_did(self):
        """The customer's statement, as the cashier prints it after the refund: the five
        figures of the statement, nothing left, and one line per ledger entry."""
        self.refund()
        card = self.card.with_context(active_test=False).with_user(self.cashier)
        action = card.action_rs_stored_value_statement()
        action = action.get("context", {}).get("report_action", action)
        self.assertEqual(
            action["report_name"], "resident_service_crm_loyalty.stored_value_statement_document"
        )
        html, _kind = (
            self.env["ir.actions.report"]
            .with_user(self.cashier)
            ._render_qweb_html("resident_service_crm_loyalty.stored_value_statement_report", card.ids)
        )
        page = etree.fromstring(html.decode(), etree.HTMLParser())
        figures = [
            " ".join("".join(cell.itertext()).split())
            for cell in page.xpath("//table[contains(@class, 'o_rs_statement_figures')]//td")
        ]
        amounts = [figures[index + 1] for index in range(0, len(figures), 2)]
        self.assertEqual(
            [amount.replace("$", "").replace("\xa0", "").strip() for amount in amounts],
            ["1,000.00", "100.00", "330.00", "670.00", "100.00", "0.00", "0.00"],
        )
        rows = page.xpath("//table[contains(@class, 'o_rs_statement_entries')]/tbody/tr")
        entries = self.env["rs.stored.value.entry"].search([("card_id", "=", self.card.id)])
        # top-up principal and bonus, the spending, the refund and the void
        self.assertEqual(len(rows), len(entries))
        self.assertEqual(len(rows), 5)
        self.assertIn(self.card.code, html.decode())
