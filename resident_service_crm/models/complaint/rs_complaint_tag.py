from odoo import fields, models


class RsComplaintTag(models.Model):
    _name = "rs.complaint.tag"
    _description = "Complaint Tag"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    color = fields.Integer()

    _sql_constraints = [("name_uniq", "unique(name)", "This tag already exists.")]
