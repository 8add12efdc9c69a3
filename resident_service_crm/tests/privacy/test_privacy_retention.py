"""PIPL's storage limitation: once a month, the customers inactive for longer than the
company's retention period are listed for the privacy officer, who anonymises each one
through the erasure or keeps them with a reason."""

from datetime import date

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import SQL, mute_logger

from ..common import ResidentServiceCase

TODAY = date(2026, 12, 1)


@tagged("post_install", "-at_install")
class TestPrivacyRetention(ResidentServiceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.officer = cls.users["privacy_officer"]
        cls.company.write({"rs_retention_months": 36, "rs_privacy_officer_id": cls.officer.id})
        Partner = cls.env["res.partner"]
        names = ("Idle Ivy", "Buyer Bo", "Visited Vi", "Complainer Cai", "Requester Ren", "Newcomer Niu")
        cls.idle, cls.buyer, cls.visited, cls.complainer, cls.requester, cls.newcomer = Partner.create(
            [{"name": name, "rs_is_resident_customer": True, "company_id": cls.company.id} for name in names]
        )
        # everybody came five years ago, except the newcomer
        old = cls.idle | cls.buyer | cls.visited | cls.complainer | cls.requester
        cls.env.flush_all()
        cls.env.cr.execute(
            SQL("UPDATE res_partner SET create_date = '2021-06-01' WHERE id IN %s", tuple(old.ids))
        )
        Visit = cls.env["rs.service.record"]
        # a visit of 2021, paid on the spot only this year: a purchase within the period
        paid = Visit.create(
            {
                "partner_id": cls.buyer.id,
                "service_type_id": cls.service_type.id,
                "scheduled_start": "2021-07-01 09:00:00",
                "amount": 200,
            }
        )
        paid._pay_on_spot("cash", None, date=date(2026, 5, 4))
        Visit.create(
            {
                "partner_id": cls.visited.id,
                "service_type_id": cls.service_type.id,
                "scheduled_start": "2025-03-01 09:00:00",
            }
        )
        # the idle customer's last visit was four years ago
        Visit.create(
            {
                "partner_id": cls.idle.id,
                "service_type_id": cls.service_type.id,
                "scheduled_start": "2022-10-01 09:00:00",
            }
        )
        cls.env["rs.complaint"].create({"partner_id": cls.complainer.id, "subject": "Still waiting"})
        cls.env["rs.privacy.request"].create({"partner_id": cls.requester.id, "request_type": "access"})
        cls.ours = old | cls.newcomer

    def _propose(self, day=TODAY):
        return self.env["rs.privacy.retention.review"]._cron_propose(day)

    def _proposed(self, reviews):
        return reviews.line_ids.partner_id & self.ours

    def test_only_the_inactive_are_proposed(self):
        review = self._propose()
        self.assertEqual(self._proposed(review), self.idle)
        line = review.line_ids.filtered(lambda line: line.partner_id == self.idle)
        self.assertEqual(line.last_activity_date, date(2022, 10, 1))
        self.assertEqual(review.cutoff_date, date(2023, 12, 1))
        todo = review.activity_ids
        self.assertEqual(todo.user_id, self.officer)
        self.assertIn("inactive customers", todo.summary)
        self.assertFalse(self._propose(), "a second run the same day proposes nothing")
        self.assertFalse(
            self._proposed(self._propose(date(2027, 1, 1))),
            "a customer waiting for a decision is not proposed again",
        )

    def test_keep_with_a_reason(self):
        line = self._propose().line_ids.filtered(lambda line: line.partner_id == self.idle)
        line = line.with_user(self.officer)
        with self.assertRaisesRegex(UserError, "Say why"):
            line.action_keep()
        line.write({"keep_reason": "Pays a yearly contract by bank transfer"})
        line.action_keep()
        self.assertEqual((line.decision, line.decided_by_id), ("kept", self.officer))
        self.assertFalse(self._proposed(self._propose(date(2027, 1, 1))), "kept within the period")
        self.assertEqual(
            self._proposed(self._propose(date(2030, 1, 1))),
            self.idle | self.visited | self.buyer | self.newcomer,
            "proposed again once a whole period has passed since it was kept",
        )

    def test_confirm_anonymises_through_the_erasure(self):
        line = self._propose().line_ids.filtered(lambda line: line.partner_id == self.idle)
        line.with_user(self.officer).action_confirm()
        self.assertEqual(line.decision, "confirmed")
        self.assertTrue(self.idle.rs_erased)
        self.assertNotIn("Ivy", self.idle.name)
        request = line.request_id
        self.assertEqual((request.request_type, request.state), ("erasure", "done"))
        self.assertIn("inactive beyond the retention period", " ".join(request.log_ids.mapped("detail")))
        with self.assertRaisesRegex(UserError, "decided on already"):
            line.with_user(self.officer).action_confirm()
        self.assertFalse(
            self._proposed(self._propose(date(2030, 1, 1))) & self.idle, "an erased customer stays out"
        )

    def test_only_the_officer_decides(self):
        line = self._propose().line_ids.filtered(lambda line: line.partner_id == self.idle)
        with self.assertRaisesRegex(UserError, "Only a privacy officer"):
            line.with_user(self.users["manager"]).action_confirm()
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            line.with_user(self.officer).write({"decision": "kept"})
        self.assertFalse(self.idle.rs_erased)

    def test_no_period_no_review(self):
        self.company.rs_retention_months = 0
        self.assertFalse(self._proposed(self._propose()))
