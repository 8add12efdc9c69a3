from odoo import api, fields, models
from odoo.exceptions import ValidationError


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
    _parent_name = "parent_id"
    _parent_store = True
    _order = "complete_name"
    _rec_name = "complete_name"

    name = fields.Char(required=True, translate=True)
    complete_name = fields.Char(compute="_compute_complete_name", store=True, recursive=True)
    parent_id = fields.Many2one(
        "rs.complaint.category", string="Parent Category", index=True, ondelete="restrict"
    )
    parent_path = fields.Char(index=True)
    active = fields.Boolean(default=True)

    @api.depends("name", "parent_id.complete_name")
    def _compute_complete_name(self):
        for category in self:
            parent = category.parent_id.complete_name
            category.complete_name = f"{parent} / {category.name}" if parent else category.name

    @api.constrains("parent_id")
    def _check_parent_id(self):
        if self._has_cycle():
            raise ValidationError(self.env._("A complaint category cannot be its own parent."))


class RsRootCause(models.Model):
    _name = "rs.root.cause"
    _description = "Root Cause"
    _parent_name = "parent_id"
    _parent_store = True
    _order = "complete_name"
    _rec_name = "complete_name"

    name = fields.Char(required=True, translate=True)
    complete_name = fields.Char(compute="_compute_complete_name", store=True, recursive=True)
    parent_id = fields.Many2one("rs.root.cause", string="Parent Cause", index=True, ondelete="restrict")
    parent_path = fields.Char(index=True)
    active = fields.Boolean(default=True)

    @api.depends("name", "parent_id.complete_name")
    def _compute_complete_name(self):
        for cause in self:
            parent = cause.parent_id.complete_name
            cause.complete_name = f"{parent} / {cause.name}" if parent else cause.name

    @api.constrains("parent_id")
    def _check_parent_id(self):
        if self._has_cycle():
            raise ValidationError(self.env._("A root cause cannot be its own parent."))


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
