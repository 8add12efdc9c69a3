from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    module_resident_service_crm_loyalty = fields.Boolean(
        string="Loyalty Points and Membership",
        help="Install the loyalty extension: points earned from sales and invoices, "
        "reversed on refunds, expiring, with membership tiers.",
    )
    module_resident_service_crm_survey = fields.Boolean(
        string="Satisfaction Surveys",
        help="Install the survey extension: satisfaction surveys with a weighted "
        "satisfaction index, CSAT, NPS and CES, and recovery of low scores.",
    )
    rs_profile_stale_months = fields.Integer(related="company_id.rs_profile_stale_months", readonly=False)
    rs_punctuality_grace_minutes = fields.Integer(
        related="company_id.rs_punctuality_grace_minutes", readonly=False
    )
    rs_revisit_days = fields.Integer(related="company_id.rs_revisit_days", readonly=False)
    rs_quiet_hours_start = fields.Float(related="company_id.rs_quiet_hours_start", readonly=False)
    rs_quiet_hours_end = fields.Float(related="company_id.rs_quiet_hours_end", readonly=False)
    rs_service_notice_needs_consent = fields.Boolean(
        related="company_id.rs_service_notice_needs_consent", readonly=False
    )
