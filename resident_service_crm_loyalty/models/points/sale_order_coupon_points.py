from odoo import models

from .order_account import being_cancelled


class SaleOrderCouponPoints(models.Model):
    _inherit = "sale.order.coupon.points"

    def unlink(self):
        """Odoo's cancellation of an order removes the order's points rows as the user who
        cancels it, and Odoo lets only sales administrators delete them: a salesperson could
        not cancel a confirmed order that carries points (odoo/odoo#281477, fixed upstream
        the same way). Inside the cancellation of orders the user may cancel, the rows go."""
        if self and not self.env.su and being_cancelled(self.order_id.ids):
            # sudo: only the points rows of orders whose cancellation (checked for the user
            # by sale.order._action_cancel) is running; a client cannot open this path
            return super(SaleOrderCouponPoints, self.sudo()).unlink()
        return super().unlink()
