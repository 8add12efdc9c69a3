from odoo.tests import tagged

from odoo.addons.resident_service_crm.tests.journey_common import RoleJourneyCase


@tagged("post_install", "-at_install")
class TestOverviewUnits(RoleJourneyCase):
    def test_demo_company_works_in_yuan(self):
        company = self.env.ref("base.main_company")
        self.assertEqual(company.currency_id.name, "CNY")
        self.assertEqual(company.currency_id.symbol, "¥")

    def test_points_cards_show_their_units(self):
        """The manager's overview shows the liability with the currency and the points as
        points, not bare numbers."""
        manager = self.role_users["manager"]  # reads in English
        self.start_tour(
            "/odoo/action-resident_service_crm.rs_overview_action",
            "resident_service_crm_loyalty_overview",
            login=manager.login,
        )
