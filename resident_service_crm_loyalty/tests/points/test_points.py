from odoo.tests import tagged
from odoo.tests.common import BaseCase

from ...tools.points import allocate, points_left, refund_ratio, round_down, rule_points


def line(line_id, product, qty, total, counts=True):
    return {
        "id": line_id,
        "product_id": product,
        "quantity": qty,
        "price_subtotal": total,
        "price_total": total,
        "counts_for_amount": counts,
    }


@tagged("post_install", "-at_install")
class TestPoints(BaseCase):
    def test_allocate_adds_up_exactly(self):
        parts = allocate(10.0, {1: 1.0, 2: 1.0, 3: 1.0})
        self.assertAlmostEqual(sum(parts.values()), 10.0)
        self.assertEqual(sorted(parts.values()), [3.33, 3.33, 3.34])
        self.assertEqual(allocate(5.0, {1: 0.0}), {1: 0.0})

    def test_round_down_like_core(self):
        self.assertEqual(round_down(1.239), 1.23)
        self.assertEqual(round_down(0.29 * 100), 29.0)

    def test_rules(self):
        rules = [
            {
                "mode": "unit",
                "amount": 2,
                "minimum_amount": 0,
                "tax_mode": "incl",
                "minimum_qty": 0,
                "product_ids": {7},
            },
            {
                "mode": "money",
                "amount": 0.5,
                "minimum_amount": 0,
                "tax_mode": "incl",
                "minimum_qty": 0,
                "product_ids": {7, 8},
            },
            {
                "mode": "order",
                "amount": 9,
                "minimum_amount": 500,
                "tax_mode": "excl",
                "minimum_qty": 0,
                "product_ids": {7},
            },
        ]
        result = rule_points(rules, [line(1, 7, 3, 30.0), line(2, 8, 1, 11.0), line(3, 9, 1, 99.0)])
        self.assertEqual(result, {1: (6.0, 15.0), 2: (0.0, 5.5)})

    def test_refund_shares(self):
        self.assertEqual(refund_ratio(1, 4), 0.25)
        self.assertEqual(refund_ratio(5, 4), 1.0)
        self.assertEqual(refund_ratio(-10.0, -20.0), 0.5)
        self.assertEqual(points_left(40.0, 400.0, 0.25, 0.5), 230.0)
