from odoo import fields, models


class RsComplaint(models.Model):
    _inherit = "rs.complaint"

    channel = fields.Selection(
        selection_add=[("survey", "Satisfaction Survey")], ondelete={"survey": "set default"}
    )
    survey_result_ids = fields.One2many(
        "rs.survey.result", "recovery_complaint_id", string="Low Survey Responses"
    )
