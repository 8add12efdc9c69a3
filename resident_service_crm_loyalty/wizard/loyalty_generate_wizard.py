from odoo import models

from ..models.points.ledger_writer import ledger_writer


class LoyaltyGenerateWizard(models.TransientModel):
    _inherit = "loyalty.generate.wizard"

    def generate_coupons(self):
        """Odoo's coupon generation creates cards with their points and one history row each:
        a server path of the ledger."""
        with ledger_writer():
            return super().generate_coupons()
