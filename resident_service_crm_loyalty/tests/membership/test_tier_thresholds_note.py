"""The tier form says which of its two sets of thresholds the company's tier policy applies:
the customer value thresholds (monetary value, purchases, segments) or the points."""

from lxml import etree

from odoo.tests import tagged

from odoo.addons.resident_service_crm.tests.journey_common import RoleJourneyCase


@tagged("post_install", "-at_install")
class TestTierThresholdsNote(RoleJourneyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.role_users["manager"].company_id
        cls.vip = cls.env.ref("resident_service_crm.customer_tier_vip")

    def note(self):
        answer = self.call(
            "rs.customer.tier", "web_read", [self.vip.id], specification={"thresholds_in_use": {}}
        )
        return answer[0]["thresholds_in_use"]

    def test_the_manager_reads_which_thresholds_apply(self):
        self.login_as("manager")
        arch = etree.fromstring(
            self.call("rs.customer.tier", "get_views", views=[[False, "form"]])["views"]["form"]["arch"]
        )
        self.assertTrue(arch.xpath("//field[@name='thresholds_in_use']"))

        self.company.sudo().rs_tier_policy = "value"
        note = self.note()
        self.assertIn("Customer Value", note)
        self.assertIn("the points thresholds are not used", note)

        self.company.sudo().rs_tier_policy = "points"
        self.env.invalidate_all()
        note = self.note()
        self.assertIn("Membership Points", note)
        self.assertIn("the customer value thresholds are not used", note)
        self.assertIn(self.company.name, note)
