from odoo.tests import tagged

from odoo.addons.resident_service_crm.tests.journey_common import RoleJourneyCase


@tagged("post_install", "-at_install")
class TestPointsForgeryJourney(RoleJourneyCase):
    """A sales user tries to forge the points ledger through the calls a JSON-RPC client can
    make: every attempt is refused, and the card still equals its ledger. The balance update
    wizard, the one client path that changes points, writes an adjustment entry."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.program = cls.env.ref("resident_service_crm_loyalty.program_anju_members")
        cls.customer, cls.accomplice = cls.env["res.partner"].create(
            [
                {"name": "Qian Hui", "rs_is_resident_customer": True},
                {"name": "Sun Tao", "rs_is_resident_customer": True},
            ]
        )
        cls.card = cls.env["loyalty.card"].create(
            {"program_id": cls.program.id, "partner_id": cls.customer.id}
        )
        cls.env["loyalty.card.update.balance"].create(
            {"card_id": cls.card.id, "new_balance": 200, "description": "Welcome points"}
        ).action_update_card_point()
        cls.entry = cls.card.history_ids

    def assertCardEqualsLedger(self, points):
        self.env.invalidate_all()
        self.assertEqual(self.card.points, points)
        self.assertEqual(self.card._rs_ledger_balance_from_history()[self.card.id], points)

    def test_sales_user_cannot_forge_points(self):
        user = self.login_as("service_desk")
        self.assertTrue(user.has_group("sales_team.group_sale_salesman"))
        card, entry = self.card.id, self.entry.id
        with self.refused("odoo.exceptions.UserError"):
            self.call("loyalty.card", "write", [card], {"points": 9999})
        with self.refused("odoo.exceptions.UserError"):
            self.save("loyalty.card", card, {"points": 9999})
        with self.refused("odoo.exceptions.UserError"):
            self.call("loyalty.card", "write", [card], {"partner_id": self.accomplice.id})
        with self.refused("odoo.exceptions.UserError"):
            # a ledger entry of any kind and cycle, with the context key balance updates once used
            self.call(
                "loyalty.history",
                "create",
                {
                    "card_id": card,
                    "description": "forged",
                    "issued": 5000,
                    "rs_ledger_kind": "earn",
                    "rs_ledger_cycle": 42,
                    "rs_ledger_source_model": "account.move",
                    "rs_ledger_source_id": 1,
                },
                context={"loyalty_ledger_adjustment": 1},
            )
        with self.refused("odoo.exceptions.UserError"):
            # a row without a kind, as Odoo's own sales loyalty writes them
            self.call("loyalty.history", "create", {"card_id": card, "description": "gift", "issued": 5000})
        with self.refused("odoo.exceptions.UserError"):
            self.call("loyalty.history", "write", [entry], {"issued": 5000})
        with self.refused("odoo.exceptions.UserError"):
            self.save(
                "loyalty.card",
                card,
                {"history_ids": [[0, 0, {"description": "through the card", "issued": 5000}]]},
            )
        self.assertCardEqualsLedger(200.0)
        self.assertEqual(self.card.partner_id, self.customer)

    def test_manager_cannot_create_a_card_with_points(self):
        self.login_as("manager")
        with self.refused("odoo.exceptions.UserError"):
            self.call(
                "loyalty.card",
                "create",
                {"program_id": self.program.id, "partner_id": self.accomplice.id, "points": 800},
            )
        self.assertFalse(self.env["loyalty.card"].search([("partner_id", "=", self.accomplice.id)]))

    def test_balance_update_wizard_writes_an_adjustment(self):
        self.login_as("service_desk")
        wizard = self.create(
            "loyalty.card.update.balance",
            {"card_id": self.card.id, "new_balance": 150, "description": "Spent at the counter"},
        )
        self.button("loyalty.card.update.balance", wizard, "action_update_card_point")
        adjustment = self.card.history_ids.filtered(lambda row: row.rs_ledger_source_id == wizard)
        self.assertEqual(
            (adjustment.rs_ledger_kind, adjustment.used, adjustment.rs_ledger_cycle), ("adjust", 50.0, 0)
        )
        self.assertCardEqualsLedger(150.0)
