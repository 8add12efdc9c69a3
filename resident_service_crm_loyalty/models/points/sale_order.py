from odoo import models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def _program_check_compute_points(self, programs):
        """A loyalty program earning on invoices stays applicable to the order (its rewards
        can be claimed) but gives no points at confirmation: its invoice gives them."""
        result = super()._program_check_compute_points(programs)
        for program, status in result.items():
            if program.program_type == "loyalty" and program.earn_trigger != "order" and "points" in status:
                status["points"] = [0.0]
        return result
