from odoo import fields, models


class RsServiceCategory(models.Model):
    _name = "rs.service.category"
    _description = "Service Category"
    _inherit = ["rs.tree.mixin"]

    parent_id = fields.Many2one(
        "rs.service.category", string="Parent Category", index=True, ondelete="restrict"
    )
    child_ids = fields.One2many("rs.service.category", "parent_id", string="Subcategories")
