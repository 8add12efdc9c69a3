from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    rs_survey_service_id = fields.Many2one(related="company_id.rs_survey_service_id", readonly=False)
    rs_survey_complaint_id = fields.Many2one(related="company_id.rs_survey_complaint_id", readonly=False)
    rs_survey_delay_hours = fields.Integer(related="company_id.rs_survey_delay_hours", readonly=False)
    rs_survey_reminder_days = fields.Integer(related="company_id.rs_survey_reminder_days", readonly=False)
    rs_survey_recovery_csi = fields.Float(related="company_id.rs_survey_recovery_csi", readonly=False)
    rs_survey_recovery_detractor = fields.Boolean(
        related="company_id.rs_survey_recovery_detractor", readonly=False
    )
    rs_survey_recovery_bottom = fields.Boolean(related="company_id.rs_survey_recovery_bottom", readonly=False)
    rs_survey_recovery_action = fields.Selection(
        related="company_id.rs_survey_recovery_action", readonly=False
    )
    rs_survey_recovery_category_id = fields.Many2one(
        related="company_id.rs_survey_recovery_category_id", readonly=False
    )
    rs_survey_csi_drop = fields.Float(related="company_id.rs_survey_csi_drop", readonly=False)
    rs_survey_detractor_risk = fields.Float(related="company_id.rs_survey_detractor_risk", readonly=False)
    rs_survey_min_answers = fields.Integer(related="company_id.rs_survey_min_answers", readonly=False)
