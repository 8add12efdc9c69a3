from odoo import api, fields, models


class RsPackageRefund(models.TransientModel):
    """The counter's refund of a package's unused sessions: what the company's rate pays
    back, by a credit note and a payment."""

    _name = "rs.package.refund"
    _description = "Refund a Session Package"

    package_id = fields.Many2one("rs.package", string="Package", required=True, readonly=True)
    company_id = fields.Many2one(related="package_id.company_id")
    currency_id = fields.Many2one(related="package_id.currency_id")
    sessions_left = fields.Integer(related="package_id.sessions_left")
    liability = fields.Monetary(related="package_id.liability")
    refund_rate = fields.Selection(related="package_id.company_id.rs_package_refund_rate")
    amount = fields.Monetary(
        string="Refund", compute="_compute_amount", help="What the refund pays back at the company's rate."
    )
    journal_id = fields.Many2one(
        "account.journal",
        string="Paid Back With",
        required=True,
        domain="[('type', 'in', ('bank', 'cash')), ('company_id', '=', company_id)]",
        help="The journal of the payment that gives the money back.",
    )

    @api.depends("package_id")
    def _compute_amount(self):
        for wizard in self:
            wizard.amount = wizard.package_id._refund_amount() if wizard.package_id else 0.0

    def action_confirm(self):
        """Refund; the credit note opens when there was money to pay back."""
        self.ensure_one()
        credit_note = self.package_id._refund(self.journal_id)
        if not credit_note:
            return {"type": "ir.actions.act_window_close"}
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": credit_note.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }
