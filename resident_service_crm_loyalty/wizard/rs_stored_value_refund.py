from odoo import api, fields, models


class RsStoredValueRefund(models.TransientModel):
    """The counter's card refund (退卡): the remaining principal is paid back, the remaining
    bonus is void, the card is closed; the form shows the card's statement."""

    _name = "rs.stored.value.refund"
    _description = "Refund a Stored-Value Card"

    card_id = fields.Many2one(
        "loyalty.card", string="Card", required=True, domain="[('rs_stored_value', '=', True)]"
    )
    company_id = fields.Many2one(related="card_id.company_id")
    currency_id = fields.Many2one(related="card_id.currency_id")
    partner_id = fields.Many2one(
        "res.partner",
        string="Paid Back To",
        required=True,
        compute="_compute_partner_id",
        store=True,
        precompute=True,
        readonly=False,
        help="Who receives the principal: the holder of a named card, or who returns an anonymous one.",
    )
    journal_id = fields.Many2one(
        "account.journal",
        string="Paid Back With",
        required=True,
        domain="[('type', 'in', ('bank', 'cash')), ('code', '!=', 'SVC')]",
        help="The journal of the payment that gives the principal back.",
    )
    paid = fields.Monetary(related="card_id.rs_stored_value_paid")
    bonus_received = fields.Monetary(related="card_id.rs_stored_value_bonus_received")
    spent = fields.Monetary(related="card_id.rs_stored_value_spent")
    voided = fields.Monetary(related="card_id.rs_stored_value_voided", string="Bonus Already Voided")
    principal = fields.Monetary(related="card_id.rs_principal_balance", string="Principal to Refund")
    bonus = fields.Monetary(related="card_id.rs_bonus_balance", string="Bonus to Void")

    @api.depends("card_id")
    def _compute_partner_id(self):
        for wizard in self:
            card = wizard.card_id.sudo()
            last_topup = (
                self.env["account.move.line"]
                .sudo()
                .search(
                    [("rs_stored_value_card_id", "=", card.id), ("parent_state", "=", "posted")],
                    order="id desc",
                    limit=1,
                )
            )
            wizard.partner_id = card.partner_id or last_topup.move_id.partner_id or wizard.partner_id

    def action_confirm(self):
        """Refund the card; the credit note opens, when there was principal to pay back."""
        self.ensure_one()
        credit_note = self.card_id._rs_stored_value_refund(self.journal_id, self.partner_id)
        if not credit_note:
            return {"type": "ir.actions.act_window_close"}
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": credit_note.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }
