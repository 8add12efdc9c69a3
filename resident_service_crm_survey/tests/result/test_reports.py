from datetime import datetime

from odoo.tests import tagged

from ..common import SatisfactionCase


@tagged("post_install", "-at_install")
class TestReports(SatisfactionCase):
    def _invite(self, partner, user, state="sent"):
        return self.env["rs.survey.invitation"].create(
            {
                "survey_id": self.survey.id,
                "purpose": "service",
                "partner_id": partner.id,
                "user_id": user.id,
                "team_id": self.team.id,
                "service_type_id": self.service_type.id,
                "state": state,
                "sent_date": datetime(2026, 3, 1, 9, 0),
            }
        )

    def test_staff_kpi_csat_nps_ces_and_response_rate(self):
        alice, bob = self.users["user_own"], self.users["user_all"]
        customers = self.env["res.partner"].create([{"name": f"Customer {n}"} for n in range(6)])
        answers = [
            # (staff, CSAT, NPS, CES, quality answer)
            (alice, 5, 10, 2, 5),
            (alice, 4, 9, 3, 4),
            (alice, 2, 3, 6, 2),
            (bob, 3, 7, 4, 3),
        ]
        for customer, (user, csat, nps, ces, quality) in zip(customers, answers, strict=False):
            invitation = self._invite(customer, user)
            self._answer(
                customer,
                {self.q_csat: csat, self.q_nps: nps, self.q_ces: ces, self.q_quality_1: quality},
                invitation=invitation,
            )
        # two invitations of Alice's customers are not answered, one planned is not counted
        self._invite(customers[4], alice)
        self._invite(customers[5], alice)
        self._invite(self.own_customer, alice, state="planned")

        Report = self.env["rs.survey.report"]
        figures = {
            user: (count, csi, csat, nps, ces, rate)
            for user, count, csi, csat, nps, ces, rate in Report._read_group(
                [("partner_id", "in", customers.ids)],
                ["user_id"],
                ["response_count:sum", "csi:avg", "csat:avg", "nps:avg", "ces:avg", "response_rate:avg"],
            )
        }
        count, csi, csat, nps, ces, rate = figures[alice]
        self.assertEqual(count, 3)
        self.assertAlmostEqual(csi, (100 + 75 + 25) / 3)
        self.assertAlmostEqual(csat, 200 / 3)  # two of three answered 4 or 5
        self.assertAlmostEqual(nps, 100 / 3)  # 2 promoters, 1 detractor out of 3
        self.assertAlmostEqual(ces, 11 / 3)
        self.assertAlmostEqual(rate, 60.0)  # 3 answered of 5 sent
        count, csi, csat, nps, ces, rate = figures[bob]
        self.assertEqual((count, csi, csat, nps, ces, rate), (1, 50.0, 0.0, 0.0, 4.0, 100.0))

        # by month, for everyone: the four answers are of March 2026
        monthly = {
            (month.year, month.month): nps
            for month, nps in Report._read_group(
                [("partner_id", "in", customers.ids), ("response_count", "=", 1)], ["date:month"], ["nps:avg"]
            )
        }
        self.assertEqual(monthly, {(2026, 3): 25.0})

    def test_customer_latest_and_rolling_csi(self):
        now = self.env.cr.now()
        self._answer(self.own_customer, {self.q_quality_1: 1}, when=now.replace(year=now.year - 2))
        self._answer(
            self.own_customer, {self.q_quality_1: 5}, when=now.replace(day=1, hour=0) if now.day > 1 else now
        )
        self._answer(self.own_customer, {self.q_quality_1: 3}, when=now)
        self.own_customer.invalidate_recordset()
        self.assertEqual(self.own_customer.rs_survey_result_count, 3)
        self.assertEqual(self.own_customer.rs_csi_latest, 50.0)
        self.assertEqual(self.own_customer.rs_csi_12m, 75.0)  # the one two years ago is out
        self.assertFalse(self.other_customer.rs_survey_result_count)
