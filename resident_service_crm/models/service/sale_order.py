from odoo import models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def _action_confirm(self):
        result = super()._action_confirm()
        # Whoever confirms the order (a salesperson without Resident Services rights, a
        # portal customer signing online) schedules the visit it sells: the lookup of
        # service types and the creation of the visits run with elevated rights, on
        # these order lines only.
        self.env["rs.service.record"].sudo()._create_from_sale_lines(self.order_line)
        return result
