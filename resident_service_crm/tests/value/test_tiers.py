"""Tiers: the value policy's rules, a manager's tier with a reason and a lock, history,
only the active policy moves tiers, upgrades as a care trigger."""

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from ..value_common import CustomerValueCase


@tagged("post_install", "-at_install")
class TestTiers(CustomerValueCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.big = cls._customer("Big spender")
        for days in (10, 100, 200):
            cls._invoice(cls.big, days, [(1000, cls.product_30)])
        cls.small = cls._customer("Small")
        cls._invoice(cls.small, 10, [(100, cls.product_30)])

    def _tier(self, partner):
        return partner.with_company(self.value_company).rs_tier_id

    def _history(self, partner):
        return self.env["rs.tier.history"].search([("partner_id", "=", partner.id)], order="id")

    def test_value_policy(self):
        self._recompute()
        self.assertEqual(self._tier(self.big), self.tier_gold)
        self.assertEqual(self._tier(self.small), self.tier_regular)
        self.assertEqual(self.big.with_company(self.value_company)._rs_tier(), self.tier_gold)
        self.assertEqual(self.big._rs_tier(self.value_company).service_priority, "3")
        # the threshold moves: below it, the next tier
        self.tier_gold.min_monetary = 3000.01
        self._recompute()
        self.assertEqual(self._tier(self.big), self.tier_regular)
        last = self._history(self.big)[-1]
        self.assertEqual(
            (last.old_tier_id, last.new_tier_id, last.is_upgrade), (self.tier_gold, self.tier_regular, False)
        )

    def test_locked_tier_survives_recompute(self):
        self._recompute()
        manager = self.users["manager"]
        partner = self.big.with_user(manager).with_company(self.value_company)
        partner._rs_set_tier(self.tier_regular, "Agreed with the director", lock=True)
        self.assertEqual(self._tier(self.big), self.tier_regular)
        self.assertTrue(self.big.with_company(self.value_company).rs_tier_locked)
        self._recompute()
        self.assertEqual(self._tier(self.big), self.tier_regular, "locked: the policy leaves it")
        history = self._history(self.big)
        self.assertEqual(
            [(h.policy, h.new_tier_id, h.reason, h.user_id, h.locked) for h in history[1:]],
            [("manual", self.tier_regular, "Agreed with the director", manager, True)],
            "nothing from the policy after the lock",
        )
        partner._rs_set_tier(self.tier_regular, "Lock lifted", lock=False)
        self._recompute()
        self.assertEqual(self._tier(self.big), self.tier_gold, "unlocked: the policy moves it again")
        self.assertEqual(self._history(self.big)[-1].policy, "value")

    def test_only_managers_set_tiers(self):
        for role in ("technician", "user_own", "user_all", "privacy_officer"):
            with self.assertRaises(UserError, msg=role):
                self.big.with_user(self.users[role])._rs_set_tier(self.tier_gold, "why not")
        with self.assertRaises(UserError):
            self.big.with_user(self.users["manager"])._rs_set_tier(self.tier_gold, " ")
        wizard = (
            self.env["rs.tier.set.wizard"]
            .with_user(self.users["manager"])
            .with_company(self.value_company)
            .create(
                {"partner_ids": self.small.ids, "tier_id": self.tier_gold.id, "reason": "Friend of the house"}
            )
        )
        wizard.action_apply()
        self.assertEqual(self._tier(self.small), self.tier_gold)
        self.assertEqual(self._history(self.small)[-1].reason, "Friend of the house")

    def test_only_the_active_policy_moves_tiers(self):
        policies = [code for code, _label in self.env["res.company"]._fields["rs_tier_policy"].selection]
        self.assertIn("value", policies)
        others = [code for code in policies if code != "value"]
        if others:
            self.value_company.rs_tier_policy = others[0]
            self._recompute()
            self.assertFalse(self._tier(self.big), "another policy's company: the value rules stay idle")
            self.assertTrue(self._value(self.big).current_value, "figures are still computed")
        else:
            self.assertEqual(policies, ["value"])

    def test_tier_upgrade_care_trigger(self):
        rule = self.env["rs.care.rule"].create(
            {
                "name": "Welcome to a higher tier",
                "company_id": self.value_company.id,
                "trigger": "tier_upgrade",
                "action": "activity",
            }
        )
        self._recompute()
        self.assertFalse(self._history(self.small).is_upgrade, "a first tier is no upgrade")
        for days in (5, 6):
            self._invoice(self.small, days, [(1000, self.product_30)])
        self._recompute()
        self.assertEqual(self._tier(self.small), self.tier_gold)
        self.assertTrue(self._history(self.small)[-1].is_upgrade)
        today = fields.Date.today()
        rule._plan_events(today)
        events = self.env["rs.care.event"].search([("rule_id", "=", rule.id)])
        self.assertEqual(events.partner_id, self.small)
        self.assertEqual(events.occurrence_date, today)
