from odoo.tests import tagged
from odoo.tests.common import BaseCase

from ...tools.package import refund_amount, session_share


@tagged("post_install", "-at_install")
class TestPackageTools(BaseCase):
    def test_price_per_session_and_the_last_takes_the_rest(self):
        # 1,000.00 for three sessions: 333.33, 333.33, and 333.34 for the last
        shares, remaining = [], 100000
        for left in (3, 2, 1):
            share = session_share(100000, 3, remaining, left)
            shares.append(share)
            remaining -= share
        self.assertEqual((shares, remaining), ([33333, 33333, 33334], 0))
        # 200.00 for three rounds up: 66.67, 66.67, then 66.66
        self.assertEqual(session_share(20000, 3, 20000, 3), 6667)
        self.assertEqual(session_share(20000, 3, 6666, 1), 6666)
        # never more than what is left
        self.assertEqual(session_share(20000, 3, 50, 2), 50)
        with self.assertRaises(ValueError):
            session_share(20000, 3, 0, 0)

    def test_refund_rates(self):
        # 1,000 for ten, three used, 700 left; listed at 120 a session
        self.assertEqual(refund_amount("paid", 100000, 70000, {1: 3}, {1: 12000}), 70000)
        self.assertEqual(refund_amount("list", 100000, 70000, {1: 3}, {1: 12000}), 64000)
        # capped at what is left, never below zero
        self.assertEqual(refund_amount("list", 100000, 70000, {1: 3}, {1: 5000}), 70000)
        self.assertEqual(refund_amount("list", 100000, 10000, {1: 9}, {1: 12000}), 0)
        with self.assertRaises(ValueError):
            refund_amount("free", 100000, 70000, {}, {})
