from odoo.tests import HttpCase, tagged
from odoo.tests.common import new_test_user

from ..common import repair_survey_invitation


@tagged("post_install", "-at_install")
class TestPortalSurveyTour(HttpCase):
    def test_customer_answers_a_pending_survey_from_the_portal(self):
        user = new_test_user(
            self.env,
            login="rs_portal_zhou",
            password="rs_portal_zhou",
            name="Zhou Lei",
            groups="base.group_portal",
        )
        self.env.company.rs_survey_recovery_action = "none"
        invitation = repair_survey_invitation(self.env, user.partner_id)[0]

        self.start_tour("/my/surveys", "resident_service_crm_survey_portal", login="rs_portal_zhou")

        result = self.env["rs.survey.result"].search([("partner_id", "=", user.partner_id.id)])
        self.assertEqual(result.invitation_id, invitation)
        self.assertEqual(result.csi, 75.0)
        self.assertEqual(result.nps_category, "promoter")
        self.assertEqual(invitation.state, "done")
