from datetime import datetime, timedelta

from psycopg2.errors import CheckViolation

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tests.common import new_test_user
from odoo.tools import mute_logger

from ...tools import service_rules
from ..common import ResidentServiceCase

NINE = datetime(2026, 3, 2, 9, 0)
ELEVEN = datetime(2026, 3, 2, 11, 0)


@tagged("post_install", "-at_install")
class TestPunctualityRule(ResidentServiceCase):
    def test_arrival_against_the_window(self):
        cases = [
            (NINE + timedelta(minutes=30), 0, ("on_time", 0.0)),
            (NINE - timedelta(minutes=10), 15, ("on_time", 0.0)),  # early within grace
            (NINE - timedelta(minutes=16), 15, ("early", 0.0)),
            (ELEVEN + timedelta(minutes=15), 15, ("on_time", 0.0)),  # late within grace
            (ELEVEN + timedelta(minutes=20), 15, ("late", 20.0)),  # lateness counts from window end
            (ELEVEN + timedelta(minutes=1), 0, ("late", 1.0)),
        ]
        for arrival, grace, expected in cases:
            self.assertEqual(service_rules.punctuality(NINE, ELEVEN, arrival, grace), expected, arrival)
        self.assertEqual(service_rules.punctuality(NINE, ELEVEN, False, 15), (False, 0.0))

    def test_service_record_shows_punctuality_with_the_company_grace(self):
        self.company.rs_punctuality_grace_minutes = 10
        record = self._service(self.own_customer, NINE)
        self.assertFalse(record.punctuality)
        record.arrival_time = ELEVEN + timedelta(minutes=25)
        self.assertEqual((record.punctuality, record.late_minutes), ("late", 25.0))
        record.arrival_time = ELEVEN + timedelta(minutes=5)
        self.assertEqual((record.punctuality, record.late_minutes), ("on_time", 0.0))
        self.company.rs_punctuality_grace_minutes = 0
        self.assertEqual(record.punctuality, "late", "a stricter grace applies at once")


@tagged("post_install", "-at_install")
class TestFirstTimeFixRule(ResidentServiceCase):
    def _done(self, start, outcome="resolved", service_type=None):
        record = self._service(
            self.own_customer, start, service_type_id=(service_type or self.repair_type).id
        )
        record.write({"arrival_time": start, "finish_time": start + timedelta(hours=1), "outcome": outcome})
        record.action_done()
        return record

    def test_resolved_without_repeat_visit_is_a_first_time_fix(self):
        self.assertTrue(self._done(NINE).is_first_time_fix)
        self.assertFalse(self._done(NINE + timedelta(days=30), outcome="partly").is_first_time_fix)

    def test_a_repeat_visit_inside_the_window_takes_the_fix_away(self):
        self.company.rs_revisit_days = 7
        first = self._done(NINE)
        self.assertTrue(first.is_first_time_fix)
        repeat = self._service(
            self.own_customer, NINE + timedelta(days=5), service_type_id=self.repair_type.id
        )
        self.assertEqual(repeat.repeat_of_id, first)
        self.assertFalse(first.is_first_time_fix)
        # cancelling the repeat visit gives the fix back
        repeat.action_cancel()
        self.assertTrue(first.is_first_time_fix)

    def test_visits_outside_the_window_or_of_another_type_are_not_repeats(self):
        self.company.rs_revisit_days = 7
        first = self._done(NINE)
        repair = self.repair_type.id
        ac_cleaning = self.env.ref("resident_service_crm.service_type_ac_cleaning").id
        later = self._service(self.own_customer, NINE + timedelta(days=8), service_type_id=repair)
        other_type = self._service(self.own_customer, NINE + timedelta(days=2), service_type_id=ac_cleaning)
        other_customer = self._service(self.other_customer, NINE + timedelta(days=2), service_type_id=repair)
        self.assertFalse(later.repeat_of_id | other_type.repeat_of_id | other_customer.repeat_of_id)
        self.assertTrue(first.is_first_time_fix)

    def test_window_of_zero_days_links_nothing(self):
        self.company.rs_revisit_days = 0
        self._done(NINE)
        repeat = self._service(
            self.own_customer, NINE + timedelta(days=1), service_type_id=self.repair_type.id
        )
        self.assertFalse(repeat.repeat_of_id)

    def test_regular_rounds_are_never_repeat_visits(self):
        """Weekly cleaning is a round, not a repair that failed."""
        self.assertFalse(self.service_type.track_first_time_fix)
        first = self._done(NINE, service_type=self.service_type)
        self.assertFalse(first.is_first_time_fix)
        self.assertFalse(self._service(self.own_customer, NINE + timedelta(days=7)).repeat_of_id)


@tagged("post_install", "-at_install")
class TestServiceLifecycle(ResidentServiceCase):
    def test_start_then_done_records_times_and_outcome(self):
        record = self._service(self.own_customer)
        self.assertTrue(record.name.startswith("SRV/"))
        record.action_start()
        self.assertEqual(record.state, "in_progress")
        self.assertTrue(record.arrival_time)
        record.action_done()
        self.assertEqual((record.state, record.outcome), ("done", "resolved"))
        self.assertGreaterEqual(record.finish_time, record.arrival_time)
        with self.assertRaises(UserError):
            record.action_cancel()
        with self.assertRaises(UserError):
            record.action_start()

    def test_cancel_and_reschedule(self):
        record = self._service(self.own_customer)
        record.action_cancel()
        self.assertEqual(record.state, "cancelled")
        record.action_reset()
        self.assertEqual(record.state, "scheduled")

    @mute_logger("odoo.sql_db")
    def test_database_refuses_impossible_times(self):
        record = self._service(self.own_customer)
        with self.assertRaises(CheckViolation), self.cr.savepoint():
            record.write({"arrival_time": NINE, "finish_time": NINE - timedelta(hours=1)})
            record.flush_recordset()
        with self.assertRaises(CheckViolation), self.cr.savepoint():
            record.write({"scheduled_end": record.scheduled_start - timedelta(hours=1)})
            record.flush_recordset()

    def test_household_follows_the_customer_and_customer_becomes_resident(self):
        household = self.env["rs.household"].create(
            {"building": "3", "unit": "2", "room": "1201", "street": "Lake Rd"}
        )
        partner = self.env["res.partner"].create({"name": "Li Lei", "rs_household_id": household.id})
        record = self._service(partner)
        self.assertEqual(record.household_id, household)
        self.assertTrue(partner.rs_is_resident_customer)
        self.assertEqual(household.name, "Lake Rd 3-2-1201")

    def test_confirmed_sale_order_schedules_the_service(self):
        # no tax, as the demo's services: the visit's amount is the price, whatever the chart's default tax
        product = self.env["product.product"].create(
            {
                "name": "Regular cleaning, 2 hours",
                "type": "service",
                "list_price": 120,
                "taxes_id": [(5, 0, 0)],
            }
        )
        self.service_type.product_id = product
        other = self.env["product.product"].create(
            {"name": "Cleaning cloth", "type": "consu", "list_price": 5}
        )
        order = self.env["sale.order"].create(
            {
                "partner_id": self.own_customer.id,
                "user_id": False,
                "order_line": [
                    (0, 0, {"product_id": product.id, "product_uom_qty": 1}),
                    (0, 0, {"product_id": other.id, "product_uom_qty": 2}),
                ],
            }
        )
        # a salesperson who never opens the Resident Services application sells the visit
        salesperson = new_test_user(self.env, login="rs_seller", groups="sales_team.group_sale_salesman")
        order.with_user(salesperson).action_confirm()
        records = self.env["rs.service.record"].search([("sale_order_id", "=", order.id)])
        self.assertEqual(len(records), 1)
        self.assertEqual(records.service_type_id, self.service_type)
        self.assertEqual(records.amount, 120)
        self.assertEqual(records.state, "scheduled")
