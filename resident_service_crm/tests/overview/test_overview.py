"""The overview's numbers are the reports' numbers, and each card opens a list showing
exactly as many records as the card says."""

from odoo.tests import tagged
from odoo.tests.common import TransactionCase, new_test_user


@tagged("post_install", "-at_install")
class TestOverview(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.overview = cls.env["rs.overview"].get_overview()
        cls.cards = {card["key"]: card for card in cls.overview["cards"]}
        cls.charts = {chart["key"]: chart for chart in cls.overview["charts"]}

    def test_cards_open_lists_of_their_number(self):
        for key in ("active_customers", "open_complaints", "overdue_complaints", "care_due"):
            card = self.cards[key]
            action = card["action"]
            with self.subTest(card=key):
                self.assertEqual(self.env[action["res_model"]].search_count(action["domain"]), card["value"])
        self.assertGreater(self.cards["active_customers"]["value"], 0, "the demo has active customers")
        self.assertGreater(self.cards["open_complaints"]["value"], 0, "the demo has open complaints")

    def test_rates_equal_the_reports(self):
        month = self.cards["churn_rate"]["action"]["domain"]
        groups = self.env["rs.customer.rate.report"]._read_group(month, [], ["churn_rate:avg"])
        self.assertAlmostEqual(self.cards["churn_rate"]["value"], groups[0][0] or 0.0, places=6)
        sla = self.cards["sla_compliance"]
        groups = self.env["rs.complaint.sla.report"]._read_group(
            sla["action"]["domain"], [], ["met_percent:avg", "__count"]
        )
        average, count = groups[0]
        if count:
            self.assertAlmostEqual(sla["value"], average, places=6)
        else:
            self.assertIsNone(sla["value"])

    def test_charts_cover_every_record(self):
        matrix = self.charts["tier_stage"]
        values = self.env["rs.customer.value"].search(matrix["action"]["domain"])
        self.assertEqual(
            sum(sum(row["values"]) for row in matrix["rows"]),
            len(values.filtered(lambda v: v.tier_id and v.stage_id)),
        )
        pivot = {
            (tier.id, stage.id): count
            for tier, stage, count in self.env["rs.customer.value"]._read_group(
                matrix["action"]["domain"], ["tier_id", "stage_id"], ["__count"]
            )
        }
        for row in matrix["rows"]:
            for column, value in zip(matrix["columns"], row["values"], strict=True):
                self.assertEqual(value, pivot.get((row["id"], column["id"]), 0))
        for key in ("complaint_category", "complaint_root_cause"):
            chart = self.charts[key]
            self.assertEqual(
                sum(bar["value"] for bar in chart["bars"]),
                self.env["rs.complaint"].search_count(chart["action"]["domain"]),
            )
            self.assertTrue(chart["bars"], "the demo has complaints in the last 12 months")

    def test_each_role_sees_what_it_may_read(self):
        technician = new_test_user(
            self.env,
            login="overview_technician",
            groups="base.group_user,resident_service_crm.group_technician",
        )
        data = self.env["rs.overview"].with_user(technician).get_overview()
        self.assertNotIn("open_complaints", {card["key"] for card in data["cards"]})
        self.assertNotIn("tier_stage", {chart["key"] for chart in data["charts"]})
