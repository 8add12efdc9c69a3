from odoo import api, fields, models

from odoo.addons.resident_service_crm.tools.input_checks import amount_check


class RsStoredValuePay(models.TransientModel):
    """The counter's "Pay with Card": part or all of a posted invoice paid from a
    stored-value card, in the company's spending order."""

    _name = "rs.stored.value.pay"
    _description = "Pay an Invoice with a Stored-Value Card"

    move_id = fields.Many2one("account.move", string="Invoice", required=True, readonly=True)
    partner_id = fields.Many2one(related="move_id.commercial_partner_id", string="Customer")
    currency_id = fields.Many2one(related="move_id.currency_id")
    amount_residual = fields.Monetary(related="move_id.amount_residual", string="Amount Due")
    card_id = fields.Many2one(
        "loyalty.card",
        string="Card",
        required=True,
        domain="[('rs_stored_value', '=', True), ('points', '>', 0), "
        "'|', ('partner_id', '=', partner_id), ('rs_card_type', '=', 'anonymous')]",
    )
    card_balance = fields.Float(related="card_id.points", string="Card Balance")
    amount = fields.Monetary(
        compute="_compute_amount",
        store=True,
        readonly=False,
        rs_amount=True,
        help="What the card pays: at most what is due and what the card holds.",
    )

    _sql_constraints = [amount_check("amount", "The amount paid by card is too large.")]

    @api.depends("card_id", "move_id")
    def _compute_amount(self):
        for wizard in self:
            wizard.amount = min(wizard.move_id.amount_residual, wizard.card_id.sudo().points)

    def action_pay(self):
        """Pay from the card; the invoice's payments show the card payment."""
        self.ensure_one()
        self.move_id._rs_stored_value_pay(self.card_id, self.amount)
        return {"type": "ir.actions.act_window_close"}
