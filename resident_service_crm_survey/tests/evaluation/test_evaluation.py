from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.tests import tagged

from ..common import SatisfactionCase


@tagged("post_install", "-at_install")
class TestEvaluationModels(SatisfactionCase):
    def test_loyalty_index_of_a_customer(self):
        today = fields.Date.context_today(self.env.user)
        loyal, newcomer = self.env["res.partner"].create(
            [
                {
                    "name": "Loyal",
                    "rs_is_resident_customer": True,
                    "rs_customer_since": today - timedelta(days=913),
                },
                {"name": "Newcomer", "rs_is_resident_customer": True, "rs_customer_since": today},
            ]
        )
        self.env["res.partner"].create({"name": "Friend", "rs_referred_by_id": loyal.id})
        for days in (40, 10):
            start = (fields.Datetime.now() - timedelta(days=days)).replace(
                hour=9, minute=0, second=0, microsecond=0
            )
            service = self._service(loyal, start=start)
            service.action_done()
        self._answer(loyal, {self.q_nps: 10}, when=fields.Datetime.now() - timedelta(days=5))
        model = self.env.ref("resident_service_crm_survey.evaluation_model_loyalty")
        index = model._customer_index(loyal | newcomer)
        # repeat 100 (x30), referral 100 (x20), tenure 2.5 of 5 years = 50 (x20), NPS promoter 100 (x30)
        self.assertAlmostEqual(index[loyal.id], 90.0, delta=0.1)
        # no service and no answer: only referral 0 and tenure 0 weigh
        self.assertEqual(index[newcomer.id], 0.0)
        (loyal | newcomer).invalidate_recordset()
        self.assertAlmostEqual(loyal.rs_loyalty_index, 90.0, delta=0.1)

    def test_overall_index_of_a_company(self):
        company = self.env["res.company"].create({"name": "Lakeside Services"})
        model = self.env["rs.evaluation.model"].create(
            {
                "name": "Satisfaction",
                "kind": "satisfaction",
                "company_id": company.id,
                "indicator_ids": [
                    fields.Command.create({"indicator": "csi", "weight": 1}),
                    fields.Command.create({"indicator": "nps", "weight": 1}),
                    fields.Command.create({"indicator": "ces", "weight": 2}),
                ],
            }
        )
        recent = fields.Datetime.now() - relativedelta(days=3)
        for partner, quality, nps in ((self.own_customer, 5, 9), (self.other_customer, 3, 2)):
            invitation = self.env["rs.survey.invitation"].create(
                {"survey_id": self.survey.id, "partner_id": partner.id, "company_id": company.id}
            )
            self._answer(
                partner, {self.q_quality_1: quality, self.q_nps: nps}, invitation=invitation, when=recent
            )
        # CSI (100 + 50) / 2 = 75; NPS 1 promoter 1 detractor = 0, as 0-100: 50; no CES answered
        self.assertEqual(model.indicator_ids.mapped("overall_value"), [75.0, 50.0, 0.0])
        self.assertEqual(model.indicator_ids.mapped("has_overall_value"), [True, True, False])
        self.assertEqual(model.overall_index, 62.5)
