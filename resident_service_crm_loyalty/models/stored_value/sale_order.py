from odoo import models
from odoo.exceptions import UserError


class SaleOrder(models.Model):
    """A confirmed order paid at the counter with a stored-value card: what is left to
    invoice is invoiced, and the card pays the invoice (the card pays invoices, which carry
    the revenue and its taxes, so that an order and its invoice stay one purchase)."""

    _inherit = "sale.order"

    def action_rs_stored_value_pay(self):
        """Invoice what is left to invoice of this confirmed order, post it, and open "Pay
        with Card" on the order's first invoice with something left to pay."""
        self.ensure_one()
        if not (self.env.su or self.env.user.has_group("resident_service_crm_loyalty.group_cashier")):
            raise UserError(self.env._("Only a cashier takes a payment by stored-value card."))
        if self.state != "sale":
            raise UserError(self.env._("Confirm the order before it is paid with a card."))
        if self.invoice_status == "to invoice":
            self._create_invoices().action_post()
        invoice = self.invoice_ids.filtered(
            lambda move: (
                move.move_type == "out_invoice"
                and move.state == "posted"
                and move.payment_state not in ("paid", "in_payment", "reversed")
            )
        )[:1]
        if not invoice:
            raise UserError(self.env._("This order has nothing left to pay."))
        return invoice.action_rs_stored_value_pay()
