from datetime import date

from odoo.tests import tagged
from odoo.tests.common import BaseCase

from ...tools.membership import (
    grace_end,
    keeps,
    last_review_date,
    next_review_date,
    rank,
    tier_after_review,
    tier_to_reach,
    value_keep_deadline,
)

TIERS = [(1, 1000, 600), (2, 300, 200), (3, 0, 0)]


@tagged("post_install", "-at_install")
class TestMembershipRules(BaseCase):
    def test_anniversary_review(self):
        since = date(2025, 3, 15)
        self.assertIsNone(last_review_date(date(2026, 3, 14), "anniversary", since))
        self.assertEqual(last_review_date(date(2026, 3, 15), "anniversary", since), date(2026, 3, 15))
        self.assertEqual(last_review_date(date(2027, 1, 2), "anniversary", since), date(2026, 3, 15))
        self.assertIsNone(last_review_date(date(2027, 1, 2), "anniversary", None))

    def test_leap_day_anniversary_falls_on_the_28th(self):
        self.assertEqual(
            last_review_date(date(2025, 3, 1), "anniversary", date(2024, 2, 29)), date(2025, 2, 28)
        )

    def test_fixed_review_after_a_full_year(self):
        since = date(2025, 6, 1)
        self.assertIsNone(last_review_date(date(2026, 2, 1), "fixed", since, 1, 1))
        self.assertEqual(last_review_date(date(2027, 2, 1), "fixed", since, 1, 1), date(2027, 1, 1))

    def test_grace_end(self):
        self.assertEqual(grace_end(date(2026, 1, 31), 1, "months"), date(2026, 2, 28))
        self.assertEqual(grace_end(date(2026, 1, 31), 10, "days"), date(2026, 2, 10))

    def test_tiers(self):
        self.assertEqual(tier_to_reach(TIERS, 999), 2)
        self.assertEqual(tier_to_reach(TIERS[:2], 10), None)
        self.assertEqual((rank(TIERS, 1), rank(TIERS, None), rank(TIERS, 99)), (0, 3, 3))
        self.assertTrue(keeps(TIERS, 1, 600))
        self.assertFalse(keeps(TIERS, 1, 599))
        self.assertEqual(tier_after_review(TIERS, 1, 250), 2)
        self.assertEqual(tier_after_review(TIERS, 1, 150), 3)
        self.assertEqual(tier_after_review(TIERS[:2], 2, 150), None)

    def test_next_review_is_the_day_to_keep_the_tier_by(self):
        since = date(2025, 3, 15)
        # before the first anniversary, on it, and after it
        self.assertEqual(next_review_date(date(2025, 9, 1), "anniversary", since), date(2026, 3, 15))
        self.assertEqual(next_review_date(date(2026, 3, 15), "anniversary", since), date(2026, 3, 15))
        self.assertEqual(next_review_date(date(2026, 3, 16), "anniversary", since), date(2027, 3, 15))
        self.assertIsNone(next_review_date(date(2026, 3, 16), "anniversary", None))
        # a fixed day, after a full year of membership
        self.assertEqual(next_review_date(date(2025, 9, 1), "fixed", since, 1, 1), date(2027, 1, 1))
        self.assertEqual(next_review_date(date(2027, 2, 1), "fixed", since, 1, 1), date(2028, 1, 1))

    def test_value_policy_keep_deadline(self):
        purchases = [
            (date(2026, 2, 1), 300.0, False),
            (date(2026, 5, 1), 400.0, False),
            (date(2026, 8, 1), 200.0, False),
        ]
        # 900 in the window: at least 500 holds until the February purchase leaves (700),
        # then the May one (200 left): it leaves on 1 May + 365 days
        self.assertEqual(value_keep_deadline(purchases, 365, 500, 0), date(2027, 5, 1))
        # three purchases at least: broken when the first one leaves
        self.assertEqual(value_keep_deadline(purchases, 365, 0, 3), date(2027, 2, 1))
        # a credit note lowers the amount but is no purchase
        refunded = [*purchases, (date(2026, 9, 1), -250.0, True)]
        self.assertEqual(value_keep_deadline(refunded, 365, 500, 0), date(2027, 2, 1))
        # not met now, or met with nothing bought
        self.assertIsNone(value_keep_deadline(purchases, 365, 1000, 0))
        self.assertIsNone(value_keep_deadline(purchases, 365, 0, 0))
