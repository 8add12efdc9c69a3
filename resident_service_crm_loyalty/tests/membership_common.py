from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.tests.common import new_test_user

from .common import LedgerCommon


class MembershipCommon(LedgerCommon):
    """The company's tiers follow the membership points policy of its program (one point per
    currency unit on posted invoices): Gold from 1,000 points (kept with 600), Silver from
    300 (kept with 200), Member from 0; reviews on the membership anniversary, a grace
    period of one month."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the accountant of the test company also manages resident services and sales
        cls.env.user.sudo().groups_id |= cls.env.ref("resident_service_crm.group_manager") | cls.env.ref(
            "sales_team.group_sale_manager"
        )
        cls.company = cls.env.company
        cls.env["rs.customer.tier"].search([]).active = False
        Tier = cls.env["rs.customer.tier"]
        cls.gold = Tier.create(
            {
                "name": "Gold",
                "sequence": 1,
                "points_to_reach": 1000,
                "points_to_keep": 600,
                "points_multiplier": 2.0,
                "birthday_points": 88,
                "service_priority": "3",
            }
        )
        cls.silver = Tier.create(
            {
                "name": "Silver",
                "sequence": 2,
                "points_to_reach": 300,
                "points_to_keep": 200,
                "birthday_points": 30,
            }
        )
        cls.member = Tier.create({"name": "Member", "sequence": 3})
        cls.company.sudo().write(
            {
                "rs_tier_policy": "points",
                "rs_member_program_id": cls.program.id,
                "rs_tier_review_mode": "anniversary",
                "rs_tier_grace_period": 1,
                "rs_tier_grace_unit": "months",
            }
        )
        cls.today = fields.Date.context_today(cls.env["res.partner"])
        cls.manager = new_test_user(
            cls.env,
            login="membership_manager",
            groups="resident_service_crm.group_manager,sales_team.group_sale_manager",
            company_id=cls.company.id,
        )

    def _tier(self, partner=None):
        return (partner or self.customer).with_company(self.company).rs_tier_id

    def _history(self, partner=None):
        return self.env["rs.tier.history"].search(
            [("partner_id", "=", (partner or self.customer).id)], order="id"
        )

    def _member_for_a_year(self, partner=None):
        self._card(partner=partner).rs_member_since = self.today - relativedelta(years=1)

    def _review(self, days=0, months=0):
        """The nightly review as it runs ``days``/``months`` from now."""
        return self.env["res.partner"]._rs_membership_apply(
            self.company, today=self.today + relativedelta(days=days, months=months)
        )
