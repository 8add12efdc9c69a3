"""The pure satisfaction formulas, on plain values."""

from odoo.tests import BaseCase, tagged

from ...tools import scores


@tagged("post_install", "-at_install")
class TestScores(BaseCase):
    def test_normalise_to_0_100(self):
        self.assertEqual(scores.normalise(1, 1, 5), 0.0)
        self.assertEqual(scores.normalise(4, 1, 5), 75.0)
        self.assertEqual(scores.normalise(7, 0, 10), 70.0)
        self.assertEqual(scores.normalise(4, 1, 7), 50.0)
        with self.assertRaises(ValueError):
            scores.normalise(3, 5, 5)

    def test_csi_weights_only_the_dimensions_answered(self):
        self.assertEqual(scores.csi({"a": 87.5, "b": 40.0}, {"a": 3, "b": 1, "c": 2}), 75.625)
        self.assertEqual(scores.csi({"a": 50.0}, {"a": 3, "b": 1}), 50.0)
        self.assertIsNone(scores.csi({}, {"a": 3}))
        self.assertIsNone(scores.csi({"z": 80.0}, {"z": 0}))

    def test_csat_nps_categories(self):
        self.assertEqual(
            [scores.is_csat_satisfied(v) for v in range(1, 6)], [False, False, False, True, True]
        )
        self.assertEqual(
            [scores.nps_category(v) for v in (0, 6, 7, 8, 9, 10)],
            ["detractor", "detractor", "passive", "passive", "promoter", "promoter"],
        )
        # 3 promoters, 1 passive, 2 detractors: 50% - 33.3%
        self.assertAlmostEqual(
            scores.nps(["promoter"] * 3 + ["passive"] + ["detractor"] * 2), 100 / 6, places=9
        )
        self.assertIsNone(scores.nps([]))

    def test_csi_drop(self):
        self.assertEqual(scores.csi_drop(55.0, 80.0), 25.0)
        self.assertEqual(scores.csi_drop(90.0, 80.0), 0.0)
        self.assertEqual(scores.csi_drop(None, 80.0), 0.0)
