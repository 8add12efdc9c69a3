from odoo.tests import tagged

from odoo.addons.resident_service_crm.tests.journey_common import RoleJourneyCase


@tagged("post_install", "-at_install")
class TestPortalPointsJourney(RoleJourneyCase):
    """The portal customer sees their member card and its points, as the desk left them,
    and nobody else's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        program = cls.env.ref("resident_service_crm_loyalty.program_anju_members")
        customer = cls.role_users["portal"].partner_id
        stranger = cls.env["res.partner"].create({"name": "Lu Qing", "rs_is_resident_customer": True})
        cls.card, cls.strangers_card = cls.env["loyalty.card"].create(
            [{"program_id": program.id, "partner_id": partner.id} for partner in (customer, stranger)]
        )
        for card, points, why in ((cls.card, 320, "Welcome points"), (cls.strangers_card, 9999, "Not yours")):
            cls.env["loyalty.card.update.balance"].create(
                {"card_id": card.id, "new_balance": points, "description": why}
            ).action_update_card_point()

    def test_see_my_points(self):
        self.login_as("portal")
        counters = self.json("/my/counters", counters=["points_count"])
        self.assertEqual(counters["points_count"], 1)
        page = self.url_open("/my/points")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.card.code, page.text)
        self.assertRegex(page.text, r'o_rs_points_balance o_rs_points_amount">320<')
        self.assertIn("Welcome points", page.text)
        self.assertNotIn(self.strangers_card.code, page.text)
        self.assertNotIn("9999", page.text)
        self.assertNotIn("Not yours", page.text)
