from odoo import fields, models


class RsRootCause(models.Model):
    _name = "rs.root.cause"
    _description = "Root Cause"
    _inherit = ["rs.tree.mixin"]

    parent_id = fields.Many2one("rs.root.cause", string="Parent Cause", index=True, ondelete="restrict")
