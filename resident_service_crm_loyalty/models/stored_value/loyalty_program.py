from odoo import api, fields, models
from odoo.exceptions import ValidationError


class LoyaltyProgram(models.Model):
    _inherit = "loyalty.program"

    rs_stored_value = fields.Boolean(
        string="Stored-Value Card",
        help="An eWallet sold as a prepaid card: its cards are topped up by paid invoices "
        "with the bonus of the top-up rules, keep principal and bonus apart, pay invoices, and "
        "follow the limits of the stored-value settings.",
    )
    rs_topup_product_id = fields.Many2one(
        "product.product",
        string="Top-Up Product",
        domain="[('type', '=', 'service')]",
        help="The product that invoices a top-up of this program's cards; it carries no tax, which "
        "is due when the card is spent.",
    )
    rs_topup_rule_ids = fields.One2many(
        "rs.stored.value.topup.rule", "program_id", string="Top-Up Rules", copy=True
    )

    @api.constrains("rs_stored_value", "program_type", "sale_ok")
    def _check_rs_stored_value(self):
        for program in self.filtered("rs_stored_value"):
            if program.program_type != "ewallet":
                raise ValidationError(self.env._("A stored-value card program is an eWallet program."))
            if program.sale_ok:
                raise ValidationError(
                    self.env._(
                        "A stored-value card program is not applied on sale orders: its cards are "
                        "topped up and spent on invoices. Clear its Sales option."
                    )
                )

    @api.onchange("rs_stored_value")
    def _onchange_rs_stored_value(self):
        if self.rs_stored_value:
            self.sale_ok = False
