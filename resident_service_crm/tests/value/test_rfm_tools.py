"""The pure calculations of customer value: scores, segments, churn risk, tiers, lifecycle."""

import math

from odoo.tests import BaseCase, tagged

from ...tools import rfm

T = rfm.Thresholds()  # window 365, recent 90, late 1.5, drop 30 %, growth 20 %, band 20 %, 2 purchases


def stage(**values):
    """The lifecycle table on a customer who bought in the window, as a mature one would."""
    base = {
        "current": rfm.MATURITY,
        "ever_purchased": True,
        "frequency": 6,
        "monetary": 600.0,
        "prev_frequency": 6,
        "prev_monetary": 600.0,
        "recency_days": 30,
        "days_since_first": 800,
        "days_in_stage": 200,
    }
    base.update(values)
    return rfm.lifecycle_target(**base, thresholds=T)


@tagged("post_install", "-at_install")
class TestRfmTools(BaseCase):
    def test_score_and_percent_rank_with_ties(self):
        self.assertEqual([rfm.score(x) for x in (0, 0.19, 0.2, 0.5, 0.79, 0.8, 1)], [1, 1, 2, 3, 4, 5, 5])
        self.assertEqual(rfm.percent_ranks([10, 20, 20, 40]), [0, 1 / 3, 1 / 3, 1])
        self.assertEqual(rfm.percent_ranks([10, 20, 20, 40], descending=True), [1, 1 / 3, 1 / 3, 0])
        self.assertEqual(rfm.percent_ranks([7]), [0.0])

    def test_rfm_scores(self):
        rows = {
            "a": (10, 3, 3000),
            "b": (10, 1, 500),
            "c": (250, 2, 400),
            "f": (30, 1, 500),
            "lost": (400, 0, 0),
            "never": (None, None, None),
        }
        self.assertEqual(
            rfm.rfm_scores(rows),
            {
                "a": (4, 5, 5),  # recency tied with b: equal scores
                "b": (4, 1, 2),
                "c": (1, 4, 1),
                "f": (2, 1, 2),  # monetary tied with b
                "lost": (0, 0, 0),  # no purchase in the window: unscored
                "never": (0, 0, 0),
            },
        )

    def test_segments(self):
        self.assertEqual(rfm.segment(4, 5, 5), "important_value")
        self.assertEqual(rfm.segment(3, 2, 3), "important_develop")
        self.assertEqual(rfm.segment(2, 3, 3), "important_retain")
        self.assertEqual(rfm.segment(1, 1, 5), "important_winback")
        self.assertEqual(rfm.segment(5, 3, 2), "general_value")
        self.assertEqual(rfm.segment(4, 1, 2), "general_develop")
        self.assertEqual(rfm.segment(1, 4, 1), "general_retain")
        self.assertEqual(rfm.segment(2, 2, 2), "general_winback")
        self.assertEqual(rfm.segment(2, 2, 2, high=2), "important_value", "the threshold is a setting")
        self.assertFalse(rfm.segment(0, 0, 0))

    def test_churn_risk(self):
        self.assertIsNone(rfm.base_churn_risk(False, 0, 0, 365), "never bought: no risk")
        self.assertEqual(rfm.base_churn_risk(True, 0, 400, 365), 100.0, "lost")
        self.assertEqual(rfm.base_churn_risk(True, 3, 10, 365), 0.0)
        self.assertEqual(rfm.base_churn_risk(True, 2, 182.5, 365), 0.0, "exactly one usual interval")
        self.assertAlmostEqual(
            rfm.base_churn_risk(True, 2, 250, 365), 100 * (1 - math.exp(-(250 / 182.5 - 1)))
        )
        self.assertAlmostEqual(rfm.base_churn_risk(True, 1, 730, 365), 100 * (1 - math.exp(-1)))
        self.assertEqual(rfm.churn_risk(0.0, 40), 40.0)
        self.assertEqual(rfm.churn_risk(90.0, 30), 100.0, "clamped")
        self.assertEqual(rfm.churn_risk(10.0, -20), 0.0, "clamped")
        self.assertIsNone(rfm.churn_risk(None, 0))
        self.assertIsNone(rfm.churn_risk(None, 15), "a complaint of a customer who never bought: no risk")

    def test_value_figures(self):
        self.assertEqual(rfm.percentile([150, 250]), 225)
        self.assertEqual(rfm.percentile([1, 2, 3, 4, 5]), 4)
        self.assertEqual(rfm.percentile([]), 0)
        self.assertEqual(rfm.growth_potential(150, 225, 0), 75)
        self.assertAlmostEqual(rfm.growth_potential(150, 225, 40), 45)
        self.assertEqual(rfm.growth_potential(250, 225, 0), 0, "never negative")

    def test_tier_rules(self):
        rules = [
            ("gold", 2000, 3, frozenset()),
            ("retain", 0, 0, frozenset({"general_retain", "important_retain"})),
            ("regular", 0, 1, frozenset()),
            ("potential", 0, 0, frozenset()),
        ]
        self.assertEqual(rfm.tier_for(rules, 2000, 3, "important_value"), "gold", "at both thresholds")
        self.assertEqual(rfm.tier_for(rules, 1999.99, 3, "important_value"), "regular", "monetary below")
        self.assertEqual(rfm.tier_for(rules, 5000, 2, "important_value"), "regular", "frequency below")
        self.assertEqual(rfm.tier_for(rules, 400, 2, "general_retain"), "retain", "by segment")
        self.assertEqual(rfm.tier_for(rules, 0, 0, False), "potential")
        self.assertFalse(rfm.tier_for(rules[:1], 0, 0, False))

    def test_lifecycle_rows(self):
        self.assertEqual(stage(ever_purchased=False, frequency=0), (rfm.POTENTIAL, rfm.R_NEVER))
        self.assertEqual(stage(frequency=0, recency_days=400), (rfm.LOST, rfm.R_LOST))
        # reactivated: a purchase within 90 days after being lost, and kept 90 days
        self.assertEqual(
            stage(current=rfm.LOST, frequency=1, recency_days=90), (rfm.REACTIVATED, rfm.R_REACTIVATED)
        )
        self.assertEqual(stage(current=rfm.LOST, frequency=1, recency_days=91)[0], rfm.DECLINE)
        self.assertEqual(
            stage(current=rfm.REACTIVATED, days_in_stage=89, frequency=1, recency_days=89),
            (rfm.REACTIVATED, rfm.R_STILL_REACTIVATED),
        )
        self.assertEqual(stage(current=rfm.REACTIVATED, days_in_stage=90), (rfm.MATURITY, rfm.R_STABLE))
        # decline: recency beyond 1.5 usual intervals (6 purchases: 60.83 days, limit 91.25)
        self.assertEqual(stage(recency_days=91)[0], rfm.MATURITY)
        self.assertEqual(stage(recency_days=92), (rfm.DECLINE, rfm.R_LATE))
        # frequency or value down 30 % when the previous window had 2+ purchases
        self.assertEqual(stage(prev_frequency=10, frequency=7, monetary=700)[0], rfm.DECLINE)
        self.assertEqual(stage(prev_frequency=10, frequency=7, monetary=700)[1], rfm.R_FREQ_DROP)
        self.assertNotEqual(stage(prev_frequency=10, frequency=8, monetary=800)[0], rfm.DECLINE)
        self.assertEqual(stage(prev_monetary=1000, monetary=700), (rfm.DECLINE, rfm.R_VALUE_DROP))
        self.assertNotEqual(stage(prev_monetary=1000, monetary=701)[0], rfm.DECLINE)
        self.assertNotEqual(
            stage(prev_frequency=1, frequency=1, recency_days=10, prev_monetary=1000, monetary=100)[0],
            rfm.DECLINE,
            "a previous window of one purchase is no basis for a drop",
        )
        self.assertEqual(stage(decline_signal=True), (rfm.DECLINE, rfm.R_SIGNAL))
        # acquisition: first purchase within 90 days
        first = {"frequency": 1, "prev_frequency": 0, "prev_monetary": 0, "recency_days": 5}
        self.assertEqual(stage(days_since_first=90, **first), (rfm.ACQUISITION, rfm.R_FIRST))
        self.assertEqual(stage(days_since_first=91, **first), (None, None))
        # growth: frequency up 20 %, or 2+ purchases in a first year
        self.assertEqual(stage(prev_frequency=5, frequency=6), (rfm.GROWTH, rfm.R_FREQ_UP))
        self.assertEqual(stage(prev_frequency=6, frequency=7), (rfm.MATURITY, rfm.R_STABLE), "up 16.7 %")
        self.assertEqual(
            stage(days_since_first=364, frequency=2, prev_frequency=0, prev_monetary=0, recency_days=10),
            (rfm.GROWTH, rfm.R_FIRST_YEAR),
        )
        self.assertEqual(
            stage(days_since_first=364, frequency=1, prev_frequency=0, prev_monetary=0, recency_days=10),
            (None, None),
        )
        # maturity: a year or more, frequency and value within 20 %
        self.assertEqual(stage(days_since_first=365, monetary=720), (rfm.MATURITY, rfm.R_STABLE))
        self.assertEqual(stage(days_since_first=365, monetary=721), (None, None), "value up 20.2 %")
        self.assertEqual(
            stage(days_since_first=364, frequency=1, prev_frequency=1, recency_days=10),
            (None, None),
            "not a year yet",
        )

    def test_reactivated_for_90_days_then_the_table(self):
        again = {"current": rfm.REACTIVATED, "frequency": 1, "recency_days": 60, "monetary": 900.0,
                 "prev_frequency": 1, "prev_monetary": 600.0}  # fmt: skip
        self.assertEqual(stage(days_in_stage=89, **again), (rfm.REACTIVATED, rfm.R_STILL_REACTIVATED))
        self.assertEqual(
            stage(days_in_stage=90, **again),
            (rfm.ACQUISITION, rfm.R_REACTIVATION_OVER),
            "no other row holds: the relationship starts anew",
        )
        # 3 purchases a year: late beyond 1.5 x 121.67 = 182.5 days, the table's decline row
        self.assertEqual(
            stage(days_in_stage=90, **{**again, "frequency": 3, "recency_days": 183}),
            (rfm.DECLINE, rfm.R_LATE),
        )
        self.assertEqual(rfm.next_stage(rfm.REACTIVATED, rfm.ACQUISITION), rfm.ACQUISITION)
        self.assertEqual(
            stage(current=rfm.MATURITY, frequency=1, recency_days=60, monetary=900.0, prev_frequency=1,
                  prev_monetary=600.0),
            (None, None),
            "only a reactivated customer moves on when no row holds",
        )  # fmt: skip

    def test_a_year_is_365_days_whatever_the_window(self):
        short = rfm.Thresholds(window_days=180)
        first = {"current": rfm.ACQUISITION, "ever_purchased": True, "frequency": 2, "monetary": 200.0,
                 "prev_frequency": 0, "prev_monetary": 0.0, "recency_days": 10, "days_in_stage": 30,
                 "thresholds": short}  # fmt: skip
        self.assertEqual(rfm.lifecycle_target(days_since_first=364, **first), (rfm.GROWTH, rfm.R_FIRST_YEAR))
        self.assertEqual(rfm.lifecycle_target(days_since_first=365, **first), (None, None))
        stable = {**first, "current": rfm.GROWTH, "prev_frequency": 2, "prev_monetary": 200.0}
        self.assertEqual(rfm.lifecycle_target(days_since_first=364, **stable), (rfm.GROWTH, rfm.R_FIRST_YEAR))
        self.assertEqual(rfm.lifecycle_target(days_since_first=365, **stable), (rfm.MATURITY, rfm.R_STABLE))
        long = rfm.Thresholds(window_days=730)
        self.assertEqual(
            rfm.lifecycle_target(days_since_first=400, **{**stable, "thresholds": long}),
            (rfm.MATURITY, rfm.R_STABLE),
            "a 730-day window: a year is still 365 days",
        )

    def test_no_forward_skipping(self):
        self.assertEqual(rfm.next_stage(rfm.POTENTIAL, rfm.MATURITY), rfm.ACQUISITION)
        self.assertEqual(rfm.next_stage(rfm.ACQUISITION, rfm.MATURITY), rfm.GROWTH)
        self.assertEqual(rfm.next_stage(rfm.GROWTH, rfm.MATURITY), rfm.MATURITY)
        self.assertIsNone(rfm.next_stage(rfm.GROWTH, rfm.ACQUISITION), "never back along the forward stages")
        self.assertIsNone(rfm.next_stage(rfm.MATURITY, rfm.MATURITY))
        self.assertIsNone(rfm.next_stage(rfm.MATURITY, None))
        self.assertEqual(rfm.next_stage(rfm.ACQUISITION, rfm.DECLINE), rfm.DECLINE, "decline from anywhere")
        self.assertEqual(rfm.next_stage(rfm.GROWTH, rfm.LOST), rfm.LOST, "lost from anywhere")
        self.assertEqual(
            rfm.next_stage(rfm.DECLINE, rfm.MATURITY), rfm.MATURITY, "leaving decline: the table"
        )
        self.assertEqual(rfm.next_stage(rfm.REACTIVATED, rfm.GROWTH), rfm.GROWTH)
        self.assertEqual(rfm.next_stage(None, None), rfm.POTENTIAL, "every customer gets a stage")
        self.assertEqual(
            rfm.next_stage(None, None, ever_purchased=True),
            rfm.ACQUISITION,
            "a buyer is not a potential customer",
        )
        self.assertEqual(rfm.next_stage(None, rfm.LOST, ever_purchased=True), rfm.LOST)
        self.assertEqual(rfm.next_stage(None, rfm.MATURITY), rfm.ACQUISITION)
