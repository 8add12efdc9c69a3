from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    rs_reveal_log_days = fields.Integer(related="company_id.rs_reveal_log_days", readonly=False)
    rs_reveal_technician = fields.Boolean(related="company_id.rs_reveal_technician", readonly=False)
    rs_privacy_deadline_days = fields.Integer(related="company_id.rs_privacy_deadline_days", readonly=False)
    rs_privacy_reminder_days = fields.Integer(related="company_id.rs_privacy_reminder_days", readonly=False)
    rs_privacy_officer_id = fields.Many2one(related="company_id.rs_privacy_officer_id", readonly=False)
    rs_consent_text_version = fields.Char(related="company_id.rs_consent_text_version", readonly=False)
    rs_privacy_code_minutes = fields.Integer(related="company_id.rs_privacy_code_minutes", readonly=False)
    rs_privacy_code_attempts = fields.Integer(related="company_id.rs_privacy_code_attempts", readonly=False)
    rs_retention_months = fields.Integer(related="company_id.rs_retention_months", readonly=False)
