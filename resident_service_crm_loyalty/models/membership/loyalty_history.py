from collections import defaultdict

from odoo import models


class LoyaltyHistory(models.Model):
    _inherit = "loyalty.history"

    def _rs_membership_upgrade_members(self):
        """Upgrade at once, in the transaction that earned the points: the members whose
        earnings on a company's membership program just grew, for the companies whose tiers
        follow qualifying points."""
        config = self.env["res.company"]._rs_membership_config()
        programs = {
            program_id: company_id
            for company_id, (program_id, points_policy, basis) in config.items()
            if points_policy and basis == "points"
        }
        if not programs:
            return
        targets = defaultdict(set)
        for entry in self:
            earned = entry.rs_ledger_kind == "earn" or (
                not entry.rs_ledger_kind and entry.order_model == "sale.order"
            )
            if earned and entry.issued > 0 and entry.card_id.program_id.id in programs:
                if entry.card_id.partner_id:
                    targets[programs[entry.card_id.program_id.id]].add(entry.card_id.partner_id.id)
        if targets:
            self.env["res.partner"]._rs_membership_upgrade(targets)
