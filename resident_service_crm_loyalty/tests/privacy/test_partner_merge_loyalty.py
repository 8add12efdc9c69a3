"""Merging two customers who both hold a member card: the points move through the ledger
with their expiry dates, so every card still equals its history."""

import datetime

from freezegun import freeze_time

from odoo.tests import tagged

from ..common import LedgerCommon


@tagged("post_install", "-at_install")
class TestPartnerMergeLoyalty(LedgerCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.program.write({"rs_points_expiry_mode": "months", "rs_points_expiry_months": 6})
        cls.duplicate = cls.env["res.partner"].create({"name": "Wang Fang (old record)"})

    def test_merge_moves_points_with_their_expiry_dates(self):
        with freeze_time("2026-01-10"):
            self._invoice([(self.cleaning, 1, 100.0)])
        with freeze_time("2026-03-05"):
            self._invoice([(self.cleaning, 1, 40.0)], partner=self.duplicate)
        with freeze_time("2026-04-20"):
            self._invoice([(self.cleaning, 1, 60.0)], partner=self.duplicate)
        kept_card, old_card = self._card(), self._card(partner=self.duplicate)
        self.assertEqual((kept_card.points, old_card.points), (100.0, 100.0))

        with freeze_time("2026-05-01"):
            self.env["base.partner.merge.automatic.wizard"]._merge(
                (self.customer | self.duplicate).ids, dst_partner=self.customer
            )

        self.assertFalse(self.duplicate.exists())
        self.assertEqual(kept_card.points, 200.0)
        self.assertEqual(old_card.points, 0.0)
        merged_in = kept_card.history_ids.filtered(lambda h: h.rs_ledger_kind == "merge_in").sorted(
            "rs_points_expiry_date"
        )
        self.assertEqual(
            [(h.issued, h.rs_points_expiry_date) for h in merged_in],
            [(40.0, datetime.date(2026, 9, 4)), (60.0, datetime.date(2026, 10, 19))],
        )
        self.assertEqual(old_card.history_ids.filtered(lambda h: h.rs_ledger_kind == "merge_out").used, 100.0)
        self.assertInvariant()
        # the merged points expire on their own dates, after the kept card's own earning
        self.assertEqual(kept_card.rs_points_next_expiry_date, datetime.date(2026, 7, 9))
        with freeze_time("2026-09-06"):
            self.env["loyalty.history"]._rs_points_expire_batch(1000)
        self.assertEqual(kept_card.points, 60.0)
        self.assertInvariant()
