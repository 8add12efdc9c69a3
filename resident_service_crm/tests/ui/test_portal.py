from odoo import http
from odoo.tests import HttpCase, tagged
from odoo.tests.common import new_test_user


@tagged("post_install", "-at_install")
class TestPortalConsents(HttpCase):
    def test_customer_manages_consents_in_the_portal(self):
        user = new_test_user(
            self.env, login="rs_portal_wang", password="rs_portal_wang", groups="base.group_portal"
        )
        partner = user.partner_id
        self.env["rs.consent"]._record(partner, "marketing", "sms", "given", source="paper")
        self.authenticate("rs_portal_wang", "rs_portal_wang")

        page = self.url_open("/my/consents")
        self.assertEqual(page.status_code, 200)
        self.assertIn(
            'name="consent_marketing_sms" checked', page.text.replace('checked="checked"', "checked")
        )

        # keep care by email, drop marketing by SMS
        response = self.url_open(
            "/my/consents",
            data={"csrf_token": http.Request.csrf_token(self), "consent_care_email": "on"},
        )
        self.assertEqual(response.status_code, 200)
        consents = {(c.purpose, c.channel): c for c in partner.rs_consent_ids}
        self.assertEqual(consents["care", "email"].state, "given")
        self.assertEqual(consents["care", "email"].source, "portal")
        self.assertEqual(consents["marketing", "sms"].state, "withdrawn")
        self.assertEqual(
            consents["marketing", "sms"].event_ids.sorted("id").mapped("source"), ["paper", "portal"]
        )


@tagged("post_install", "-at_install")
class TestPortalComplaintTour(HttpCase):
    def test_customer_files_a_complaint_in_the_portal(self):
        user = new_test_user(
            self.env, login="rs_portal_li", password="rs_portal_li", name="Li Lei", groups="base.group_portal"
        )
        self.start_tour("/my/complaints", "resident_service_crm_portal_complaint", login="rs_portal_li")
        complaint = self.env["rs.complaint"].search([("partner_id", "=", user.partner_id.id)])
        self.assertEqual(complaint.subject, "The tap leaks again after the repair")
        self.assertEqual(complaint.channel, "portal")
        self.assertEqual(
            complaint.category_id, self.env.ref("resident_service_crm.complaint_category_service_quality")
        )
