from odoo import fields, models


class RsComplaintCategory(models.Model):
    _name = "rs.complaint.category"
    _description = "Complaint Category"
    _inherit = ["rs.tree.mixin"]

    parent_id = fields.Many2one(
        "rs.complaint.category", string="Parent Category", index=True, ondelete="restrict"
    )
