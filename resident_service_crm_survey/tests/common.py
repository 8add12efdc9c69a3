from datetime import datetime

from freezegun import freeze_time

from odoo.addons.resident_service_crm.tests.common import ResidentServiceCase


def repair_survey_invitation(env, partner):
    """The two-question survey after a repair (satisfaction on 1-5, recommendation on
    0-10) and the invitation to it, sent to ``partner``: (invitation, satisfaction question,
    recommendation question)."""
    survey = env["survey.survey"].create(
        {
            "title": "How was the repair?",
            "access_mode": "token",
            "questions_layout": "one_page",
            "rs_is_satisfaction": True,
            "rs_purpose": "service",
        }
    )
    quality = env.ref("resident_service_crm_survey.dimension_service_quality")
    satisfaction, recommend = env["survey.question"].create(
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
    invitation = env["rs.survey.invitation"].create(
        {"survey_id": survey.id, "partner_id": partner.id, "purpose": "service"}
    )
    invitation._create_answers()
    invitation.write({"state": "sent", "sent_date": "2026-03-01 09:00:00"})
    return invitation, satisfaction, recommend


class SatisfactionCase(ResidentServiceCase):
    """Three dimensions of known weights and a survey mapping scale questions to them and to
    CSAT, NPS and CES; answers are given as {question: value}, None for a skipped question."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "rs_survey_recovery_action": "none",
                "rs_survey_recovery_csi": 60.0,
                "rs_survey_delay_hours": 24,
                "rs_survey_reminder_days": 3,
            }
        )
        Dimension = cls.env["rs.survey.dimension"]
        cls.dim_quality = Dimension.create({"name": "Quality", "weight": 3.0})
        cls.dim_price = Dimension.create({"name": "Price", "weight": 1.0})
        cls.dim_attitude = Dimension.create({"name": "Attitude", "weight": 2.0})
        cls.survey = cls.env["survey.survey"].create(
            {
                "title": "After the visit",
                "access_mode": "token",
                "questions_layout": "one_page",
                "rs_is_satisfaction": True,
                "rs_purpose": "service",
            }
        )
        cls.q_quality_1 = cls._question(cls.survey, "Work quality", 1, 5, "dimension", cls.dim_quality)
        cls.q_quality_2 = cls._question(cls.survey, "Cleanliness", 1, 5, "dimension", cls.dim_quality)
        cls.q_price = cls._question(cls.survey, "Price", 0, 10, "dimension", cls.dim_price)
        cls.q_attitude = cls._question(cls.survey, "Courtesy", 1, 5, "dimension", cls.dim_attitude)
        cls.q_csat = cls._question(cls.survey, "Overall", 1, 5, "csat")
        cls.q_nps = cls._question(cls.survey, "Recommend", 0, 10, "nps")
        cls.q_ces = cls._question(cls.survey, "Effort", 1, 7, "ces")
        cls.q_comment = cls.env["survey.question"].create(
            {"survey_id": cls.survey.id, "title": "Comments", "question_type": "text_box", "sequence": 99}
        )
        cls.company.rs_survey_service_id = cls.survey

    @classmethod
    def _question(cls, survey, title, low, high, metric=False, dimension=None, sequence=None):
        return cls.env["survey.question"].create(
            {
                "survey_id": survey.id,
                "title": title,
                "question_type": "scale",
                "scale_min": low,
                "scale_max": high,
                "rs_metric": metric,
                "rs_dimension_id": dimension.id if dimension else False,
                "sequence": sequence or (len(survey.question_ids) + 1) * 10,
            }
        )

    def _answer(self, partner, answers, survey=None, invitation=None, when=datetime(2026, 3, 10, 9, 0)):
        """A completed response of the customer (through its invitation when given)."""
        survey = survey or self.survey
        user_input = invitation.user_input_id if invitation else self.env["survey.user_input"]
        if not user_input:
            user_input = self.env["survey.user_input"].create(
                {"survey_id": survey.id, "partner_id": partner.id}
            )
            if invitation:
                invitation.user_input_id = user_input
        lines = []
        for question, value in answers.items():
            if value is None:
                lines.append({"user_input_id": user_input.id, "question_id": question.id, "skipped": True})
            elif isinstance(value, str):
                lines.append(
                    {
                        "user_input_id": user_input.id,
                        "question_id": question.id,
                        "answer_type": "text_box",
                        "value_text_box": value,
                    }
                )
            else:
                lines.append(
                    {
                        "user_input_id": user_input.id,
                        "question_id": question.id,
                        "answer_type": "scale",
                        "value_scale": value,
                    }
                )
        self.env["survey.user_input.line"].create(lines)
        with freeze_time(when):
            user_input._mark_done()
        return self.env["rs.survey.result"].search([("user_input_id", "=", user_input.id)])
