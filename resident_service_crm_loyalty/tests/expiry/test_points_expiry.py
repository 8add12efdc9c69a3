import datetime

from freezegun import freeze_time

from odoo.tests import tagged

from ...tools.expiry import consume, expiry_date, release
from ..common import LedgerCommon

D = datetime.date


@tagged("post_install", "-at_install")
class TestPointsExpiry(LedgerCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.program.write({"rs_points_expiry_mode": "months", "rs_points_expiry_months": 6})

    def _earn(self, day, amount):
        with freeze_time(day):
            invoice = self._invoice([(self.cleaning, 1, amount)])
        return invoice, self._entries(invoice, "earn")

    def _set_balance(self, day, balance):
        with freeze_time(day):
            self.env["loyalty.card.update.balance"].create(
                {"card_id": self._card().id, "new_balance": balance, "description": "Spent at the desk"}
            ).action_update_card_point()

    def _expire(self, day):
        """Run the expiry job until nothing remains; return how many earnings it expired."""
        total = 0
        with freeze_time(day):
            while True:
                done, remaining = self.env["loyalty.history"]._rs_points_expire_batch(2)
                total += done
                if not remaining:
                    return total

    def test_expiry_dates_from_the_program(self):
        self.assertEqual(expiry_date("months", 6, D(2026, 1, 10)), D(2026, 7, 9))
        self.assertEqual(expiry_date("months", 1, D(2026, 1, 31)), D(2026, 2, 27))
        self.assertEqual(expiry_date("year_end", 0, D(2026, 3, 5)), D(2026, 12, 31))
        self.assertIsNone(expiry_date("never", 12, D(2026, 3, 5)))
        _invoice, earning = self._earn("2026-01-10", 100.0)
        self.assertEqual(earning.rs_points_expiry_date, D(2026, 7, 9))
        self.program.rs_points_expiry_mode = "year_end"
        _invoice, earning = self._earn("2026-03-05", 10.0)
        self.assertEqual(earning.rs_points_expiry_date, D(2026, 12, 31))

    def test_adjustment_adding_points_is_an_earning_that_expires(self):
        self._earn("2026-01-10", 100.0)
        self._set_balance("2026-02-01", 150.0)
        adjustment = self._entries(kind="adjust")
        self.assertEqual((adjustment.issued, adjustment.rs_points_expiry_date), (50.0, D(2026, 7, 31)))
        self.assertEqual(adjustment.rs_points_remaining, 50.0)

    def test_fifo_by_expiry_across_earnings_and_partial_consumption(self):
        _a, first = self._earn("2026-01-10", 100.0)
        _b, second = self._earn("2026-03-05", 50.0)
        self.program.rs_points_expiry_mode = "never"
        _c, third = self._earn("2026-03-06", 20.0)
        self.assertFalse(third.rs_points_expiry_date)
        self._set_balance("2026-04-01", 140.0)  # spends 30: from the first earning only
        self.assertEqual((first + second + third).mapped("rs_points_remaining"), [70.0, 50.0, 20.0])
        self._set_balance("2026-04-02", 30.0)  # spends 110: the rest of the first, 40 of the second
        self.assertEqual((first + second + third).mapped("rs_points_remaining"), [0.0, 10.0, 20.0])
        card = self._card()
        with freeze_time("2026-08-20"):
            card.invalidate_recordset()
            self.assertEqual(card.rs_points_next_expiry_date, D(2026, 9, 4))
            self.assertEqual(card.rs_points_next_expiry, 10.0)
            self.assertEqual(card.rs_points_expiring_soon, 10.0)
            self.assertEqual(card.rs_points_lot_ids, second + third, "earliest expiry first, never last")
        self.assertInvariant()

    def test_a_credit_note_takes_back_its_own_earning_first(self):
        _a, first = self._earn("2026-01-10", 100.0)
        second_invoice, second = self._earn("2026-03-05", 50.0)
        with freeze_time("2026-03-10"):
            self._credit_note(second_invoice)
        self.assertEqual((first + second).mapped("rs_points_remaining"), [100.0, 0.0])
        self.assertInvariant()

    def test_expiry_job_twice_expires_once_what_is_left_of_a_partly_spent_earning(self):
        _a, first = self._earn("2026-01-10", 100.0)
        _b, second = self._earn("2026-03-05", 50.0)
        self._set_balance("2026-04-01", 110.0)  # 40 of the first are spent
        self.assertEqual(self._expire("2026-07-09"), 0, "the last day of validity is still valid")
        self.assertEqual(self._expire("2026-07-10"), 1)
        expired = self._entries(kind="expire")
        self.assertEqual((expired.used, expired.rs_ledger_source_id), (60.0, first.id))
        self.assertEqual(self._points(), 50.0)
        self.assertEqual((first + second).mapped("rs_points_remaining"), [0.0, 50.0])
        self.assertEqual(self._expire("2026-07-11"), 0, "a second run expires nothing")
        self.assertEqual(len(self._entries(kind="expire")), 1)
        self.assertEqual(self._expire("2026-09-05"), 1)
        self.assertEqual(self._points(), 0.0)
        balances = self._card().history_ids.sorted("id").mapped("rs_ledger_balance")
        self.assertEqual(balances, [100, 150, 110, 50, 0])
        self.assertInvariant()

    def test_expiry_job_takes_no_more_than_the_card_holds(self):
        """Points removed without an entry (Odoo's partner merge writes the balance) are
        taken from the earliest earnings before the job expires the rest."""
        _a, first = self._earn("2026-01-10", 100.0)
        self._card().points = 30.0
        self.env["loyalty.history"].sudo().create(
            {"card_id": self._card().id, "description": "merge", "used": 70.0}
        )  # keep the invariant of the test as Odoo's history would not
        self.assertEqual(first.rs_points_remaining, 30.0)
        self._card().points = 10.0  # and now without any row
        self.assertEqual(self._expire("2026-07-10"), 1)
        self.assertEqual(self._entries(kind="expire").used, 10.0)
        self.assertEqual(self._points(), 0.0)

    def test_fifo_and_release_arithmetic(self):
        lots = [
            {"id": 1, "expiry_date": None, "remaining": 10.0, "origin": None},
            {"id": 2, "expiry_date": D(2026, 9, 1), "remaining": 10.0, "origin": ("x", 1)},
            {"id": 3, "expiry_date": D(2026, 7, 1), "remaining": 10.0, "origin": None},
        ]
        self.assertEqual(consume(lots, 15.0), [(3, 10.0), (2, 5.0)])
        self.assertEqual(consume(lots, 8.0, preferred=("x", 1)), [(2, 5.0), (1, 3.0)])
        self.assertEqual(consume(lots, 50.0), [(1, 7.0)])
        held = [(1, None, 3.0), (2, D(2026, 9, 1), 10.0), (3, D(2026, 7, 1), 10.0)]
        self.assertEqual(release(held, 12.0), [(1, 3.0), (2, 9.0)])
