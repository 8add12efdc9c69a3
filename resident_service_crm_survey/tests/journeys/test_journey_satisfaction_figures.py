from datetime import datetime

from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.resident_service_crm.tests.journey_common import RoleJourneyCase

FIGURES = [
    "__count",
    "csi:avg",
    "csi_count:sum",
    "nps:avg",
    "nps_count:sum",
    "ces:avg",
    "response_rate:avg",
    "response_count:sum",
]


@tagged("post_install", "-at_install")
class TestSatisfactionFiguresJourney(RoleJourneyCase):
    """The manager and the service desk read the satisfaction analysis as its pivot does
    (``read_group`` through JSON-RPC): each score comes with its number of answers, a score
    with fewer answers than the company's minimum stays empty, a month without NPS answers
    reads empty, and the response rate is the answered share of the invitations sent.

    The answers, counted by hand (one satisfaction question on 1-5, NPS 0-10, CES 1-7):

    - January, Ann: 6 answered invitations (satisfaction 5 4 3 5 1 4, NPS 10 9 6 8 2 10,
      CES 7 6 4 7 1 5) and 2 invitations not answered;
    - January, Ben: 2 answered invitations (satisfaction 5 2, NPS 10 3, CES 6 2);
    - February, Ann: 5 answered invitations without an NPS or CES answer (satisfaction
      4 4 5 3 2);
    - March: 1 response without an invitation (satisfaction 5, NPS 10).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.write({"rs_survey_recovery_action": "none", "rs_survey_min_answers": 5})
        cls.ann = cls.role_users["service_desk"]
        cls.ben = cls.role_users["account_keeper"]
        cls.survey = cls.env["survey.survey"].create(
            {
                "title": "After the visit",
                "access_mode": "token",
                "questions_layout": "one_page",
                "rs_is_satisfaction": True,
                "rs_purpose": "service",
            }
        )
        quality = cls.env.ref("resident_service_crm_survey.dimension_service_quality")
        cls.q_quality, cls.q_nps, cls.q_ces = cls.env["survey.question"].create(
            [
                {
                    "survey_id": cls.survey.id,
                    "sequence": sequence,
                    "title": title,
                    "question_type": "scale",
                    "scale_min": low,
                    "scale_max": high,
                    "rs_metric": metric,
                    "rs_dimension_id": quality.id if metric == "dimension" else False,
                }
                for sequence, (title, low, high, metric) in enumerate(
                    [
                        ("How satisfied are you?", 1, 5, "dimension"),
                        ("Would you recommend us?", 0, 10, "nps"),
                        ("How easy was it?", 1, 7, "ces"),
                    ]
                )
            ]
        )
        cls.customers = cls.env["res.partner"]
        january, february, march = (datetime(2026, month, 14, 2, 0) for month in (1, 2, 3))
        for quality_value, nps, ces in [(5, 10, 7), (4, 9, 6), (3, 6, 4), (5, 8, 7), (1, 2, 1), (4, 10, 5)]:
            cls._respond(cls.ann, january, quality_value, nps, ces)
        for quality_value, nps, ces in [(5, 10, 6), (2, 3, 2)]:
            cls._respond(cls.ben, january, quality_value, nps, ces)
        for _unanswered in range(2):
            cls._invite(cls.ann, datetime(2026, 1, 6, 2, 0))
        for quality_value in (4, 4, 5, 3, 2):
            cls._respond(cls.ann, february, quality_value)
        cls._respond(None, march, 5, 10)

    @classmethod
    def _invite(cls, user, sent):
        customer = cls.env["res.partner"].create({"name": f"Customer {len(cls.customers) + 1}"})
        cls.customers |= customer
        return cls.env["rs.survey.invitation"].create(
            {
                "survey_id": cls.survey.id,
                "purpose": "service",
                "partner_id": customer.id,
                "user_id": user.id,
                "state": "sent",
                "sent_date": sent,
            }
        )

    @classmethod
    def _respond(cls, user, when, quality, nps=None, ces=None):
        """A completed response on ``when``, through an invitation from ``user`` sent the
        day before (without an invitation when no user)."""
        if user:
            invitation = cls._invite(user, when.replace(day=when.day - 1))
            customer = invitation.partner_id
        else:
            invitation = None
            customer = cls.env["res.partner"].create({"name": "Customer without invitation"})
            cls.customers |= customer
        answer = cls.env["survey.user_input"].create({"survey_id": cls.survey.id, "partner_id": customer.id})
        if invitation:
            invitation.user_input_id = answer
        values = {cls.q_quality: quality, cls.q_nps: nps, cls.q_ces: ces}
        cls.env["survey.user_input.line"].create(
            [
                {
                    "user_input_id": answer.id,
                    "question_id": question.id,
                    "answer_type": "scale",
                    "value_scale": value,
                }
                for question, value in values.items()
                if value is not None
            ]
        )
        with freeze_time(when):
            answer._mark_done()

    def _groups(self, groupby):
        groups = self.call(
            "rs.survey.report",
            "read_group",
            [("partner_id", "in", self.customers.ids)],
            FIGURES,
            [groupby],
            lazy=False,
        )
        return {self._key(group[groupby]): group for group in groups}

    @staticmethod
    def _key(value):
        """A month's label, or a staff member's id (False without one)."""
        return value[0] if isinstance(value, list) else value

    def test_figures_by_month(self):
        for role in ("manager", "service_desk"):
            with self.subTest(role=role):
                self.login_as(role)
                months = self._groups("date:month")
                self.assertEqual(list(months), ["January 2026", "February 2026", "March 2026"])
                january, february, march = months.values()
                # 8 answers: satisfaction (100 75 50 100 0 75 100 25) / 8; 4 promoters, 3 detractors
                self.assertEqual((january["csi_count"], january["nps_count"]), (8, 8))
                self.assertAlmostEqual(january["csi"], 525 / 8)
                self.assertAlmostEqual(january["nps"], (4 - 3) * 100 / 8)
                self.assertAlmostEqual(january["ces"], (7 + 6 + 4 + 7 + 1 + 5 + 6 + 2) / 8)
                # 10 invitations sent, 8 answered
                self.assertEqual(january["response_count"], 8)
                self.assertAlmostEqual(january["response_rate"], 80.0)
                # no NPS or CES answer in February: empty, not 0
                self.assertEqual((february["nps_count"], february["nps"]), (0, False))
                self.assertIs(february["ces"], False)
                self.assertEqual(february["csi_count"], 5)
                self.assertAlmostEqual(february["csi"], (75 + 75 + 100 + 50 + 25) / 5)
                self.assertAlmostEqual(february["response_rate"], 100.0)
                # one response without an invitation: counted, no rate, too few for a score
                self.assertEqual((march["response_count"], march["csi_count"], march["nps_count"]), (1, 1, 1))
                self.assertEqual((march["response_rate"], march["csi"], march["nps"]), (False, False, False))

    def test_figures_by_staff_member(self):
        self.login_as("manager")
        staff = self._groups("user_id")
        ann, ben = staff[self.ann.id], staff[self.ben.id]
        self.assertEqual((ann["csi_count"], ann["nps_count"]), (11, 6))
        self.assertAlmostEqual(ann["csi"], (400 + 325) / 11)
        self.assertAlmostEqual(ann["nps"], (3 - 2) * 100 / 6)
        self.assertAlmostEqual(ann["response_rate"], 11 * 100 / 13)
        # two answers, below the minimum of five: the count shows, the scores do not
        self.assertEqual((ben["csi_count"], ben["nps_count"], ben["response_count"]), (2, 2, 2))
        self.assertEqual((ben["csi"], ben["nps"], ben["ces"]), (False, False, False))

        self.env.company.rs_survey_min_answers = 2
        ben = self._groups("user_id")[self.ben.id]
        self.assertAlmostEqual(ben["csi"], (100 + 25) / 2)
        self.assertAlmostEqual(ben["nps"], 0.0)

    def test_minimum_is_a_setting(self):
        self.login_as("manager")
        fields = self.call("rs.survey.report", "fields_get", ["ces", "nps_count"], ["string", "help"])
        self.assertEqual(fields["ces"]["string"], "CES (1-7, higher is easier)")
        self.assertEqual(fields["nps_count"]["string"], "NPS Answers")
        self.assertEqual(self.env["res.company"].new({}).rs_survey_min_answers, 5)
