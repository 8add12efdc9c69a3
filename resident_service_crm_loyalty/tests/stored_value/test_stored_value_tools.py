from odoo.tests import tagged
from odoo.tests.common import BaseCase

from ...tools.stored_value import largest_remainder, split_spending, to_cents, topup_bonus

TIERS = [
    {"min_amount": 100000, "bonus_type": "amount", "bonus_amount": 10000, "bonus_percent": 0},
    {"min_amount": 200000, "bonus_type": "percent", "bonus_amount": 0, "bonus_percent": 15},
]


def lot(lot_id, kind, remaining):
    return {"id": lot_id, "kind": kind, "remaining": remaining}


@tagged("post_install", "-at_install")
class TestStoredValueTools(BaseCase):
    def test_to_cents_rounds_half_up(self):
        self.assertEqual(to_cents(0.125), 13)
        self.assertEqual(to_cents(1100.0), 110000)
        self.assertEqual(to_cents(16.665), 1667)

    def test_bonus_of_the_highest_tier_reached(self):
        self.assertEqual(topup_bonus(99999, TIERS), 0)
        self.assertEqual(topup_bonus(100000, TIERS), 10000)
        self.assertEqual(topup_bonus(199999, TIERS), 10000)
        # 15% of 2,000.01 = 300.0015: 300.00
        self.assertEqual(topup_bonus(200001, TIERS), 30000)
        self.assertEqual(topup_bonus(200010, TIERS), 30002)

    def test_largest_remainder_adds_up(self):
        self.assertEqual(largest_remainder(10000, [100000, 10000]), [9091, 909])
        self.assertEqual(largest_remainder(1, [1, 1]), [1, 0])
        self.assertEqual(largest_remainder(100, [1, 1, 1]), [34, 33, 33])
        self.assertEqual(largest_remainder(5, [0, 0]), [0, 0])

    def test_spending_orders(self):
        lots = [
            lot(1, "principal", 50000),
            lot(2, "bonus", 3000),
            lot(3, "principal", 50000),
            lot(4, "bonus", 7000),
        ]
        self.assertEqual(split_spending(33000, lots, "bonus_first"), [(2, 3000), (4, 7000), (1, 23000)])
        self.assertEqual(split_spending(60000, lots, "principal_first"), [(1, 50000), (3, 10000)])
        self.assertEqual(
            split_spending(105000, lots, "principal_first"), [(1, 50000), (3, 50000), (2, 3000), (4, 2000)]
        )
        # 330 of 1,000 + 100: 300 and 30
        self.assertEqual(split_spending(33000, lots, "proportional"), [(1, 30000), (2, 3000)])
        with self.assertRaises(ValueError):
            split_spending(110001, lots, "bonus_first")
        with self.assertRaises(ValueError):
            split_spending(1, lots, "newest_first")
