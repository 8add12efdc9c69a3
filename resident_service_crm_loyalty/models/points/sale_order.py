from odoo import models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def _program_check_compute_points(self, programs):
        """The one override of the points an order gives, for every feature of the addon.
        Nothing runs before super(); after it, on its result: points give nothing at
        confirmation for programs earning on invoices (``_rs_points_check_compute_points``),
        then membership applies the tier's multiplier on the membership program
        (``_rs_membership_check_compute_points``)."""
        result = super()._program_check_compute_points(programs)
        self._rs_points_check_compute_points(result)
        self._rs_membership_check_compute_points(result)
        return result

    def _rs_points_check_compute_points(self, result):
        """A loyalty program earning on invoices stays applicable to the order (its rewards
        can be claimed) but gives no points at confirmation: its invoice gives them."""
        for program, status in result.items():
            if program.program_type == "loyalty" and program.earn_trigger != "order" and "points" in status:
                status["points"] = [0.0]
