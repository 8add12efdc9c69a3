from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestOverviewLoyalty(TransactionCase):
    def test_points_cards_equal_the_liability_report(self):
        cards = {card["key"]: card for card in self.env["rs.overview"].get_overview()["cards"]}
        rows = self.env["rs.loyalty.points.report"].search_read(
            [("company_id", "=", self.env.company.id)], ["points", "value"]
        )
        self.assertAlmostEqual(cards["outstanding_points"]["value"], sum(r["points"] for r in rows), places=2)
        self.assertAlmostEqual(cards["points_liability"]["value"], sum(r["value"] for r in rows), places=2)
        self.assertGreater(cards["outstanding_points"]["value"], 0, "the demo's members hold points")
        # the base cards are still there
        self.assertIn("open_complaints", cards)
