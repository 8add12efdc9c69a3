from odoo.tests import BaseCase, tagged

from ...tools.completeness import COMPLETENESS_WEIGHTS, completeness, completeness_band


@tagged("post_install", "-at_install")
class TestCompleteness(BaseCase):
    def test_weights_add_up_to_a_hundred(self):
        self.assertEqual(sum(weight for _part, weight in COMPLETENESS_WEIGHTS), 100)

    def test_score_and_missing_parts_in_table_order(self):
        self.assertEqual(completeness(set()), (0, [part for part, _weight in COMPLETENESS_WEIGHTS]))
        # phone 20 + address 15 + consent 15 = 50
        self.assertEqual(
            completeness({"phone", "address", "consent"}),
            (50, ["email", "birthday", "household", "preferences", "channel"]),
        )
        self.assertEqual(completeness({part for part, _weight in COMPLETENESS_WEIGHTS}), (100, []))

    def test_bands_at_their_boundaries(self):
        self.assertEqual(
            [completeness_band(score) for score in (0, 39, 40, 79, 80, 100)],
            ["poor", "poor", "fair", "fair", "good", "good"],
        )
