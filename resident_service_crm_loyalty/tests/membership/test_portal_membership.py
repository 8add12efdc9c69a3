import re

from dateutil.relativedelta import relativedelta

from odoo import Command
from odoo.tests import HttpCase, tagged
from odoo.tests.common import new_test_user
from odoo.tools.misc import format_date


@tagged("post_install", "-at_install")
class TestPortalMembership(HttpCase):
    def _member(self):
        company = self.env.company
        self.env["rs.customer.tier"].search([]).active = False
        Tier = self.env["rs.customer.tier"]
        gold = Tier.create({"name": "Gold", "sequence": 1, "points_to_reach": 1000, "points_to_keep": 600})
        Tier.create(
            {
                "name": "Silver",
                "sequence": 2,
                "points_to_reach": 300,
                "points_to_keep": 200,
                "benefits": "Priority booking",
            }
        )
        program = self.env["loyalty.program"].create(
            {
                "name": "Anju members",
                "program_type": "loyalty",
                "rs_earn_trigger": "invoice",
                "rule_ids": [Command.create({"reward_point_mode": "money", "reward_point_amount": 1})],
                "reward_ids": [Command.create({"reward_type": "discount", "required_points": 1})],
            }
        )
        company.write({"rs_tier_policy": "points", "rs_member_program_id": program.id})
        user = new_test_user(
            self.env, login="rs_member_li", password="rs_member_li", groups="base.group_portal"
        )
        card = self.env["loyalty.card"].create({"program_id": program.id, "partner_id": user.partner_id.id})
        self.env["loyalty.history"].sudo().create(
            {
                "card_id": card.id,
                "description": "earned",
                "issued": 400.0,
                "rs_ledger_kind": "earn",
                "rs_ledger_source_model": "account.move",
                "rs_ledger_source_id": 1,
                "rs_ledger_cycle": 0,
            }
        )
        card.points = 400.0
        self.assertEqual(user.partner_id.with_company(company).rs_tier_id.name, "Silver")
        return gold, card

    def test_member_sees_tier_progress_and_what_keeps_it(self):
        gold, card = self._member()
        self.authenticate("rs_member_li", "rs_member_li")
        home = self.url_open("/my")
        self.assertIn('href="/my/membership"', home.text)
        page = self.url_open("/my/membership")
        self.assertEqual(page.status_code, 200)
        text = " ".join(re.sub(r"<[^>]+>", " ", page.text).split())
        self.assertIn(card.code, text)
        self.assertIn("Silver", text)
        self.assertIn("600 more to reach Gold.", text)
        self.assertIn("You have already done what keeps Silver at your next review.", text)
        self.assertIn("Priority booking", text)
        self.assertIn('<div class="progress-bar" style="width: 40%">', page.text)
        # the tier is reviewed on the card's first anniversary: the day to hold the points by
        review = card.rs_member_since + relativedelta(years=1)
        self.assertIn(f"Keep your tier by: {format_date(self.env, review)}", text)
        self.assertTrue(gold.active)

    def test_member_portal_tour(self):
        """In the browser: the member opens their membership and points from the portal home."""
        self._member()
        self.start_tour("/my", "resident_service_crm_loyalty_portal", login="rs_member_li")
