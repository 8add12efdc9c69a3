from odoo.exceptions import ValidationError
from odoo.tests import tagged

from ..common import SatisfactionCase


@tagged("post_install", "-at_install")
class TestScoring(SatisfactionCase):
    def test_known_answers_give_exact_figures(self):
        result = self._answer(
            self.own_customer,
            {
                self.q_quality_1: 5,  # 100
                self.q_quality_2: 4,  # 75 -> quality 87.5
                self.q_price: 4,  # 0-10 scale: 40
                self.q_attitude: None,  # skipped: attitude does not weigh
                self.q_csat: 4,
                self.q_nps: 6,
                self.q_ces: 5,
                self.q_comment: "Came late but did a good job.",
            },
        )
        self.assertTrue(result.has_csi)
        # (3 x 87.5 + 1 x 40) / (3 + 1)
        self.assertAlmostEqual(result.csi, 75.625, places=6)
        lines = {line.dimension_id: line for line in result.line_ids}
        self.assertEqual(set(lines), {self.dim_quality, self.dim_price})
        self.assertAlmostEqual(lines[self.dim_quality].score, 87.5)
        self.assertEqual(lines[self.dim_quality].answer_count, 2)
        self.assertAlmostEqual(lines[self.dim_price].score, 40.0)
        self.assertEqual((result.csat_value, result.is_csat_satisfied), (4, True))
        self.assertEqual((result.nps_value, result.nps_category), (6, "detractor"))
        self.assertEqual((result.has_ces, result.ces_value), (True, 5))
        self.assertEqual(result.partner_id, self.own_customer)
        self.assertFalse(result.has_bottom_dimension)

    def test_skipping_every_dimension_leaves_no_index(self):
        result = self._answer(self.own_customer, {self.q_quality_1: None, self.q_csat: 3, self.q_nps: 10})
        self.assertFalse(result.has_csi)
        self.assertFalse(result.line_ids)
        self.assertEqual((result.csat_value, result.is_csat_satisfied), (3, False))
        self.assertEqual(result.nps_category, "promoter")
        self.assertFalse(result.has_ces)

    def test_bottom_of_scale_is_flagged(self):
        result = self._answer(self.own_customer, {self.q_attitude: 1, self.q_quality_1: 5})
        # (2 x 0 + 3 x 100) / 5
        self.assertAlmostEqual(result.csi, 60.0)
        self.assertTrue(result.has_bottom_dimension)

    def test_only_the_nps_question_counts_for_nps(self):
        survey = self.env["survey.survey"].create(
            {"title": "Would you recommend us?", "rs_is_satisfaction": True, "rs_purpose": "periodic"}
        )
        satisfied = self._question(survey, "How satisfied are you overall (0-10)?", 0, 10, sequence=1)
        recommend = self._question(survey, "Would you recommend us?", 0, 10, "nps", sequence=2)
        first = self._answer(self.own_customer, {satisfied: 10, recommend: 3}, survey=survey)
        second = self._answer(self.other_customer, {satisfied: 2, recommend: 9}, survey=survey)
        self.assertEqual((first.nps_value, first.nps_category), (3, "detractor"))
        self.assertEqual((second.nps_value, second.nps_category), (9, "promoter"))
        # the unflagged 0-10 question is a comment: no dimension, no index
        self.assertFalse(first.has_csi or second.has_csi)

    def test_results_are_computed_once_per_response(self):
        result = self._answer(self.own_customer, {self.q_csat: 5})
        self.assertFalse(self.env["rs.survey.result"]._score(result.user_input_id))
        self.assertEqual(
            self.env["rs.survey.result"].search_count([("user_input_id", "=", result.user_input_id.id)]), 1
        )

    def test_test_entries_and_other_surveys_are_not_scored(self):
        other = self.env["survey.survey"].create({"title": "Quiz"})
        question = self._question(other, "Rate", 1, 5)
        answer = self.env["survey.user_input"].create(
            {"survey_id": other.id, "partner_id": self.own_customer.id}
        )
        self.env["survey.user_input.line"].create(
            {"user_input_id": answer.id, "question_id": question.id, "answer_type": "scale", "value_scale": 2}
        )
        answer._mark_done()
        self.assertFalse(self.env["rs.survey.result"].search([("user_input_id", "=", answer.id)]))

    def test_metric_scales_are_enforced(self):
        with self.assertRaisesRegex(ValidationError, "scored from 0 to 10"):
            self._question(self.survey, "NPS on five", 1, 5, "nps")
        with self.assertRaisesRegex(ValidationError, "scored from 1 to 5"):
            self._question(self.survey, "CSAT on ten", 0, 10, "csat")
        with self.assertRaisesRegex(ValidationError, "needs its dimension"):
            self._question(self.survey, "No dimension", 1, 5, "dimension")

    def test_scoring_many_responses_is_set_based(self):
        answers = self.env["survey.user_input"]
        for partner in (self.own_customer, self.other_customer) * 5:
            answer = self.env["survey.user_input"].create(
                {"survey_id": self.survey.id, "partner_id": partner.id, "state": "done"}
            )
            self.env["survey.user_input.line"].create(
                [
                    {
                        "user_input_id": answer.id,
                        "question_id": q.id,
                        "answer_type": "scale",
                        "value_scale": v,
                    }
                    for q, v in (
                        (self.q_quality_1, 4),
                        (self.q_attitude, 5),
                        (self.q_csat, 5),
                        (self.q_nps, 9),
                    )
                ]
            )
            answers |= answer
        self.env.flush_all()
        self.env.invalidate_all()
        Result = self.env["rs.survey.result"]
        with self.assertQueryCount(12):
            results = Result._score(answers)
            results.flush_recordset()
        self.assertEqual(len(results), 10)
        # quality 75 (weight 3), attitude 100 (weight 2)
        self.assertEqual(set(results.mapped("csi")), {85.0})
