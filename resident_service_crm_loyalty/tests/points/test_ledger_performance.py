from odoo.tests import tagged

from ..common import LedgerCommon


@tagged("post_install", "-at_install")
class TestLedgerPerformance(LedgerCommon):
    def _posting_queries(self, lines, rs_earn_trigger):
        """Queries of posting a fresh invoice with this many lines, the program earning on
        invoices or not."""
        self.program.rs_earn_trigger = rs_earn_trigger
        invoice = self._invoice([(self.cleaning, 1, 10.0 + index) for index in range(lines)], post=False)
        self.env.flush_all()
        self.env.invalidate_all()
        start = self.cr.sql_log_count
        invoice.action_post()
        self.env.flush_all()
        return self.cr.sql_log_count - start

    def test_queries_added_to_a_posting_do_not_grow_with_its_lines(self):
        # warm up: the card exists, the caches are filled
        for trigger in ("invoice", "order", "invoice", "order"):
            self._posting_queries(1, trigger)
            self._posting_queries(10, trigger)
        added_one = self._posting_queries(1, "invoice") - self._posting_queries(1, "order")
        plain_ten = self._posting_queries(10, "order")
        added_ten = self._posting_queries(10, "invoice") - plain_ten
        self.assertEqual(added_ten, added_one, "the ledger adds the same queries to 1 and 10 lines")
        self.assertLessEqual(added_one, 12)
        self.program.rs_earn_trigger = "invoice"
        invoice = self._invoice([(self.cleaning, 1, 30.0 + index) for index in range(10)], post=False)
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertQueryCount(plain_ten + added_one):
            invoice.action_post()
            self.env.flush_all()
        self.assertEqual(len(self._entries(invoice, "earn")), 10)
        self.assertInvariant()
