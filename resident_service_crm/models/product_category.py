from odoo import fields, models


class ProductCategory(models.Model):
    _inherit = "product.category"

    rs_margin_rate = fields.Float(
        string="Margin Rate (%)",
        default=lambda self: self.env.company.rs_default_margin_rate,
        help="Share of the untaxed amount of this category's sales that is profit: current value "
        "(当前价值) sums invoice lines times this rate.",
    )
