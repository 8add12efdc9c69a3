from odoo.tests import Form, tagged

from ..common import ResidentServiceCase


@tagged("post_install", "-at_install")
class TestCustomerFormCost(ResidentServiceCase):
    def _form_queries(self, partner):
        """Queries spent opening the customer's form as the web client does."""
        partner.env.invalidate_all()
        before = self.cr.sql_log_count
        Form(partner)
        return self.cr.sql_log_count - before

    def test_form_costs_the_same_with_10_and_1000_services(self):
        few = self.env["res.partner"].create({"name": "Few Visits", "rs_is_resident_customer": True})
        many = self.env["res.partner"].create({"name": "Many Visits", "rs_is_resident_customer": True})
        for partner, count in ((few, 10), (many, 1000)):
            self.env["rs.service.record"].create(
                [
                    {
                        "partner_id": partner.id,
                        "service_type_id": self.service_type.id,
                        "scheduled_start": f"2025-{1 + i % 12:02d}-{1 + i % 28:02d} 09:00:00",
                        "user_id": False,
                    }
                    for i in range(count)
                ]
            )
            self.env["rs.communication"].create(
                [{"partner_id": partner.id, "summary": f"call {i}"} for i in range(count // 10)]
            )
        self.env.flush_all()
        self._form_queries(few)  # warm the view and registry caches
        queries = self._form_queries(few)
        self.assertEqual(self._form_queries(many), queries)
        with self.assertQueryCount(queries):
            self.env.invalidate_all()
            Form(many)
