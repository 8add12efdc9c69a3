from odoo.tests import tagged

from ..membership_common import MembershipCommon


@tagged("post_install", "-at_install")
class TestMembershipTiers(MembershipCommon):
    def test_upgrade_at_once_when_an_earning_crosses_a_threshold(self):
        self._invoice([(self.cleaning, 1, 350.0)])
        self.assertEqual(self._tier(), self.silver, "upgraded in the posting's transaction")
        self._invoice([(self.cleaning, 1, 700.0)])
        self.assertEqual(self._tier(), self.gold)
        history = self._history()
        self.assertEqual(history.mapped("new_tier_id"), self.silver | self.gold)
        self.assertEqual(set(history.mapped("policy")), {"points"})
        self.assertEqual(history.mapped("is_upgrade"), [False, True])
        self.assertEqual(
            history[1].reason,
            "Membership points: qualifying points 1050.0 reach 1000.0, the threshold of Gold.",
        )

    def test_points_of_a_customer_below_every_threshold_give_the_entry_tier(self):
        self._invoice([(self.cleaning, 1, 20.0)])
        self.assertEqual(self._tier(), self.member)

    def test_no_downgrade_before_the_review_date(self):
        invoice = self._invoice([(self.cleaning, 1, 1000.0)])
        self.assertEqual(self._tier(), self.gold)
        self._credit_note(invoice)
        self.assertEqual(self.customer.with_company(self.company).rs_qualifying_points, 0.0)
        self.env["res.partner"]._cron_rs_membership_review()
        self._review(months=6)
        self.assertEqual(self._tier(), self.gold, "a member of less than a year has no review yet")
        self.assertEqual(len(self._history()), 1)

    def test_downgrade_after_the_grace_period_below_retention(self):
        invoice = self._invoice([(self.cleaning, 1, 1000.0)])
        self._member_for_a_year()
        self._credit_note(invoice, {0: {"price_unit": 900.0}})  # 100 points left
        self._review()
        partner = self.customer.with_company(self.company)
        self.assertEqual(partner.rs_tier_reviewed_on, self.today)
        self.assertEqual(self._tier(), self.gold, "the grace period starts at the review")
        self.assertTrue(partner.rs_tier_grace_until)
        grace_until = partner.rs_tier_grace_until
        self._review(days=(grace_until - self.today).days - 1)
        self.assertEqual(self._tier(), self.gold, "still in the grace period")
        self._review(days=(grace_until - self.today).days)
        self.assertEqual(self._tier(), self.member, "100 points keep neither Gold (600) nor Silver (200)")
        self.assertFalse(partner.rs_tier_grace_until)
        change = self._history()[-1]
        self.assertEqual(
            (change.old_tier_id, change.new_tier_id, change.policy), (self.gold, self.member, "points")
        )
        self.assertFalse(change.is_upgrade)
        self.assertIn("grace period ended", change.reason)
        self._review(days=(grace_until - self.today).days + 1)
        self.assertEqual(len(self._history()), 2, "a second run changes nothing")

    def test_no_grace_moves_down_on_the_review_date_to_the_tier_kept(self):
        self.company.rs_tier_grace_period = 0
        invoice = self._invoice([(self.cleaning, 1, 1000.0)])
        self._member_for_a_year()
        self._credit_note(invoice, {0: {"price_unit": 750.0}})  # 250 points left: Silver kept
        self._review()
        self.assertEqual(self._tier(), self.silver)

    def test_retention_kept_above_the_threshold(self):
        invoice = self._invoice([(self.cleaning, 1, 1000.0)])
        self._member_for_a_year()
        self._credit_note(invoice, {0: {"price_unit": 300.0}})  # 700 points: below 1000, above 600
        self._review()
        partner = self.customer.with_company(self.company)
        self.assertEqual(self._tier(), self.gold)
        self.assertEqual(partner.rs_tier_reviewed_on, self.today)
        self.assertFalse(partner.rs_tier_grace_until)
        self._review(months=3)
        self.assertEqual(self._tier(), self.gold, "reviewed once a year, kept until the next review")
        self.assertEqual(len(self._history()), 1)

    def test_points_back_during_the_grace_period_keep_the_tier(self):
        invoice = self._invoice([(self.cleaning, 1, 1000.0)])
        self._member_for_a_year()
        self._credit_note(invoice, {0: {"price_unit": 900.0}})
        self._review()
        self.assertTrue(self.customer.with_company(self.company).rs_tier_grace_until)
        self._invoice([(self.cleaning, 1, 300.0)])  # 100 + 300 x 2 (Gold multiplier) = 700
        self._review(days=40)
        self.assertEqual(self._tier(), self.gold)
        self.assertFalse(self.customer.with_company(self.company).rs_tier_grace_until)

    def test_fixed_review_date(self):
        self.company.write(
            {
                "rs_tier_review_mode": "fixed",
                "rs_tier_review_month": self.today.month,
                "rs_tier_review_day": self.today.day,
                "rs_tier_grace_period": 0,
            }
        )
        invoice = self._invoice([(self.cleaning, 1, 400.0)])
        self._member_for_a_year()
        self._credit_note(invoice)
        self._review(days=-1)
        self.assertEqual(self._tier(), self.silver, "the day before the review date")
        self._review()
        self.assertEqual(self._tier(), self.member)

    def test_manual_lock(self):
        self.customer.with_user(self.manager).with_company(self.company)._rs_set_tier(
            self.silver, "Agreed with the director", lock=True
        )
        invoice = self._invoice([(self.cleaning, 1, 2000.0)])
        self.assertEqual(self._tier(), self.silver, "a locked tier never moves up")
        self._member_for_a_year()
        self._credit_note(invoice)
        self._review(months=2)
        self.assertEqual(self._tier(), self.silver, "nor down")
        self.assertEqual(self._history().mapped("policy"), ["manual"])
        self.customer.with_user(self.manager).with_company(self.company)._rs_set_tier(
            self.silver, "Lock lifted", lock=False
        )
        self._invoice([(self.cleaning, 1, 1000.0)])
        self.assertEqual(self._tier(), self.gold)

    def test_only_the_active_policy_moves_tiers(self):
        self.company.rs_tier_policy = "value"
        self._invoice([(self.cleaning, 1, 2000.0)])
        self.assertFalse(self._tier())
        self._review()
        self.assertFalse(self._tier())

    def test_spend_basis(self):
        self.company.rs_tier_qualify_basis = "spend"
        self._invoice([(self.cleaning, 1, 350.0)])
        self.assertEqual(self._tier(), self.silver)
        self.assertEqual(self.customer.with_company(self.company).rs_qualifying_points, 350.0)

    def test_adjustments_do_not_qualify(self):
        self._invoice([(self.cleaning, 1, 100.0)])
        wizard = self.env["loyalty.card.update.balance"].create(
            {"card_id": self._card().id, "new_balance": 2100.0, "description": "gift"}
        )
        wizard.action_update_card_point()
        self.assertEqual(self._points(), 2100.0)
        self.assertEqual(self.customer.with_company(self.company).rs_qualifying_points, 100.0)
        self.assertEqual(self._tier(), self.member)

    def test_tier_multiplier_on_earnings(self):
        self._invoice([(self.cleaning, 1, 1000.0)])
        self.assertEqual(self._tier(), self.gold)
        invoice = self._invoice([(self.cleaning, 1, 100.0)])
        self.assertEqual(sum(self._entries(invoice, "earn").mapped("issued")), 200.0)
        self._credit_note(invoice, {0: {"price_unit": 50.0}})
        self.assertEqual(self._points(), 1100.0, "the credit note takes back the multiplied share")
        self.assertInvariant()

    def test_tier_pricelist_on_new_quotations(self):
        pricelist = self.env["product.pricelist"].create({"name": "Gold prices"})
        self.gold.pricelist_id = pricelist
        self._invoice([(self.cleaning, 1, 1000.0)])
        order = self.env["sale.order"].create({"partner_id": self.customer.id})
        self.assertEqual(order.pricelist_id, pricelist)
        other = self.env["sale.order"].create({"partner_id": self.partner_a.id})
        self.assertNotEqual(other.pricelist_id, pricelist)

    def test_service_priority_of_the_tier_for_complaints(self):
        self._invoice([(self.cleaning, 1, 1000.0)])
        self.assertEqual(self.customer._rs_tier(self.company).service_priority, "3")

    def test_queries_of_the_upgrade_at_posting_do_not_grow_with_lines(self):
        def posting_queries(lines, policy):
            self.company.sudo().rs_tier_policy = policy
            invoice = self._invoice([(self.cleaning, 1, 1.0 + index) for index in range(lines)], post=False)
            self.env.flush_all()
            self.env.invalidate_all()
            start = self.cr.sql_log_count
            invoice.action_post()
            self.env.flush_all()
            return self.cr.sql_log_count - start

        for policy in ("points", "value", "points", "value"):  # warm up: card, caches
            posting_queries(1, policy)
            posting_queries(10, policy)
        added_one = posting_queries(1, "points") - posting_queries(1, "value")
        added_ten = posting_queries(10, "points") - posting_queries(10, "value")
        self.assertEqual(added_ten, added_one, "the policy adds the same queries to 1 and 10 lines")
        self.assertLessEqual(added_one, 8)
