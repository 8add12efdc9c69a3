from odoo import fields, models

from ..models.service.rs_service_record import SPOT_PAYMENT_METHODS


class RsServicePaymentWizard(models.TransientModel):
    """Payment on the spot (现场收款): how the customer paid at the visit and how much was
    received, recorded in one action by whoever works the visit."""

    _name = "rs.service.payment.wizard"
    _description = "Record a Payment on the Spot"

    service_id = fields.Many2one("rs.service.record", required=True, ondelete="cascade")
    currency_id = fields.Many2one(related="service_id.currency_id")
    payment_method = fields.Selection(SPOT_PAYMENT_METHODS, string="Paid By", required=True, default="wechat")
    amount = fields.Monetary(string="Amount Received", required=True)

    def action_confirm(self):
        self.ensure_one()
        # the user's own rights on the visit: the action checks them and writes the payment
        self.service_id._pay_on_spot(self.payment_method, self.amount)
        return {"type": "ir.actions.act_window_close"}
