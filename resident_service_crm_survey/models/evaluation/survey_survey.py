from odoo import api, fields, models

PURPOSES = [
    ("service", "After a Service"),
    ("complaint", "After a Complaint"),
    ("periodic", "Periodic Relationship Survey"),
]


class SurveySurvey(models.Model):
    _inherit = "survey.survey"

    rs_is_satisfaction = fields.Boolean(
        string="Satisfaction Survey",
        help="Scored into the satisfaction index, CSAT, NPS and CES of the customer who answers.",
    )
    rs_purpose = fields.Selection(PURPOSES, string="Satisfaction Purpose")
    rs_result_count = fields.Integer(string="Satisfaction Results", compute="_compute_rs_result_count")

    def _compute_rs_result_count(self):
        counts = dict(
            self.env["rs.survey.result"]._read_group(
                [("survey_id", "in", self.ids)], ["survey_id"], ["__count"]
            )
        )
        for survey in self:
            survey.rs_result_count = counts.get(survey, 0)

    @api.model
    def _rs_survey_for(self, company, purpose):
        """The satisfaction survey a company sends for this purpose: its setting, else the
        first active satisfaction survey of that purpose."""
        field = {"service": "rs_survey_service_id", "complaint": "rs_survey_complaint_id"}.get(purpose)
        survey = company[field] if field else self.browse()
        if survey and survey.active:
            return survey
        return self.search(
            [("rs_is_satisfaction", "=", True), ("rs_purpose", "=", purpose)], order="id", limit=1
        )

    def action_rs_view_results(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "resident_service_crm_survey.rs_survey_result_action"
        )
        action.update(domain=[("survey_id", "=", self.id)], context={})
        return action
