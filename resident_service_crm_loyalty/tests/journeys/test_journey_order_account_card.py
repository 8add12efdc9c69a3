from odoo import Command
from odoo.tests import tagged

from odoo.addons.resident_service_crm.tests.journey_common import RoleJourneyCase


@tagged("post_install", "-at_install")
class TestOrderAccountCardJourney(RoleJourneyCase):
    """The service desk sells to a property company's contact person through the web
    client's calls: the order takes a reward from the company's card and earns on it at
    confirmation. No card is opened for the contact, and the company's card equals its
    ledger."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.role_users["service_desk"].company_id
        cls.program = cls.env["loyalty.program"].create(
            {
                "name": "Property accounts",
                "program_type": "loyalty",
                "trigger": "auto",
                "applies_on": "both",
                "rs_earn_trigger": "order",
                "company_id": company.id,
                "rule_ids": [
                    Command.create(
                        {
                            "minimum_qty": 0,
                            "minimum_amount": 0,
                            "reward_point_mode": "money",
                            "reward_point_amount": 1.0,
                        }
                    )
                ],
                "reward_ids": [
                    Command.create(
                        {
                            "reward_type": "discount",
                            "discount": discount,
                            "discount_mode": "per_order",
                            "required_points": points,
                        }
                    )
                    for discount, points in ((30, 50), (80, 150))
                ],
            }
        )
        cls.small_reward = cls.program.reward_ids.filtered(lambda reward: reward.required_points == 50)
        cls.product = cls.env["product.product"].create(
            {"name": "Stairwell cleaning", "type": "service", "list_price": 100.0, "taxes_id": False}
        )
        cls.company = cls.env["res.partner"].create(
            {"name": "Lakeside Property Co.", "is_company": True, "rs_is_resident_customer": True}
        )
        cls.contact = cls.env["res.partner"].create(
            {"name": "Liu Yang", "parent_id": cls.company.id, "type": "contact"}
        )
        cls.card = cls.env["loyalty.card"].create(
            {"program_id": cls.program.id, "partner_id": cls.company.id}
        )
        cls.env["loyalty.card.update.balance"].create(
            {"card_id": cls.card.id, "new_balance": 300, "description": "Opening balance"}
        ).action_update_card_point()

    def assertCompanyCard(self, points):
        self.env.invalidate_all()
        self.assertEqual(self.card.partner_id, self.company)
        self.assertEqual(self.card.points, points)
        self.assertEqual(self.card._rs_ledger_balance_from_history()[self.card.id], points)
        cards = self.env["loyalty.card"].search([("program_id", "=", self.program.id)])
        self.assertEqual(cards, self.card)

    def test_contact_person_order_uses_the_company_card(self):
        self.login_as("service_desk")
        order = self.create(
            "sale.order",
            {
                "partner_id": self.contact.id,
                "order_line": [
                    [0, 0, {"product_id": self.product.id, "product_uom_qty": 2, "price_unit": 100.0}]
                ],
            },
        )
        # the Reward button: two rewards of the company's card are claimable, so the wizard opens
        action = self.button("sale.order", order, "action_open_reward_wizard")
        self.assertEqual(action["res_model"], "sale.loyalty.reward.wizard")
        context = {"active_id": order, "active_ids": [order], "active_model": "sale.order"}
        wizard = self.create(
            "sale.loyalty.reward.wizard", {"selected_reward_id": self.small_reward.id}, context=context
        )
        self.button("sale.loyalty.reward.wizard", wizard, "action_apply", context=context)
        lines = self.call(
            "sale.order.line",
            "search_read",
            [("order_id", "=", order), ("reward_id", "!=", False)],
            ["price_unit", "points_cost", "coupon_id"],
        )
        self.assertEqual(
            [(line["price_unit"], line["points_cost"], line["coupon_id"][0]) for line in lines],
            [(-30.0, 50.0, self.card.id)],
        )
        self.button("sale.order", order, "action_confirm")
        # 300 - 50 for the reward + 200 earned on two cleanings of 100
        self.assertCompanyCard(450.0)
        self.assertFalse(self.env["loyalty.card"].search([("partner_id", "=", self.contact.id)]))
        # the Cancel button, and its confirmation as the client shows it for a confirmed order:
        # the 50 spent come back, the 200 earned go
        action = self.button("sale.order", order, "action_cancel")
        if isinstance(action, dict) and action.get("res_model") == "sale.order.cancel":
            wizard = self.create(
                "sale.order.cancel", {"order_id": order}, context=action.get("context") or {}
            )
            self.button("sale.order.cancel", wizard, "action_cancel")
        self.assertEqual(self.call("sale.order", "read", [order], ["state"])[0]["state"], "cancel")
        self.assertCompanyCard(300.0)
