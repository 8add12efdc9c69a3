"""The value engine on a small known data set: scores with ties and unscored customers,
segments, current value, growth potential, churn risk, signals, idempotence."""

import math
from unittest.mock import patch

from odoo import fields
from odoo.tests import tagged

from ...models.value.res_partner import ResPartner
from ..value_common import TODAY, CustomerValueCase


@tagged("post_install", "-at_install")
class TestCustomerValue(CustomerValueCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        p30, p50 = cls.product_30, cls.product_50
        cls.a = cls._customer("A three purchases")
        cls.b = cls._customer("B one recent")
        cls.c = cls._customer("C two old")
        cls.d = cls._customer("D lost")
        cls.e = cls._customer("E never")
        cls.f = cls._customer("F refunded")
        for days in (10, 100, 200):
            cls._invoice(cls.a, days, [(600, p30), (400, p30)])
        cls._invoice(cls.b, 10, [(500, p30)])
        cls._invoice(cls.c, 300, [(200, p30)])
        cls._invoice(cls.c, 250, [(200, p30)])
        cls._invoice(cls.d, 400, [(800, p30)])
        cls._invoice(cls.f, 30, [(600, p50)])
        cls._invoice(cls.f, 20, [(100, p50)], refund=True)
        # neither a draft invoice nor another company's invoice counts
        cls._invoice(cls.b, 5, [(9999, p30)], state="draft")
        cls._invoice(cls.b, 5, [(9999, p30)], company=cls.env.company)

    def test_figures(self):
        result = self._recompute()
        self.assertEqual(
            result["customers"],
            len(self.env["rs.customer.value"].search([("company_id", "=", self.value_company.id)])),
        )
        expected = {
            # partner: (recency, frequency, monetary, R, F, M, segment, current value)
            self.a: (10, 3, 3000, 4, 5, 5, "important_value", 900),
            self.b: (10, 1, 500, 4, 1, 2, "general_develop", 150),
            self.c: (250, 2, 400, 1, 4, 1, "general_retain", 120),
            self.f: (30, 1, 500, 2, 1, 2, "general_winback", 250),
            self.d: (400, 0, 0, 0, 0, 0, False, 0),
            self.e: (0, 0, 0, 0, 0, 0, False, 0),
        }
        for partner, (recency, frequency, monetary, r, f, m, segment, current) in expected.items():
            value = self._value(partner)
            self.assertEqual(
                (
                    value.recency_days,
                    value.frequency,
                    value.monetary,
                    value.r_score,
                    value.f_score,
                    value.m_score,
                    value.segment_id.code,
                    value.current_value,
                ),
                (recency, frequency, monetary, r, f, m, segment, current),
                partner.name,
            )
        self.assertEqual(self._value(self.d).prev_monetary, 800)
        self.assertEqual(self._value(self.d).prev_frequency, 1)

    def test_churn_risk_tiers_and_potential(self):
        self._recompute()
        value = {p: self._value(p) for p in (self.a, self.b, self.c, self.d, self.e, self.f)}
        self.assertEqual(value[self.a].churn_risk, 0)
        self.assertAlmostEqual(value[self.c].churn_risk, 100 * (1 - math.exp(-(250 / 182.5 - 1))), places=6)
        self.assertEqual(value[self.d].churn_risk, 100, "lost")
        self.assertTrue(value[self.d].has_churn_risk)
        self.assertFalse(value[self.e].has_churn_risk, "never bought: no churn risk")
        # tiers: gold by value and frequency, retain by segment, regular by one purchase
        tiers = {p: p.with_company(self.value_company).rs_tier_id for p in value}
        self.assertEqual(tiers[self.a], self.tier_gold)
        self.assertEqual(tiers[self.c], self.tier_retain)
        self.assertEqual(tiers[self.b], self.tier_regular)
        self.assertEqual(tiers[self.f], self.tier_regular)
        self.assertEqual(tiers[self.d], self.tier_none)
        self.assertEqual(tiers[self.e], self.tier_none)
        self.assertEqual(value[self.a].tier_id, self.tier_gold, "the value row mirrors the tier")
        self.assertFalse(self.a.rs_tier_id, "company-dependent: nothing in the main company")
        # potential: regular tier current values 150 and 250, 75th percentile 225
        self.assertEqual(value[self.b].tier_p75, 225)
        self.assertEqual(value[self.b].growth_potential, 75)
        self.assertEqual(value[self.b].lifetime_value, 225)
        self.assertEqual(value[self.f].growth_potential, 0)
        self.assertEqual(value[self.f].lifetime_value, 250)
        self.assertEqual(value[self.a].lifetime_value, 900)
        self.assertIn("225", value[self.b].explanation)
        self.assertIn("Never purchased", value[self.e].explanation)
        history = self.env["rs.tier.history"].search([("partner_id", "=", self.a.id)])
        self.assertEqual(len(history), 1)
        self.assertEqual(
            (history.policy, history.new_tier_id, history.is_upgrade), ("value", self.tier_gold, False)
        )
        self.assertIn("3000.00", history.reason)

    def test_signals_add_risk_and_lower_potential(self):
        partner_b = self.b.id

        def signals(partners, company, today):
            result = {}
            partners._rs_add_signal(result, partner_b, risk=40, decline=True, reason="survey: unhappy")
            return result

        with patch.object(ResPartner, "_rs_value_signals", signals):
            self._recompute()
        value = self._value(self.b)
        self.assertEqual(value.churn_risk, 40)
        self.assertEqual(value.growth_potential, 45, "75 x (1 - 40 / 100)")
        self.assertEqual(value.signal_note, "survey: unhappy")
        self.assertIn("survey: unhappy", value.explanation)

    def test_no_signal_without_complaints(self):
        # with the complaint model installed, complaints of the last 90 days add risk; none here
        self.assertEqual(self.b._rs_value_signals(self.value_company, TODAY), {})

    def test_idempotent(self):
        self._recompute()
        tier_rows = self.env["rs.tier.history"].search_count([])
        stage_rows = self.env["rs.lifecycle.history"].search_count([])
        figures = self._value(self.c).read(["churn_risk", "lifetime_value", "segment_id", "stage_id"])
        again = self._recompute()
        self.assertEqual((again["tiers"], again["stages"]), (0, 0))
        self.assertEqual(self.env["rs.tier.history"].search_count([]), tier_rows)
        self.assertEqual(self.env["rs.lifecycle.history"].search_count([]), stage_rows)
        self.assertEqual(
            self._value(self.c).read(["churn_risk", "lifetime_value", "segment_id", "stage_id"]), figures
        )

    def test_recompute_selection_only(self):
        self._recompute(partner_ids=[self.a.id])
        self.assertTrue(self._value(self.a))
        self.assertFalse(self._value(self.b), "only the selection is written")
        self.assertEqual(self._value(self.a).r_score, 4, "but ranked among all customers")

    def _value_rows(self):
        return self.env["rs.customer.value"].search([("company_id", "=", self.value_company.id)])

    def test_cron_batches_by_company(self):
        """One step per call: stage the company, apply its customers two at a time, store its
        figures; then the next company. The result is the one-statement recompute's."""
        today = fields.Date.context_today(self.env["rs.customer.value"])
        self._recompute(today)
        reference = {
            v.partner_id: (v.tier_id, v.stage_id, v.lifetime_value, v.churn_risk) for v in self._value_rows()
        }
        self.env["rs.customer.value"].search([("company_id", "=", self.value_company.id)]).unlink()
        self.env["rs.lifecycle.history"].search([("company_id", "=", self.value_company.id)]).unlink()
        for partner in reference:
            partner.with_company(self.value_company).sudo().write({"rs_tier_id": False, "rs_stage_id": False})
        Value = self.env["rs.customer.value"]
        # the job's day is the user's day (context_today), not UTC's: late in the evening
        # UTC is still yesterday in Asia, and the other companies would count as not done
        self.env["res.company"].search([]).rs_value_computed_date = today
        self.value_company.rs_value_computed_date = False
        self.value_company.rs_value_batch_size = 2
        customers = len(reference)
        progress = []

        def notify(_cron, done, remaining):
            progress.append((done, remaining))

        with patch.object(type(self.env["ir.cron"]), "_notify_progress", notify):
            while Value._cron_recompute():
                pass
        batches = -(-customers // 2)
        # staged (0 done), the batches, the last step
        self.assertEqual(len(progress), 1 + batches + 1)
        self.assertEqual(progress[0], (0, customers + 1))
        self.assertEqual(progress[-1], (1, 0))
        self.assertEqual(sum(done for done, _remaining in progress[1:-1]), customers)
        got = {
            v.partner_id: (v.tier_id, v.stage_id, v.lifetime_value, v.churn_risk) for v in self._value_rows()
        }
        self.assertEqual(got, reference)
        self.assertEqual(Value._cron_recompute(), 0, "nothing left today")

    def test_cron_resumes_after_a_crash_without_doing_twice(self):
        Value = self.env["rs.customer.value"]
        self.env["res.company"].search([]).rs_value_computed_date = fields.Date.context_today(Value)
        self.value_company.rs_value_computed_date = False
        self.value_company.rs_value_batch_size = 2
        Value._cron_recompute()  # staged
        Value._cron_recompute()  # a first batch
        original = type(Value)._write_moves

        def crash(*args, **kwargs):
            original(*args, **kwargs)
            raise RuntimeError("the server stopped")

        with patch.object(type(Value), "_write_moves", crash), self.assertRaises(RuntimeError):
            with self.env.cr.savepoint():
                Value._cron_recompute()
        self.env.invalidate_all()
        while Value._cron_recompute():
            pass
        history = self.env["rs.lifecycle.history"].search([("company_id", "=", self.value_company.id)])
        self.assertEqual(len(history), len(history.partner_id), "one stage move per customer, none twice")
        self.assertEqual(len(self._value_rows()), len(history.partner_id))
        self.env.cr.execute("SELECT count(*) FROM rs_value_stage")
        self.assertEqual(self.env.cr.fetchone()[0], 0, "the stage is dropped when the job is done")
