import re

from odoo.tests import tagged

from ..journey_common import RoleJourneyCase


@tagged("post_install", "-at_install")
class TestPortalCustomerJourney(RoleJourneyCase):
    """A customer in the portal files a complaint with the form, finds it in the list and
    follows its stage as the staff work on it; another customer's complaint stays out of
    reach."""

    def _form_token(self, url):
        page = self.url_open(url)
        self.assertEqual(page.status_code, 200)
        return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)

    def test_file_and_follow_a_complaint(self):
        customer = self.role_users["portal"].partner_id
        category = self.env.ref("resident_service_crm.complaint_category_service_quality")
        stranger = self.env["res.partner"].create({"name": "Lu Qing", "rs_is_resident_customer": True})
        strangers = self.env["rs.complaint"].create(
            {"subject": "Lu Qing's own matter", "partner_id": stranger.id}
        )

        self.login_as("portal")
        token = self._form_token("/my/complaints/new")
        answer = self.url_open(
            "/my/complaints/new",
            data={
                "csrf_token": token,
                "subject": "The dryer still squeaks",
                "description": "Since the repair on Monday\nit squeaks at every spin.",
                "category_id": str(category.id),
            },
        )
        self.assertEqual(answer.status_code, 200)
        complaint = self.env["rs.complaint"].search([("partner_id", "=", customer.id)])
        self.assertEqual(len(complaint), 1)
        self.assertEqual(complaint.channel, "portal")
        self.assertEqual(complaint.category_id, category)
        self.assertIn(f"/my/complaints/{complaint.id}", answer.url)

        listing = self.url_open("/my/complaints").text
        self.assertIn("The dryer still squeaks", listing)
        self.assertNotIn("Lu Qing", listing)

        # the staff acknowledge it; the customer sees the new stage on the complaint's page
        acknowledged = self.env.ref("resident_service_crm.complaint_stage_acknowledged")
        complaint.stage_id = acknowledged
        page = self.url_open(f"/my/complaints/{complaint.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn(acknowledged.name, page.text)

        refused = self.url_open(f"/my/complaints/{strangers.id}")
        self.assertNotIn("Lu Qing's own matter", refused.text)
