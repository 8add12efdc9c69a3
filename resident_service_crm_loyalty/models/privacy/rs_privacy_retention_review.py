from odoo import api, models


class RsPrivacyRetentionReview(models.Model):
    _inherit = "rs.privacy.retention.review"

    @api.model
    def _retention_blockers(self):
        """A customer with points or a balance on a card of the company keeps their data: the
        balance is theirs, and is spent or expires first."""
        return [
            *super()._retention_blockers(),
            "EXISTS (SELECT 1 FROM loyalty_card lc JOIN loyalty_program lp ON lp.id = lc.program_id"
            " WHERE lc.partner_id = p.id AND lc.points > 0 AND lc.active IS NOT FALSE"
            " AND (lp.company_id = %(company)s OR lp.company_id IS NULL))",
        ]
