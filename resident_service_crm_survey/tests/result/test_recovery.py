from datetime import timedelta

from odoo.tests import tagged

from ..common import SatisfactionCase


@tagged("post_install", "-at_install")
class TestRecovery(SatisfactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.category = cls.env.ref("resident_service_crm.complaint_category_service_quality")
        cls.company.write(
            {"rs_survey_recovery_action": "complaint", "rs_survey_recovery_category_id": cls.category.id}
        )
        cls.env["rs.sla.policy"].search([]).active = False
        cls.policy = cls.env["rs.sla.policy"].create(
            {
                "name": "Survey recovery",
                "sequence": 1,
                "channel": "survey",
                "response_hours": 2.0,
                "resolution_hours": 8.0,
            }
        )
        cls.service = cls._service(cls.own_customer, team_id=cls.team.id, user_id=cls.users["user_own"].id)
        cls.invitation = cls.env["rs.survey.invitation"].create(
            {
                "survey_id": cls.survey.id,
                "purpose": "service",
                "partner_id": cls.own_customer.id,
                "service_record_id": cls.service.id,
                "user_id": cls.users["user_own"].id,
                "team_id": cls.team.id,
                "service_type_id": cls.service_type.id,
                "state": "sent",
            }
        )

    def test_a_detractor_opens_a_recovery_complaint_with_its_sla(self):
        result = self._answer(
            self.own_customer,
            {self.q_quality_1: 4, self.q_attitude: 4, self.q_nps: 5},
            invitation=self.invitation,
        )
        # CSI 75 is above 60: only the NPS answer is low
        self.assertAlmostEqual(result.csi, 75.0)
        self.assertTrue(result.needs_recovery)
        self.assertEqual(result.recovery_reason, "NPS detractor (5)")
        complaint = result.recovery_complaint_id
        self.assertEqual(complaint.channel, "survey")
        self.assertEqual(complaint.partner_id, self.own_customer)
        self.assertEqual(complaint.service_record_id, self.service)
        self.assertEqual(complaint.category_id, self.category)
        self.assertEqual(complaint.team_id, self.team)
        self.assertEqual(complaint.user_id, self.team.leader_id)
        self.assertEqual(complaint.priority, "2")
        self.assertEqual(
            sorted(complaint.sla_line_ids.mapped(lambda line: (line.policy_id, line.target))),
            sorted([(self.policy, "response"), (self.policy, "resolution")]),
        )
        self.assertEqual(complaint.survey_result_ids, result)
        self.assertEqual(self.invitation.state, "done")

    def test_thresholds_are_configurable(self):
        self.company.rs_survey_recovery_detractor = False
        result = self._answer(self.own_customer, {self.q_quality_1: 4, self.q_nps: 5})
        self.assertFalse(result.needs_recovery)
        self.assertFalse(result.recovery_complaint_id)
        low = self._answer(self.other_customer, {self.q_quality_1: 2, self.q_attitude: 1, self.q_nps: 8})
        self.assertAlmostEqual(low.csi, 15.0)
        self.assertEqual(
            low.recovery_reason, "satisfaction index 15.0 below 60.0 and lowest score on Attitude"
        )

    def test_care_activity_instead_of_a_complaint(self):
        self.company.rs_survey_recovery_action = "activity"
        result = self._answer(self.own_customer, {self.q_nps: 2}, invitation=self.invitation)
        self.assertFalse(result.recovery_complaint_id)
        self.assertEqual(len(result.activity_ids), 1)
        self.assertEqual(result.activity_ids.user_id, self.team.leader_id)
        self.assertEqual(result.activity_ids.activity_type_id, self.env.ref("mail.mail_activity_data_call"))

    def test_the_next_survey_links_back_and_the_recovery_rate(self):
        first = self._answer(self.own_customer, {self.q_nps: 3}, invitation=self.invitation)
        other_first = self._answer(self.other_customer, {self.q_nps: 4})
        self.assertTrue(first.needs_recovery and other_first.needs_recovery)
        # after the recovery, both answer again: one now passive, the other still a detractor
        second = self._answer(self.own_customer, {self.q_nps: 8})
        other_second = self._answer(self.other_customer, {self.q_nps: 6})
        self.assertEqual(second.recovery_of_id, first)
        self.assertEqual(first.followup_ids, second)
        self.assertEqual(second.recovery_outcome, "recovered")
        self.assertEqual(other_second.recovery_of_id, other_first)
        self.assertEqual(other_second.recovery_outcome, "not_recovered")
        # a third answer does not follow up again on the first low one
        third = self._answer(self.own_customer, {self.q_nps: 10})
        self.assertFalse(third.recovery_of_id)
        [(rate,)] = self.env["rs.survey.report"]._read_group(
            [("partner_id", "in", (self.own_customer | self.other_customer).ids)], [], ["recovery_rate:avg"]
        )
        self.assertEqual(rate, 50.0)

    def test_satisfaction_signals_for_the_lifecycle(self):
        Partner = self.env["res.partner"]
        self.company.rs_survey_recovery_action = "none"
        today = self.env.cr.now().date()
        # previous 100, latest 75: a drop of 25 (the setting is 20)
        self._answer(
            self.own_customer,
            {self.q_quality_1: 5, self.q_nps: 9},
            when=self.env.cr.now() - timedelta(days=60),
        )
        self._answer(
            self.own_customer,
            {self.q_quality_1: 4, self.q_nps: 4},
            when=self.env.cr.now() - timedelta(days=1),
        )
        # a small drop only (100 -> 87.5)
        self._answer(
            self.other_customer,
            {self.q_quality_1: 5, self.q_quality_2: 5},
            when=self.env.cr.now() - timedelta(days=30),
        )
        self._answer(
            self.other_customer,
            {self.q_quality_1: 5, self.q_quality_2: 4},
            when=self.env.cr.now() - timedelta(days=2),
        )
        signals = (self.own_customer | self.other_customer)._rs_value_signals(self.company, today)
        own = signals[self.own_customer.id]
        self.assertTrue(own["decline"])
        self.assertEqual(own["risk"], 15.0)
        said = [reason._translate("en_US") for reason in own["reasons"]]
        self.assertIn("Satisfaction index fell 25 points (from 100 to 75)", said)
        self.assertNotIn(self.other_customer.id, signals)
        self.company.rs_survey_csi_drop = 10.0
        signals = Partner.browse(self.other_customer.id)._rs_value_signals(self.company, today)
        self.assertTrue(signals[self.other_customer.id]["decline"])
        self.assertEqual(signals[self.other_customer.id]["risk"], 0.0)
