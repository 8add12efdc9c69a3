from odoo import models
from odoo.tools import SQL


class ProductTemplate(models.Model):
    _inherit = "product.template"

    def write(self, vals):
        self._rs_check_input(vals)  # first: what users type (validation/base.py)
        res = super().write(vals)
        if "categ_id" in vals:
            # sudo: the purchase facts are the value engine's bookkeeping; the margin of the
            # product's past invoices follows its new category
            self.env["rs.purchase.fact"].sudo()._refresh_where(
                SQL(
                    "l.product_id IN (SELECT pp.id FROM product_product pp "
                    "WHERE pp.product_tmpl_id = ANY(%s))",
                    self.ids,
                )
            )
        return res
