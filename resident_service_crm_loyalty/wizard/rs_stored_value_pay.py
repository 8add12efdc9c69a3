from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.resident_service_crm.tools.input_checks import amount_check


class RsStoredValuePay(models.TransientModel):
    """The counter's "Pay with Card": part or all of a posted invoice, or a visit paid on
    the spot, paid from a stored-value card in the company's spending order."""

    _name = "rs.stored.value.pay"
    _description = "Pay with a Stored-Value Card"

    move_id = fields.Many2one("account.move", string="Invoice", readonly=True)
    service_id = fields.Many2one("rs.service.record", string="Visit", readonly=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", compute="_compute_document", help="Whose card may pay."
    )
    currency_id = fields.Many2one("res.currency", compute="_compute_document")
    amount_residual = fields.Monetary(string="Amount Due", compute="_compute_document")
    card_id = fields.Many2one(
        "loyalty.card",
        string="Card",
        required=True,
        domain="[('rs_stored_value', '=', True), ('points', '>', 0), "
        "'|', ('partner_id', 'child_of', partner_id), ('rs_card_type', '=', 'anonymous')]",
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

    @api.depends("move_id", "service_id")
    def _compute_document(self):
        for wizard in self:
            if wizard.move_id:
                wizard.partner_id = wizard.move_id.commercial_partner_id
                wizard.currency_id = wizard.move_id.currency_id
                wizard.amount_residual = wizard.move_id.amount_residual
            else:
                wizard.partner_id = wizard.service_id.partner_id.commercial_partner_id
                wizard.currency_id = wizard.service_id.currency_id
                wizard.amount_residual = wizard.service_id.amount

    @api.depends("card_id", "move_id", "service_id")
    def _compute_amount(self):
        for wizard in self:
            wizard.amount = min(wizard.amount_residual, wizard.card_id.sudo().points)

    def action_pay(self):
        """Pay from the card; the invoice's payments, or the visit's payment, show it."""
        self.ensure_one()
        if bool(self.move_id) == bool(self.service_id):
            raise UserError(self.env._("A card pays one invoice or one visit."))
        if self.move_id:
            self.move_id._rs_stored_value_pay(self.card_id, self.amount)
        else:
            self.service_id._pay_with_stored_value(self.card_id, self.amount)
        return {"type": "ir.actions.act_window_close"}
