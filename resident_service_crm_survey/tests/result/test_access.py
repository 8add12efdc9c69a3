"""Each role against read, write, create and unlink on every model of the addon."""

from odoo.tests import tagged

from odoo.addons.resident_service_crm.tests.common import ALLOWED, DENIED, FULL, NOTHING, READ

from ..common import SatisfactionCase


@tagged("post_install", "-at_install")
class TestSurveyAccess(SatisfactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.own_invitation = cls.env["rs.survey.invitation"].create(
            {"survey_id": cls.survey.id, "partner_id": cls.own_customer.id, "state": "sent"}
        )
        cls.foreign_invitation = cls.env["rs.survey.invitation"].create(
            {"survey_id": cls.survey.id, "partner_id": cls.other_customer.id, "state": "sent"}
        )

    def test_dimensions(self):
        self._assert_matrix(
            self.dim_quality,
            {
                "technician": NOTHING,
                "user_own": READ,
                "user_all": READ,
                "manager": FULL,
                "privacy_officer": READ,
            },
        )
        self.assertEqual(
            {
                role: self._can_create(role, "rs.survey.dimension", {"name": "New"})
                for role in ("user_all", "manager")
            },
            {"user_all": DENIED, "manager": ALLOWED},
        )

    def test_invitations(self):
        staff = (ALLOWED, ALLOWED, DENIED)
        self._assert_matrix(
            self.own_invitation,
            {
                "technician": NOTHING,
                "user_own": staff,
                "user_all": staff,
                "manager": FULL,
                "privacy_officer": staff,
            },
        )
        self._assert_matrix(self.foreign_invitation, {"user_own": NOTHING, "user_all": staff})
        values = {"survey_id": self.survey.id, "partner_id": self.own_customer.id, "purpose": "periodic"}
        self.assertEqual(
            {
                role: self._can_create(role, "rs.survey.invitation", values)
                for role in ("technician", "user_own")
            },
            {"technician": DENIED, "user_own": ALLOWED},
        )
        foreign = {**values, "partner_id": self.other_customer.id}
        self.assertFalse(self._can_create("user_own", "rs.survey.invitation", foreign))

    def test_results_and_their_dimensions(self):
        own = self._answer(self.own_customer, {self.q_quality_1: 4, self.q_csat: 5})
        foreign = self._answer(self.other_customer, {self.q_quality_1: 2})
        for records in (own, own.line_ids):
            self._assert_matrix(
                records,
                {
                    "technician": NOTHING,
                    "user_own": READ,
                    "user_all": READ,
                    "manager": FULL,
                    "privacy_officer": READ,
                },
            )
        for records in (foreign, foreign.line_ids):
            self._assert_matrix(records, {"user_own": NOTHING, "user_all": READ})
        values = {
            "user_input_id": own.user_input_id.id,
            "survey_id": self.survey.id,
            "company_id": self.company.id,
            "date": "2026-03-01 10:00:00",
        }
        self.assertEqual(
            {role: self._can_create(role, "rs.survey.result", values) for role in ("user_own", "user_all")},
            {"user_own": DENIED, "user_all": DENIED},
        )
        self.assertFalse(
            self._can_create(
                "user_all", "rs.survey.result.line", {"result_id": own.id, "dimension_id": self.dim_price.id}
            )
        )

    def test_analysis(self):
        self._answer(self.own_customer, {self.q_quality_1: 4})
        rows = self.env["rs.survey.report"].search(
            [("partner_id", "=", self.own_customer.id), ("result_id", "!=", False)]
        )
        self.assertEqual(len(rows), 1)
        self._assert_matrix(
            rows,
            {
                "technician": NOTHING,
                "user_own": NOTHING,
                "user_all": READ,
                "manager": READ,
                "privacy_officer": READ,
            },
        )
