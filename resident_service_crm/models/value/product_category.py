from odoo import fields, models
from odoo.tools import SQL


class ProductCategory(models.Model):
    _inherit = "product.category"

    rs_margin_rate = fields.Float(
        string="Margin Rate (%)",
        default=lambda self: self.env.company.rs_default_margin_rate,
        help="Share of the untaxed amount of this category's sales that is profit: current value "
        "sums invoice lines times this rate.",
    )

    def write(self, vals):
        self._rs_check_input(vals)  # first: what users type (validation/base.py)
        res = super().write(vals)
        if "rs_margin_rate" in vals:
            # sudo: the purchase facts are the value engine's bookkeeping
            self.env["rs.purchase.fact"].sudo()._refresh_where(
                SQL(
                    "l.product_id IN (SELECT pp.id FROM product_product pp JOIN product_template pt "
                    "ON pt.id = pp.product_tmpl_id WHERE pt.categ_id = ANY(%s))",
                    self.ids,
                )
            )
        return res
