from odoo import api, models


class SaleOrder(models.Model):
    """Tier benefits on quotations: the tier's pricelist, and its earning multiplier on the
    membership program when it earns at confirmation."""

    _inherit = "sale.order"

    @api.depends("partner_id", "company_id")
    def _compute_pricelist_id(self):
        res = super()._compute_pricelist_id()
        for order in self.filtered(lambda order: order.state == "draft" and order.partner_id):
            tier = order.partner_id.commercial_partner_id.with_company(order.company_id).rs_tier_id
            if tier.pricelist_id:
                order.pricelist_id = tier.pricelist_id
        return res

    def _rs_membership_check_compute_points(self, result):
        """The tier's earning multiplier on the points the membership program gives."""
        config = self.env["res.company"]._rs_membership_config().get(self.company_id.id)
        if not config:
            return
        tier = self.partner_id.commercial_partner_id.with_company(self.company_id).rs_tier_id
        factor = tier.points_multiplier if tier else 1.0
        for program, status in result.items():
            if program.id == config[0] and factor != 1.0 and status.get("points"):
                status["points"] = [round(points * factor, 2) for points in status["points"]]
