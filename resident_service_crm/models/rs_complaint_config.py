from odoo import fields, models


class RsComplaintStage(models.Model):
    _name = "rs.complaint.stage"
    _description = "Complaint Stage"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    fold = fields.Boolean(string="Folded in Kanban")
    is_acknowledged = fields.Boolean(
        string="Acknowledged",
        help="Reaching this stage means the complaint was acknowledged to the customer.",
    )
    is_resolved = fields.Boolean(string="Resolved", help="Reaching this stage means a resolution was given.")
    is_closed = fields.Boolean(string="Closed", help="Complaints in this stage are finished.")
    pauses_sla = fields.Boolean(
        string="Pauses the SLA",
        help="Time spent in this stage does not count toward the response and resolution times.",
    )
    description = fields.Text(translate=True)


class RsComplaintCategory(models.Model):
    _name = "rs.complaint.category"
    _description = "Complaint Category"
    _inherit = ["rs.tree.mixin"]

    parent_id = fields.Many2one(
        "rs.complaint.category", string="Parent Category", index=True, ondelete="restrict"
    )


class RsRootCause(models.Model):
    _name = "rs.root.cause"
    _description = "Root Cause"
    _inherit = ["rs.tree.mixin"]

    parent_id = fields.Many2one("rs.root.cause", string="Parent Cause", index=True, ondelete="restrict")


class RsComplaintTag(models.Model):
    _name = "rs.complaint.tag"
    _description = "Complaint Tag"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    color = fields.Integer()

    _sql_constraints = [("name_uniq", "unique(name)", "This tag already exists.")]


class RsDepartment(models.Model):
    _name = "rs.department"
    _description = "Responsible Department"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company, index=True)
    manager_id = fields.Many2one("res.users", string="Manager", domain="[('share', '=', False)]")
