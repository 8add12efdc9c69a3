from odoo.tests import HttpCase, tagged
from odoo.tests.common import new_test_user


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
        survey = self.env["survey.survey"].create(
            {
                "title": "How was the repair?",
                "access_mode": "token",
                "questions_layout": "one_page",
                "rs_is_satisfaction": True,
                "rs_purpose": "service",
            }
        )
        quality = self.env.ref("resident_service_crm_survey.dimension_service_quality")
        Question = self.env["survey.question"]
        Question.create(
            [
                {
                    "survey_id": survey.id,
                    "sequence": 1,
                    "title": "How satisfied are you with the repair?",
                    "question_type": "scale",
                    "scale_min": 1,
                    "scale_max": 5,
                    "rs_metric": "dimension",
                    "rs_dimension_id": quality.id,
                },
                {
                    "survey_id": survey.id,
                    "sequence": 2,
                    "title": "Would you recommend us?",
                    "question_type": "scale",
                    "scale_min": 0,
                    "scale_max": 10,
                    "rs_metric": "nps",
                },
            ]
        )
        invitation = self.env["rs.survey.invitation"].create(
            {"survey_id": survey.id, "partner_id": user.partner_id.id, "purpose": "service"}
        )
        invitation._rs_create_answers()
        invitation.write({"state": "sent", "sent_date": "2026-03-01 09:00:00"})

        self.start_tour("/my/surveys", "resident_service_crm_survey_portal", login="rs_portal_zhou")

        result = self.env["rs.survey.result"].search([("partner_id", "=", user.partner_id.id)])
        self.assertEqual(result.invitation_id, invitation)
        self.assertEqual(result.csi, 75.0)
        self.assertEqual(result.nps_category, "promoter")
        self.assertEqual(invitation.state, "done")
