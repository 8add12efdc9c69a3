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
