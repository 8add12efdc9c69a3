from odoo import models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def _action_confirm(self):
        result = super()._action_confirm()
        self.env["rs.service.record"]._create_from_sale_lines(self.order_line)
        return result
