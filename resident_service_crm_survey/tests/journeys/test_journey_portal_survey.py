import re

from odoo.tests import tagged

from odoo.addons.resident_service_crm.tests.journey_common import RoleJourneyCase

from ..common import repair_survey_invitation


@tagged("post_install", "-at_install")
class TestPortalSurveyJourney(RoleJourneyCase):
    """The portal customer finds the satisfaction survey sent after a visit among their
    pending surveys, answers it through Odoo's survey pages, and it leaves the list; the
    answer becomes a satisfaction result of that customer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.rs_survey_recovery_action = "none"
        cls.customer = cls.role_users["portal"].partner_id
        cls.invitation, cls.satisfaction, cls.recommend = repair_survey_invitation(cls.env, cls.customer)
        cls.survey = cls.invitation.survey_id

    def test_answer_a_pending_survey(self):
        self.login_as("portal")
        pending = self.url_open("/my/surveys")
        self.assertEqual(pending.status_code, 200)
        self.assertIn("How was the repair?", pending.text)
        answer = self.invitation.user_input_id
        link = re.search(r'class="o_rs_survey_link" href="([^"]+)"', pending.text).group(1)
        self.assertEqual(link, f"/survey/start/{self.survey.access_token}?answer_token={answer.access_token}")

        page = self.url_open(link)
        self.assertEqual(page.status_code, 200)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        self.json(f"/survey/begin/{self.survey.access_token}/{answer.access_token}")
        self.json(
            f"/survey/submit/{self.survey.access_token}/{answer.access_token}",
            csrf_token=token,
            token=answer.access_token,
            button_submit="submit",
            **{str(self.satisfaction.id): "4", str(self.recommend.id): "9"},
        )

        self.assertEqual(answer.state, "done")
        self.assertEqual(self.invitation.state, "done")
        result = self.env["rs.survey.result"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(result.invitation_id, self.invitation)
        self.assertEqual(result.csi, 75.0)  # 4 on a scale of 1 to 5
        self.assertEqual(result.nps_category, "promoter")
        self.assertNotIn("How was the repair?", self.url_open("/my/surveys").text)
