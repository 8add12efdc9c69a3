"""A customer's survey answers are handed over on request and their free text erased,
while the scores keep counting; merged customers keep one invitation per service."""

import json

from odoo.tests import tagged

from ..common import SatisfactionCase

COMMENT = "The cleaner Xiao Li talked about my divorce with the neighbours"


@tagged("post_install", "-at_install")
class TestPrivacySurvey(SatisfactionCase):
    def test_export_then_erasure_of_survey_answers(self):
        partner = self.other_customer
        result = self._answer(
            partner,
            {self.q_quality_1: 2, self.q_csat: 2, self.q_nps: 3, self.q_comment: COMMENT},
        )
        request = (
            self.env["rs.privacy.request"]
            .with_user(self.users["privacy_officer"])
            .create({"partner_id": partner.id, "request_type": "erasure"})
        )
        request.action_export()
        attachment = self.env["ir.attachment"].search(
            [
                ("res_model", "=", "rs.privacy.request"),
                ("res_id", "=", request.id),
                ("name", "=like", "%.json"),
            ]
        )
        data = json.loads(attachment.raw)
        answers = data["survey_answers"]["rows"]
        self.assertIn(COMMENT, [row["Free Text answer"] for row in answers])
        self.assertEqual(len(data["survey_results"]["rows"]), 1)
        attachment.unlink()

        request.action_erase()
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT count(*) FROM survey_user_input_line WHERE value_text_box LIKE %s", [f"%{COMMENT[:20]}%"]
        )
        self.assertEqual(self.env.cr.fetchone()[0], 0)
        self.assertTrue(result.exists(), "the scores stay for the statistics")
        self.assertEqual(result.nps_category, "detractor")

    def test_merge_keeps_the_answered_invitation(self):
        service = self._service(self.own_customer)
        Invitation = self.env["rs.survey.invitation"]
        kept = Invitation.create(
            {"survey_id": self.survey.id, "partner_id": self.own_customer.id, "service_record_id": service.id}
        )
        answered = Invitation.create(
            {
                "survey_id": self.survey.id,
                "partner_id": self.other_customer.id,
                "service_record_id": service.id,
            }
        )
        self._answer(self.other_customer, {self.q_csat: 5}, invitation=answered)
        self.env["base.partner.merge.automatic.wizard"]._merge(
            (self.own_customer | self.other_customer).ids, dst_partner=self.own_customer
        )
        invitations = Invitation.search([("service_record_id", "=", service.id)])
        self.assertEqual(invitations, answered)
        self.assertEqual(answered.partner_id, self.own_customer)
        self.assertFalse(kept.exists())
