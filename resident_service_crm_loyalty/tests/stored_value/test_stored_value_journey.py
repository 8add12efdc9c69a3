from odoo import Command
from odoo.tests import tagged

from odoo.addons.resident_service_crm.tests.journey_common import RoleJourneyCase

from ..common import journey_cashier


@tagged("post_install", "-at_install")
class TestStoredValueJourney(RoleJourneyCase):
    """The counter through JSON-RPC: a cashier opens a named card, tops it up with cash
    (充1000送100), and the card pays a visit's invoice. Nobody, cashier included, writes
    the ledger or a balance from a client."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.role_users["cashier"] = journey_cashier(cls.env)
        cls.company = cls.role_users["cashier"].company_id
        cls.program = cls.env.ref("resident_service_crm_loyalty.program_anju_stored_value")
        cls.customer = cls.env["res.partner"].create(
            {"name": "Zhao Li", "rs_is_resident_customer": True, "company_id": cls.company.id}
        )
        cls.cash = cls.env["account.journal"].search(
            [("type", "=", "cash"), ("company_id", "=", cls.company.id)], limit=1
        )
        cls.service = cls.env["product.product"].create(
            {"name": "Window cleaning", "type": "service", "list_price": 330, "taxes_id": [Command.clear()]}
        )
        cls.company.rs_stored_value_spending_order = "principal_first"

    def assertCard(self, card_id, principal, bonus):
        """The card as the cashier reads it, against a hand count and its ledger."""
        card = self.call(
            "loyalty.card",
            "read",
            [card_id],
            ["points", "rs_principal_balance", "rs_bonus_balance"],
        )[0]
        self.assertEqual(
            (card["points"], card["rs_principal_balance"], card["rs_bonus_balance"]),
            (principal + bonus, principal, bonus),
        )
        entries = self.env["rs.stored.value.entry"].search([("card_id", "=", card_id)])
        self.assertEqual(round(sum(entries.mapped("amount")), 2), principal + bonus)

    def open_card(self):
        return self.create(
            "loyalty.card",
            {
                "program_id": self.program.id,
                "partner_id": self.customer.id,
                "rs_card_type": "named",
                "rs_identity_type": "id_card",
                "rs_identity_number": "110101199003074514",
            },
        )

    def test_cashier_tops_up_and_the_card_pays(self):
        self.login_as("cashier")
        card_id = self.open_card()
        self.assertCard(card_id, 0, 0)
        action = self.button("loyalty.card", card_id, "action_rs_stored_value_topup")
        wizard_id = self.create(
            "rs.stored.value.topup",
            {"amount": 1000, "partner_id": self.customer.id, "journal_id": self.cash.id},
            context=action["context"],
        )
        answer = self.button("rs.stored.value.topup", wizard_id, "action_confirm")
        self.assertEqual(answer["res_model"], "account.move")
        self.assertCard(card_id, 1000, 100)

        invoice_id = self.create(
            "account.move",
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "invoice_line_ids": [
                    [0, 0, {"product_id": self.service.id, "price_unit": 330, "tax_ids": [[5, 0, 0]]}]
                ],
            },
            context={"default_move_type": "out_invoice"},
        )
        self.button("account.move", invoice_id, "action_post")
        action = self.button("account.move", invoice_id, "action_rs_stored_value_pay")
        wizard_id = self.create(
            "rs.stored.value.pay", {"card_id": card_id, "amount": 330}, context=action["context"]
        )
        self.button("rs.stored.value.pay", wizard_id, "action_pay")
        self.assertCard(card_id, 670, 100)
        invoice = self.call("account.move", "read", [invoice_id], ["payment_state", "rs_stored_value_paid"])[
            0
        ]
        self.assertIn(invoice["payment_state"], ("paid", "in_payment"))
        self.assertEqual(invoice["rs_stored_value_paid"], 330)

        # the cashier cannot write the ledger or the balance either
        entry_id = self.env["rs.stored.value.entry"].search([("card_id", "=", card_id)], limit=1).id
        self.attempt_forgery(card_id, entry_id)
        self.assertCard(card_id, 670, 100)

    def attempt_forgery(self, card_id, entry_id):
        with self.refused("odoo.exceptions.UserError"):
            self.call("loyalty.card", "write", [card_id], {"points": 9999})
        with self.refused("odoo.exceptions.UserError"):
            self.save("loyalty.card", card_id, {"points": 9999})
        with self.refused("odoo.exceptions.UserError"):
            self.call("rs.stored.value.entry", "write", [entry_id], {"amount": 5000})
        with self.refused("odoo.exceptions.UserError"):
            self.call(
                "rs.stored.value.entry",
                "create",
                {"card_id": card_id, "operation": "top_up", "kind": "principal", "amount": 5000},
            )
        with self.refused():
            self.call("rs.stored.value.entry", "unlink", [entry_id])
        # Odoo's balance update, the points' one client path, is closed to stored value
        wizard_id = self.call(
            "loyalty.card.update.balance",
            "create",
            {"card_id": card_id, "new_balance": 9999, "description": "gift"},
        )
        with self.refused("odoo.exceptions.UserError"):
            self.call("loyalty.card.update.balance", "action_update_card_point", [wizard_id])

    def test_others_cannot_top_up_nor_forge(self):
        self.login_as("cashier")
        card_id = self.open_card()
        action = self.button("loyalty.card", card_id, "action_rs_stored_value_topup")
        wizard_id = self.create(
            "rs.stored.value.topup",
            {"amount": 500, "partner_id": self.customer.id, "journal_id": self.cash.id},
            context=action["context"],
        )
        self.button("rs.stored.value.topup", wizard_id, "action_confirm")
        self.assertCard(card_id, 500, 0)
        entry_id = self.env["rs.stored.value.entry"].search([("card_id", "=", card_id)], limit=1).id

        self.login_as("service_desk")
        with self.refused():
            self.create(
                "rs.stored.value.topup",
                {"card_id": card_id, "amount": 500, "partner_id": self.customer.id},
            )
        self.attempt_forgery(card_id, entry_id)
        self.login_as("cashier")
        self.assertCard(card_id, 500, 0)
