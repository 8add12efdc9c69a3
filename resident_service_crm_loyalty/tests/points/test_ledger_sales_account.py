from odoo import Command
from odoo.tests import tagged

from ..common import LedgerCommon


@tagged("post_install", "-at_install")
class TestLedgerSalesAccount(LedgerCommon):
    """Cards live on the customer account: an order for a company's contact person or for an
    address of the company earns on the company's card, spends from it, and opens no card
    for the contact. The program earns one point per yuan at confirmation; its reward takes
    30 off an order for 50 points."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.program.active = False
        cls.order_program = cls._program(
            "order",
            reward_ids=[
                Command.create(
                    {
                        "reward_type": "discount",
                        "discount": 30,
                        "discount_mode": "per_order",
                        "required_points": 50,
                    }
                )
            ],
        )
        cls.reward = cls.order_program.reward_ids
        cls.company = cls.env["res.partner"].create({"name": "Lakeside Property Co.", "is_company": True})
        cls.contact, cls.billing, cls.colleague = cls.env["res.partner"].create(
            [
                {"name": "Liu Yang", "parent_id": cls.company.id, "type": "contact"},
                {"name": "Lakeside accounts", "parent_id": cls.company.id, "type": "invoice"},
                {"name": "Zhou Min", "parent_id": cls.company.id, "type": "contact"},
            ]
        )
        cls.other = cls.env["res.partner"].create({"name": "Harbour Clinic", "is_company": True})

    def _order(self, partner, lines):
        return self._sale_order(lines, partner=partner)

    def _claim(self, order, card):
        """The reward of the order's card, as the reward wizard applies it."""
        self.assertEqual(order._get_claimable_rewards(), {card: self.reward})
        self.assertEqual(order._apply_program_reward(self.reward, card), {})
        order._update_programs_and_rewards()

    def _cards(self):
        return self.env["loyalty.card"].search([("program_id", "=", self.order_program.id)])

    def assertOnlyCompanyCard(self, points):
        """One card in the program, the company's, holding ``points``, equal to its ledger."""
        self.env.invalidate_all()
        cards = self._cards()
        self.assertEqual(cards.partner_id, self.company)
        self.assertEqual(len(cards), 1)
        self.assertEqual(cards.points, points)
        self.assertInvariant()
        return cards

    def test_contact_person_earns_on_the_company_card(self):
        # 2 x 100 + 1 x 50 = 250 yuan: 250 points
        order = self._order(self.contact, [(self.cleaning, 2, 100.0), (self.repair, 1, 50.0)])
        order._update_programs_and_rewards()
        self.assertEqual(order.coupon_point_ids.coupon_id.partner_id, self.company)
        self.assertEqual(order.coupon_point_ids.points, 250.0)
        order.action_confirm()
        card = self.assertOnlyCompanyCard(250.0)
        self.assertEqual(card.history_ids.mapped("issued"), [250.0])
        self.assertEqual(card.history_ids.order_id, order.id)

    def test_address_of_the_company_earns_and_redeems_on_the_company_card(self):
        self._order(self.contact, [(self.cleaning, 2, 100.0), (self.repair, 1, 50.0)]).action_confirm()
        card = self.assertOnlyCompanyCard(250.0)
        # the invoice address orders 100 yuan and takes 30 off for 50 points; the order still
        # earns on its 100 yuan of services: 250 - 50 + 100 = 300
        order = self._order(self.billing, [(self.cleaning, 1, 100.0)])
        self._claim(order, card)
        reward_line = order.order_line.filtered("reward_id")
        self.assertEqual((reward_line.price_unit, reward_line.points_cost), (-30.0, 50.0))
        self.assertEqual(reward_line.coupon_id, card)
        self.assertEqual(order.amount_total, 70.0)
        self.assertEqual(order.coupon_point_ids.coupon_id, card)
        order.action_confirm()
        self.assertOnlyCompanyCard(300.0)
        row = card.history_ids.filtered(lambda row: row.order_id == order.id)
        self.assertEqual((row.issued, row.used), (100.0, 50.0))

    def test_cancel_gives_back_to_the_company_card(self):
        first = self._order(self.contact, [(self.cleaning, 2, 100.0), (self.repair, 1, 50.0)])
        first.action_confirm()
        second = self._order(self.colleague, [(self.cleaning, 1, 100.0)])
        self._claim(second, self._cards())
        second.action_confirm()
        self.assertOnlyCompanyCard(300.0)
        # cancelling takes the 100 earned back and returns the 50 spent: 300 - 100 + 50
        second._action_cancel()
        self.assertOnlyCompanyCard(250.0)
        first._action_cancel()
        self.assertOnlyCompanyCard(0.0)
        # confirmed again, the first order earns its 250 once more, on the same card
        first.action_draft()
        first._update_programs_and_rewards()
        first.action_confirm()
        self.assertOnlyCompanyCard(250.0)

    def test_company_own_order_and_contact_order_share_one_card(self):
        self._order(self.company, [(self.repair, 2, 50.0)]).action_confirm()
        self.assertOnlyCompanyCard(100.0)
        self._order(self.contact, [(self.cleaning, 1, 100.0)]).action_confirm()
        self.assertOnlyCompanyCard(200.0)

    def test_customer_changed_within_the_account_keeps_the_points_on_its_card(self):
        order = self._order(self.contact, [(self.cleaning, 1, 100.0)])
        card = order.coupon_point_ids.coupon_id
        self.assertEqual(card.partner_id, self.company)
        # another contact of the same account: the points stay on the account's card
        order.partner_id = self.colleague
        order._update_programs_and_rewards()
        self.assertEqual(order.coupon_point_ids.coupon_id, card)
        self.assertEqual(order.coupon_point_ids.points, 100.0)
        # another account: the first account's card is no longer the order's
        order.partner_id = self.other
        order._update_programs_and_rewards()
        self.assertNotIn(card, order.coupon_point_ids.coupon_id)
        order.action_confirm()
        self.assertEqual(card.points, 0.0)
        self.assertInvariant()

    def test_the_card_keeps_its_holder_after_the_update(self):
        card = self._order(self.company, [(self.cleaning, 1, 100.0)]).coupon_point_ids.coupon_id
        order = self._order(self.contact, [(self.cleaning, 1, 100.0)])
        self.assertEqual(order.coupon_point_ids.coupon_id, card)
        order._update_programs_and_rewards()
        self.assertEqual(card.partner_id, self.company)
        self.env.invalidate_all()
        self.assertEqual(card.partner_id, self.company)
        self.assertFalse(self.env["loyalty.card"].search([("partner_id", "in", self.contact.ids)]))

    def test_next_order_coupon_of_a_contact_order_is_the_company_coupon(self):
        coupons = self.env["loyalty.program"].create(
            {
                "name": "Next visit 10%",
                "program_type": "next_order_coupons",
                "trigger": "auto",
                "applies_on": "future",
                "rule_ids": [
                    Command.create(
                        {
                            "minimum_qty": 0,
                            "minimum_amount": 0,
                            "reward_point_mode": "order",
                            "reward_point_amount": 1,
                        }
                    )
                ],
                "reward_ids": [
                    Command.create(
                        {
                            "reward_type": "discount",
                            "discount": 10,
                            "discount_mode": "percent",
                            "required_points": 1,
                        }
                    )
                ],
            }
        )
        order = self._order(self.contact, [(self.cleaning, 1, 100.0)])
        order._update_programs_and_rewards()
        coupon = order.coupon_point_ids.coupon_id.filtered(lambda card: card.program_id == coupons)
        self.assertEqual(coupon.partner_id, self.company)
        order.action_confirm()
        self.assertEqual(coupon.points, 1.0)
        self.assertEqual(
            self.env["loyalty.card"].search([("program_id", "=", coupons.id)]).partner_id, self.company
        )
        self.assertOnlyCompanyCard(100.0)
