from odoo import models

from ..models.points.ledger_writer import ledger_writer


class LoyaltyCardUpdateBalance(models.TransientModel):
    _inherit = "loyalty.card.update.balance"

    def action_update_card_point(self):
        """The history row Odoo writes for a manual change becomes an adjustment entry of the
        ledger, keyed by this wizard run; the wizard is the one client path that changes a
        card's balance. Core's method returns nothing, which XML-RPC clients cannot read."""
        self.ensure_one()
        with ledger_writer(adjustment=self.id):
            super().action_update_card_point()
        return True
