"""Churn, repeat purchase and referral rates of a known month."""

from datetime import date

from dateutil.relativedelta import relativedelta

from odoo.exceptions import UserError
from odoo.tests import tagged

from ..value_common import CustomerValueCase


@tagged("post_install", "-at_install")
class TestCustomerRates(CustomerValueCase):
    def test_march_2026(self):
        p = self.product_30
        p1 = self._customer("P1 churns")
        self._invoice(p1, date(2025, 3, 15), [(100, p)])
        p2 = self._customer("P2 repeats")
        self._invoice(p2, date(2025, 6, 1), [(100, p)])
        self._invoice(p2, date(2026, 3, 10), [(100, p)])
        p3 = self._customer("P3 new, referred", rs_referred_by_id=p2.id)
        self._invoice(p3, date(2026, 3, 20), [(100, p)])
        p4 = self._customer("P4 new")
        self._invoice(p4, date(2026, 3, 25), [(100, p)])
        p5 = self._customer("P5 stays")
        self._invoice(p5, date(2025, 12, 1), [(100, p)])
        # the report reads the purchase facts: invoices written as rows get theirs as at the recompute
        self.env["rs.purchase.fact"]._fill_missing(self.value_company)
        Report = self.env["rs.customer.rate.report"]
        self.assertEqual(Report._store_months(self.value_company, last_month=date(2026, 6, 1)), 16)
        self.assertEqual(
            Report._store_months(self.value_company, last_month=date(2026, 6, 1)),
            16,
            "rewritten, not added",
        )
        self.assertEqual(
            Report.search_count([("company_id", "=", self.value_company.id)]), 16, "03/2025-06/2026"
        )
        march = self.env["rs.customer.rate.report"].search(
            [("company_id", "=", self.value_company.id), ("month", "=", date(2026, 3, 1))]
        )
        self.assertEqual(
            march.read(
                [
                    "active_start_count",
                    "active_end_count",
                    "churned_count",
                    "buyer_count",
                    "repeat_buyer_count",
                    "new_count",
                    "referred_new_count",
                ]
            )[0]
            | {"id": 0},
            {
                "id": 0,
                "active_start_count": 3,  # P1, P2, P5
                "active_end_count": 4,  # P2, P3, P4, P5
                "churned_count": 1,  # P1
                "buyer_count": 4,
                "repeat_buyer_count": 1,  # P2
                "new_count": 2,  # P3, P4
                "referred_new_count": 1,  # P3
            },
        )
        self.assertAlmostEqual(march.churn_rate, 100 / 3)
        # the one-month reading agrees with the stored figures
        active, churned, rate = Report._churn_rate(self.value_company, date(2026, 3, 1))
        self.assertEqual((active, churned), (3, 1))
        self.assertAlmostEqual(rate, march.churn_rate)
        for month in Report.search([("company_id", "=", self.value_company.id)]):
            self.assertEqual(
                Report._churn_rate(self.value_company, month.month)[:2],
                (month.active_start_count, month.churned_count),
                month.month,
            )
        self.assertEqual(march.repeat_rate, 25)
        self.assertEqual(march.referral_rate, 50)

    def test_nightly_job_writes_the_recent_months_and_a_manager_backfills(self):
        buyer = self._customer("Buyer")
        self.env["rs.purchase.fact"]._fill_missing(self.value_company)
        Report = self.env["rs.customer.rate.report"]
        today = date.today()
        self._invoice(buyer, today - relativedelta(months=14), [(100, self.product_30)])
        self.value_company.rs_value_computed_date = False
        Value = self.env["rs.customer.value"]
        while Value._cron_recompute():
            pass
        months = Report.search([("company_id", "=", self.value_company.id)]).mapped("month")
        this_month = today.replace(day=1)
        self.assertEqual(sorted(months), [this_month - relativedelta(months=1), this_month])
        with self.assertRaises(UserError):
            Report.with_user(self.users["user_all"]).action_rs_backfill()
        manager = self.users["manager"]
        manager.company_ids |= self.value_company
        Report.with_user(manager).with_context(
            allowed_company_ids=[self.value_company.id]
        ).action_rs_backfill()
        self.assertEqual(Report.search_count([("company_id", "=", self.value_company.id)]), 15)
