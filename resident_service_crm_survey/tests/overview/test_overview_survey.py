from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestOverviewSurvey(TransactionCase):
    def test_satisfaction_cards_and_charts_equal_the_report(self):
        data = self.env["rs.overview"].get_overview()
        cards = {card["key"]: card for card in data["cards"]}
        charts = {chart["key"]: chart for chart in data["charts"]}
        domain = cards["csi"]["action"]["domain"]
        rows = self.env["rs.survey.report"].search_read(domain, ["csi", "nps", "result_id"])
        scored = [r for r in rows if r["result_id"]]
        self.assertTrue(scored, "the demo has answered surveys")
        csi_rows = self.env["rs.survey.report"].search(domain).filtered(lambda r: r.result_id.has_csi)
        self.assertAlmostEqual(cards["csi"]["value"], sum(csi_rows.mapped("csi")) / len(csi_rows), places=6)
        nps_rows = self.env["rs.survey.report"].search(domain).filtered(lambda r: r.result_id.has_nps)
        if nps_rows:
            self.assertAlmostEqual(
                cards["nps"]["value"], sum(nps_rows.mapped("nps")) / len(nps_rows), places=6
            )
        for bar in charts["csi_month"]["bars"]:
            month_rows = (
                self.env["rs.survey.report"]
                .search(domain + bar["domain"])
                .filtered(lambda r: r.result_id.has_csi)
            )
            self.assertAlmostEqual(
                bar["value"], round(sum(month_rows.mapped("csi")) / len(month_rows), 1), places=6
            )
