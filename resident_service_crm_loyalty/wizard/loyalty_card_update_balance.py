from odoo import models


class LoyaltyCardUpdateBalance(models.TransientModel):
    _inherit = "loyalty.card.update.balance"

    def action_update_card_point(self):
        """The history row Odoo writes for a manual change becomes an adjustment entry of the
        ledger, keyed by this wizard run."""
        return super(
            LoyaltyCardUpdateBalance, self.with_context(loyalty_ledger_adjustment=self.id)
        ).action_update_card_point()
