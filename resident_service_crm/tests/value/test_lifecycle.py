"""Lifecycle stages through the engine: the table's rows, one forward step a night, moves
from anywhere to decline and lost, reactivation and what follows, history with reasons."""

from datetime import timedelta

from odoo.tests import tagged

from ..value_common import TODAY, CustomerValueCase


def day(offset):
    return TODAY + timedelta(days=offset)


@tagged("post_install", "-at_install")
class TestLifecycle(CustomerValueCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        p = cls.product_30
        cls.never = cls._customer("Never bought")
        cls.newcomer = cls._customer("Newcomer")
        cls._invoice(cls.newcomer, 10, [(100, p)])
        cls.steady = cls._customer("Steady for years")
        for days in (500, 380, 200, 100):
            cls._invoice(cls.steady, days, [(100, p)])
        cls.lost = cls._customer("Lost")
        cls._invoice(cls.lost, 400, [(800, p)])
        cls.slowing = cls._customer("Slowing down")
        for days in (700, 600, 500, 400, 300, 30):
            cls._invoice(cls.slowing, days, [(100, p)])

    def _history(self, partner):
        return self.env["rs.lifecycle.history"].search([("partner_id", "=", partner.id)], order="id")

    def test_first_night(self):
        self._recompute()
        self.assertEqual(self._stage(self.never), "potential")
        self.assertEqual(self._stage(self.newcomer), "acquisition")
        self.assertEqual(self._stage(self.lost), "lost", "lost from anywhere, at once")
        self.assertEqual(self._stage(self.slowing), "decline", "frequency 2 against 4: down 50 %")
        self.assertEqual(self._stage(self.steady), "acquisition", "stable, but one step at a time")
        self.assertEqual(self._history(self.never).mapped("reason"), ["never_purchased"])
        self.assertEqual(self._history(self.lost).mapped("reason"), ["no_purchase_in_window"])
        self.assertEqual(self._history(self.slowing).mapped("reason"), ["frequency_down"])
        self.assertIn("frequency 2 (previous 4)", self._history(self.slowing).detail)
        value = self._value(self.newcomer)
        self.assertEqual((value.stage_id.code, value.stage_date), ("acquisition", TODAY))

    def test_no_forward_skipping(self):
        for offset in range(4):
            self._recompute(day(offset))
        history = self._history(self.steady)
        self.assertEqual(
            [
                (h.date, h.old_stage_id.code, h.new_stage_id.code, h.target_stage_id.code, h.reason)
                for h in history
            ],
            [
                (day(0), False, "acquisition", "maturity", "one_step"),
                (day(1), "acquisition", "growth", "maturity", "one_step"),
                (day(2), "growth", "maturity", "maturity", "stable"),
            ],
        )
        self.assertEqual(self._stage(self.steady), "maturity")

    def test_one_step_a_day_even_when_run_twice(self):
        self._recompute()
        self._recompute()
        self.assertEqual(self._stage(self.steady), "acquisition")

    def test_reactivated_then_where_the_table_says(self):
        self._recompute()
        self.assertEqual(self._stage(self.lost), "lost")
        self._invoice(self.lost, day(5), [(800, self.product_30)])
        self._recompute(day(10))
        self.assertEqual(self._stage(self.lost), "reactivated")
        self.assertEqual(self._history(self.lost)[-1].reason, "purchase_after_lost")
        self._recompute(day(99))
        self.assertEqual(self._stage(self.lost), "reactivated", "kept for 90 days (89 here)")
        self._recompute(day(100))
        self.assertEqual(self._stage(self.lost), "maturity", "leaving reactivated: the table, no steps")
        self.assertEqual(self._history(self.lost)[-1].reason, "stable")

    def test_decline_and_lost_from_forward_stages(self):
        regular = self._customer("Regular")
        for days in (60, 40, 20):
            self._invoice(regular, days, [(100, self.product_30)])
        self._recompute()
        self.assertEqual(self._stage(regular), "acquisition")
        # three purchases a year: usual interval 121.67 days, late beyond 182.5 days
        self._recompute(day(162))
        self.assertEqual(self._stage(regular), "growth", "recency 182: on time, repeat buyer in a first year")
        self._recompute(day(163))
        self.assertEqual(self._stage(regular), "decline", "recency 183")
        self.assertEqual(self._history(regular)[-1].reason, "recency_beyond_interval")
        # a single purchase 10 days before TODAY leaves the 365-day window 355 days later
        self._recompute(day(354))
        self.assertEqual(self._stage(self.newcomer), "acquisition")
        self._recompute(day(355))
        self.assertEqual(self._stage(self.newcomer), "lost")
        self.assertEqual(self._value(self.newcomer).churn_risk, 100)

    def test_reactivated_lasts_90_days_then_the_table_moves_on(self):
        """Back after being lost, with a larger purchase: no row of the table holds once the
        90 days are over (value up 50 %: not stable, frequency 1 on 1: not growing, first
        purchase long ago: not new), so the relationship starts anew at acquisition."""
        back = self._customer("Back after a year")
        self._invoice(back, 400, [(800, self.product_30)])
        self._recompute()
        self.assertEqual(self._stage(back), "lost")
        self._invoice(back, day(5), [(1200, self.product_30)])
        self._recompute(day(10))
        self.assertEqual(self._stage(back), "reactivated")
        self._recompute(day(99))
        self.assertEqual(self._stage(back), "reactivated", "89 days in the stage")
        self._recompute(day(100))
        self.assertEqual(self._stage(back), "acquisition", "90 days: reactivated no longer")
        self.assertEqual(self._history(back)[-1].reason, "reactivation_over")
        self._recompute(day(101))
        self.assertEqual(self._stage(back), "acquisition", "and no way back to reactivated")

    def test_a_customer_who_never_bought_has_no_churn_risk(self):
        """A complaint adds churn risk to a buyer, never to a customer who has bought nothing
        yet: the risk is that of a purchase pattern ending."""
        complains = self._customer("Complains before buying")
        self.env["rs.complaint"].create(
            {
                "subject": "Nobody came to quote",
                "partner_id": complains.id,
                "company_id": self.value_company.id,
                "date": "2026-06-20 08:00:00",
            }
        )
        self._recompute()
        value = self._value(complains)
        self.assertEqual(
            (value.has_churn_risk, value.churn_risk, self._stage(complains)), (False, 0, "potential")
        )
        self.assertIn("1 complaint(s)", value.signal_note or "")
        # the first purchase, the next day: the complaint's points count from then on
        self._invoice(complains, day(1), [(100, self.product_30)])
        self._recompute(day(1))
        value = self._value(complains)
        self.assertEqual(
            (value.has_churn_risk, value.churn_risk), (True, self.value_company.rs_complaint_risk_points)
        )

    def test_a_year_is_365_days_whatever_the_window(self):
        """With a 180-day window, "repeat purchases in the first year" still means a first
        purchase less than 365 days ago."""
        self.value_company.rs_value_window_days = 180
        first_year = self._customer("Second purchase, first year")
        self._invoice(first_year, 364, [(100, self.product_30)])
        self._invoice(first_year, 20, [(100, self.product_30)])
        self._invoice(first_year, 10, [(100, self.product_30)])
        past_year = self._customer("Second purchase, past the year")
        self._invoice(past_year, 365, [(100, self.product_30)])
        self._invoice(past_year, 20, [(100, self.product_30)])
        self._invoice(past_year, 10, [(100, self.product_30)])
        self._recompute()
        history = {p: self._history(p)[-1] for p in (first_year, past_year)}
        self.assertEqual(history[first_year].target_stage_id.code, "growth", "364 days: the first year")
        self.assertEqual(history[first_year].new_stage_id.code, "acquisition")
        self.assertEqual(history[past_year].target_stage_id.code or False, False, "365 days: past it")


@tagged("post_install", "-at_install")
class TestDemoLifecycle(CustomerValueCase):
    def test_demo_customers_tell_the_lifecycle_story(self):
        """After the three nights the demo replays, the customers with a purchase history are
        where their history puts them (the demo company is the main one): their visits paid
        at the door count, as their invoices do."""

        def stage(name):
            return self.env.ref(f"resident_service_crm.partner_{name}").rs_stage_id.code

        self.assertEqual(
            {
                name: stage(name)
                for name in (
                    "chen_xiuying",
                    "wang_fang",
                    "robert_taylor",
                    "zhou_lei",
                    "li_hui",
                    "pan_xiaohong",
                )
            },
            {
                # 23 care visits paid on the spot this year, her first: repeat purchases
                "chen_xiuying": "growth",
                # 4 quarterly invoices last year; this year 4 again and 11 visits paid on the spot
                "wang_fang": "growth",
                "robert_taylor": "growth",
                "zhou_lei": "decline",
                "li_hui": "lost",
                "pan_xiaohong": "acquisition",
            },
        )
        chen = self.env.ref("resident_service_crm.partner_chen_xiuying")
        self.assertEqual(chen.rs_tier_id, self.env.ref("resident_service_crm.customer_tier_vip"))
        value = chen.rs_value_id
        # 22 care visits of 260 and one of 150, paid by WeChat Pay: 23 purchases, 5870
        self.assertEqual((value.frequency, value.monetary), (23, 5870))
        self.assertGreater(chen.rs_lifetime_value, 0)
        self.assertEqual(
            self.env.ref("resident_service_crm.partner_wang_fang").rs_tier_id,
            self.env.ref("resident_service_crm.customer_tier_key"),
        )
